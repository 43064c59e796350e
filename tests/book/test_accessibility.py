"""Every built page passes axe-core's WCAG 2 A and AA rules in Chromium: axe-core 4.14.1 (npm,
pinned by sha256, installed by the Makefile into .npm-data) is injected into each page opened
from disk, and any violation fails the test naming the page, the rule and the element."""

import hashlib
import json

import pytest

from palermo import config
from tests.browser import HTML, pages

pytestmark = [pytest.mark.browser, pytest.mark.book]

AXE = config.ROOT / ".npm-data" / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
RULES = ["wcag2a", "wcag2aa"]
CHARTS_DRAWN = (
    "() => document.readyState === 'complete' && "
    "[...document.querySelectorAll('figure.palermo-chart')]"
    ".every(f => f.querySelector('svg') && f.querySelector('details > summary'))"
)


def redirect(path) -> bool:
    """Jupyter Book's root index.html only sends the reader on to the first page (checked
    itself); while it does, the browser is between two pages and axe would see neither."""
    return 'http-equiv="Refresh"' in path.read_text(encoding="utf-8")[:2000]


def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `make test` (it installs it with npm)")
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256, f"{AXE} is not axe-core {AXE_VERSION}"
    return data.decode("utf-8")


def violations(page, html: str | None = None) -> list[dict]:
    """axe-core's WCAG 2 A/AA violations on the page now open (or on `html`, set as its content),
    as {rule, impact, help, targets}."""
    if html is not None:
        page.set_content(html)
    page.add_script_tag(content=axe_source())
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))",
        RULES,
    )
    return found


def test_axe_finds_a_violation_when_there_is_one(browser):
    """The check can fail: a scrolling table nobody can reach by keyboard, an image with no
    alternative text."""
    page = browser.new_page()
    bad = (
        "<html lang='en'><head><title>t</title></head><body><main>"
        "<div style='overflow:auto;width:50px;height:30px'><table><tr>"
        + "<td>long cell text</td>" * 20
        + "</tr></table></div><img src='x.png'></main></body></html>"
    )
    rules = {v["rule"] for v in violations(page, bad)}
    assert {"scrollable-region-focusable", "image-alt"} <= rules, rules
    page.close()


def test_every_page_has_no_wcag_2_a_or_aa_violation(browser):
    every = [p for p in pages(everything=True) if not redirect(p)]
    assert len(every) >= 20, every
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    failures = {}
    for path in every:
        page.goto(path.as_uri(), wait_until="load")
        # charts (and their menus) are drawn by script after load: check them drawn
        page.wait_for_function(CHARTS_DRAWN, timeout=15000)
        found = violations(page)
        if found:
            failures[str(path.relative_to(HTML))] = found
    page.close()
    assert not failures, json.dumps(failures, indent=1)


def test_every_chart_is_named_by_its_description_and_keeps_its_data_beside_it(browser):
    from tests.book.test_downloads import chart_pages, chart_specs

    page = browser.new_page()
    for path in chart_pages():
        page.goto(path.as_uri(), wait_until="load")
        figures = page.locator("figure.palermo-chart")
        for n, spec in enumerate(chart_specs(path)):
            fig = figures.nth(n)
            name = fig.get_attribute("aria-label") or ""
            assert spec["description"] in name, (path.name, n, name)
            assert fig.locator("figcaption a.palermo-csv").count() >= 1, (path.name, n)
    page.close()


def test_a_chart_does_not_trap_keyboard_focus(browser):
    """Tab from a chart's export menu reaches what follows the chart, and Shift+Tab what comes
    before it."""
    page = browser.new_page()
    page.goto((HTML / "book" / "figure1" / "paper-date.html").as_uri(), wait_until="load")
    page.wait_for_selector("figure.palermo-chart details summary")
    inside = "() => !!document.activeElement.closest('figure.palermo-chart')"
    for key in ("Tab", "Shift+Tab"):
        page.locator("figure.palermo-chart details summary").first.focus()
        assert page.evaluate(inside)
        for _ in range(6):  # the menu, then the CSV links under the chart
            page.keyboard.press(key)
            if not page.evaluate(inside):
                break
        assert not page.evaluate(inside), f"{key} does not leave the chart"
    page.close()
