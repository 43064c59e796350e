"""The one output rule (palermo.pipeline.export): no write over an existing file without
--force, none over a device, pipe or folder, none among the sources, a missing folder
named."""

import pytest

from palermo import config
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
