"""The built landing page: the paper's DOI, and the map from every one of the paper's sections
to the book's pages that carry it (the map itself against the paper's text:
tests/project/test_sections_doc.py)."""

import re

import pytest

from palermo.data import curated
from tests.browser import HTML


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
