"""The text helpers: one spelling of a consent bracket, counts glued to their nouns."""

import datetime as dt

import pandas as pd
import pytest

from palermo.data import treaties
from palermo.model.coverage import Count, reach
from palermo.model.params import as_of as read_day
from palermo.render import text
from tests.conftest import SHORT, UNTC_NUMBER

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "n,word,expected",
    [
        (0, "party", "0 parties"),
        (1, "party", "1 party"),
        (2, "party", "2 parties"),
        (1, "treaty", "1 treaty"),
        (3, "treaty", "3 treaties"),
        (2, "day", "2 days"),
        (2, "match", "2 matches"),
        (1, "State", "1 State"),
        (2, "State", "2 States"),
    ],
)
def test_plural(n, word, expected):
    assert text.plural(n, word) == expected


def test_parties_span():
    assert text.parties_span(1, 1) == "1 party"
    assert text.parties_span(2, 2) == "2 parties"
    assert text.parties_span(1, 2) == "1-2 parties"


def test_consent_is_a_day_or_a_bracket_with_one_spelling():
    day, end = pd.Timestamp("2020-01-01"), pd.Timestamp("2020-12-31")
    assert text.consent(day, day, "day") == "2020-01-01"
    assert text.consent(day, end, "year") == "2020-01-01 to 2020-12-31"
    assert text.consent(day, end, "range") == "2020-01-01 to 2020-12-31"
    assert text.consent(None) == "" and text.consent(pd.NaT) == ""
    assert text.consent("2019-05-13", None, None) == "2019-05-13"


def test_a_one_party_gap_is_written_in_the_singular():
    # the 2018 header says 190 parties, the records name 189
    note = text.coverage_note(*reach("DRUGS1988", read_day("2018-06-30")))
    assert "at least 1 party no record names" in note and "1 parties" not in note


def test_join_names_as_prose():
    assert text.join(["Europe"]) == "Europe"
    assert text.join(["Americas", "Europe"]) == "Americas and Europe"
    assert text.join(["A", "B", "C"]) == "A, B and C"


def test_plural_with_a_word_for_zero():
    assert text.plural(0, "party", zero="no") == "no parties"
    assert text.plural(1, "party", zero="no") == "1 party"
    assert text.plural(0, "State") == "0 States"


@pytest.mark.parametrize(
    "x, expected",
    [(1, "1 year"), (1.04, "1 year"), (3.94, "3.9 years"), (15.0, "15 years"), (0.5, "0.5 years")],
)
def test_years(x, expected):
    assert text.years(x) == expected


@pytest.mark.parametrize(
    "ratio, expected",
    [
        (1.02, "about as long"),
        (0.5, "about half as long"),
        (0.4, "about 40% as long"),
        (1.5, "about one and a half times as long"),
        (2.1, "about twice as long"),
        (3.86, "about four times as long"),
        (3.5, "about 3.5 times as long"),
        (12.1, "about 12 times as long"),
    ],
)
def test_times_as_is_words_not_a_second_decimal(ratio, expected):
    assert text.times_as(ratio) == expected


def test_times_as_refuses_a_non_positive_ratio():
    with pytest.raises(ValueError, match="positive"):
        text.times_as(0)


PAPER_DATE = dt.date(2020, 12, 23)


# one rule for a count a reader may quote
@pytest.mark.review("reader-2026-12", "finding 3", "C3")
def test_a_count_after_the_records_end_is_said_to_be_a_lower_bound():
    through = dt.date(2014, 7, 10)
    late = Count("UNCAC", PAPER_DATE, 171, None, 171, 171, through)
    assert text.count(late) == (
        "at least 171 (171 named; records complete through 2014-07-10; no later headline "
        "count sets an upper bound)"
    )
    assert text.count(late, short=True) == "at least 171"
    bounded = Count("UNCAC", PAPER_DATE, 172, 175, 171, 171, through)
    assert text.count(bounded).startswith("at least 172, at most 175 (171 named;")
    assert text.count(Count("UNTOC", through, 182, 182, 182, 182, through)) == "182"
    assert text.count(Count("UNTOC", through, 186, 187, 186, 187, through)) == "186-187"


PAPER = dt.date(2020, 12, 23)


# treaties
@pytest.mark.review("reader-2026-12b", "§3")
def test_every_treaty_has_one_name_for_readers():
    every = treaties.all_treaties()
    names = [text.treaty_name(t) for t in every]
    assert len(set(names)) == len(names)
    for t in every:
        name = text.treaty_name(t)
        # any way of naming it gives the same name, and the name finds the treaty again
        assert text.treaty_name(t.short) == text.treaty_name(t.number) == name == t.label
        assert treaties.resolve(name) == t
        assert not SHORT.search(name) and not UNTC_NUMBER.search(name)
    assert text.treaty_name("BOMBINGS") == "Terrorist Bombings Convention"
    assert text.treaty_name("FINANCING") == "Terrorist Financing Convention"
    assert text.treaty_name("XVIII-12-b") == "Smuggling Protocol"
    assert text.the_treaty("ROME") == "the Rome Statute" and text.the_treaty("UNTOC") == "UNTOC"


