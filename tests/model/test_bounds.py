"""The bounds on a count (palermo.model.bounds): hand-worked cases on small ledgers, then the
records' own counts against the numbers their sources give (the depositary's headline counts
and the official ordinals), never against the book's output."""

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from palermo.cli import app
from palermo.data import treaties
from palermo.model import bounds, status
from palermo.model.bounds import COUNT, HEADLINE, ORDINAL, Ledger, Observation
from palermo.model.claims import count_verdict
from palermo.model.coverage import complete_through, count_on, set_aside
from palermo.render import text
from tests.conftest import one_line_error, run

pytestmark = pytest.mark.unit

D = dt.date
EARLY = D(2010, 1, 1)  # the records' end in the hand-worked ledgers


def obs(day, n, kind=HEADLINE, who=None):
    return Observation("X", day, n, kind, "hand-worked", participant=who)


def parties(n, day=D(2005, 1, 1)):
    """n participants certainly party since ``day``."""
    return [(day, day, None)] * n


def test_headline_plus_named_joins_after_it():
    # 10 named; the depositary counts 12 on 2012-01-01 (2 unnamed); one named join after it
    led = Ledger.of([*parties(10), (D(2013, 5, 1), D(2013, 5, 1), None)], [obs(D(2012, 1, 1), 12)])
    b = led.bounds(D(2014, 1, 1), EARLY)
    assert (b.named, b.lower, b.upper) == (11, 13, None)
    assert b.lower_basis.parties == 12
    # before the join, the headline count alone
    assert led.bounds(D(2013, 1, 1), EARLY).lower == 12
    # before the headline count, only the named parties: it says nothing of earlier days
    assert led.bounds(D(2011, 6, 1), EARLY).lower == 10


def test_a_withdrawal_after_a_headline_lowers_the_bound():
    # 20 named, one of whom withdraws in 2015; the depositary counted 22 in 2012
    rows = [*parties(19), (D(2005, 1, 1), D(2005, 1, 1), D(2015, 6, 1))]
    led = Ledger.of(rows, [obs(D(2012, 1, 1), 22)])
    assert led.bounds(D(2015, 5, 31), EARLY).lower == 22
    b = led.bounds(D(2015, 6, 1), EARLY)
    assert (b.named, b.lower) == (19, 21)


def test_a_bracket_across_the_observation_does_not_raise_the_lower_bound():
    # a join dated only to 2011-06..2012-06 may already be in the 2012-01-01 count
    led = Ledger.of([*parties(10), (D(2011, 6, 1), D(2012, 6, 30), None)], [obs(D(2012, 1, 1), 12)])
    assert led.bounds(D(2013, 1, 1), EARLY).lower == 12
    # a bracket wholly after it does
    led = Ledger.of([*parties(10), (D(2012, 2, 1), D(2012, 6, 30), None)], [obs(D(2012, 1, 1), 12)])
    assert led.bounds(D(2013, 1, 1), EARLY).lower == 13


def test_a_later_headline_sets_the_upper_bound():
    # 10 named by 2012; the depositary counts 15 on 2016-01-01; two named joins in 2014
    rows = [*parties(10), *[(D(2014, 3, 1), D(2014, 3, 1), None)] * 2]
    led = Ledger.of(rows, [obs(D(2016, 1, 1), 15)])
    b = led.bounds(D(2013, 1, 1), EARLY)
    assert (b.lower, b.upper) == (10, 13)
    assert b.upper_basis.parties == 15
    # a withdrawal between the day and the headline count raises what it allows
    rows.append((D(2005, 1, 1), D(2005, 1, 1), D(2015, 1, 1)))
    led = Ledger.of(rows, [obs(D(2016, 1, 1), 15)])
    assert led.bounds(D(2013, 1, 1), EARLY).upper == 14
    # nothing after the day: no upper bound
    assert led.bounds(D(2017, 1, 1), EARLY).upper is None


def test_complete_records_bound_by_their_own_brackets():
    led = Ledger.of([*parties(10), (D(2004, 1, 1), D(2006, 12, 31), None)])
    b = led.bounds(D(2005, 1, 1), D(2010, 1, 1))
    assert (b.named, b.named_max, b.lower, b.upper) == (10, 11, 10, 11)


def test_an_ordinal_that_conflicts_with_a_headline_is_set_aside():
    # a release calls the 2013 joiner the 16th party; the depositary's 2016 count (15), less
    # the named joins after 2013, leaves room for 13 at most: the headline count wins
    rows = [*parties(10), (D(2013, 3, 1), D(2013, 3, 1), None)]
    rows += [(D(2014, 3, 1), D(2014, 3, 1), None)] * 2
    ordinal = obs(D(2013, 3, 1), 16, ORDINAL, "Ruritania")
    led = Ledger.of(rows, [ordinal, obs(D(2016, 1, 1), 15)])
    (got,) = led.conflicts(EARLY)
    assert got == (ordinal, 16, 13)
    b = led.bounds(D(2013, 6, 1), EARLY)
    assert b.lower == 11 and b.lower_basis is None and b.upper == 13
    # an ordinal the headline count allows is used
    fits = obs(D(2013, 3, 1), 12, ORDINAL, "Ruritania")
    led = Ledger.of(rows, [fits, obs(D(2016, 1, 1), 15)])
    assert led.conflicts(EARLY) == ()
    assert led.bounds(D(2013, 6, 1), EARLY).lower == 12
    assert led.bounds(D(2015, 1, 1), EARLY).lower == 14


