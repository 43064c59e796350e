"""`palermo sources update` against a loopback HTTP server that serves the UNTC path layout,
with fixtures made from the shipped January 2018 XML. No test reaches any outside host."""

import datetime as dt
import errno
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from palermo import config
from palermo.cli import app
from palermo.data import curated, fetch, raw, registry, untc
from palermo.errors import DataError
from tests.conftest import RAW, forget_caches, run
from tests.loopback import TIP_PATH, raw_tip, spawn, state, tip_fixture, wait_for


def nothing_stored(d):
    root = d / "untc"
    return not root.exists() or [p.name for p in root.iterdir()] == []


def update(server, *treaties, timeout=5.0):
    return CliRunner().invoke(
        app, ["sources", "update", *treaties, "--base-url", server.base, "--timeout", str(timeout)]
    )


@pytest.mark.unit
def test_a_successful_update_makes_the_records_complete_through_the_fetch_date(
    untc_server, data_dir
):
    body = tip_fixture(extra_rows=[("South Sudan", "", "9 Apr 2025 a")])
    untc_server.serve(TIP_PATH, body, headers={"Last-Modified": "Tue, 01 Sep 2026 10:00:00 GMT"})
    r = update(untc_server, "TIP")
    assert r.exit_code == 0, r.output
    today = dt.date.today().isoformat()
    manifest = data_dir / "untc" / today / "manifest.yml"
    assert manifest.is_file()
    entry = fetch._manifest(manifest.parent)[0]
    header = untc.parse_header(body, "fixture")
    assert (entry.parties, entry.signatories) == (header["parties"], header["signatories"])
    assert entry.last_modified == "Tue, 01 Sep 2026 10:00:00 GMT" and entry.size == len(body)
    # the fetched file is a raw source now
    src = [s for s in registry.registry() if s.fetched]
    assert [s.treaty for s in src] == ["XVIII-12-a"] and src[0].status_date.isoformat() == today
    forget_caches()
    s = json.loads(CliRunner().invoke(app, ["status", "TIP", "--as-of", "latest", "--json"]).stdout)
    assert s["as_of"] == today and s["parties"] == header["parties"]
    assert s["complete_through"] == today and s["unattributed"] == 0
    # the same day again keeps what it has and fetches nothing
    r = update(untc_server, "TIP")
    assert r.exit_code == 0 and "already fetched" in r.output


