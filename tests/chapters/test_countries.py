"""The country index (palermo.chapters.countries): each participant's standing on the day,
linked to its profile."""

import datetime as dt

import pytest

from palermo import config
from palermo.chapters import countries
from palermo.data import treaties
from palermo.model.coverage import complete_through, count_on
from palermo.model.params import as_of as read_day
from palermo.model.participation import known, page_slug
from palermo.pipeline import plan

pytestmark = pytest.mark.unit


def test_the_index_gives_each_participants_standing_on_the_day():
    from palermo.chapters import countries as chapter

    idx = chapter.index(read_day("2020-12-23")).set_index("ISO code")
    assert idx.loc["ITA", "UNTOC"] == "party since 2006-08-02"
    # the paper: the US never signed it; the records end in 2018, so the last known status
    assert idx.loc["USA", "FIREARMS"] == "none — last record 2018-01-15"
    assert idx.loc["EUU", "region"] == "Regional organization (EU)"
    f = chapter.facts({"as_of": read_day("2020-12-23")})
    assert f["n_untoc_parties"] == count_on("UNTOC", read_day("2020-12-23")).named == 190
    assert f["n_participants"] == len(known())
    # on another day the same code gives that day's standing
    early = chapter.index(read_day("2003-01-01")).set_index("ISO code")
    assert early.loc["ITA", "UNTOC"] == "signatory since 2000-12-12"
    assert (
        chapter.facts({"as_of": read_day("2003-01-01")})["n_untoc_parties"]
        == count_on("UNTOC", read_day("2003-01-01")).named
    )


def test_the_index_links_each_name_to_the_profile_the_plan_writes():
    from palermo.chapters import countries as chapter

    idx = chapter.index(read_day("2020-12-23"))
    links = chapter.profile_links(idx)["participant"]
    assert len(links) == len(idx)
    outputs = {
        r.output.with_suffix(".html").relative_to(config.ROOT / "book").as_posix()
        for r in plan.load().runs
        if "country_profile" in r.output.parts
    }
    assert set(links) == outputs
    italy = links[list(idx["ISO code"]).index("ITA")]
    assert italy == f"country_profile/{page_slug('ITA')}.html"


PAPER = dt.date(2020, 12, 23)


def test_the_countries_index_says_how_far_each_instrument_reaches():
    idx = countries.index(PAPER)
    for t in treaties.group("convention"):
        short = treaties.resolve(t).short
        through = complete_through(t)
        if through < PAPER:
            short_of = ~idx[short].str.startswith(("party", "withdrawn"))
            assert idx.loc[short_of, short].str.endswith(f"last record {through}").all()
    lines = countries.coverage_lines(PAPER)
    assert len(lines) == len(treaties.group("convention"))
    assert any("2020-12-23 is later" in line for line in lines)
    assert {p for p in known()} >= set(idx["ISO code"])
