"""Reliability review 2026-12b, the deposit, the exports and the kernel: S1 (a deposit and
REPLICATION.md describe the fetched records the book used), S8 (no symbolic link packed),
S11 (no machine paths in executed notebooks, file modes kept, RO-Crate 1.1 terms, the offline
rebuild needs no npm), S12 (a dead or unreachable kernel is one line naming the notebook;
Ctrl-C is `error: interrupted` alone), S13 (the "ours" test, a full disk, a read-only folder).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest
from typer.testing import CliRunner

from palermo import config
from palermo.cli import app
from palermo.data import registry
from palermo.errors import BuildError, UsageError
from palermo.files import atomic_path, write_atomic
from palermo.pipeline import execute, export, replication

pytestmark = pytest.mark.unit

DAY = "2026-12-06"
XML = b"<?xml version='1.0'?><Treaty>a fetched record, for the deposit's tests</Treaty>\n"


def _notebook(path: Path, *sources: str, parameters: str = 'as_of = "2020-12-23"') -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell] + [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(path))
    return path


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


# --- S1: the fetched records the book read --------------------------------------------------


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


def test_the_deposit_packs_the_fetched_records_with_their_manifest(fetched):
    files = dict(replication._fetched_files())
    assert set(files) == {f"raw/untc/{DAY}/XVIII_12.xml", f"raw/untc/{DAY}/manifest.yml"}
    assert files[f"raw/untc/{DAY}/XVIII_12.xml"].read_bytes() == XML


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


# --- S8: symbolic links ---------------------------------------------------------------------


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


def test_a_symlink_in_the_built_book_is_refused(tmp_path, monkeypatch):
    html = tmp_path / "html"
    html.mkdir()
    (html / "index.html").write_text("<p>book</p>", encoding="utf-8")
    (html / "leak.txt").symlink_to(tmp_path / "secret.txt")
    monkeypatch.setattr(replication, "HTML", html)
    with pytest.raises(BuildError, match="symbolic link"):
        replication._built_html()


# --- S11: deposit hygiene -------------------------------------------------------------------


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


def test_an_executed_notebook_holds_no_path_of_the_machine(tmp_path):
    source = _notebook(
        tmp_path / "nb.ipynb",
        "import palermo; print(palermo.__file__)",
        "import warnings; warnings.warn(__import__('os').getcwd())",
    )
    out = tmp_path / "out.ipynb"
    run = execute.Run(notebook=source, output=out, parameters={}, label="nb")
    res = execute.execute_one(run, "key")
    assert res.status == "run", res.error
    text = out.read_text(encoding="utf-8")
    assert str(config.ROOT) not in text and str(tmp_path) not in text
    assert "ipykernel_" not in text  # the kernel's temporary file of a cell, in the warning
    meta = json.loads(text)["metadata"]
    assert meta["papermill"]["input_path"] == "nb.ipynb"
    assert meta["papermill"]["output_path"] == "out.ipynb"  # not its temporary name
    assert "palermo/__init__.py" in text  # the path, relative to the repository
    # palermo knows it as its own, until someone edits it
    assert export.written_by_palermo(out)
    nb = json.loads(text)
    nb["cells"][1]["source"] = "# my own notes"
    out.write_text(json.dumps(nb), encoding="utf-8")
    assert not export.written_by_palermo(out)


# --- S12: the kernel ------------------------------------------------------------------------


def test_a_dead_kernel_is_one_error_naming_the_notebook(tmp_path):
    source = _notebook(
        tmp_path / "dies.ipynb", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
    )
    with pytest.raises(BuildError, match="died") as e:
        execute.run_notebook(source, tmp_path / "out.ipynb", {}, log=tmp_path / "k.log")
    assert "dies.ipynb" in str(e.value)


def test_a_loopback_that_is_down_is_said_at_once(tmp_path, monkeypatch):
    import socket

    def down(*a, **k):
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    monkeypatch.setattr(execute, "_loopback_ok", False, raising=False)
    monkeypatch.setattr(socket, "create_connection", down)
    source = _notebook(tmp_path / "nb.ipynb", "1")
    start = time.monotonic()
    with pytest.raises(BuildError, match="loopback") as e:
        execute.run_notebook(source, tmp_path / "out.ipynb", {}, log=tmp_path / "k.log")
    assert "nb.ipynb" in str(e.value) and time.monotonic() - start < 10


@pytest.mark.parametrize("after", [1.5, 4.0])
def test_ctrl_c_during_run_is_one_line(tmp_path, after):
    source = _notebook(tmp_path / "slow.ipynb", "import time; time.sleep(60)")
    p = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from palermo.cli import main; main()",
            "run",
            str(source),
            "-o",
            str(tmp_path / "out.ipynb"),
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(config.ROOT)},  # this checkout's palermo
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group, as a terminal's Ctrl-C signals it
    )
    assert p.stdout.readline().startswith("==> running")  # the run has begun
    time.sleep(after)  # starting its kernel, or inside the cell
    os.killpg(p.pid, signal.SIGINT)
    _, err = p.communicate(timeout=90)
    assert p.returncode == 130, err
    assert err.strip() == "error: interrupted", err
    assert not (tmp_path / "out.ipynb").exists()


# --- S13: the "ours" test, a full disk, a read-only folder -----------------------------------


def test_a_users_file_with_the_marker_is_not_replaced(tmp_path):
    notes = tmp_path / "notes.html"
    notes.write_text("<p>my notes: the profile said palermo-export</p>\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["profile", "Italy", "-o", str(notes)])
    assert r.exit_code == 2 and "--force" in r.stderr
    assert "my notes" in notes.read_text(encoding="utf-8")


def test_only_a_page_as_palermo_wrote_it_is_ours(tmp_path):
    page = export.stamp('<!DOCTYPE html>\n<html lang="en"><head><title>t</title></head></html>\n')
    # the profile command adds the marker right after <head>, as it always has
    mine = tmp_path / "profile.html"
    mine.write_text(page.replace("<head>", "<head>" + export.MARK, 1), encoding="utf-8")
    assert export.written_by_palermo(mine)
    assert export.output_path(mine, ".html", False, ours=export.written_by_palermo) == mine
    annotated = tmp_path / "annotated.html"
    annotated.write_text(
        mine.read_text(encoding="utf-8").replace("<title>t", "<title>t (my notes)"),
        encoding="utf-8",
    )
    assert not export.written_by_palermo(annotated)
    with pytest.raises(UsageError, match="--force"):
        export.output_path(annotated, ".html", False, ours=export.written_by_palermo)
    marker_only = tmp_path / "old.html"
    marker_only.write_text(f"<html><head>{export.MARK}</head>mine</html>", encoding="utf-8")
    assert not export.written_by_palermo(marker_only)
    nb = tmp_path / "x.ipynb"
    nb.write_text(json.dumps({"cells": [], "metadata": {"palermo": {}}}), encoding="utf-8")
    assert not export.written_by_palermo(nb)  # palermo's metadata, but no record of its cells


def test_a_full_disk_leaves_neither_table_nor_dictionary(tmp_path, monkeypatch):
    out = tmp_path / "q.csv"
    df = pd.DataFrame({"a": [1, 2]})
    real = Path.write_text

    def full(self, *a, **k):
        if ".dictionary.csv" in self.name:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *a, **k)

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(OSError) as e:
        export.write_table(df, out, "csv", {"a": "a number"})
    assert "q.dictionary.csv" in str(e.value.filename) and ".tmp" not in str(e.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # neither, and no temporary file
    monkeypatch.setattr(Path, "write_text", real)
    # a rerun is not refused, and writes both
    assert export.table_output(out, "csv", False) == out
    export.write_table(df, out, "csv", {"a": "a number"})
    assert out.is_file() and (tmp_path / "q.dictionary.csv").is_file()


def test_export_panel_on_a_full_disk_names_the_file(tmp_path, monkeypatch):
    real = pd.DataFrame.to_csv

    def full(self, path_or_buf=None, *a, **k):
        if path_or_buf is not None:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, path_or_buf, *a, **k)

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    out = tmp_path / "q.csv"
    r = CliRunner().invoke(app, ["export", "panel", "-o", str(out), "--treaties", "UNTOC"])
    assert r.exit_code == 1 and "No space left on device" in r.stderr
    assert str(out) in r.stderr and ".tmp" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_folder_is_named_not_a_temporary_file(tmp_path, monkeypatch):
    import tempfile

    def read_only(prefix="", suffix="", dir=None, **k):
        raise OSError(
            errno.EROFS, "Read-only file system", os.path.join(dir, prefix + "x" + suffix)
        )

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(OSError) as e:
        write_atomic(tmp_path / "deposit.zip", b"zip")
    assert e.value.filename == str(tmp_path) and ".tmp" not in str(e.value)


def test_a_write_error_inside_the_block_names_the_output(tmp_path):
    with pytest.raises(OSError) as e, atomic_path(tmp_path / "deposit.zip"):
        raise OSError(errno.EFBIG, "File too large")
    assert e.value.filename == str(tmp_path / "deposit.zip")
    assert list(tmp_path.iterdir()) == []


def test_a_notebook_with_this_machines_path_is_not_packed(tmp_path):
    old = tmp_path / "old.ipynb"
    old.write_text(json.dumps({"metadata": {"papermill": {"input_path": str(config.ROOT)}}}))
    clean = tmp_path / "clean.ipynb"
    clean.write_text(json.dumps({"metadata": {"papermill": {"input_path": "notebooks/x"}}}))
    replication._no_machine_paths([("_build/html/_sources/clean.ipynb", clean, 0o644)])
    with pytest.raises(BuildError, match="build --force"):
        replication._no_machine_paths([("_build/html/_sources/old.ipynb", old, 0o644)])
