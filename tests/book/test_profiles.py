"""Every participant in the records has a profile page, reached from the country index in two
clicks (the index, then its name), offline. (The plan's one run per participant:
tests/pipeline/test_plan.py; the index's rows: tests/chapters/test_countries.py.)"""

import html
import re

import pytest

from palermo.data import countries
from palermo.model.participation import known, page_slug
from tests.browser import HTML

INDEX = HTML / "book" / "countries.html"
PROFILES = HTML / "book" / "country_profile"


def _h1(path) -> str:
    m = re.search(r"<h1[^>]*>(.*?)</h1>", path.read_text(encoding="utf-8"), re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).replace("#", "").strip()
    return text.replace("\u2019", "'")  # Sphinx typesets an apostrophe


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
