"""`palermo sources fetch`: the registered raw files, downloaded from a loopback server laid
out as the public raw-file host (BASE/OWNER/NAME/COMMIT/PATH) and checked by sha256, into an
empty data folder with no $PALERMO_RAW_DIR and no mirror beside the repository: what a bare
clone meets. No test reaches any outside host."""

import dataclasses
import errno
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from palermo import config
from palermo.cli import app
from palermo.data import download, raw, registry
from tests.conftest import RAW, forget_caches, one_line_error, run
from tests.loopback import Server, origin_path, spawn, state, wait_for


def fetch(*args):
    return CliRunner().invoke(app, ["sources", "fetch", *args])


def kept(data) -> list[str]:
    root = data / config.RAW_FOLDER
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.unit
def test_every_origin_url_is_the_raw_file_layout_of_its_repository():
    for s in raw.registered():
        owner_name = s.repository_url.removeprefix("https://github.com/")
        assert s.origin_url() == (
            f"{config.RAW_BASE_URL}/{owner_name}/{s.commit}/{s.origin_path}"
        ), s.id
    urls = [s.origin_url() for s in raw.registered()]
    assert len(set(urls)) == len(urls)


@pytest.mark.unit
def test_a_bare_clone_fetches_every_file_then_answers(origin, bare):
    r = fetch("--base-url", origin.base)
    assert r.exit_code == 0, r.output
    n = len(raw.registered())
    assert kept(bare) == sorted(s.path for s in raw.registered())
    assert r.output.count("sha256 matches") == n
    assert f"==> {n} raw file(s) kept" in r.output
    forget_caches()
    s = CliRunner().invoke(app, ["status", "UNTOC", "--as-of", "2010-10-18"])
    assert s.exit_code == 0, s.output
    assert "parties: 157" in s.output
    # all held: a second fetch asks nothing and, with --quiet, prints nothing
    hits = len(origin.hits)
    again = fetch("--base-url", origin.base, "--quiet")
    assert again.exit_code == 0 and again.output == ""
    assert len(origin.hits) == hits
    assert "are held and verified" in fetch("--base-url", origin.base).output


@pytest.mark.unit
def test_the_base_url_may_come_from_the_environment(origin, bare, monkeypatch):
    monkeypatch.setenv(config.RAW_BASE_ENV, origin.base)
    assert fetch().exit_code == 0
    assert len(kept(bare)) == len(raw.registered())


def one_bad(origin, **route):
    """The first registered file served badly (the others well); its registry path."""
    s = raw.registered()[0]
    origin.serve(origin_path(s), **route)
    return s


