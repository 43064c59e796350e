"""The rendered book, opened from disk in headless Chromium (Debian's /usr/bin/chromium driven
by Playwright): every page loads, every chart draws, no console error, no request leaves file://.
`make test` builds the book first (`make book`)."""

import pytest
import yaml

from palermo.config import TOC
from tests.browser import HTML, pages


@pytest.mark.book
def test_every_toc_page_was_built():
    from tests.pipeline.test_plan import toc_files

    for f in toc_files(yaml.safe_load(TOC.read_text())):
        assert (HTML / f).with_suffix(".html").is_file(), f


@pytest.mark.browser
def test_pages_draw_their_charts_offline_without_errors(browser):
    outside, problems, drawn = [], [], 0
    page = browser.new_page()

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            outside.append((page.url, r.request.url))
            r.abort()

    page.route("**/*", route)
    page.on(
        "console",
        lambda m: problems.append((page.url, m.type, m.text)) if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append((page.url, "pageerror", str(e))))
    for path in pages():
        page.goto(path.as_uri(), wait_until="load")
        figures = page.locator("figure.palermo-chart")
        n = figures.count()
        if n:
            page.wait_for_function(
                "n => document.querySelectorAll('figure.palermo-chart svg.marks').length >= n",
                arg=n,
                timeout=15000,
            )
            for i in range(n):
                assert figures.nth(i).get_attribute("aria-label"), (
                    f"{path}: chart {i} has no description"
                )
            drawn += n
    page.close()
    assert not outside, f"requests outside file://: {outside[:5]}"
    assert not problems, f"console errors: {problems[:5]}"
    assert drawn >= 4  # two charts on each Figure 1 page


@pytest.mark.browser
def test_curves_past_the_records_are_drawn_dashed_in_the_browser(browser):
    """On the latest Figure 1 the Protocols' records end in 2018 while UNTOC's are complete:
    Chromium draws the Protocols' curves after 2018 dashed and no part of UNTOC's; at the
    paper's date on the peers page, the peers' curves after 2014 are dashed too."""
    page = browser.new_page()

    def dashed_paths(rel: str) -> list[str]:
        page.goto((HTML / rel).as_uri())
        page.wait_for_selector("figure.palermo-chart svg", timeout=20000)
        page.wait_for_timeout(500)
        return page.eval_on_selector_all(
            "figure.palermo-chart svg path",
            "ps => ps.filter(p => (p.getAttribute('stroke-dasharray') || '') === '5,4')"
            ".map(p => p.getAttribute('stroke'))",
        )

    colours = __import__("palermo.data.treaties", fromlist=["colours"]).colours()
    fig = dashed_paths("book/figure1/latest.html")
    assert {colours[s] for s in ("TIP", "SOM", "FIREARMS")} <= set(fig), fig
    assert colours["UNTOC"] not in fig
    peers = dashed_paths("book/peers/paper-date.html")
    assert {colours[s] for s in ("UNCAC", "ROME", "BOMBINGS")} <= set(peers), peers
    page.close()


@pytest.mark.browser
def test_no_code_is_visible_in_the_reading_view_and_each_chapter_ends_with_its_rerun_box(browser):
    """Readers see prose, tables and charts: setup code is folded, parameters are removed, and
    the values a page ran with are in one "Rerun this chapter" box at its end."""
    from palermo.pipeline import plan

    chapters = {
        (HTML / r.output.relative_to(plan.load().base)).with_suffix(".html")
        for r in plan.load().runs
    }
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for path in pages():
        page.goto(path.as_uri(), wait_until="load")
        shown = [
            c.inner_text()[:80]
            for c in page.locator("div.cell_input, div.highlight-ipython3").all()
            if c.is_visible()
        ]
        assert not shown, f"{path.relative_to(HTML)} shows code: {shown}"
        if path in chapters:
            title = "p.admonition-title:text('Rerun this chapter')"
            boxes = page.locator(f"div.admonition:has({title})")
            assert boxes.count() == 1, path.relative_to(HTML)
            last = page.locator("article div.admonition").last
            assert "Rerun this chapter" in last.inner_text(), path.relative_to(HTML)
            assert "palermo run notebooks/" in boxes.first.inner_text()
    page.close()


@pytest.mark.book
def test_every_page_is_headed_with_its_title_in_the_navigation():
    import html
    import re


    for file, title in toc_entries(yaml.safe_load(TOC.read_text())):
        text = (HTML / file).with_suffix(".html").read_text(encoding="utf-8")
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
        heading = html.unescape(re.sub(r"<[^>]+>", "", h1.group(1))).replace("#", "").strip()
        # Sphinx typesets quotes (smartquotes): compare the words
        assert heading.replace("\u2019", "'") == title, (file, heading, title)


def toc_entries(toc: dict) -> list[tuple[str, str]]:
    """(file, title) of every titled page in a _toc.yml, sections included."""
    out = []
    for part in toc["parts"]:
        for c in part["chapters"]:
            for item in [c, *c.get("sections", [])]:
                out.append((item["file"], item["title"]))
    return out
