"""A treaty's participants (palermo.model.participation): its universe, the summary and a
participant across treaties, regional curves and shares."""

import datetime as dt

import pytest

from palermo import config
from palermo.data import countries, treaties
from palermo.errors import UsageError
from palermo.model import merge, participation, status
from palermo.model.coverage import count_on
from palermo.model.params import as_of as read_day
from palermo.model.participation import known, page_slug
from tests.conftest import NOT_UN

pytestmark = pytest.mark.unit


# regional medians say n, and too few States is not a regional figure
@pytest.mark.review("reader-2026-12", "finding 1")
def test_status_names_every_party_the_2018_header_implies_or_lists_why_not():
    """`palermo status UNCAC --as-of 2018-01-15 --json`: the named parties and the unnamed
    ones add up to the header's count, and each unnamed one comes with the leads that were
    followed and why none is counted."""
    from palermo.model.participation import summary

    s = summary("DRUGS1988", dt.date(2018, 1, 15))
    u = s.unattributed_parties
    assert s.count.named + u.parties == s.coverage.headline.parties == s.count.parties
    assert u.reason and u.candidates
    named = {c.participant for c in u.candidates}
    assert "State of Palestine" in named and "Palau" not in named  # Palau is counted, from a row
    assert all(c.confidence and c.source for c in u.candidates)
    assert summary("DRUGS1988", dt.date(2014, 7, 10)).unattributed_parties is None  # complete
    # UNCAC's four unnamed of 2018 are curated rows now: the header's count is all named
    s = summary("UNCAC", dt.date(2018, 1, 15))
    assert s.count.named == s.count.parties == 183 and s.unattributed_parties is None
    # the JSON `palermo status --json` prints keeps its keys
    d = summary("DRUGS1988", dt.date(2018, 1, 15)).as_dict()
    assert d["named"] + d["unattributed_parties"]["parties"] == d["parties"]
    assert d["unattributed_parties"]["candidates"][0].keys() == {
        "participant",
        "found",
        "confidence",
        "source",
    }


# participants
@pytest.mark.review("reader-2026-12b", "C11", "D9")
def test_every_participant_is_named_as_the_un_names_it():
    names = known()
    assert not [n for n in names.values() if NOT_UN.search(n)]
    assert names["LCA"] == "Saint Lucia"
    assert names["KNA"] == "Saint Kitts and Nevis"
    assert names["VCT"] == "Saint Vincent and the Grenadines"
    assert names["USA"] == "United States of America"
    assert names["RUS"] == "Russian Federation"
    assert names["KOR"] == "Republic of Korea"
    # the data layer's names are the ones every page shows: the records' own names carry them
    assert merge.load().names["LCA"] == "Saint Lucia"


@pytest.mark.review("reader-2026-12b", "D9")
def test_profile_pages_are_named_after_the_un_names():
    assert page_slug("LCA") == "saint-lucia"
    assert page_slug("KNA") == "saint-kitts-and-nevis"
    assert page_slug("VCT") == "saint-vincent-and-the-grenadines"
    toc = config.TOC.read_text(encoding="utf-8")
    assert "book/country_profile/saint-lucia" in toc and "title: Saint Lucia" in toc
    assert "st-lucia" not in toc and "St. " not in toc


DAY = read_day("2020-12-23")


def test_regional_curves_end_at_the_party_count():
    curves = participation.regional_curves("UNTOC", DAY)
    assert curves.groupby("region")["parties"].max().sum() == count_on("UNTOC", DAY).named
    sub = participation.regional_curves("UNTOC", DAY, "m49_subregion")
    assert sub["region"].nunique() > curves["region"].nunique()


def test_regional_shares_divide_member_parties_by_the_regions_member_states():
    shares = participation.regional_shares("UNTOC", DAY)
    last = shares.groupby("region").last()
    assert (last["share"] <= 1).all() and (last["share"] > 0.5).all()
    members = countries.members_on(DAY)
    assert last["states"].sum() == len(members)  # every Member State in one region
    assert (last["share"] == last["parties"] / last["states"]).all()
    # the European Union is a party but not a Member State: left out of the shares
    every = participation.regional_curves("UNTOC", DAY).groupby("region")["parties"].last()
    assert last["parties"].sum() < every.sum()


D = dt.date


# coverage, ranges, headline counts
def test_participant_across_treaties():
    p = participation.participant("Türkiye", read_day("2020-12-23"))
    assert p.id == "TUR" and len(p.treaties) == len(treaties.with_records())
    assert p.as_dict()["treaties"][0]["complete_through"] == str(p.treaties[0].complete_through)
    with pytest.raises(UsageError, match="closest"):
        participation.participant("Itly")


def test_a_treatys_universe_is_its_records_and_every_member_state_once():
    from palermo.data import countries as c

    ids = participation.universe("FIREARMS")
    assert len(ids) == len(set(ids))
    assert set(c.members()["participant_id"]) <= set(ids)
    assert set(status.table("XVIII-12-c")["participant_id"]) <= set(ids)
    st = participation.status_over_universe("FIREARMS", D(2020, 12, 23))
    assert sorted(st["participant_id"]) == ids
    outside = st[~st["participant_id"].isin(status.table("XVIII-12-c")["participant_id"])]
    assert len(outside) and (outside["status"] == "none").all() and outside["name"].notna().all()
