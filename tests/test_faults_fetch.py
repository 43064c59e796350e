"""Fault injection on the two download commands, `palermo sources update` (the UNTC XML into
the data folder's fetch folders) and `palermo sources fetch` (the registered raw files into the
data folder's raw/): interrupted (SIGINT, SIGTERM), killed (SIGKILL), run twice at once, and
failing on a full disk. After every fault the data folder holds exactly what it held before,
every earlier file byte for byte, and the next run completes. Loopback servers only."""

import errno
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from palermo import config
from palermo.cli import app
from palermo.data import fetch, raw, registry
from tests.conftest import RAW, forget_caches
from tests.loopback import TIP_PATH, origin_path, tip_fixture

pytestmark = pytest.mark.unit

SOM_PATH = TIP_PATH.replace("XVIII-12-a", "XVIII-12-b")
SLOW = (2000, 0.25)  # a trickle: some 8 s for a Protocol's XML, 2 kB at a time


def state(data: Path) -> dict[str, str]:
    """Every file in the data folder (but its lock) and its sha256."""
    return {
        str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def spawn(data: Path, *args: str) -> subprocess.Popen:
    """The real command in its own process, as a user runs it, with no raw-file mirror beside
    the repository (the raw files come from the data folder or the loopback origin)."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from palermo import config, cli\n"
        f"config.DEFAULT_RAW_DIR = Path({str(data.parent / 'no-shared')!r})\n"
        f"sys.argv = ['palermo', *{list(args)!r}]\n"
        "cli.main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != config.RAW_DIR_ENV}
    env |= {config.DATA_DIR_ENV: str(data), "PYTHONPATH": str(config.ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(p: subprocess.Popen, needle: str, timeout: float = 60) -> list[str]:
    """Read the command's output until a line holds ``needle``."""
    lines, end = [], time.monotonic() + timeout
    while time.monotonic() < end:
        line = p.stdout.readline()
        assert line, (lines, p.stderr.read())
        lines.append(line)
        if needle in line:
            return lines
    raise AssertionError(f"no {needle!r} in {lines}")


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
    assert sorted(e["treaty"] for e in fetch._manifest(folder)) == ["XVIII-12-a", "XVIII-12-b"]


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


def test_two_updates_of_one_treaty_at_once_keep_it_once(held_fetch, untc_server):
    untc_server.serve(SOM_PATH, tip_fixture(number="XVIII-12-b"), delay=1)
    procs = [
        spawn(held_fetch, "sources", "update", "SOM", "--base-url", untc_server.base) for _ in "ab"
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert sum("already fetched" in o for o, _ in outs) == 1, outs
    (folder,) = list((held_fetch / fetch.FOLDER).iterdir())
    assert [e["treaty"] for e in fetch._manifest(folder)] == ["XVIII-12-a", "XVIII-12-b"]


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


# --- sources fetch ----------------------------------------------------------------------------


@pytest.fixture
def half_held(tmp_path, origin):
    """A data folder holding the first half of the raw files; the first missing one served
    slowly."""
    data = tmp_path / "data"
    files = raw.registered()
    for s in files[: len(files) // 2]:
        target = data / config.RAW_FOLDER / s.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((RAW / s.path).read_bytes())
    slow = files[len(files) // 2]
    origin.serve(origin_path(slow), (RAW / slow.path).read_bytes(), trickle=(512, 0.5))
    return data, slow


def all_verified(data: Path) -> None:
    """Every file in raw/ is a registered file with its pinned hash; no temporary file."""
    pinned = {s.path: s.sha256 for s in raw.registered()}
    for path, sha in state(data).items():
        rel = path.removeprefix(config.RAW_FOLDER + "/")
        assert pinned.get(rel) == sha, path


@pytest.mark.parametrize("sig, code", [("SIGINT", 130), ("SIGTERM", 130), ("SIGKILL", -9)])
def test_a_raw_fetch_stopped_mid_download_keeps_every_earlier_file(half_held, origin, sig, code):
    import signal

    data, slow = half_held
    before = state(data)
    p = spawn(data, "sources", "fetch", "--base-url", origin.base)
    wait_for(p, slow.path)
    time.sleep(1)
    p.send_signal(getattr(signal, sig))
    _, err = p.communicate(timeout=60)
    assert p.returncode == code, err
    if sig != "SIGKILL":
        assert err.strip() == "error: interrupted", err
    after = state(data)
    assert {k: after[k] for k in before} == before  # every earlier file, byte for byte
    all_verified(data)  # and nothing partial kept
    assert slow.path not in {k.removeprefix("raw/") for k in after}
    origin.serve(origin_path(slow), (RAW / slow.path).read_bytes())
    p = spawn(data, "sources", "fetch", "--base-url", origin.base)
    assert p.wait(timeout=120) == 0, p.stderr.read()
    all_verified(data)
    assert len(state(data)) == len(raw.registered())


def test_two_raw_fetches_at_once_keep_each_file_once(half_held, origin):
    data, slow = half_held
    origin.serve(origin_path(slow), (RAW / slow.path).read_bytes(), delay=1)
    procs = [spawn(data, "sources", "fetch", "--base-url", origin.base) for _ in "ab"]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert len(state(data)) == len(raw.registered())
    all_verified(data)
    fetched = sum(o.count("sha256 matches") for o, _ in outs)
    assert fetched == len(raw.registered()) - len(raw.registered()) // 2, outs  # each once


def test_a_full_disk_during_a_raw_fetch_keeps_every_earlier_file(half_held, origin, monkeypatch):
    data, slow = half_held
    origin.serve(origin_path(slow), (RAW / slow.path).read_bytes())
    before = state(data)
    real, calls = raw.write_atomic, []

    def full_on_the_second(path, content):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, content)

    monkeypatch.setenv(config.DATA_DIR_ENV, str(data))
    monkeypatch.setattr(config, "DEFAULT_RAW_DIR", data.parent / "no-shared")
    monkeypatch.delenv(config.RAW_DIR_ENV, raising=False)
    monkeypatch.setattr(raw, "write_atomic", full_on_the_second)
    registry.forget_verified()
    forget_caches()
    try:
        r = CliRunner().invoke(app, ["sources", "fetch", "--base-url", origin.base])
    finally:
        monkeypatch.undo()
        registry.forget_verified()
        forget_caches()
    assert r.exit_code == 1 and "No space left on device" in r.stderr, r.output
    after = state(data)
    assert {k: after[k] for k in before} == before
    assert len(after) == len(before) + 1  # the file before the full disk, complete
    all_verified(data)
