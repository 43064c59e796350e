"""The December 2026 reliability probe (../shared/reports/reliability-2026-12.md): each defect
fixed on the fetch, update, record and export paths, as a test that failed on the code the
probe ran. Loopback servers only."""

import os
import signal
import subprocess
import sys

import pytest

from palermo import config
from palermo.data import fetch
from tests.conftest import run
from tests.loopback import TIP_PATH, Server, tip_fixture

pytestmark = pytest.mark.unit

UNTOC_PATH = TIP_PATH.replace("XVIII-12-a", "XVIII-12")
SOM_PATH = TIP_PATH.replace("XVIII-12-a", "XVIII-12-b")


# --- R1, R10: `sources record -o` goes through the one output rule, checked first ----------


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


def test_record_output_into_a_folder_is_refused_first(data_dir, tmp_path):
    r = run("sources", "record", "-o", str(tmp_path))
    assert r.exit_code == 2 and "that is a folder" in r.stderr
    assert ".tmp" not in r.output


def test_nothing_replaces_a_device_or_a_pipe(tmp_path):
    from palermo.files import write_atomic

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        write_atomic(fifo, "x")
    assert fifo.exists() and not fifo.is_file()
    r = run("export", "actions", "-o", str(fifo), "--force")
    assert r.exit_code == 2 and "not a regular file" in r.stderr
    assert not fifo.is_file()


# --- R2: a file for another treaty at a treaty's address is not kept ----------------------


def test_the_tip_file_at_untocs_address_is_not_kept(untc_server, data_dir):
    untc_server.serve(UNTOC_PATH, tip_fixture())
    r = run("sources", "update", "UNTOC", "--base-url", untc_server.base, "--timeout", "5")
    assert r.exit_code == 1
    assert "this is the file of TIP (XVIII-12-a), not of UNTOC (XVIII-12)" in r.stderr, r.stderr
    assert not (data_dir / "untc").exists() or not list((data_dir / "untc").rglob("*.xml"))
    assert run("participant", "Italy").exit_code == 0


def test_a_stale_file_is_not_kept(untc_server, data_dir):
    """The 2018 TIP file, as a stale mirror would serve it today: not older than the snapshot
    held, but it lacks the curated accessions since, so keeping it would break every command."""
    from palermo.data import registry

    untc_server.serve(TIP_PATH, registry.read_bytes(registry.get("untc-2018-XVIII-12-a")))
    r = run("sources", "update", "TIP", "--base-url", untc_server.base, "--timeout", "5")
    assert r.exit_code == 1, r.output
    assert "TIP (" in r.stderr and "not kept" in r.stderr and "has no such action" in r.stderr
    assert "the file is stale or wrong" in r.stderr
    assert not (data_dir / "untc").exists() or not list((data_dir / "untc").rglob("*.xml"))
    assert run("participant", "Italy").exit_code == 0


def test_a_bad_file_kept_earlier_is_named_with_the_way_out(untc_server, data_dir):
    """A stale file kept before the rule above (or by hand): the commands that read the
    records name the fetched file and `palermo sources forget`, which restores them."""
    import datetime as dt

    from palermo.data import registry

    untc_server.serve(TIP_PATH, registry.read_bytes(registry.get("untc-2018-XVIII-12-a")))
    fetch.update(["TIP"], untc_server.base, 5, log=lambda _: None)  # no verify: kept
    r = run("participant", "Italy")
    assert r.exit_code == 1
    day = dt.date.today()
    assert f"palermo sources forget {day} XVIII-12-a" in r.stderr, r.stderr
    assert str(data_dir / "untc" / str(day) / "XVIII-12-a.en.xml") in r.stderr
    r = run("sources", "forget", str(day), "TIP")
    assert r.exit_code == 0 and "dropped 1 fetched file" in r.output, r.output
    assert not (data_dir / "untc" / str(day)).exists()
    assert run("participant", "Italy").exit_code == 0


