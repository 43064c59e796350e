"""What a reader sees carries no developer residue (issue 23, section 4): no missing-value
markers in any table cell, none of the records' raw codes and no curated file names or row ids in
the text of a chapter. Data and methods, the chapter for researchers, may name files."""

import re
from html.parser import HTMLParser

import pytest

from palermo import config
from palermo.render.tables import CODE_WORDS

BOOK_HTML = config.BUILD / "html"

pytestmark = pytest.mark.book

VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "source", "col", "area", "base"}
CURATED = (
    r"(?:events|treaty_actions|claims|corrections|explanations|interviews|people|leads|"
    r"party_counts|paper_counts|glossary|codebook|convention|sections|eras|naples|treaties)"
)
RESIDUE = re.compile(
    rf"\b{CURATED}\.(?:csv|yml)\b|\b[\w/-]*(?:research|later-actions)[\w-]*\.md\b|"
    rf"\b(?:{'|'.join(map(re.escape, CODE_WORDS))})\b"
)


class Reader(HTMLParser):
    """The text a reader sees (no code, scripts or navigation) and every table cell's text."""

    def __init__(self):
        super().__init__()
        self.stack, self.hidden, self.text, self.cells, self.cell = [], 0, [], [], None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        cls = dict(attrs).get("class") or ""
        hide = tag in ("script", "style", "nav") or "cell_input" in cls or "bd-sidebar" in cls
        self.stack.append((tag, hide))
        self.hidden += hide
        if tag == "td":
            self.cell = []

    def handle_endtag(self, tag):
        if tag in VOID or not self.stack:
            return
        _, hide = self.stack.pop()
        self.hidden -= hide
        if tag == "td" and self.cell is not None:
            self.cells.append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.hidden:
            return
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)


def pages():
    return sorted((BOOK_HTML / "book").rglob("*.html"))


def read(page):
    r = Reader()
    r.feed(page.read_text(encoding="utf-8"))
    return " ".join(r.text), r.cells


def test_no_table_cell_prints_a_missing_value_marker():
    bad = {}
    for page in pages():
        _, cells = read(page)
        hits = [c for c in cells if c in {"None", "<NA>", "nan", "NaN", "NaT"}]
        if hits:
            bad[str(page.relative_to(BOOK_HTML))] = len(hits)
    assert not bad, bad


def test_no_chapter_names_a_curated_file_or_prints_a_raw_code():
    bad = {}
    for page in pages():
        # the appendices that list the inputs by their files
        if page.stem in ("data_and_methods", "provenance"):
            continue
        text, _ = read(page)
        hits = sorted({m.group(0) for m in RESIDUE.finditer(text)})
        if hits:
            bad[str(page.relative_to(BOOK_HTML))] = hits[:5]
    assert not bad, bad
