"""How far the records reach (palermo.model.coverage): complete through, the count on a day
and the parties a headline count implies that no record names."""

import datetime as dt

import pandas as pd
import pytest

from palermo.data import curated, treaties
from palermo.model import status
from palermo.model.coverage import (
    complete_through,
    count_on,
    coverage,
    reach,
    signatory_disagreements,
    unattributed_parties,
)
from palermo.model.params import as_of as read_day
from palermo.render.text import coverage_note

pytestmark = pytest.mark.unit


# peer treaties brought forward from 2014
@pytest.mark.review("reader-2026-12", "finding 1")
def test_uncac_names_more_of_the_2018_header_and_check_lists_the_rest():
    c = count_on("UNCAC", read_day("2018-01-15"))
    assert c.named >= 179  # 171 in the 2014 table, 8 sourced rows since
    day = read_day("2018-01-15")
    gap = [u for u in unattributed_parties() if u.treaty == "UNCAC" and u.date == day]
    # the 2018 header's 183: either every one is named now, or check lists the gap
    if c.named_max < 183:
        assert gap and gap[0].headline == 183 and gap[0].unattributed == 183 - c.named_max
    else:
        assert not gap and c.named == 183


D = dt.date


# coverage, ranges, headline counts
def test_records_match_every_headline_count_up_to_complete_through():
    # signatory counts that differ are reported (signatory_disagreements), never patched
    known = {(d.treaty, d.date) for d in signatory_disagreements()}
    for t in treaties.with_records():
        through = complete_through(t)
        for h in status.headline_counts(t).itertuples():
            if h.date.date() <= through:
                c = count_on(t, h.date.date())
                assert c.named == c.named_max == h.parties, (t.short, h.date)
                if (t.short, h.date.date()) not in known:
                    signed = status.signatories_by(t.number, h.date.date())
                    assert signed == h.signatories, (t.short, h.date)


def test_untoc_complete_through_may_2024_protocols_through_jan_2018():
    assert complete_through("UNTOC") == D(2024, 5, 4)
    for p in ("TIP", "SOM", "FIREARMS"):
        assert complete_through(p) == D(2018, 1, 15)


def test_uncac_unattributed_parties_from_the_2018_header():
    cov = coverage("UNCAC", read_day("2020-12-23"))
    assert not cov.complete
    assert cov.headline.parties == 183
    # the parties the bounds require that no record names: at least the 2018 header's gap
    c = count_on("UNCAC", read_day("2020-12-23"))
    assert cov.unattributed == c.parties - c.named
    assert cov.unattributed >= 183 - count_on("UNCAC", read_day("2018-01-15")).named_max


def test_treaty_without_later_headline_has_no_upper_bound():
    cov = coverage("ROME", read_day("2020-12-23"))  # after the 2018 header, the last one
    assert cov.unattributed_max is None
    note = coverage_note(*reach("ROME", read_day("2020-12-23")))
    assert "No headline count after that day" in note
    # before the 2018 header, it bounds the count from above
    assert coverage("ROME", read_day("2017-06-30")).unattributed_max is not None


def test_peer_header_of_2018_measures_the_gap_after_the_2014_scrape():
    # the Terrorist Bombings header of Jan 2018 reads 170 parties; the 2014 table has 168
    cov = coverage("BOMBINGS", read_day("2020-12-23"))
    assert cov.complete_through < D(2018, 1, 15)
    assert cov.headline.parties == 170
    assert cov.unattributed == 170 - count_on("BOMBINGS", read_day("2018-01-15")).named_max


def test_range_dated_actions_give_lower_and_upper_counts():
    acts = curated.treaty_actions()
    tip = acts[(acts["treaty"] == "XVIII-12-a") & (acts["date_precision"] != "day")]
    day = pd.Timestamp("2020-12-23")
    straddling = ((tip["earliest"] <= day) & (tip["latest"] > day)).sum()
    assert straddling >= 1  # Nepal, known only to the year 2020
    c = count_on("TIP", day.date())
    assert c.named_max - c.named == straddling
    st = status.status("TIP", day.date())
    assert (st["status"] == "possibly_party").sum() == straddling