def test_forget_names_what_is_held(untc_server, data_dir):
    r = run("sources", "forget", "2001-01-01")
    assert r.exit_code == 2 and "no fetch of 2001-01-01" in r.stderr and "none" in r.stderr
    r = run("sources", "forget", "yesterday")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.stderr
    untc_server.serve(TIP_PATH, tip_fixture())
    assert run("sources", "update", "TIP", "--base-url", untc_server.base).exit_code == 0
    import datetime as dt

    day = str(dt.date.today())
    r = run("sources", "forget", day, "UNTOC")
    assert r.exit_code == 2 and "holds no file for XVIII-12 (it holds XVIII-12-a)" in r.stderr
    assert (data_dir / "untc" / day / "manifest.yml").is_file()


# --- R3: two updates into one data folder ---------------------------------------------------


def test_two_updates_at_once_keep_both_files_and_both_manifest_entries(
    untc_server,
    data_dir,
):
    untc_server.serve(TIP_PATH, tip_fixture(), delay=0.5)
    untc_server.serve(SOM_PATH, tip_fixture(number="XVIII-12-b"), delay=0.5)
    env = {**os.environ, config.DATA_DIR_ENV: str(data_dir), "PYTHONPATH": str(config.ROOT)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "palermo.cli",
                "sources",
                "update",
                t,
                "--base-url",
                untc_server.base,
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for t in ("TIP", "SOM")
    ]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    (folder,) = [p for p in (data_dir / "untc").iterdir() if not p.name.startswith(".")]
    held = fetch._manifest(folder)
    assert sorted(e["treaty"] for e in held) == ["XVIII-12-a", "XVIII-12-b"]
    assert sorted(p.name for p in folder.glob("*.xml")) == [
        "XVIII-12-a.en.xml",
        "XVIII-12-b.en.xml",
    ]


# --- R4: redirects and credentials -----------------------------------------------------------


def test_update_refuses_a_redirect_to_another_host_and_credentials(
    untc_server,
    data_dir,
):
    other = Server()
    try:
        other.serve(TIP_PATH, tip_fixture())
        untc_server.serve(TIP_PATH, status=302, headers={"Location": other.base + TIP_PATH})
        r = run("sources", "update", "TIP", "--base-url", untc_server.base)
        assert r.exit_code == 1 and "another host" in r.stderr and not other.hits
    finally:
        other.close()
    base = untc_server.base.replace("http://", "http://me:s3cret@")
    r = run("sources", "update", "TIP", "--base-url", base)
    assert r.exit_code == 2 and "s3cret" not in r.output


# --- R5, R11: the export's dictionary, and the message for an existing file ----------------


def test_export_panel_never_overwrites_an_existing_dictionary(tmp_path):
    notes = tmp_path / "q.dictionary.csv"
    notes.write_text("my notes")
    r = run("export", "panel", "-o", str(tmp_path / "q.csv"), "--treaties", "UNTOC")
    assert r.exit_code == 2 and "q.dictionary.csv" in r.stderr and "--force" in r.stderr
    assert notes.read_text() == "my notes" and not (tmp_path / "q.csv").exists()


def test_an_existing_export_is_named_plainly(tmp_path):
    out = tmp_path / "a.csv"
    assert run("export", "actions", "-o", str(out)).exit_code == 0
    r = run("export", "actions", "-o", str(out))
    assert r.exit_code == 2 and "the file exists; give --force to replace it" in r.stderr
    assert "not written by palermo" not in r.stderr


# --- R6: a trickling server cannot hold an update ---------------------------------------------


def test_update_has_a_total_deadline(untc_server, data_dir):
    untc_server.serve(TIP_PATH, tip_fixture(), trickle=(200, 0.1))  # about 30 s in all
    r = run("sources", "update", "TIP", "--base-url", untc_server.base, "--timeout", "1")
    assert r.exit_code == 1 and "not complete within 10 s" in r.stderr


# --- R7: SIGTERM unwinds, so an atomic write leaves no temporary file -------------------------


