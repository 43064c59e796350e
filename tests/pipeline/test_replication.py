"""REPLICATION.md is generated and current, names every figure and table the notebooks show,
and the deposit (`palermo export package`) checks itself: every file's sha256 is in its
SHA256SUMS and its RO-Crate manifest, and every figure and table of the built book is in
REPLICATION.md's table."""

import ast
import hashlib
import json
import re
from collections import Counter

import pytest
from typer.testing import CliRunner

from palermo import config
from palermo.cli import app
from palermo.pipeline import provenance, replication

PROFILE = "book/country_profile/{slug} (one page per participant)"


@pytest.mark.unit
def test_replication_md_is_current():
    assert replication.write(check=True), "REPLICATION.md is stale: run palermo export replication"
    r = CliRunner().invoke(app, ["export", "replication", "--check"])
    assert r.exit_code == 0 and "is current" in r.output


@pytest.mark.unit
def test_a_change_to_what_it_is_made_from_makes_it_stale(tmp_path, monkeypatch):
    import yaml

    doc = yaml.safe_load(replication.MEASURED.read_text(encoding="utf-8"))
    doc["steps"][0]["result"] += " (measured again)"
    measured = tmp_path / "clean-build.yml"
    measured.write_text(yaml.safe_dump(doc), encoding="utf-8")
    monkeypatch.setattr(replication, "MEASURED", measured)
    assert not replication.write(check=True)
    r = CliRunner().invoke(app, ["export", "replication", "--check"])
    assert r.exit_code == 1 and "stale" in r.stderr


@pytest.mark.unit
@pytest.mark.parametrize(
    "notebook", sorted({p["notebook"] for p in replication.pages()}), ids=lambda n: n
)
def test_every_chart_and_table_call_of_a_notebook_is_a_row_with_its_function(notebook):
    """Counted independently of the generator: every charts.show / tables.show call in the
    notebook's code is one row, and each row names a palermo function."""
    import nbformat

    nb = nbformat.read(str(config.ROOT / notebook), as_version=4)
    calls = Counter()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "show" and getattr(node.func.value, "id", "") in (
                    "charts",
                    "tables",
                ):
                    calls[node.func.value.id] += 1
    rows = provenance.shown(config.ROOT / notebook)
    kinds = Counter(r.kind for r in rows)
    assert kinds["figure"] == calls["charts"]
    assert kinds["table"] >= calls["tables"]
    for r in rows:
        assert r.function.startswith("palermo."), r
        module, _, func = r.function.rpartition(".")
        assert func in dir(__import__(module, fromlist=[func])), r.function


def replication_rows(text: str) -> Counter:
    """(page, kind) -> how many figures or tables REPLICATION.md's table lists for it."""
    need = Counter()
    for line in text.splitlines():
        m = re.match(r"^\| (Figure|Table) \d+ \|", line)
        if m:
            for page in line.rstrip(" |").split(" | ")[-1].split("; "):
                need[(page, m.group(1).lower())] += 1
    return need


def page_items(html: str) -> tuple[int, int]:
    charts = html.count('class="palermo-chart"')
    tables = len(re.findall(r'<table class="[^"]*\bpalermo-table\b', html))
    return charts, tables


@pytest.mark.pdf
def test_the_deposit_checks_itself_and_lists_every_figure_and_table(packed_deposit):
    zipped, out = packed_deposit
    # a second run does not overwrite it without --force
    again = CliRunner().invoke(app, ["export", "package", "-o", str(zipped)])
    assert again.exit_code == 2 and "--force" in again.stderr
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    # every file but the two checks is listed in SHA256SUMS with its right hash
    sums = {}
    for line in (out / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        sha, name = line.split("  ", 1)
        sums[name] = sha
    assert set(sums) == files - {"SHA256SUMS", "ro-crate-metadata.json"}
    for name, sha in sums.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha, name
    # the RO-Crate manifest describes the same files with the same hashes
    crate = json.loads((out / "ro-crate-metadata.json").read_text(encoding="utf-8"))
    graph = {e["@id"]: e for e in crate["@graph"]}
    assert graph["ro-crate-metadata.json"]["about"] == {"@id": "./"}
    assert {p["@id"] for p in graph["./"]["hasPart"]} == set(sums)
    assert all(graph[n]["sha256"] == sha for n, sha in sums.items())
    # what a data editor needs is there
    for must in (
        "REPLICATION.md",
        "requirements.lock",
        "Makefile",
        "data/sources.yml",
        "data/curated/treaty_actions.csv",
        "_build/html/index.html",
        "_build/pdf/palermo-companion.pdf",
        "LICENSE",
    ):
        assert must in files, must
    from palermo.data import raw

    for s in raw.registered():
        assert f"raw/{s.path}" in files
    # every figure and table of every built page is in REPLICATION.md's table
    need = replication_rows((out / "REPLICATION.md").read_text(encoding="utf-8"))
    listed = {page for page, _ in need}
    html = out / "_build" / "html"
    seen_profile = False
    for p in sorted(html.glob("book/**/*.html")):
        page = p.relative_to(html).as_posix().removesuffix(".html")
        charts, tables = page_items(p.read_text(encoding="utf-8"))
        if not charts and not tables:
            continue
        key = PROFILE if page.startswith("book/country_profile/") else page
        seen_profile |= key == PROFILE
        assert key in listed, f"{page} shows figures or tables REPLICATION.md does not list"
        assert charts <= need[(key, "figure")], (page, charts, need[(key, "figure")])
        assert tables <= need[(key, "table")], (page, tables, need[(key, "table")])
        if key != PROFILE:  # a profile may say in words that it has nothing to tabulate
            assert (charts, tables) == (need[(key, "figure")], need[(key, "table")]), page
    assert seen_profile


@pytest.mark.unit
def test_the_deposit_needs_the_built_book(tmp_path, monkeypatch):
    monkeypatch.setattr(replication, "PDF", tmp_path / "none.pdf")
    r = CliRunner().invoke(app, ["export", "package", "-o", str(tmp_path / "d.zip")])
    assert r.exit_code == 1 and "make book" in r.stderr
    assert not (tmp_path / "d.zip").exists()
