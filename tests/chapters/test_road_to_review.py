"""The chapter "The road to review" (palermo.chapters.road_to_review): the Conferences of
the Parties, their counts from the records and what each decided about review."""

import datetime as dt
import re

import pytest

from palermo import config
from palermo.chapters import road_to_review
from palermo.data import events
from palermo.model.coverage import count_on
from palermo.model.params import as_of as read_day
from palermo.render import text

pytestmark = pytest.mark.unit


def notebook(name: str) -> str:
    return (config.NOTEBOOKS / f"{name}.md").read_text(encoding="utf-8")


# C1, C2: the parties at each COP come from the records, never typed
@pytest.mark.review("reader-2026-12", "C1", "C2")
def test_cop_parties_are_counted_from_the_records():
    c = road_to_review.cops().set_index("session")
    col = "UNTOC parties at the opening"
    assert (
        c.loc[7, col] == text.count(count_on("UNTOC", read_day("2014-10-06")), short=True) == "182"
    )
    ev = events.load()
    cop_text = " ".join(ev[ev["id"].str.fullmatch(r"cop\d+")]["event"])
    # attendance ("57 States parties took part") is not a count of parties
    typed = re.search(r"Parties( at the time)?:|\d+ (States )?parties(?! took part)", cop_text)
    assert not typed, cop_text


# regional medians say n, and too few States is not a regional figure
@pytest.mark.review("reader-2026-12", "E12")
def test_the_cop_table_says_what_each_session_decided_about_review_or_that_it_cannot():
    c = road_to_review.cops().set_index("session")
    assert "res. 9/1" in c.loc[9, "on review"] and "4/1" in c.loc[4, "on review"]
    assert c.loc[11, "on review"] == road_to_review.NO_REVIEW_ENTRY
    assert c.loc[11, "what else the sources record"]
    assert not c.loc[9, "what else the sources record"]
    # COP5, COP7 and COP8 concerned review (reader review 2026-12b, G12): not "nothing"
    assert all(c.loc[n, "on review"] != road_to_review.NO_REVIEW_ENTRY for n in (5, 7, 8))
    assert "does not mean the session decided nothing" in " ".join(
        notebook("road_to_review").split()
    )


def test_years_to_review_from_the_records():
    """UNTOC: entry into force 2003, mechanism 2018; UNCAC: 2005, 2009 (the paper and the
    chronology)."""
    ytr = road_to_review.years_to_review().set_index("instrument")
    assert ytr.loc["UNTOC", "years"] == 15 and ytr.loc["UNCAC", "years"] == 4
    assert ytr.loc["UNTOC", "entry into force"] == dt.date(2003, 9, 29)  # a date, not text
    assert ytr.loc["UNTOC", "exact years"] > 3 * ytr.loc["UNCAC", "exact years"]


def test_the_review_pages_agree_on_which_sessions_concerned_review():
    """The road to review's "On review" column and the chronology's review row pick the same
    sessions, and nothing outside review (the IACA agreement) sits in that column."""
    c = road_to_review.cops()
    on_review = set(c.loc[c["on review"] != road_to_review.NO_REVIEW_ENTRY, "session"])
    cops = events.sessions("cop")
    filed = set(cops.loc[cops["category"] == "review mechanism", "session"])
    assert on_review == filed
    assert not c["on review"].str.contains("Anti-Corruption Academy").any()
    iaca = events.event("iaca-2008")
    assert "INTERPOL and UNODC" in iaca["event"] and "2 Sep 2010" in iaca["event"]


def test_the_road_to_review_never_prints_a_ratio_beside_a_duration_of_the_same_digits():
    """Issue 11: '3.9 years ... 3.9 times as long' read as a glitch."""
    from palermo.chapters import road_to_review

    f = road_to_review.facts({})
    assert f["ratio_text"].startswith("about ") and f["ratio_text"].endswith("times as long")
    assert f"{f['uncac_years']:.1f}" not in f["ratio_text"]
    assert f["uncac_years_text"] == text.years(f["uncac_years"])
