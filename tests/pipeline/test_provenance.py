"""Issue 39 §1: under every chart and table a line names the notebook cell and function that
made it and links to its run's record; the page of records gives every input's sha256; each
page downloads as one zip with its notebook and the CSVs behind its exhibits."""

import io
import json
import re
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from palermo import config
from palermo.pipeline import provenance
from palermo.pipeline.book import cells
from palermo.pipeline.plan import Run
from palermo.render import charts, tables


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
    assert provenance.mark_exhibits(nb, run, cells.exhibit_lines) == 2
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
    provenance.mark_exhibits(nb, run, cells.exhibit_lines)
    assert nbformat.writes(nb) == before
    # a run outside the book gets none: it has no page of records
    elsewhere = Run(notebook=source, output=tmp_path / "run.ipynb", parameters={})
    assert provenance.mark_exhibits(nb, elsewhere, cells.exhibit_lines) == 0
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