@pytest.mark.parametrize(
    "case, needle",
    [
        pytest.param("404", "HTTP 404", marks=pytest.mark.unit),
        pytest.param("hash", "the registry pins", marks=pytest.mark.unit),
        pytest.param("truncated", "truncated", marks=pytest.mark.unit),
        # these two wait for the read timeout, and for the whole download's deadline
        pytest.param("timeout", "timed out", marks=pytest.mark.integration),
        pytest.param("slow", "not complete within", marks=pytest.mark.integration),
    ],
)
def test_a_bad_file_is_not_kept_and_is_named_with_its_url_and_why(
    origin, bare, case, needle, monkeypatch
):
    from palermo.data import download

    # the deadline is 3 times the timeout here, not 10: the same watchdog, 7 s sooner
    # (tests/data/test_download.py holds the default factor)
    monkeypatch.setattr(download, "DEADLINE_FACTOR", 3)
    good = (RAW / raw.registered()[0].path).read_bytes()
    route = {
        "404": {"status": 404, "body": b"no such file"},
        "hash": {"body": good.replace(b"a", b"b", 1)},
        "truncated": {"body": good[: len(good) // 2], "length": len(good)},
        "timeout": {"body": good, "delay": 3},
        "slow": {"body": good, "trickle": (20, 0.1)},  # 30 s in all; 0.1 s apart
    }[case]
    s = one_bad(origin, **route)
    start = time.monotonic()
    r = fetch("--base-url", origin.base, "--timeout", "1")
    assert time.monotonic() - start < 30
    assert r.exit_code == 1, r.output
    err = r.stderr
    assert err.startswith("error: 1 raw file(s) could not be fetched"), err
    line = next(x for x in err.splitlines() if x.startswith(f"  {s.path}: "))
    assert s.origin_url(origin.base) in line and needle in line, err
    assert config.RAW_DIR_ENV in err  # how to use a copy instead
    # the bad file is not kept (nor any temporary file); every other one is
    assert kept(bare) == sorted(x.path for x in raw.registered() if x.id != s.id)


@pytest.mark.integration
def test_offline_one_message_lists_every_url_and_asks_the_host_once(bare):
    srv = Server()
    base = srv.base
    srv.close()  # nothing listens there now: connection refused
    start = time.monotonic()
    r = fetch("--base-url", base)
    assert time.monotonic() - start < 15
    assert r.exit_code == 1
    n = len(raw.registered())
    assert r.stderr.startswith(f"error: {n} raw file(s) could not be fetched from {base}:")
    for s in raw.registered():
        assert s.origin_url(base) in r.stderr
    assert r.stderr.count("connection refused") == 1
    assert r.stderr.count("not tried (the host could not be reached)") == n - 1
    assert f"set ${config.RAW_DIR_ENV} to the folder" in r.stderr
    assert "Traceback" not in r.output
    assert not kept(bare)


@pytest.mark.unit
def test_a_command_that_needs_a_missing_raw_file_says_to_fetch_it(bare):
    r = CliRunner().invoke(app, ["status", "UNTOC"])
    assert r.exit_code == 1
    assert "palermo sources fetch" in r.stderr and "github" in r.stderr.lower(), r.stderr
    assert r.stderr.count("\n") == 1


@pytest.mark.unit
def test_redirects_only_within_the_host_asked(origin, bare):
    s = raw.registered()[0]
    other = Server()
    try:
        other.serve(origin_path(s), (RAW / s.path).read_bytes())
        origin.serve(origin_path(s), status=302, headers={"Location": other.base + origin_path(s)})
        r = fetch("--base-url", origin.base)
        assert r.exit_code == 1
        assert f"redirected to {other.base}" in r.stderr and "another host" in r.stderr
        assert not other.hits
        # within the host: followed
        origin.serve("/moved", (RAW / s.path).read_bytes())
        origin.serve(origin_path(s), status=301, headers={"Location": "/moved"})
        assert fetch("--base-url", origin.base).exit_code == 0
        assert len(kept(bare)) == len(raw.registered())
    finally:
        other.close()


@pytest.mark.unit
def test_a_base_url_with_a_password_is_refused_and_never_printed(bare):
    r = fetch("--base-url", "http://me:s3cret@127.0.0.1:9/x")
    assert r.exit_code == 2
    assert "user name or password" in r.stderr and "s3cret" not in r.output


@pytest.mark.unit
@pytest.mark.parametrize("base", ["ftp://127.0.0.1/x", "file:///etc", "http://", "127.0.0.1"])
def test_a_base_url_that_is_not_http_is_refused(bare, base):
    r = fetch("--base-url", base)
    assert r.exit_code == 2 and "http://" in r.stderr


@pytest.mark.integration
def test_download_errors_are_in_words(origin):
    origin.serve("/busy", status=503, body=b"busy")
    with pytest.raises(Exception, match=r"HTTP 503 .* after 3 tries"):
        download.get(origin.base + "/busy", what="x", max_bytes=100)
    origin.serve("/loop", status=302, headers={"Location": "/loop"})
    with pytest.raises(Exception, match="more than 5 redirects"):
        download.get(origin.base + "/loop", what="x", max_bytes=100)
    origin.serve("/big", body=b"x" * 2000)
    with pytest.raises(Exception, match="more than 1,000 bytes"):
        download.get(origin.base + "/big", what="x", max_bytes=1000)


@pytest.mark.integration
def test_a_second_fetch_waits_for_the_first_and_finds_everything_held(origin, bare):
    """Two fetches into one data folder (two `make book` at once): one downloads, the other
    waits for its lock, then finds every file held; no file is lost or half-written."""
    for s in raw.registered():
        origin.routes[origin_path(s)]["delay"] = 0.1
    env = {
        **os.environ,
        config.DATA_DIR_ENV: str(bare),
        config.RAW_BASE_ENV: origin.base,
        "PYTHONPATH": str(config.ROOT),
    }
    env.pop(config.RAW_DIR_ENV, None)
    code = (
        "from palermo import config; from pathlib import Path;"
        f"config.DEFAULT_RAW_DIR = Path({str(config.DEFAULT_RAW_DIR)!r});"
        "from palermo.cli import main; main()"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, "sources", "fetch"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    n = len(raw.registered())
    assert sum(f"==> {n} raw file(s) kept" in o for o in outs) == 1, outs
    assert any("waiting for it" in o or "are held" in o for o in outs), outs
    assert len(origin.hits) == n
    assert kept(bare) == sorted(s.path for s in raw.registered())
    for s in raw.registered():
        assert (bare / config.RAW_FOLDER / s.path).read_bytes() == (RAW / s.path).read_bytes()


# S7: no manifest entry reaches outside the data folder
@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S7")
def test_a_raw_file_is_never_kept_outside_the_data_folder(tmp_path):
    s = dataclasses.replace(raw.registered()[0], path="../../escaped.csv")
    with pytest.raises(raw.DataError, match="without '..'"):
        raw._target(tmp_path / "raw", s)
    s = dataclasses.replace(raw.registered()[0], path="/abs/escaped.csv")
    with pytest.raises(raw.DataError, match="relative path"):
        raw._target(tmp_path / "raw", s)


# S13: empty or spaced base URLs, odd data folders, stray temporary files
@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S13")
def test_temporary_files_a_killed_fetch_left_are_swept(origin, bare):
    keep = raw.registered()[0]
    (bare / "raw" / keep.path).parent.mkdir(parents=True)
    (bare / "raw" / keep.path).write_bytes((RAW / keep.path).read_bytes())
    sub = (bare / "raw" / keep.path).parent
    stray = [sub / ".18-12.csv.rn5uhpfx.tmp", bare / "raw" / ".x.csv.ab_cd123.tmp"]
    others = [sub / ".notes.tmp", sub / "mine.tmp", sub / ".a.b.toolongname.tmp"]
    for p in stray + others:
        p.write_text("left over")
    r = run("sources", "fetch", "--base-url", origin.base)
    assert r.exit_code == 0, r.output
    assert [p for p in stray if p.exists()] == []
    assert all(p.exists() for p in others)  # not palermo's temporary-file names
    # and with every file held, a sweep still happens
    stray[0].write_text("left over again")
    r = run("sources", "fetch", "--base-url", origin.base)
    assert r.exit_code == 0 and not stray[0].exists(), r.output


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S13")
def test_a_read_only_data_folder_is_named_not_a_temporary_file(origin, bare, monkeypatch):
    real = tempfile.mkstemp

    def read_only(*args, dir=None, **kwargs):
        if dir is not None and str(bare) in str(dir):
            name = os.path.join(dir, ".18-12.csv.q1w2e3r4.tmp")
            raise OSError(errno.EROFS, "Read-only file system", name)
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    r = run("sources", "fetch", "--base-url", origin.base)
    assert r.exit_code == 1
    err = one_line_error(
        r, says=(f"cannot write into the data folder {bare}", "Read-only file system")
    )
    assert ".tmp" not in err


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


# sources fetch
@pytest.mark.integration
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


@pytest.mark.integration
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


@pytest.mark.unit
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
