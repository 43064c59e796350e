"""Issue 39 §1: under every chart and table a line names the notebook cell and function that
made it and links to its run's record; the page of records gives every input's sha256; each
page downloads as one zip with its notebook and the CSVs behind its exhibits."""

import hashlib
import io
import json
import re
import zipfile
from html import unescape
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from palermo import config
from palermo.pipeline import provenance, replication
from palermo.pipeline.plan import Run
from palermo.render import charts, tables

HTML = config.BUILD / "html"


def _table_output(df: pd.DataFrame, name: str | None = None) -> dict:
    return nbformat.v4.new_output(
        "display_data", data=tables.mimebundle(df, name) | {"text/plain": "t"}
    )


def _chart_output(df: pd.DataFrame) -> dict:
    import altair as alt

    chart = (
        alt.Chart(df, title="Parties by year", description="Bars, one per year.")
        .mark_bar()
        .encode(x="year:O", y="n:Q")
    )
    return nbformat.v4.new_output("display_data", data={"text/html": charts.to_html(chart)})


DF = pd.DataFrame({"year": [2000, 2001], "n": [3, 5]})


@pytest.mark.unit
def test_an_output_s_exhibits_are_read_with_their_names_and_the_rows_they_offer():
    out = provenance.output_exhibits(_table_output(DF, "Parties by year")["data"]["text/html"])
    assert [(k, n) for k, n, _ in out] == [("table", "Parties by year")]
    (_, rows), *_ = out[0][2]
    assert pd.read_csv(io.BytesIO(rows)).to_numpy().tolist() == DF.to_numpy().tolist()
    chart = provenance.output_exhibits(_chart_output(DF)["data"]["text/html"])
    assert [(k, n) for k, n, _ in chart] == [("chart", "Parties by year")]
    assert pd.read_csv(io.BytesIO(chart[0][2][0][1])).equals(DF)
    # a table named by its columns only reads as such
    ex = provenance.Exhibit(1, "table", tables.label_of(DF), ())
    assert ex.label == "Table (year, n)"


def _source(tmp_path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A chapter"),
        nbformat.v4.new_code_cell(
            "from palermo.render import charts, tables\nfrom palermo.chapters import figure1"
        ),
        nbformat.v4.new_code_cell("tables.show(figure1.grades(['UNTOC']), 'Grades')"),
        nbformat.v4.new_markdown_cell("Some words."),
        nbformat.v4.new_code_cell("charts.show(figure1.curve_chart(['UNTOC'], d))"),
    ]
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i}"
    path = tmp_path / "notebooks" / "chapter.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, str(path))
    return path