def test_sigterm_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "p.csv"
    code = (
        "import os, signal, time\n"
        "from pathlib import Path\n"
        "from palermo import cli, files\n"
        "signal.signal(signal.SIGTERM, cli._terminated)\n"
        f"with files.atomic_path(Path({str(target)!r})) as t:\n"
        "    t.write_text('half')\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(10)\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert p.returncode != 0 and b"KeyboardInterrupt" in p.stderr, p.stderr  # unwound
    assert list(tmp_path.iterdir()) == []


def test_a_long_export_stopped_by_sigterm_says_so_and_leaves_nothing(tmp_path):
    """A daily panel states its size first and shows its progress; SIGTERM in the middle of
    the write (as `timeout` or a CI runner sends it) ends it like Ctrl-C: one line, exit 130,
    no file, no temp file."""
    p = subprocess.Popen(
        [sys.executable, "-m", "palermo.cli", "export", "panel", "--freq", "day"]
        + ["--treaties", "UNTOC", "-o", str(tmp_path / "p.csv")],
        env={**os.environ, "PYTHONPATH": str(config.ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = p.stdout.readline()
    assert first.startswith("==> ") and "rows (1 treaty, daily; about" in first, first
    seen = [first]
    while "rows written" not in seen[-1]:  # a temporary file is being written now
        seen.append(p.stdout.readline())
        assert seen[-1], seen
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 130 and err.strip() == "error: interrupted", (p.returncode, err)
    assert list(tmp_path.iterdir()) == []


def test_a_panel_above_the_row_limit_is_refused_with_its_size(tmp_path):
    r = run("export", "panel", "--freq", "day", "-o", str(tmp_path / "p.csv"))
    assert r.exit_code == 2, r.output
    assert "above --max-rows 5,000,000" in r.stderr and "MB as CSV" in r.stderr
    assert list(tmp_path.iterdir()) == []


# --- R8: ~user for an unknown user ------------------------------------------------------------


def test_a_data_folder_under_an_unknown_user_is_one_line(monkeypatch):
    monkeypatch.setenv(config.DATA_DIR_ENV, "~nouser-palermo/x")
    r = run("sources", "update", "SOM", "--base-url", "http://127.0.0.1:9")
    assert r.exit_code == 2
    assert "cannot expand ~nouser-palermo" in r.stderr and "Traceback" not in r.output


# --- R12, R14 -----------------------------------------------------------------------------------


def test_the_same_treaty_twice_is_fetched_once(untc_server, data_dir):
    untc_server.serve(TIP_PATH, tip_fixture())
    r = run("sources", "update", "TIP", "TIP", "--base-url", untc_server.base)
    assert r.exit_code == 0 and r.output.count("[1/1]") == 1 and "[2/" not in r.output


def test_build_help_reads_whole():
    r = run("build", "--help")
    assert '" "' not in r.output and "build the book." in " ".join(r.output.split())


# --- R9: the seminar pack goes through the same output rule -------------------------------


def test_seminar_into_a_missing_parent_says_so_before_running(tmp_path):
    r = run("seminar", "--groups", "1", "-o", str(tmp_path / "missing" / "c2"))
    assert r.exit_code == 2, r.output
    assert f"the folder {tmp_path / 'missing'} does not exist; create it first" in r.stderr
    assert not (tmp_path / "missing").exists()


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


def test_a_pack_folder_palermo_filled_may_be_filled_again(tmp_path):
    from palermo.teaching import seminar

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "index.json").write_text('[{"group": 1, "teacher": "x.ipynb"}]')
    assert seminar.pack_folder(pack) == pack.resolve()


# --- R13: a name with a symbol in it is not a name -----------------------------------------


@pytest.mark.parametrize("typed", ["Italy🍕", "Italy$", "It\x07aly"])
def test_a_name_with_a_symbol_is_refused_with_a_suggestion(typed):
    r = run("participant", typed)
    assert r.exit_code == 2, r.output
    assert "did you mean Italy (ITA)?" in r.stderr and "no participant's name has" in r.stderr


def test_a_typographic_apostrophe_is_an_apostrophe():
    r = run("participant", "Côte d’Ivoire")
    assert r.exit_code == 0 and r.output.startswith("Côte d'Ivoire (CIV)"), r.output


# --- R14: the treaties the help names are the treaties a command accepts -------------------


def test_the_help_names_every_treaty_the_commands_accept():
    import re

    from palermo.cli import TREATY_HELP
    from palermo.data import treaties

    named = set(re.findall(r"\b[A-Z][A-Z0-9]{2,}\b", TREATY_HELP)) - {"UNTC", "XVIII"}
    assert named == {t.short for t in treaties.all_treaties()}
    r = run("status", "NOPE")
    listed = set(re.findall(r"\b([A-Z][A-Z0-9]+) \(", r.stderr))
    assert listed == named, r.stderr
