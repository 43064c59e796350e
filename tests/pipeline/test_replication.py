"""REPLICATION.md is generated and current, names every figure and table the notebooks show,
and the deposit (`palermo export package`) checks itself: every file's sha256 is in its
SHA256SUMS and its RO-Crate manifest, and every figure and table of the built book is in
REPLICATION.md's table."""

import ast
import hashlib
import io
import json
import stat
import subprocess
import zipfile
from collections import Counter
from types import SimpleNamespace

import nbformat
import pytest
from typer.testing import CliRunner

from palermo import config
from palermo.cli import app
from palermo.data import registry
from palermo.errors import BuildError
from palermo.pipeline import execute, provenance, replication


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


@pytest.mark.unit
def test_the_deposit_needs_the_built_book(tmp_path, monkeypatch):
    monkeypatch.setattr(replication, "PDF", tmp_path / "none.pdf")
    r = CliRunner().invoke(app, ["export", "package", "-o", str(tmp_path / "d.zip")])
    assert r.exit_code == 1 and "make book" in r.stderr
    assert not (tmp_path / "d.zip").exists()


DAY = "2026-12-06"


XML = b"<?xml version='1.0'?><Treaty>a fetched record, for the deposit's tests</Treaty>\n"


@pytest.fixture
def fetched(tmp_path, monkeypatch):
    """A data folder holding one fetch (as `palermo sources update` keeps it) of the UNTOC."""
    data = tmp_path / "data"
    folder = data / "untc" / DAY
    folder.mkdir(parents=True)
    (folder / "XVIII_12.xml").write_bytes(XML)
    manifest = {
        "fetched_on": DAY,
        "files": [
            {
                "treaty": "XVIII-12",
                "file": "XVIII_12.xml",
                "url": "http://127.0.0.1:9/doc/XVIII_12.xml",
                "sha256": hashlib.sha256(XML).hexdigest(),
                "size": len(XML),
                "signatories": 0,  # a stand-in record: no participants
                "parties": 0,
            }
        ],
    }
    (folder / "manifest.yml").write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setenv(config.DATA_DIR_ENV, str(data))
    registry.forget_fetched()
    registry.forget_verified()
    yield data
    registry.forget_fetched()
    registry.forget_verified()


@pytest.fixture
def repo(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / ".ci").mkdir(parents=True)
    (root / "a.txt").write_text("a\n", encoding="utf-8")
    (root / ".ci" / "run").write_text("#!/bin/sh\n", encoding="utf-8")
    (root / ".ci" / "run").chmod(0o755)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "."], check=True)
    monkeypatch.setattr(config, "ROOT", root)
    return root


# S1: the fetched records the book read
@pytest.mark.unit
@pytest.mark.review("reliability-2026-12b", "S1")
def test_replication_check_reports_stale_after_a_fetch(fetched, tmp_path, monkeypatch):
    """REPLICATION.md made without the fetch (as committed) is stale once the data folder holds
    one, and says why; written again, it lists the record and the offline rebuild reads it."""
    monkeypatch.setenv(config.DATA_DIR_ENV, str(tmp_path / "empty"))
    registry.forget_fetched()
    committed = tmp_path / "REPLICATION.md"
    committed.write_text(replication.render(), encoding="utf-8")
    monkeypatch.setattr(replication, "REPLICATION_MD", committed)
    assert replication.write(check=True)

    monkeypatch.setenv(config.DATA_DIR_ENV, str(fetched))
    registry.forget_fetched()
    assert not replication.write(check=True)
    r = CliRunner().invoke(app, ["export", "replication", "--check"])
    assert r.exit_code == 1 and "stale" in r.stderr
    assert f"untc-fetched-{DAY}-XVIII-12" in r.stderr  # why: the record it does not list

    text = replication.render()
    assert f"`untc-fetched-{DAY}-XVIII-12`" in text
    assert f"`raw/untc/{DAY}/XVIII_12.xml`" in text
    assert f"{config.DATA_DIR_ENV}=$PWD/raw" in text  # the offline rebuild reads the fetch


@pytest.mark.unit
@pytest.mark.review("reliability-2026-12b", "S1")
def test_the_deposit_packs_the_fetched_records_with_their_manifest(fetched):
    files = dict(replication._fetched_files())
    assert set(files) == {f"raw/untc/{DAY}/XVIII_12.xml", f"raw/untc/{DAY}/manifest.yml"}
    assert files[f"raw/untc/{DAY}/XVIII_12.xml"].read_bytes() == XML