def _executed(source: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(str(source), as_version=4)
    nb.cells[2].outputs = [_table_output(DF, "Grades")]
    nb.cells[4].outputs = [_chart_output(DF)]
    # papermill's injected cell shifts the cells: the line still names the source's cell
    injected = nbformat.v4.new_code_cell("as_of = '2020-12-23'")
    injected["id"] = "injected"
    nb.cells.insert(1, injected)
    return nb


@pytest.mark.unit
def test_a_line_under_each_exhibit_names_the_source_cell_and_the_function(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "BOOK", tmp_path / "book")
    monkeypatch.setattr(config, "ROOT", tmp_path)
    source = _source(tmp_path)
    nb = _executed(source)
    run = Run(notebook=source, output=tmp_path / "book" / "chapter" / "latest.ipynb", parameters={})
    assert provenance.mark_exhibits(nb, run) == 2
    lines = [c for c in nb.cells if provenance.PROVENANCE_TAG in c.metadata.get("tags", [])]
    assert len(lines) == 2
    # each line is right under its exhibit's cell
    for line in lines:
        before = nb.cells[nb.cells.index(line) - 1]
        assert before.cell_type == "code" and before.outputs
    table, chart = (line.source for line in lines)
    assert "Table “Grades”: made by cell 3 of" in table
    assert "`palermo.chapters.figure1.grades`" in table
    assert "Chart “Parties by year”: made by cell 5 of" in chart
    assert "`palermo.chapters.figure1.curve_chart`" in chart
    assert "{palermo-record}`where it comes from <prov-chapter-latest>`" in chart
    assert "{palermo-edition}" in chart
    # marking again replaces the lines (a rerun stays byte-stable)
    before = nbformat.writes(nb)
    provenance.mark_exhibits(nb, run)
    assert nbformat.writes(nb) == before
    # a run outside the book gets none: it has no page of records
    elsewhere = Run(notebook=source, output=tmp_path / "run.ipynb", parameters={})
    assert provenance.mark_exhibits(nb, elsewhere) == 0
    assert not [c for c in nb.cells if provenance.PROVENANCE_TAG in c.metadata.get("tags", [])]


@pytest.mark.unit
def test_a_page_s_download_holds_its_notebook_its_csvs_and_its_record(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "BOOK", tmp_path / "book")
    source = _source(tmp_path)
    nb = _executed(source)
    out = tmp_path / "book" / "chapter" / "latest.ipynb"
    out.parent.mkdir(parents=True)
    nb.metadata["palermo"] = {"notebook": "x", "parameters": {"as_of": "2020-12-23"}}
    nbformat.write(nb, str(out))
    run = Run(notebook=source, output=out, parameters={"as_of": "2020-12-23"})
    target = tmp_path / "downloads"
    assert provenance.write_downloads([run], "edition 9", target) == 1
    assert provenance.write_downloads([run], "edition 9", target) == 0  # up to date
    with zipfile.ZipFile(target / "chapter--latest.zip") as z:
        names = z.namelist()
        rec = json.loads(z.read("chapter--latest/provenance.json"))
        csv = z.read(next(n for n in names if n.startswith("chapter--latest/data/cell-03-")))
    assert "chapter--latest/latest.ipynb" in names
    assert pd.read_csv(io.BytesIO(csv)).to_numpy().tolist() == DF.to_numpy().tolist()
    assert rec["edition"] == "edition 9" and rec["parameters"] == {"as_of": "2020-12-23"}
    assert [e["cell"] for e in rec["exhibits"]] == [3, 5]
    assert {r["file"] for r in rec["inputs"]["lock"]} == {config.LOCK.name}
    assert all(len(r["sha256"]) == 64 for r in rec["inputs"]["raw"] + rec["inputs"]["curated"])
    # a new edition writes it again
    assert provenance.write_downloads([run], "edition 10", target) == 1


@pytest.mark.unit
def test_replication_md_maps_every_glued_value_to_its_cell():
    """The exhibit map lists every value a notebook's text glues, one row each, with the cell
    that computes it and the cell that prints it."""
    text = (config.ROOT / "REPLICATION.md").read_text(encoding="utf-8")
    for nb in sorted(config.NOTEBOOKS.glob("*.ipynb")):
        source = nbformat.read(str(nb), as_version=4)
        glued = {
            g
            for c in source.cells
            if c.cell_type == "markdown"
            for g in re.findall(r"\{glue(?::text)?\}`([^`]+)`", c.source)
        }
        rel = nb.relative_to(config.ROOT).as_posix()
        rows = [r for r in provenance.shown(nb) if r.kind == "number"]
        assert {r.label for r in rows} == glued, rel
        for r in rows:
            assert source.cells[r.cell - 1].cell_type == "code", (rel, r)
            assert "glue_all" in source.cells[r.cell - 1].source, (rel, r)
            assert f"{{glue:text}}`{r.label}`" in source.cells[r.shown_in - 1].source, (rel, r)
            assert f"`{r.label}`, printed under" in text, (rel, r.label)


# --- the built book ------------------------------------------------------------------------


def _built_pages() -> list[Path]:
    """Every chapter page but the profiles, and one profile."""
    pages = sorted(p for p in (HTML / "book").rglob("*.html") if "country_profile" not in p.parts)
    return pages + sorted((HTML / "book" / "country_profile").glob("*.html"))[:1]


_EXHIBIT = re.compile(r'<figure class="palermo-chart"|<div class="palermo-table-box')
_LINE = re.compile(r'<div class="palermo-provenance docutils container">\s*(.*?)</div>', re.S)


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
def test_the_deposit_leaves_the_page_zips_out_and_still_holds_their_notebooks():
    files = dict((name, path) for name, path in replication._built_html())
    assert not [n for n in files if n.endswith(".zip")]
    assert (HTML / "_downloads").is_dir() and list((HTML / "_downloads").rglob("*.zip"))
