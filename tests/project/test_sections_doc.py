"""The map from the paper's sections to the book's pages (data/curated/sections.yml): every
section of the paper, found in its text, in its order, and every page it names in the book."""

import re

import pytest

from palermo.data import curated
from palermo.pipeline import plan
from tests.conftest import paper_text

pytestmark = pytest.mark.unit


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


def test_the_map_has_every_section_of_the_paper_in_its_order():
    sections = [s.section for s in curated.load("sections").sections]
    headings = paper_headings()
    assert len(headings) >= 10, headings
    assert sections[0].startswith("The opening")
    assert sections[1:] == headings


def test_every_page_the_map_names_is_in_the_book():
    p = plan.load()
    files = {str(plan.file_of(e).relative_to(p.base).with_suffix("")) for e in p.entries}
    for s in curated.load("sections").sections:
        assert set(s.pages) <= files, (s.section, set(s.pages) - files)