@pytest.mark.unit
@pytest.mark.review("reliability-2026-12b", "S1")
def test_the_deposit_refuses_a_book_built_from_other_records(fetched, tmp_path, monkeypatch):
    """Built before `sources update` (the pages record no fetch), packaged after it: refused."""
    from palermo.pipeline import plan

    page = tmp_path / "page.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["palermo"] = {"cache_key": "x", "records": {}}
    nbformat.write(nb, str(page))
    run = SimpleNamespace(output=page, rel=lambda p: p.name)
    monkeypatch.setattr(plan, "load", lambda *a, **k: SimpleNamespace(runs=[run]))
    with pytest.raises(BuildError, match="other records") as e:
        replication._book_records()
    assert f"untc-fetched-{DAY}-XVIII-12" in str(e.value) and "page.ipynb" in str(e.value)
    # the same page made with the fetch is accepted
    nb.metadata["palermo"]["records"] = execute.fetched_records()
    nbformat.write(nb, str(page))
    replication._book_records()


# S8: symbolic links
@pytest.mark.unit
@pytest.mark.review("reliability-2026-12b", "S8")
def test_a_tracked_symlink_is_refused_not_followed(repo, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("AWS_SECRET=not-for-the-deposit\n", encoding="utf-8")
    assert replication._tracked() == {".ci/run": 0o755, "a.txt": 0o644}
    (repo / "data").mkdir()
    (repo / "data" / "notes-link.txt").symlink_to(secret)
    subprocess.run(["git", "-C", str(repo), "add", "data/notes-link.txt"], check=True)
    with pytest.raises(BuildError, match="symbolic link") as e:
        replication._tracked()
    assert "data/notes-link.txt" in str(e.value)


@pytest.mark.unit
@pytest.mark.review("reliability-2026-12b", "S8")
def test_a_symlink_in_the_built_book_is_refused(tmp_path, monkeypatch):
    html = tmp_path / "html"
    html.mkdir()
    (html / "index.html").write_text("<p>book</p>", encoding="utf-8")
    (html / "leak.txt").symlink_to(tmp_path / "secret.txt")
    monkeypatch.setattr(replication, "HTML", html)
    with pytest.raises(BuildError, match="symbolic link"):
        replication._built_html()


# S11: deposit hygiene
@pytest.mark.unit
@pytest.mark.review("reliability-2026-12b", "S11")
def test_the_zip_keeps_modes_and_the_crate_uses_defined_terms(tmp_path, monkeypatch):
    run = tmp_path / "run"
    run.write_text("#!/bin/sh\n", encoding="utf-8")
    plain = tmp_path / "a.txt"
    plain.write_text("a\n", encoding="utf-8")
    plain.chmod(0o600)  # a private file on the packer's machine unpacks readable
    monkeypatch.setattr(
        replication, "contents", lambda: [(".ci/run", run, 0o755), ("a.txt", plain, 0o644)]
    )
    out = replication.package(tmp_path / "d.zip", log=lambda line: None)
    with zipfile.ZipFile(out) as z:
        modes = {i.filename: i.external_attr >> 16 for i in z.infolist()}
        crate = json.loads(z.read("ro-crate-metadata.json"))
    assert stat.S_IMODE(modes[".ci/run"]) == 0o755 and stat.S_ISREG(modes[".ci/run"])
    assert all(stat.S_IMODE(m) == 0o644 for n, m in modes.items() if n != ".ci/run")
    # every key of a File entity is a term of the RO-Crate 1.1 context or defined in the
    # crate's own context (sha256 as schema.org's property)
    ctx = crate["@context"]
    assert isinstance(ctx, list) and ctx[0] == "https://w3id.org/ro/crate/1.1/context"
    local = {k: v for part in ctx[1:] for k, v in part.items()}
    assert local.get("sha256") == "http://schema.org/sha256"
    core = {"@id", "@type", "name", "contentSize", "encodingFormat"}
    files = [e for e in crate["@graph"] if e.get("@type") == "File"]
    assert files and all(set(e) <= core | set(local) for e in files)


@pytest.mark.unit
@pytest.mark.review("reliability-2026-12b", "S11")
def test_the_geometry_is_where_make_book_looks_for_it():
    """An unpacked deposit builds offline without npm: the Makefile's GEO exists there."""
    make = (config.ROOT / "Makefile").read_text(encoding="utf-8")
    geo = next(
        line.split(":=", 1)[1].strip() for line in make.splitlines() if line.startswith("GEO ")
    )
    g = registry.geometry()
    assert f"{replication.GEO_FOLDER}/{g.path}" == geo
    text = replication.render()
    assert f"`{replication.GEO_FOLDER}/{g.path}`" in text and "npm is needed" in text


# S13: the "ours" test, a full disk, a read-only folder
@pytest.mark.unit
@pytest.mark.review("reliability-2026-12b", "S11")
def test_a_notebook_with_this_machines_path_is_not_packed(tmp_path):
    old = tmp_path / "old.ipynb"
    old.write_text(json.dumps({"metadata": {"papermill": {"input_path": str(config.ROOT)}}}))
    clean = tmp_path / "clean.ipynb"
    clean.write_text(json.dumps({"metadata": {"papermill": {"input_path": "notebooks/x"}}}))
    replication._no_machine_paths([("_build/html/_sources/clean.ipynb", clean, 0o644)])
    with pytest.raises(BuildError, match="build --force"):
        replication._no_machine_paths([("_build/html/_sources/old.ipynb", old, 0o644)])


def _files(tmp_path, **named: bytes) -> list:
    out = []
    for name, data in named.items():
        p = tmp_path / name.replace("/", "__")
        p.write_bytes(data)
        out.append((name.replace("__", "/"), p, 0o644))
    return out


@pytest.mark.unit
def test_clean_files_pass(tmp_path):
    files = _files(tmp_path, **{"a.py": b"print(1)\n", "b.csv": b"x\n1\n"})
    assert replication.deposit_faults(files) == []


@pytest.mark.unit
def test_a_planted_empty_file_duplicate_archive_and_machine_path_are_each_caught(tmp_path):
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("inner.txt", "x")
    files = _files(
        tmp_path,
        **{
            "empty.txt": b"",
            "data/one.csv": b"x\n1\n",
            "data/two.csv": b"x\n1\n",
            "bundle.zip": zipped.getvalue(),
            "notes.md": f"made in {config.ROOT}/book\n".encode(),
        },
    )
    faults = " | ".join(replication.deposit_faults(files))
    assert "empty.txt: an empty file" in faults
    assert "data/one.csv: the same bytes as data/two.csv" in faults
    assert "bundle.zip: a zip archive inside the deposit" in faults
    assert "notes.md: holds a path of this machine" in faults


@pytest.mark.unit
def test_a_built_pages_copy_of_a_source_file_is_not_a_duplicate(tmp_path):
    files = _files(
        tmp_path, **{"_static/palermo.css": b"body{}", "_build/html/_static/palermo.css": b"body{}"}
    )
    assert replication.deposit_faults(files) == []


@pytest.mark.unit
def test_a_package_that_disagrees_with_its_sha256sums_is_caught(tmp_path):
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    data = b"1\n"
    sums = f"{hashlib.sha256(data).hexdigest()}  a.txt\n"
    with zipfile.ZipFile(good, "w") as z:
        z.writestr("a.txt", data)
        z.writestr("SHA256SUMS", sums)
    assert replication.verify_package(good) == []
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("a.txt", b"tampered\n")  # a tampered output file
        z.writestr("b.txt", b"unlisted\n")
        z.writestr("SHA256SUMS", sums + f"{'0' * 64}  gone.txt\n")
    said = " | ".join(replication.verify_package(bad))
    assert "a.txt: its bytes differ" in said
    assert "b.txt: in the deposit, not in SHA256SUMS" in said
    assert "gone.txt: in SHA256SUMS, not in the deposit" in said


@pytest.mark.unit
def test_replication_md_cites_every_source_apart_and_describes_the_deposit():
    """Data citations apart from the availability statement, one per source; the deposit's
    coverage, period and unit of observation (the data editors' README template)."""
    from palermo.data import registry
    from palermo.model.dates import latest_record_date

    text = (config.ROOT / "REPLICATION.md").read_text(encoding="utf-8")
    cites = text.split("### Data citations", 1)[1].split("###", 1)[0]
    reg = registry.load(config.SOURCES_YML)
    for s in reg.sources:
        assert f"{s.repository_url}, commit {s.commit}" in cites, s.id
    for g in reg.geometry:
        assert f"{g.package} {g.version}" in cites
    assert "doi.org/10.31389/jied.90" in cites
    meta = text.split("### Deposit metadata", 1)[1].split("##", 1)[0]
    for field in ("Geographic coverage:", "Period:", "Unit of observation:"):
        assert field in meta, field
    assert latest_record_date().isoformat() in meta and "European Union" in meta