@pytest.mark.parametrize(
    "case,needle",
    [
        pytest.param("404", "HTTP 404", marks=pytest.mark.unit),
        pytest.param("html", "not XML", marks=pytest.mark.unit),
        pytest.param("truncated", "truncated", marks=pytest.mark.unit),
        pytest.param("counts", "counts disagree", marks=pytest.mark.unit),
        pytest.param("slow", "timed out", marks=pytest.mark.integration),  # waits for its timeout
        pytest.param("older", "older than the snapshot held", marks=pytest.mark.unit),
    ],
)
def test_a_bad_download_says_which_file_url_and_why_and_stores_nothing(
    untc_server, data_dir, case, needle
):
    good = tip_fixture()
    if case == "html":
        untc_server.serve(TIP_PATH, b"<!DOCTYPE html><html><body>Service unavailable</body></html>")
    elif case == "truncated":
        untc_server.serve(TIP_PATH, good[: len(good) // 2])
    elif case == "counts":
        untc_server.serve(TIP_PATH, tip_fixture(parties_delta=5))
    elif case == "slow":
        untc_server.serve(TIP_PATH, good, delay=3)
    elif case == "older":
        # the held 2018 table less the row of its latest deposit: older than what is held
        held = untc.parse_xml(raw_tip(), "XVIII-12-a", "x", "x")
        last = held.loc[held["date"].idxmax()]
        text = raw_tip().decode("latin-1")
        text = re.sub(
            rf"<Row>\s*<Entry>{re.escape(last['participant'])}</Entry>.*?</Row>",
            "",
            text,
            count=1,
            flags=re.S,
        )
        kept = untc.parse_xml(text.encode("latin-1"), "XVIII-12-a", "x", "x")
        text = re.sub(
            r"<Parties>\d+</Parties>",
            f"<Parties>{int((kept['action'] != 'signature').sum())}</Parties>",
            text,
            count=1,
        )
        text = re.sub(
            r"<Signatories>\d+</Signatories>",
            f"<Signatories>{int((kept['action'] == 'signature').sum())}</Signatories>",
            text,
            count=1,
        )
        untc_server.serve(TIP_PATH, text.encode("latin-1"))
    r = update(untc_server, "TIP", timeout=1.0)
    assert r.exit_code == 1, r.output
    assert needle in r.stderr and TIP_PATH in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert nothing_stored(data_dir)


@pytest.mark.unit
def test_all_or_nothing_when_one_of_several_fails(untc_server, data_dir):
    untc_server.serve(TIP_PATH, tip_fixture())  # SOM is not served: 404
    r = update(untc_server, "TIP", "SOM")
    assert r.exit_code == 1 and "SOM" in r.stderr and "HTTP 404" in r.stderr
    assert nothing_stored(data_dir)


@pytest.mark.unit
def test_an_interrupted_update_leaves_nothing_the_next_one_keeps(untc_server, data_dir):
    stale = data_dir / "untc" / ".fetch-killed"
    stale.mkdir(parents=True)
    (stale / "XVIII-12-a.en.xml").write_bytes(b"<?xml half")
    untc_server.serve(TIP_PATH, tip_fixture())
    assert update(untc_server, "TIP").exit_code == 0
    assert not stale.exists()


@pytest.mark.unit
def test_the_base_url_must_be_http():
    with pytest.raises(Exception, match="http:// or https://"):
        fetch.base_url("ftp://example.invalid")


@pytest.mark.unit
def test_a_fetched_file_that_was_altered_is_refused(untc_server, data_dir):
    untc_server.serve(TIP_PATH, tip_fixture())
    assert update(untc_server, "TIP").exit_code == 0
    f = next((data_dir / "untc").glob("*/XVIII-12-a.en.xml"))
    f.write_bytes(f.read_bytes().replace(b"Albania", b"Albanio"))
    registry._verified.clear()
    untc.forget_parsed()
    with pytest.raises(DataError, match="fetched file untc-fetched-.* not found"):
        untc.snapshot_actions()


@pytest.mark.unit
def test_a_newer_table_that_contradicts_a_curated_row_names_the_row(untc_server, data_dir):
    cur = curated.treaty_actions()
    bhutan = cur[(cur["treaty"] == "XVIII-12-a") & (cur["participant"] == "Bhutan")].iloc[0]
    body = tip_fixture().replace(f"{bhutan['earliest']:%-d %b %Y} a".encode(), b"1 Mar 2023 a")
    untc_server.serve(TIP_PATH, body)
    r = update(untc_server, "TIP")  # refused before it is kept, naming the row
    assert r.exit_code == 1
    assert f"treaty_actions.csv, row {bhutan['row']} (Bhutan, XVIII-12-a)" in r.stderr
    assert "has accession on 2023-03-01" in r.stderr and "the curated row is" in r.stderr
    assert "not kept" in r.stderr and nothing_stored(data_dir)
    assert CliRunner().invoke(app, ["status", "TIP"]).exit_code == 0


@pytest.mark.unit
def test_record_writes_a_snapshot_record_only_when_counts_change(
    untc_server, data_dir, tmp_path, monkeypatch
):
    """The refresh workflow's step: `sources record` after `sources update` writes a record
    (counts and hashes, no raw file) and a table of changes, and nothing when nothing changed."""
    records = tmp_path / "snapshots"
    monkeypatch.setattr(config, "SNAPSHOT_RECORDS", records)
    runner = CliRunner()
    r = runner.invoke(app, ["sources", "record"])
    assert r.exit_code == 2 and "palermo sources update" in r.output, r.output

    untc_server.serve(TIP_PATH, tip_fixture())
    assert update(untc_server, "TIP").exit_code == 0
    summary = tmp_path / "changes.md"
    r = runner.invoke(app, ["sources", "record", "-o", str(summary)])
    assert r.exit_code == 0, r.output
    (written,) = records.glob("untc-*.yml")
    doc = yaml.safe_load(written.read_text())
    assert doc["files"][0]["parties"] == untc.parse_header(tip_fixture(), "f")["parties"]
    assert not list(records.glob("*.xml")) and "| TIP (XVIII-12-a) | – → " in summary.read_text()

    # the same counts again: no record, no summary
    summary.unlink()
    r = runner.invoke(app, ["sources", "record", "-o", str(summary)])
    assert r.exit_code == 0 and "no counts changed" in r.output and not summary.exists()

    # a later fetch with one more party: a new record whose table says before -> after
    later = records / "untc-2000-01-01.yml"  # an older record sorts first and is not compared
    later.write_text("fetched_on: '2000-01-01'\nfiles: []\n")
    entry = yaml.safe_load(written.read_text())["files"][0]
    written.write_text(
        yaml.safe_dump({"fetched_on": doc["fetched_on"], "files": [{**entry, "parties": 1}]})
    )
    r = runner.invoke(app, ["sources", "record", "-o", str(summary)])
    assert r.exit_code == 0, r.output
    assert f"| 1 → {entry['parties']} |" in summary.read_text()


UNTOC_PATH = TIP_PATH.replace("XVIII-12-a", "XVIII-12")


SOM_PATH = TIP_PATH.replace("XVIII-12-a", "XVIII-12-b")


# R2: a file for another treaty at a treaty's address is not kept
@pytest.mark.unit
@pytest.mark.review("reliability-2026-12", "R2")
def test_the_tip_file_at_untocs_address_is_not_kept(untc_server, data_dir):
    untc_server.serve(UNTOC_PATH, tip_fixture())
    r = run("sources", "update", "UNTOC", "--base-url", untc_server.base, "--timeout", "5")
    assert r.exit_code == 1
    assert "this is the file of TIP (XVIII-12-a), not of UNTOC (XVIII-12)" in r.stderr, r.stderr
    assert not (data_dir / "untc").exists() or not list((data_dir / "untc").rglob("*.xml"))
    assert run("participant", "Italy").exit_code == 0


@pytest.mark.unit
@pytest.mark.review("reliability-2026-12", "R2")
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


@pytest.mark.unit
@pytest.mark.review("reliability-2026-12", "R2")
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


@pytest.mark.unit
@pytest.mark.review("reliability-2026-12", "R2")
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


# R3: two updates into one data folder
@pytest.mark.integration
@pytest.mark.review("reliability-2026-12", "R3")
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
    assert sorted(e.treaty for e in held) == ["XVIII-12-a", "XVIII-12-b"]
    assert sorted(p.name for p in folder.glob("*.xml")) == [
        "XVIII-12-a.en.xml",
        "XVIII-12-b.en.xml",
    ]


# R12, R14
@pytest.mark.unit
@pytest.mark.review("reliability-2026-12", "R14")
def test_the_same_treaty_twice_is_fetched_once(untc_server, data_dir):
    untc_server.serve(TIP_PATH, tip_fixture())
    r = run("sources", "update", "TIP", "TIP", "--base-url", untc_server.base)
    assert r.exit_code == 0 and r.output.count("[1/1]") == 1 and "[2/" not in r.output


DAY = "2026-01-15"


# S13: empty or spaced base URLs, odd data folders, stray temporary files
@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S13")
def test_an_update_sweeps_a_manifests_temporary_file(untc_server, data_dir):
    untc_server.serve(TIP_PATH, tip_fixture())
    left = data_dir / "untc" / DAY / ".manifest.yml.k3j_x9aa.tmp"
    left.parent.mkdir(parents=True)
    left.write_text("half a manifest")
    r = run("sources", "update", "TIP", "--base-url", untc_server.base, "--timeout", "5")
    assert r.exit_code == 0, r.output
    assert not left.exists()


SLOW = (2000, 0.25)  # a trickle: some 8 s for a Protocol's XML, 2 kB at a time


@pytest.fixture
def held_fetch(untc_server, tmp_path):
    """A data folder where TIP was fetched today (and the raw files it reads), SOM served
    slowly for the update under test."""
    data = tmp_path / "data"
    for s in raw.registered():  # the raw files the check reads, as a fetch would keep them
        target = data / config.RAW_FOLDER / s.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((RAW / s.path).read_bytes())
    untc_server.serve(TIP_PATH, tip_fixture())
    p = spawn(data, "sources", "update", "TIP", "--base-url", untc_server.base)
    assert p.wait(timeout=120) == 0, p.stderr.read()
    untc_server.serve(SOM_PATH, tip_fixture(number="XVIII-12-b"), trickle=SLOW)
    return data


def som_fetched_after(data: Path, untc_server) -> None:
    """The next update completes, cleans what a killed one left, and keeps both treaties."""
    untc_server.serve(SOM_PATH, tip_fixture(number="XVIII-12-b"))
    p = spawn(data, "sources", "update", "SOM", "--base-url", untc_server.base)
    assert p.wait(timeout=120) == 0, p.stderr.read()
    root = data / fetch.FOLDER
    assert not list(root.glob(".fetch-*"))
    (folder,) = [f for f in root.iterdir()]
    assert sorted(e.treaty for e in fetch._manifest(folder)) == ["XVIII-12-a", "XVIII-12-b"]


@pytest.mark.integration
@pytest.mark.parametrize("sig, code", [("SIGINT", 130), ("SIGTERM", 130), ("SIGKILL", -9)])
def test_an_update_stopped_mid_download_keeps_the_data_folder(held_fetch, untc_server, sig, code):
    import signal

    before = state(held_fetch)
    p = spawn(held_fetch, "sources", "update", "SOM", "--base-url", untc_server.base)
    wait_for(p, "[1/1] SOM")
    time.sleep(1)  # inside the download now
    p.send_signal(getattr(signal, sig))
    _, err = p.communicate(timeout=60)
    assert p.returncode == code, err
    if sig != "SIGKILL":
        assert err.strip() == "error: interrupted", err
        assert not list((held_fetch / fetch.FOLDER).glob(".fetch-*"))  # cleaned on the way out
    assert state(held_fetch) == before  # no file added, none changed
    som_fetched_after(held_fetch, untc_server)


@pytest.mark.integration
def test_two_updates_of_one_treaty_at_once_keep_it_once(held_fetch, untc_server):
    untc_server.serve(SOM_PATH, tip_fixture(number="XVIII-12-b"), delay=1)
    procs = [
        spawn(held_fetch, "sources", "update", "SOM", "--base-url", untc_server.base) for _ in "ab"
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert sum("already fetched" in o for o, _ in outs) == 1, outs
    (folder,) = list((held_fetch / fetch.FOLDER).iterdir())
    assert [e.treaty for e in fetch._manifest(folder)] == ["XVIII-12-a", "XVIII-12-b"]


@pytest.mark.integration
def test_a_full_disk_while_keeping_an_update_keeps_the_data_folder(
    held_fetch, untc_server, monkeypatch
):
    untc_server.serve(SOM_PATH, tip_fixture(number="XVIII-12-b"))
    before = state(held_fetch)

    def full(*a, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setenv(config.DATA_DIR_ENV, str(held_fetch))
    monkeypatch.setattr(config, "DEFAULT_RAW_DIR", held_fetch.parent / "no-shared")
    monkeypatch.delenv(config.RAW_DIR_ENV, raising=False)
    monkeypatch.setattr(fetch, "write_atomic", full)  # the manifest cannot be written
    forget_caches()
    try:
        r = CliRunner().invoke(app, ["sources", "update", "SOM", "--base-url", untc_server.base])
    finally:
        monkeypatch.undo()
        forget_caches()
    assert r.exit_code == 1 and "No space left on device" in r.stderr, r.output
    assert len(r.stderr.strip().splitlines()) == 1
    assert state(held_fetch) == before  # the SOM file moved in was taken out again
    som_fetched_after(held_fetch, untc_server)
