"""Issue 39 §1, in the built book: every chart and table has its line and its record, a
page's zip gives the rows its own links give, and the deposit leaves the page zips out."""

import hashlib
import json
import re
import zipfile
from html import unescape
from pathlib import Path

import nbformat
import pytest

from palermo import config
from palermo.pipeline import provenance, replication

HTML = config.BUILD / "html"


def _built_pages() -> list[Path]:
    """Every chapter page but the profiles, and one profile."""
    pages = sorted(p for p in (HTML / "book").rglob("*.html") if "country_profile" not in p.parts)
    return pages + sorted((HTML / "book" / "country_profile").glob("*.html"))[:1]


_EXHIBIT = re.compile(r'<figure class="palermo-chart"|<div class="palermo-table-box')


_LINE = re.compile(r'<div class="palermo-provenance docutils container">\s*(.*?)</div>', re.S)


# the built book
@pytest.mark.book
def test_a_page_s_zip_gives_the_rows_its_own_links_give():
    page = HTML / "book" / "figure1" / "paper-date.html"
    text = page.read_text(encoding="utf-8")
    m = re.search(r'href="([^"]*_downloads/[^"]*/figure1--paper-date\.zip)"', text)
    assert m, "the page links its zip"
    zip_path = (page.parent / m[1]).resolve()
    offered = {
        hashlib.sha256(rows).hexdigest()
        for _, _, csvs in provenance.output_exhibits(text)
        for _, rows in csvs
    }
    with zipfile.ZipFile(zip_path) as z:
        data = {hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if "/data/" in n}
        nb = json.loads(z.read("figure1--paper-date/paper-date.ipynb"))
    assert offered and data == offered
    assert nb["metadata"]["palermo"]["parameters"]["as_of"] == "2020-12-23"


@pytest.mark.book
def test_every_chart_and_table_of_the_book_has_its_line_and_its_record():
    record_page = (HTML / "book" / "provenance.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'id="(prov-[^"]+)"', record_page))
    checked = 0
    for page in _built_pages():
        text = page.read_text(encoding="utf-8")
        exhibits = len(_EXHIBIT.findall(text))
        lines = [
            p for block in _LINE.findall(text) for p in re.findall(r"<p>(.*?)</p>", block, re.S)
        ]
        assert len(lines) == exhibits, (page, len(lines), exhibits)
        for line in lines:
            words = re.sub(r"<[^>]+>", "", unescape(line))
            m = re.search(r"made by cell (\d+) of (notebooks/\S+\.ipynb)", words)
            assert m, (page, words)
            cell = int(m[1])
            source = nbformat.read(str(config.ROOT / m[2]), as_version=4).cells[cell - 1]
            assert source.cell_type == "code" and (
                "show" in source.source or "bundle" in source.source
            )
            assert "edition " in words and "this edition" not in words, words  # filled in
            href = re.search(r'href="([^"]*provenance\.html#(prov-[^"]+))"', line)
            assert href and href[2] in anchors, (page, line)
            checked += 1
    assert checked > 50


@pytest.mark.book
def test_the_deposit_leaves_the_page_zips_out_and_still_holds_their_notebooks():
    files = dict((name, path) for name, path in replication._built_html())
    assert not [n for n in files if n.endswith(".zip")]
    assert (HTML / "_downloads").is_dir() and list((HTML / "_downloads").rglob("*.zip"))
