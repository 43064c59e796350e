"""No internals on any page (reader review 2026-12b, §3 and issue "the edition scholars cite",
§4): the text a reader sees, on every built HTML page and in the PDF, holds no claim or event
ids, theme slugs, Python values, orphaned link words, file names, tool names or notes to self,
and names the treaties as readers know them.

Code a reader is meant to type (commands, parameter values: ``<code>``, ``<pre>``), the
citation form of a claim (which names the claim's id on purpose) and the names of the CSV files
a page offers for download are not prose, and are left out of the HTML's visible text."""

from __future__ import annotations

import re
import subprocess
from functools import cache, lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from palermo.config import BUILD
from palermo.data import curated, events
from palermo.model import claims

HTML = BUILD / "html"
PDF = BUILD / "pdf" / "palermo-companion.pdf"
SKIP_TAGS = {"script", "style", "code", "pre", "template", "noscript", "head"}
SKIP_CLASSES = {"claim-cite", "palermo-csv", "headerlink", "palermo-rerun", "palermo-params"}
VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed"}


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is it skipped?
        self.out: list[str] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        cls = set((dict(attrs).get("class") or "").split())
        skip = tag in SKIP_TAGS or bool(cls & SKIP_CLASSES) or (self.stack and self.stack[-1])
        self.stack.append(bool(skip))
        if tag in ("td", "th") and not skip:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in VOID or not self.stack:
            return
        self.stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None
        self.out.append(" ")

    def handle_data(self, data):
        if self.stack and self.stack[-1]:
            return
        self.out.append(data)
        if self._cell is not None:
            self._cell.append(data)


@cache
def visible(page: Path) -> tuple[str, tuple[str, ...]]:
    """(the page's visible text, its table cells' texts)."""
    p = _Visible()
    p.feed(page.read_text(encoding="utf-8"))
    return " ".join("".join(p.out).split()), tuple(p.cells)


def pages() -> list[Path]:
    if not HTML.is_dir():
        return []
    return sorted(
        p
        for p in (HTML / "book").rglob("*.html")
        if "_static" not in p.parts and "_sources" not in p.parts
    ) + [HTML / "index.html"]


@lru_cache(maxsize=1)
def pdf_text() -> str:
    out = subprocess.run(["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True)
    return " ".join(out.stdout.split())


def ids() -> set[str]:
    """Claim and event ids that could not be mistaken for words (they carry a hyphen)."""
    out = {c.id for c in claims.ledger()} | set(events.load()["id"])
    return {i for i in out if "-" in i}


THEME_SLUGS = {k for k in curated.load("codebook").themes if "-" in k}
NOTES_TO_SELF = re.compile(
    r"\bthe brief'?s?\b|\bfind_string\b|\bPROVENANCE\b|\bTODO\b|\bFIXME\b"
    r"|\bchronology-research\b|\blater-actions\b|\b_config\.yml\b",
)
FILE_NAME = re.compile(r"\b[\w-]+\.(?:md|yml|yaml|py|ipynb)\b")
# a sentence begun by the words a file reference is rewritten into: its link text was lost
ORPHAN = re.compile(
    r"\. (?:the notes on the text|the chronology|the claims ledger|the argument map)[ .(]"
)
SHORT_IDS = re.compile(r"\b(?:DRUGS1988|BOMBINGS|FINANCING|FIREARMS|CYBERCRIME)\b")
PYTHON_VALUES = {"True", "False", "None", "nan", "NaN", "NaT", "<NA>"}


def faults(text: str, cells: tuple[str, ...] = ()) -> list[str]:
    found = []
    for i in ids():
        if re.search(rf"(?<![\w/#-]){re.escape(i)}(?![\w-])", text):
            found.append(f"id {i!r}")
    for slug in THEME_SLUGS:
        # a slug of two words ("civil-society") is also an English compound: it is a slug in a
        # list of slugs or a cell of its own; a longer one is a slug anywhere
        alone = slug.count("-") > 1 or slug in cells
        if re.search(rf"(?<![\w-]){re.escape(slug)}(?![\w-])", text) and alone:
            found.append(f"theme slug {slug!r}")
        elif re.search(rf"(?:;\s*{re.escape(slug)}|{re.escape(slug)};)", text):
            found.append(f"theme slug {slug!r}")
    found += [f"note to self {m!r}" for m in NOTES_TO_SELF.findall(text)]
    found += [f"file name {m!r}" for m in FILE_NAME.findall(text)]
    found += [f"orphaned link words {m!r}" for m in ORPHAN.findall(text)]
    found += [f"short treaty id {m!r}" for m in SHORT_IDS.findall(text)]
    found += [f"Python value in a cell {c!r}" for c in cells if c in PYTHON_VALUES]
    return sorted(set(found))


@pytest.mark.unit
def test_the_check_finds_each_kind_of_fault():
    planted = (
        "Refers to 1991. the notes on the text (see ahc-formalised-december-1998). "
        "Themes: italy-us-leadership. Per the brief's list and PROVENANCE.md, "
        "the records of DRUGS1988 end."
    )
    got = " ".join(faults(planted, ("True",)))
    for kind in (
        "orphaned link words",
        "id 'ahc-formalised-december-1998'",
        "theme slug",
        "note to self",
        "file name 'PROVENANCE.md'",
        "short treaty id",
        "Python value",
    ):
        assert kind in got, kind
    assert faults("The Ad Hoc Committee met in Vienna in 1999; see the chronology.") == []


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(HTML)))
def test_no_internals_on_a_web_page(page):
    text, cells = visible(page)
    assert not faults(text, cells)


def test_no_internals_in_the_pdf():
    """The PDF's text, all of it: its appendix on rerunning the book prints commands as code,
    which pdftotext cannot tell from prose, so the check there is on the notes to self, file
    names of the project's notes, ids, slugs and Python values."""
    # a claim's citation form names its id on purpose (the web page leaves it out as well)
    text = re.sub(r"The Palermo companion, claim [\w-]+", "", pdf_text())
    assert len(text) < len(pdf_text()), "the ledger's citation forms are gone from the PDF"
    got = [f for f in faults(text) if not f.startswith(("file name", "short treaty id"))]
    assert not got
