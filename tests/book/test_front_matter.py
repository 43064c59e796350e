"""The landing page: the paper's argument in brief, its DOI, and a map from every one of the
paper's sections (found in the paper's text, in its order) to the book's pages that carry it."""

import re

import pytest

from palermo.data import curated
from palermo.pipeline import plan
from tests.browser import HTML
from tests.conftest import paper_text


def paper_headings() -> list[str]:
    """The paper's section headings, read from its text: a short line standing alone between
    blank lines that is not a sentence, a quotation's lead-in, the author or a figure's label."""
    lines = paper_text().split("\n")
    out = []
    for i in range(10, len(lines) - 1):
        line = lines[i].strip()
        if (
            0 < len(line) < 100
            and line[0].isupper()
            and not line.endswith((":", ".", ",", ";", "?", ")"))
            and not lines[i - 1].strip()
            and not lines[i + 1].strip()
            and not re.fullmatch(r"(Figure|Table) \d+", line)
        ):
            out.append(line)
    return out


@pytest.mark.unit
def test_the_map_has_every_section_of_the_paper_in_its_order():
    sections = [s.section for s in curated.load("sections").sections]
    headings = paper_headings()
    assert len(headings) >= 10, headings
    assert sections[0].startswith("The opening")
    assert sections[1:] == headings


@pytest.mark.unit
def test_every_page_the_map_names_is_in_the_book():
    p = plan.load()
    files = {str(plan.file_of(e).relative_to(p.base).with_suffix("")) for e in p.entries}
    for s in curated.load("sections").sections:
        assert set(s.pages) <= files, (s.section, set(s.pages) - files)


@pytest.mark.book
def test_the_landing_page_links_the_doi_and_every_section_to_its_pages():
    page = (HTML / "book" / "intro.html").read_text(encoding="utf-8")
    assert 'href="https://doi.org/10.31389/jied.90"' in page
    assert "{palermo-sections}" not in page  # the directive was replaced
    table = re.search(r"<table[^>]*palermo-sections.*?</table>", page, re.S)
    assert table, "no section map on the landing page"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S)[1:]
    assert len(rows) == len(curated.load("sections").sections)
    for row in rows:
        assert re.search(r'<a class="reference internal" href="[^"]+\.html', row), row[:200]
