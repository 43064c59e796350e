"""The pages at a laptop's width (1,280 px), in Chromium: nothing makes the page itself scroll
sideways; a table wider than the text column scrolls inside its own labelled box, and ordinary
tables fit the column."""

import pytest

from tests.book.test_accessibility import redirect
from tests.browser import HTML, pages

pytestmark = pytest.mark.browser

WIDTH = 1280
# a table box may scroll inside itself by at most this much before it counts as not fitting
SLACK = 2

MEASURE = """() => {
  const doc = document.documentElement;
  const outside = [];
  document.querySelectorAll('article *').forEach(el => {
    if (el.closest('.palermo-table-box, .vega-embed, pre, .highlight')) return;
    const r = el.getBoundingClientRect();
    const main = document.querySelector('article').getBoundingClientRect();
    if (r.width > 0 && r.right > main.right + 4) outside.push(el.tagName + '.' + el.className);
  });
  const boxes = [...document.querySelectorAll('.palermo-table-box')].map(b => ({
    label: b.getAttribute('aria-label'),
    over: b.scrollWidth - b.clientWidth,
    rows: b.querySelectorAll('tbody tr').length,
    cols: b.querySelectorAll('thead th').length,
  }));
  return {page: doc.scrollWidth - doc.clientWidth, outside: outside.slice(0, 5), boxes};
}"""


def measure(browser):
    page = browser.new_page(viewport={"width": WIDTH, "height": 900})
    out = {}
    for path in pages():
        if redirect(path):
            continue  # Jupyter Book's redirect to the first page, checked there
        page.goto(path.as_uri(), wait_until="load")
        out[str(path.relative_to(HTML))] = page.evaluate(MEASURE)
    page.close()
    return out


@pytest.fixture(scope="module")
def layout(browser):
    return measure(browser)


def test_no_page_scrolls_sideways_at_1280(layout):
    wide = {p: m["page"] for p, m in layout.items() if m["page"] > 0}
    assert not wide, f"pages wider than the window at {WIDTH} px: {wide}"


def test_nothing_but_a_table_box_or_chart_runs_past_the_text_column(layout):
    past = {p: m["outside"] for p, m in layout.items() if m["outside"]}
    assert not past, past


def test_ordinary_tables_fit_the_column_at_1280(layout):
    """A table of up to six columns fits the text column; a wider one may scroll in its box."""
    wide = [
        (p, b["label"], b["cols"], b["over"])
        for p, m in layout.items()
        for b in m["boxes"]
        if b["cols"] <= 6 and b["over"] > SLACK
    ]
    assert not wide, wide
