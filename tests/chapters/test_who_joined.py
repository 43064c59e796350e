"""The chapter "Who joined, and when" (palermo.chapters.who_joined): the map, the status
table and the States the paper names."""

import datetime as dt

import pytest

from palermo.chapters import who_joined
from palermo.data import curated
from palermo.model.participation import known
from tests.conftest import NOT_UN

pytestmark = pytest.mark.unit


PAPER_DATE = dt.date(2020, 12, 23)


# profiles: whole-word names; the countries and people the paper names
@pytest.mark.review("reader-2026-12", "§5")
def test_who_joined_keeps_to_the_states_named_for_joining():
    from palermo.chapters import who_joined

    ps = who_joined.paper_states("UNTOC", PAPER_DATE)
    assert "Mexico" not in set(ps["name"]) and "Monaco" in set(ps["name"])


# G13: Monaco and Poland, each with the sections that name it
@pytest.mark.review("reader-2026-12b", "G13")
def test_monaco_and_poland_each_carry_the_sections_that_name_them():
    ps = who_joined.paper_states("UNTOC", PAPER_DATE).set_index("name")
    section = "paper's section"
    assert ps.loc["Monaco", section] == "Evaluating Progress, or Lack Thereof"
    assert ps.loc["Poland", section] == (
        "Background to the Convention; The Role of Political Leadership"
    )
    assert ps.loc["Monaco", "group"] == ps.loc["Poland", "group"] == "first movers"
    # every section named is one of the paper's headings
    headings = {s.section for s in curated.load("sections").sections}
    for g in curated.load("paper_states").groups:
        assert set(g.section.split("; ")) <= headings, g.id


PAPER = dt.date(2020, 12, 23)


# participants
@pytest.mark.review("reader-2026-12b", "D9")
def test_the_arms_exporters_carry_the_un_names():
    names = known()
    ex = curated.load("arms_exporters")
    for r in ex.itertuples():
        assert r.name == names[r.participant], r
    shown = who_joined.arms_exporters(PAPER)["exporter"]
    assert list(shown) == [names[p] for p in ex["participant"]]
    assert not [n for n in shown if NOT_UN.search(n)]
