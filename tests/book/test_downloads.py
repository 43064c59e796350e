"""Every chart in the book has, right under it, a CSV of exactly the data it draws, which
downloads offline (a link inside the page); and the chart's menu offers SVG and PNG export with
no link to an outside editor. Checked in headless Chromium, as a reader would click."""

import io
import json

import pandas as pd
import pytest

from palermo.render import charts
from tests.browser import HTML, pages

pytestmark = [pytest.mark.browser, pytest.mark.book]


def chart_specs(path) -> list[dict]:
    """The Vega-Lite spec of each chart on a built page, read from its script: the first
    argument of the function Altair's HTML calls."""
    text = path.read_text(encoding="utf-8")
    specs, start = [], 0
    while (i := text.find('<figure class="palermo-chart"', start)) != -1:
        j = text.index("})(", i) + 3
        spec, _ = json.JSONDecoder().raw_decode(text, j)
        specs.append(spec)
        start = j
    return specs


def chart_pages():
    return [p for p in pages() if 'class="palermo-chart"' in p.read_text(encoding="utf-8")]


def test_every_chart_page_is_found():
    assert len(chart_pages()) >= 10


def test_every_chart_links_the_csv_of_exactly_its_data(browser):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    checked = 0
    for path in chart_pages():
        page.goto(path.as_uri(), wait_until="load")
        figures = page.locator("figure.palermo-chart")
        specs = chart_specs(path)
        assert figures.count() == len(specs), path
        for n, spec in enumerate(specs):
            expected = charts.chart_data(spec)
            links = figures.nth(n).locator("a.palermo-csv")
            where = f"{path.relative_to(HTML)}, chart {n + 1} ({charts._title(spec)})"
            assert links.count() == len(expected) >= 1, where
            for k, want in enumerate(expected):
                if checked and checked % 8 == 0:  # Chromium stops a page's downloads: reload
                    page.goto(path.as_uri(), wait_until="load")
                with page.expect_download(timeout=10000) as dl:
                    links.nth(k).click()
                got = pd.read_csv(io.BytesIO(open(dl.value.path(), "rb").read()))
                assert list(got.columns) == [str(c) for c in want.columns], where
                assert len(got) == len(want), where
                # the same values, read back the way a spreadsheet would read them
                back = pd.read_csv(io.StringIO(want.to_csv(index=False)))
                pd.testing.assert_frame_equal(got, back, check_dtype=False, obj=where)
                checked += 1
    context.close()
    assert checked >= 15


def test_the_chart_menu_exports_svg_and_png_and_links_no_editor(browser):
    page = browser.new_page()
    path = HTML / "book" / "figure1" / "paper-date.html"
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_selector("figure.palermo-chart details summary")
    page.locator("figure.palermo-chart details summary").first.click()
    menu = page.locator("figure.palermo-chart details").first
    labels = [t.strip() for t in menu.locator(".vega-actions a").all_inner_texts()]
    assert any("SVG" in t for t in labels) and any("PNG" in t for t in labels), labels
    hrefs = menu.locator(".vega-actions a").evaluate_all("as => as.map(a => a.href)")
    assert not [h for h in hrefs if h.startswith("http")], hrefs
    assert not any("Editor" in t or "Source" in t for t in labels), labels
    page.close()


def test_every_table_links_the_csv_of_exactly_its_rows(browser):
    """Each table box is followed by a link that downloads its rows: as many rows, the same
    column names as the table's header."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    checked = 0
    for path in pages():
        if "palermo-table-box" not in path.read_text(encoding="utf-8"):
            continue
        page.goto(path.as_uri(), wait_until="load")
        boxes = page.locator("div.palermo-table-box")
        for n in range(boxes.count()):
            if n and n % 8 == 0:  # Chromium stops a page's downloads after ten or so: reload
                page.goto(path.as_uri(), wait_until="load")
            box = boxes.nth(n)
            where = f"{path.relative_to(HTML)}, table {n + 1}"
            link = box.locator("xpath=following-sibling::p[1]/a[@class='palermo-csv']")
            assert link.count() == 1, where
            header = [t.strip() for t in box.locator("thead th").all_inner_texts()]
            body_rows = box.locator("tbody tr:not(.claims-section)").count()
            with page.expect_download(timeout=10000) as dl:
                link.click()
            got = pd.read_csv(dl.value.path())
            assert len(got) == body_rows, where
            if "palermo-claims" not in (box.inner_html() or ""):
                assert list(got.columns) == header, where
            checked += 1
    context.close()
    assert checked >= 30, checked
