"""The chapter "The road to review" (palermo.chapters.road_to_review): the Conferences of
the Parties, their counts from the records and what each decided about review."""

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