def test_a_stated_count_is_a_lower_bound_only():
    led = Ledger.of(parties(10), [obs(D(2012, 1, 1), 12, COUNT)])
    b = led.bounds(D(2012, 1, 1), EARLY)
    assert (b.lower, b.upper) == (12, None)


@pytest.mark.parametrize("day", ["2001-01-01", "2010-10-18", "2014-07-10", "2020-12-23"])
def test_the_ledger_names_the_same_parties_as_the_status_rule(day):
    for t in treaties.with_records():
        assert bounds.ledger(t.number).named(day) == status.parties_by(t.number, day)


# --- the records' counts, against their sources --------------------------------------------


def test_uncac_on_the_papers_day_at_least_the_187th_party():
    # Tonga was the 187th party in February 2020 (PMO Tonga); Chad the 186th (UNODC)
    c = count_on("UNCAC", D(2020, 12, 23))
    assert c.parties >= 187
    assert c.parties > c.named or c.named >= 187


def test_protocols_on_the_papers_day_from_the_ordinals_and_later_headlines():
    tip = count_on("TIP", D(2020, 12, 23))
    assert tip.parties >= 179  # the Comoros, 179th party on 23 June 2020 (UNODC)
    assert tip.parties_max is not None and tip.parties_max <= 182 - 2  # 2024 count less 2
    som = count_on("SOM", D(2020, 12, 23))
    assert som.parties >= 150 and som.parties_max <= 152  # the Comoros 150th (UNODC)


def test_every_headline_count_lies_within_the_bounds_on_its_day():
    for t in treaties.with_records():
        through = complete_through(t)
        for o in bounds.observations(t.number):
            if o.exact:
                c = count_on(t, o.date)
                assert c.parties <= o.parties, (t.short, o)
                assert c.parties_max is None or o.parties <= c.parties_max, (t.short, o)
            else:
                c = count_on(t, o.date)
                aside = {x[0] for x in bounds.conflicts(t.number, through)}
                assert o in aside or c.parties >= o.parties, (t.short, o)


def test_set_aside_statements_contradict_a_headline():
    aside = set_aside()
    for a in aside:
        assert a.would_require > a.headline_allows
    # Sudan called the 174th UNCAC party in Sept 2014; the 2018 header leaves room for fewer
    assert any(a.treaty == "UNCAC" and a.date == D(2014, 9, 5) for a in aside)
    # as `palermo check --json` prints it
    assert list(aside[0].as_dict()) == [
        "treaty",
        "date",
        "observation",
        "would_require",
        "headline_allows",
        "source",
    ]
    assert isinstance(aside[0].as_dict()["date"], str)


def test_the_verdict_on_a_count_reads_the_bounds():
    assert count_verdict(186, 187, None, False) == "differs"  # below the lower bound
    assert count_verdict(190, 187, None, False) == "not checkable with these records"
    assert count_verdict(153, 150, 152, False) == "differs"  # above the upper bound
    assert count_verdict(190, 190, 190, True) == "match"


def test_words_say_at_least_where_the_records_are_incomplete():
    c = count_on("UNCAC", D(2020, 12, 23))
    words = text.count(c)
    assert words.startswith(f"at least {c.parties} (") and f"{c.named} named" in words
    assert text.count(count_on("UNTOC", D(2020, 12, 23))) == "190"


def test_status_json_gives_the_lower_bound_the_named_and_the_observations():
    out = CliRunner().invoke(app, ["status", "TIP", "--as-of", "2020-12-23", "--json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.output)
    c = count_on("TIP", D(2020, 12, 23))
    assert (d["parties"], d["named"], d["parties_max"]) == (c.parties, c.named, c.parties_max)
    # the Comoros, the 179th party on its deposit of 23 June 2020 (UNODC)
    assert d["lower_basis"]["parties"] == 179 and d["lower_basis"]["kind"] == "ordinal"
    assert d["lower_basis"]["date"] == "2020-06-23" and d["parties"] >= 179
    assert d["upper_basis"]["exact"] and d["upper_basis"]["date"] == "2024-04-20"
    plain = CliRunner().invoke(app, ["status", "TIP", "--as-of", "2020-12-23"]).output
    assert f"parties: at least {c.parties}, at most {c.parties_max} (" in plain


def test_the_curves_follow_the_same_bound_as_a_count_on_each_day():
    import pandas as pd

    days = pd.date_range("2001-01-01", "2026-12-01", freq="53D")
    for t in treaties.with_records():
        many = bounds.ledger(t.number).lower_many(days, complete_through(t))
        assert list(many) == [count_on(t, d.date()).parties for d in days], t.short


# the count statements (issue 35): a bad row names its file and row
def test_a_count_statement_naming_an_unknown_participant_is_refused_where_it_is(data_copy):
    path = data_copy / "curated" / "count_statements.csv"
    path.write_text(
        path.read_text() + "XVIII-14,2019-01-01,185,ordinal,Narnia,"
        '"a made-up release of the UN Office on Drugs and Crime",,\n'
    )
    rows = len(path.read_text().splitlines())
    err = one_line_error(run("status", "UNCAC", "--as-of", "2020-12-23"), 1)
    assert f"count_statements.csv, row {rows}: participant 'Narnia'" in err
