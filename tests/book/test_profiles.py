"""Every participant in the records has a profile page, reached from the country index in two
clicks (the index, then its name), offline; the plan makes one run per participant."""

import html
import re

import pytest

from palermo import config
from palermo.data import countries
from palermo.errors import UsageError
from palermo.model.coverage import count_on
from palermo.model.params import as_of as read_day
from palermo.model.participation import known, page_slug
from palermo.pipeline import plan
from tests.browser import HTML

INDEX = HTML / "book" / "countries.html"
PROFILES = HTML / "book" / "country_profile"


def _h1(path) -> str:
    m = re.search(r"<h1[^>]*>(.*?)</h1>", path.read_text(encoding="utf-8"), re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).replace("#", "").strip()
    return text.replace("\u2019", "'")  # Sphinx typesets an apostrophe


@pytest.mark.unit
def test_the_plan_runs_one_profile_per_participant_beneath_the_index():
    p = plan.load()
    profiles = [r for r in p.runs if r.notebook.name == "country_profile.ipynb"]
    names = known()
    assert len(profiles) == len(names) > 190
    assert {r.title for r in profiles} == set(names.values())
    assert {r.parameters["country"] for r in profiles} == set(names)
    for r in profiles:
        assert r.output.name == page_slug(r.parameters["country"]) + ".ipynb"
        assert r.beneath is not None and r.beneath.name == "countries.ipynb"
        assert not r.pdf
    assert all(r.pdf for r in p.runs if r.notebook.name != "country_profile.ipynb")


@pytest.mark.unit
def test_a_for_each_template_names_only_what_it_can_fill(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "notebooks").mkdir()
    from palermo import config

    (tmp_path / "notebooks" / "country_profile.ipynb").write_bytes(
        (config.NOTEBOOKS / "country_profile.ipynb").read_bytes()
    )
    p = tmp_path / "book" / "runs.yml"
    p.write_text(
        "root: book/intro\nparts: [T]\nentries:\n"
        "  - title: '{country}'\n    part: T\n    for_each: participant\n"
        "    notebook: notebooks/country_profile.ipynb\n"
        "    output: book/country_profile/{slug}.ipynb\n"
        "    parameters: {country: '{id}'}\n"
    )
    with pytest.raises(UsageError, match=r"only \{id\}, \{name\} and \{slug\}"):
        plan.load(p, root=tmp_path)
    p.write_text(p.read_text().replace("{slug}", "all"))
    with pytest.raises(UsageError, match=r"must contain \{slug\} or \{id\}"):
        plan.load(p, root=tmp_path)


@pytest.mark.book
def test_every_participant_has_a_small_profile_page_linked_from_the_index():
    page = INDEX.read_text(encoding="utf-8")
    links = dict(
        (html.unescape(re.sub(r"<[^>]+>", "", text)), href)
        for href, text in re.findall(r'<td><a href="([^"]+)">(.*?)</a></td>', page)
    )
    names = known()
    assert set(links) == set(names.values()), set(names.values()) ^ set(links)
    for pid, name in names.items():
        target = (INDEX.parent / links[name]).resolve()
        assert target == PROFILES / f"{page_slug(pid)}.html", (name, links[name])
        assert target.is_file(), f"{name}: no page at {target}"
        assert _h1(target) == name, (target, _h1(target))
        body = target.read_text(encoding="utf-8")
        # small: the Vega libraries come from _static, never inline; no print PNG
        assert len(body) < 200_000, (target, len(body))
        assert "data:image/png" not in body and "vega-local.js" in body, target


@pytest.mark.browser
def test_a_reader_finds_a_profile_by_filtering_the_index_and_clicking_it(browser):
    page = browser.new_page()
    page.goto(INDEX.as_uri(), wait_until="load")
    status = page.locator("p.palermo-filter-status")
    total = len(known())
    assert status.inner_text() == f"Showing {total} of {total} rows."
    page.get_by_label("Filter rows").fill("ital")
    assert status.inner_text() == f"Showing 1 of {total} rows."
    region = page.get_by_role("combobox", name="Region")
    region.select_option("Oceania")
    assert status.inner_text() == f"Showing 0 of {total} rows."
    page.get_by_label("Filter rows").fill("")
    n_oceania = sum(countries.region_of(pid) == "Oceania" for pid in known())
    assert status.inner_text() == f"Showing {n_oceania} of {total} rows."
    region.select_option("")
    page.get_by_label("Filter rows").fill("ITA")
    table = page.get_by_role("region", name="Every participant, by region")
    table.get_by_role("link", name="Italy", exact=True).click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/book/country_profile/italy.html")
    assert page.locator("h1").first.inner_text().replace("#", "").strip() == "Italy"
    page.close()


@pytest.mark.unit
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


@pytest.mark.unit
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
