"""The chapter "Who joined, and when" (palermo.chapters.who_joined): the map, the status
table and the States the paper names."""

import datetime as dt

import pandas as pd
import pytest
import yaml

from palermo.chapters import who_joined
from palermo.config import ROOT
from palermo.data import countries, curated
from palermo.model.params import as_of as read_day
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


DAY = read_day("2020-12-23")


def test_no_party_disappears_from_the_map():
    table = who_joined.status_table("UNTOC", DAY)
    off = who_joined.not_on_map(table)
    parties = table[table["status"] == "party"]
    on_map = parties["on_map"].sum()
    assert on_map + (off["status"] == "party").sum() == len(parties)
    assert {"European Union", "Monaco", "Palau"} <= set(off["name"])


def test_every_un_member_is_on_the_status_table():
    table = who_joined.status_table("FIREARMS", DAY)
    assert set(countries.members()["participant_id"]) <= set(table["participant_id"])


def test_paper_states_and_their_order():
    ps = who_joined.paper_states("UNTOC", DAY).set_index("name")
    assert ps.loc["Monaco", "party number"] == 1
    assert ps.loc["Italy", "consent"] == "2006-08-02"
    groups = yaml.safe_load((ROOT / "data" / "curated" / "paper_states.yml").read_text())["groups"]
    assert all(g["source"] and g["section"] for g in groups)


def test_arms_exporters_are_sourced_and_have_a_status():
    ex = pd.read_csv(ROOT / "data" / "curated" / "arms_exporters.csv")
    assert ex["source"].str.len().gt(20).all() and ex["rank"].is_monotonic_increasing
    a = who_joined.arms_exporters(DAY).set_index("exporter")
    # each exporter under the UN's name, as on every other page (reader review 3, D9)
    assert a.loc["United Kingdom of Great Britain and Northern Ireland", "status"] == (
        "signatory only"
    )
    assert a.loc["United States of America", "status"] == "no action"


def test_map_chart_has_title_description_and_inline_geometry():
    table = who_joined.status_table("UNTOC", DAY)
    spec = who_joined.map_chart(table, "UNTOC", DAY).to_dict()
    assert spec["description"] and spec["title"]
    assert spec["data"]["format"]["type"] == "topojson"
    # the geometry travels with the chart
    assert "countries" in spec["datasets"][spec["data"]["name"]]["objects"]
