"""The one output rule (palermo.pipeline.export): no write over an existing file without
--force, none over a device, pipe or folder, none among the sources, a missing folder
named."""

import errno
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from palermo import config
from palermo.cli import app
from palermo.config import ROOT
from palermo.errors import UsageError
from palermo.pipeline import export
from tests.conftest import one_line_error, run

pytestmark = pytest.mark.unit


# D6: malformed inputs
@pytest.mark.review("reliability-2026-11", "D6")
def test_seminar_output_onto_a_file_is_refused(tmp_path):
    f = tmp_path / "f.txt"
    f.write_text("hi")
    err = one_line_error(run("seminar", "--groups", "1", "-o", str(f)), 2)
    assert "that is a file" in err and f.read_text() == "hi"


@pytest.mark.review("reliability-2026-11", "D6")
def test_profile_output_onto_a_folder_is_refused_and_leaves_nothing(tmp_path):
    err = one_line_error(run("profile", "Italy", "-o", str(tmp_path)), 2)
    assert "that is a folder" in err and list(tmp_path.iterdir()) == []


@pytest.mark.review("reliability-2026-11", "D6")
def test_output_into_a_missing_folder_creates_no_folder(tmp_path):
    target = tmp_path / "no" / "such" / "x.ipynb"
    err = one_line_error(run("run", "notebooks/voices.ipynb", "-o", str(target)), 2)
    assert "does not exist" in err and not (tmp_path / "no").exists()


# R1, R10: `sources record -o` goes through the one output rule, checked first
@pytest.mark.review("reliability-2026-12", "R1", "R10")
@pytest.mark.parametrize(
    "target, needle",
    [
        (config.CURATED / "treaty_actions.csv", "must end in .md"),
        (config.ROOT / "README.md", "the file exists; give --force"),
        (config.NOTEBOOKS / "x.md", "notebooks/"),
    ],
)
def test_record_output_is_refused_before_anything_is_written(
    data_dir,
    tmp_path,
    target,
    needle,
):
    before = target.read_bytes() if target.exists() else None
    records = list(config.SNAPSHOT_RECORDS.glob("*.yml"))
    r = run("sources", "record", "-o", str(target))
    assert r.exit_code == 2 and needle in r.stderr, r.output
    assert (target.read_bytes() if target.exists() else None) == before
    assert list(config.SNAPSHOT_RECORDS.glob("*.yml")) == records


@pytest.mark.review("reliability-2026-12", "R1", "R10")
def test_record_output_into_a_folder_is_refused_first(data_dir, tmp_path):
    r = run("sources", "record", "-o", str(tmp_path))
    assert r.exit_code == 2 and "that is a folder" in r.stderr
    assert ".tmp" not in r.output


# R5, R11: the export's dictionary, and the message for an existing file
@pytest.mark.review("reliability-2026-12", "R5")
def test_export_panel_never_overwrites_an_existing_dictionary(tmp_path):
    notes = tmp_path / "q.dictionary.csv"
    notes.write_text("my notes")
    r = run("export", "panel", "-o", str(tmp_path / "q.csv"), "--treaties", "UNTOC")
    assert r.exit_code == 2 and "q.dictionary.csv" in r.stderr and "--force" in r.stderr
    assert notes.read_text() == "my notes" and not (tmp_path / "q.csv").exists()


@pytest.mark.review("reliability-2026-12", "R11")
def test_an_existing_export_is_named_plainly(tmp_path):
    out = tmp_path / "a.csv"
    assert run("export", "actions", "-o", str(out)).exit_code == 0
    r = run("export", "actions", "-o", str(out))
    assert r.exit_code == 2 and "the file exists; give --force to replace it" in r.stderr
    assert "not written by palermo" not in r.stderr


# R9: the seminar pack goes through the same output rule
@pytest.mark.review("reliability-2026-12", "R9")
def test_seminar_into_a_missing_parent_says_so_before_running(tmp_path):
    r = run("seminar", "--groups", "1", "-o", str(tmp_path / "missing" / "c2"))
    assert r.exit_code == 2, r.output
    assert f"the folder {tmp_path / 'missing'} does not exist; create it first" in r.stderr
    assert not (tmp_path / "missing").exists()


@pytest.mark.review("reliability-2026-12", "R9")
def test_seminar_never_writes_into_a_folder_of_other_files(tmp_path):
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "index.md").write_text("my notes")
    r = run("seminar", "--groups", "1", "-o", str(mine))
    assert r.exit_code == 2 and "give --force to write into it" in r.stderr, r.output
    assert (mine / "index.md").read_text() == "my notes"
    r = run("seminar", "--groups", "1", "-o", str(config.NOTEBOOKS / "pack"))
    assert r.exit_code == 2 and "notebooks/" in r.stderr
    assert not (config.NOTEBOOKS / "pack").exists()


# S13: the "ours" test, a full disk, a read-only folder
@pytest.mark.review("reliability-2026-12b", "S13")
def test_a_users_file_with_the_marker_is_not_replaced(tmp_path):
    notes = tmp_path / "notes.html"
    notes.write_text("<p>my notes: the profile said palermo-export</p>\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["profile", "Italy", "-o", str(notes)])
    assert r.exit_code == 2 and "--force" in r.stderr
    assert "my notes" in notes.read_text(encoding="utf-8")


@pytest.mark.review("reliability-2026-12b", "S13")
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


@pytest.mark.review("reliability-2026-12b", "S13")
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


@pytest.mark.review("reliability-2026-12b", "S13")
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


FIGURE1 = "notebooks/figure1.ipynb"


def test_run_and_profile_refuse_outputs_they_must_not_write(tmp_path):
    """Never under notebooks/, always the right suffix, never over a file palermo did not
    write unless --force (all refused before papermill starts)."""
    theirs = tmp_path / "theirs.ipynb"
    theirs.write_text("{}")
    cases = [
        (["run", FIGURE1, "-o", str(ROOT / "notebooks" / "figure1.ipynb")], "under notebooks/"),
        (["run", FIGURE1, "-o", str(tmp_path / "fig.html")], "must end in .ipynb"),
        (["run", FIGURE1, "-o", str(theirs)], "--force"),
        (["profile", "MLI", "-o", str(tmp_path / "mali.ipynb")], "must end in .html"),
        (["profile", "MLI", "-o", str(ROOT / "notebooks" / "mali.html")], "under notebooks/"),
    ]
    for args, needle in cases:
        r = CliRunner().invoke(app, args)
        assert r.exit_code == 2 and needle in r.stderr, (args, r.output)
    assert theirs.read_text() == "{}"