@pytest.mark.review("reader-2026-12b", "§3")
def test_the_coverage_notes_name_each_treaty():
    for t in treaties.with_records():
        note = text.coverage_note(*reach(t.short, PAPER))
        assert note.startswith(f"The records of {text.the_treaty(t)} ")
        assert not SHORT.search(note) and not UNTC_NUMBER.search(note), note


def test_a_status_past_the_records_says_it_is_the_last_known():
    assert text.standing("signatory", PAPER, "2014-07-10") == "signatory — last record 2014-07-10"
    assert text.standing("none", PAPER, "2018-01-15") == "none — last record 2018-01-15"
    assert text.standing("party", PAPER, "2014-07-10") == "party"  # a party stays one
    assert text.standing("signatory", "2010-01-01", "2014-07-10") == "signatory"


# --- how far the records reach: one set of words (render.text.reach, through_dates) -----------
# Each case is the wording the book printed before the phrasings were gathered here (the
# conclusions' clause, the Convention's table cell, a count's basis, a worksheet's verdict).

REACH = [
    # (treaty, day, form, words)
    ("UNTOC", "2020-12-23", "day", "the records are complete on that day"),
    (
        "UNTOC",
        "2025-06-01",
        "day",
        "the records are incomplete on that day (192 named; records complete through "
        "2024-05-04; no later headline count sets an upper bound)",
    ),
    ("UNTOC", "2020-12-23", "cell", "complete on that day"),
    (
        "UNTOC",
        "2015-03-01",
        "cell",
        "complete on that day (an action dated only to a year makes it a range)",
    ),
    (
        "TIP",
        "2020-12-23",
        "cell",
        "complete through 2018-01-15; 177-178 named (an action dated only to a year makes it a "
        "range), the rest from dated official counts",
    ),
    (
        "FIREARMS",
        "2020-12-23",
        "cell",
        "complete through 2018-01-15; 119 named, so the count is a lower bound",
    ),
    (
        "TIP",
        "2020-12-23",
        "basis",
        "177-178 named; records complete through 2018-01-15; the lower bound from the 179th "
        "party (Comoros, 2020-06-23); the upper bound from the depositary's count of 2024-04-20 "
        "(182)",
    ),
]


@pytest.mark.parametrize("treaty,day,form,words", REACH)
def test_the_reach_of_a_count_in_each_form_reads_as_the_book_printed_it(treaty, day, form, words):
    from palermo.model.coverage import count_on

    assert text.reach(count_on(treaty, read_day(day)), form) == words


def test_a_count_past_the_records_quotes_its_reach():
    from palermo.model.coverage import count_on

    c = count_on("TIP", read_day("2020-12-23"))
    assert text.count(c) == f"at least 179, at most 180 ({text.reach(c)})"
    assert text.count(c, short=True) == "at least 179"


def test_several_treaties_reach_each_with_its_date():
    import datetime as dt

    d14, d18 = dt.date(2014, 7, 10), dt.date(2018, 1, 15)
    assert text.through_dates([("UNCAC", d18)]) == "UNCAC (complete through 2018-01-15)"
    assert text.through_dates([("UNCAC", d18), ("ROME", d18), ("XVIII-9", d14)]) == (
        "UNCAC (complete through 2018-01-15), the Rome Statute (complete through 2018-01-15) "
        "and the Terrorist Bombings Convention (complete through 2014-07-10)"
    )
    # a treaty named twice (by its short id and its UNTC number) is listed once
    assert text.through_dates([("UNCAC", d18), ("XVIII-14", d18)]) == (
        "UNCAC (complete through 2018-01-15)"
    )


def test_a_worksheet_verdict_words_the_reach_of_its_treaties():
    from palermo.teaching import checks

    day = read_day("2018-01-15")
    assert checks._verdict(["UNCAC", "ROME"], day, checks.STATUS, "why.") == (
        "Correct. The records of UNCAC (complete through 2018-01-15) and the Rome Statute "
        "(complete through 2018-01-15) reach 2018-01-15. why."
    )
    assert checks._verdict(["TIP"], read_day("2020-12-23"), checks.COUNT) == (
        "Consistent with the records, but not confirmed: the records of the Trafficking "
        "Protocol (complete through 2018-01-15) end before 2020-12-23, so a later action the "
        "records do not hold may raise it (a count is a lower bound)."
    )


def test_a_treaty_carried_past_its_table_says_so_in_a_cell_and_in_words():
    from palermo.model.coverage import coverage

    cov = coverage("UNTOC", read_day("2020-12-23"))  # its 2014 table, then a matching count
    assert cov.carried
    assert text.through(cov, "cell") == f"{cov.table_through}; consistent with the count of " + (
        f"{cov.complete_through}"
    )
    assert text.through(cov) == (
        f"complete through {cov.table_through} (the status table) and consistent with the "
        f"headline count of {cov.complete_through} through that day"
    )
    tip = coverage("TIP", read_day("2020-12-23"))
    assert text.through(tip, "cell") == "2018-01-15" and not tip.carried
