"""The third reliability probe (../shared/reports/reliability-2026-12b.md), fetch side: S2 (the
total deadline covers the whole exchange), S6 (a malformed fetch manifest is one line naming
it), S7 (no manifest entry reaches outside the data folder), S12 and S13 (odd base URLs,
timeouts and data folders; stray temporary files; `sources record -o` never replaces a file
of the repository). Loopback servers only; no test reaches an outside host."""

import dataclasses
import datetime as dt
import errno
import gzip
import os
import tempfile
import time
import zlib

import pytest
import yaml

from palermo import config
from palermo.data import download, fetch, raw
from palermo.files import sha256_of
from tests.conftest import RAW, forget_caches, run
from tests.loopback import TIP_PATH, Server, raw_tip, tip_fixture

pytestmark = pytest.mark.unit

DAY = "2026-01-15"
TIP = "XVIII-12-a"
TIP_FILE = "XVIII-12-a.en.xml"
SLACK = 1.0  # seconds past the deadline a download may take to stop
# the header of a gzip member whose comment (FCOMMENT) has not ended
GZIP_HEAD = b"\x1f\x8b\x08\x10\x00\x00\x00\x00\x00\xff"


@pytest.fixture
def short_deadline(monkeypatch):
    """The deadline 3 times the timeout instead of 10: the same watchdog, 7 s sooner
    (tests/test_reliability_2026_12.py holds the default factor)."""
    from palermo.data import download

    return lambda: monkeypatch.setattr(download, "DEADLINE_FACTOR", 3)


def error_line(r, *needles) -> str:
    """The result is a one-line `error:` (no traceback) holding every needle."""
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    err = r.stderr.strip()
    assert err.startswith("error: ") and "\n" not in err, r.output
    assert "Traceback" not in r.output
    for n in needles:
        assert str(n) in err, (n, err)
    return err


@pytest.fixture(autouse=True)
def records_elsewhere(tmp_path, monkeypatch):
    """`sources record` writes its records into a temporary folder, never the repository's
    data/snapshots (on code that accepts a bad manifest, it would write one)."""
    monkeypatch.setattr(config, "SNAPSHOT_RECORDS", tmp_path / "snapshots")


@pytest.fixture
def server():
    s = Server()
    s.ENDLESS = 15  # a server that never ends stops after this long (the old code's hang)
    yield s
    s.close()


# --- S2: the deadline covers the status line, the headers and a gzip header ----------------

HOSTILE = {
    # one header byte at a time, never ending: http.client would allow 64 KiB of it
    "slowloris": {"endless": (b"HTTP/1.1 200 OK\r\nX-Slow: ", b"a", 0.2)},
    # a new header line every 0.2 s, up to http.client's 100-header limit
    "many-header-lines": {"endless": (b"HTTP/1.1 200 OK\r\n", b"X-A: b\r\n", 0.2)},
    # the status line itself, trickled
    "status-line": {"endless": (b"HTTP/1.1 2", b"0", 0.2)},
    # a whole, finite header block sent a byte at a time (about 8 s)
    "header-trickle": {
        "body": b"x" * 100,
        "head_trickle": (1, 0.05),
        "headers": {"X-Pad": "p" * 120},
    },
    # a gzip header whose comment never ends: the decompressor has nothing to give yet
    "gzip-comment": {
        "endless": (b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n" + GZIP_HEAD, b"a", 0.2)
    },
    # a valid gzip body, trickled
    "gzip-trickle": {
        "body": gzip.compress(os.urandom(3000)),
        "headers": {"Content-Encoding": "gzip"},
        "trickle": (20, 0.1),
    },
}


@pytest.mark.parametrize("mode", sorted(HOSTILE))
def test_no_download_runs_past_its_deadline(server, mode):
    server.serve("/f", **HOSTILE[mode])
    start = time.monotonic()
    with pytest.raises(download.DownloadError, match="not complete within 2 s"):
        download.get(server.base + "/f", what="f", timeout=1, deadline=2, max_bytes=1 << 20)
    assert time.monotonic() - start < 2 + SLACK


def test_an_update_from_a_server_that_trickles_its_headers_stops_at_the_deadline(
    short_deadline,
    server,
    data_dir,
):
    server.serve(TIP_PATH, **HOSTILE["slowloris"])
    short_deadline()
    start = time.monotonic()
    r = run("sources", "update", "TIP", "--base-url", server.base, "--timeout", "1")
    assert time.monotonic() - start < 3 + 2 * SLACK
    error_line(r, "not complete within 3 s")
    assert not (data_dir / "untc" / config.today().isoformat()).exists()


def origin_path(s) -> str:
    return s.origin_url("http://x").removeprefix("http://x")


@pytest.fixture
def origin(server):
    for s in raw.registered():
        server.serve(origin_path(s), (RAW / s.path).read_bytes())
    return server


def test_a_raw_fetch_from_a_server_that_trickles_its_headers_stops_at_the_deadline(
    origin, bare, short_deadline
):
    slow = raw.registered()[0]
    origin.serve(origin_path(slow), **HOSTILE["slowloris"])
    short_deadline()
    start = time.monotonic()
    r = run("sources", "fetch", "--base-url", origin.base, "--timeout", "1")
    assert time.monotonic() - start < 3 + 5  # the other files take a moment too
    assert r.exit_code == 1 and f"{slow.path}: " in r.stderr
    assert "not complete within 3 s" in r.stderr, r.stderr


def raw_deflate(body: bytes) -> bytes:
    """A deflate stream without its zlib wrapper (which some servers send as deflate)."""
    c = zlib.compressobj(wbits=-15)
    return c.compress(body) + c.flush()


@pytest.mark.parametrize(
    "encoding, encode",
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("deflate", raw_deflate)],
    ids=["gzip", "deflate", "raw-deflate"],
)
def test_compressed_bodies_are_still_read_whole(server, encoding, encode):
    body = os.urandom(50_000) + b"x" * 200_000  # inflates past one step of 64 KiB
    server.serve("/f", encode(body), headers={"Content-Encoding": encoding})
    got = download.get(server.base + "/f", what="f", timeout=5, max_bytes=1 << 20)
    assert got.data == body


def test_a_gzip_bomb_stops_at_the_size_limit(server):
    server.serve("/bomb", gzip.compress(b"\0" * (64 << 20)), headers={"Content-Encoding": "gzip"})
    with pytest.raises(download.DownloadError, match="more than 1,048,576 bytes"):
        download.get(server.base + "/bomb", what="f", timeout=5, max_bytes=1 << 20)


def test_a_bad_gzip_body_and_a_redirect_without_location_say_so(server):
    server.serve("/bad", b"not gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.raises(download.DownloadError, match="not valid gzip data"):
        download.get(server.base + "/bad", what="f", timeout=5, max_bytes=1000)
    server.serve("/noloc", status=302)
    with pytest.raises(download.DownloadError, match="redirect without a Location"):
        download.get(server.base + "/noloc", what="f", timeout=5, max_bytes=1000)


# --- S6: a malformed fetch manifest is one line naming it ------------------------------------


def held_fetch(data, day=DAY, entry=None, doc=None):
    """A fetch folder in ``data`` holding the 2018 TIP XML and its manifest (``entry``
    updates its one entry, ``doc`` replaces the whole manifest's text)."""
    folder = data / "untc" / day
    folder.mkdir(parents=True)
    body = raw_tip()
    (folder / TIP_FILE).write_bytes(body)
    e = {
        "treaty": TIP,
        "file": TIP_FILE,
        "url": "http://127.0.0.1:9/x.xml",
        "fetched_at": f"{day}T10:00:00+00:00",
        "last_modified": None,
        "sha256": sha256_of(body),
        "size": len(body),
        "signatories": 117,
        "parties": 173,
        **(entry or {}),
    }
    text = doc if doc is not None else yaml.safe_dump({"fetched_on": day, "files": [e]})
    (folder / "manifest.yml").write_text(text, encoding="utf-8")
    forget_caches()
    return folder


MALFORMED = {
    "no-file": ("files:\n- treaty: XVIII-12-a\n  sha256: " + "0" * 64 + "\n", "no file"),
    "not-a-date": ("fetched_on: soon\nfiles: []\n", "fetched_on is 'soon'"),
    "files-a-string": ("fetched_on: 2026-01-15\nfiles: oops\n", "files must be a list"),
    "a-list": ("- a\n- b\n", "expected a mapping"),
    "bad-yaml": ("files: [\n  - {a: \n", "not valid YAML"),
    "bad-sha": (None, "sha256 must be 64 hex digits"),
    "parties-text": (None, "parties must be a whole number"),
    "bad-treaty": (None, "is not a UNTC number like XVIII-12-a"),
}
ENTRY_FAULTS = {
    "bad-sha": {"sha256": "xyz"},
    "parties-text": {"parties": "many"},
    "bad-treaty": {"treaty": "../XVIII-12-a"},
}


@pytest.fixture(params=sorted(MALFORMED))
def malformed(request, data_dir):
    text, needle = MALFORMED[request.param]
    folder = held_fetch(data_dir, doc=text, entry=ENTRY_FAULTS.get(request.param))
    return folder / "manifest.yml", needle


@pytest.mark.parametrize(
    "command",
    [
        ["sources"],
        ["sources", "--verify"],
        ["sources", "fetch"],
        ["sources", "update", "TIP", "--base-url", "http://127.0.0.1:9"],
        ["sources", "record"],
    ],
    ids=" ".join,
)
def test_a_malformed_manifest_is_one_line_naming_it(malformed, command):
    manifest, needle = malformed
    r = run(*command)
    assert r.exit_code == 1
    error_line(r, f"fetch manifest {manifest}", needle, f"sources forget {DAY}")


def test_status_names_a_malformed_manifest(malformed):
    manifest, needle = malformed
    r = run("status", "UNTOC")
    error_line(r, f"fetch manifest {manifest}", needle)


def test_a_malformed_fetch_can_be_forgotten_whole(malformed, data_dir):
    manifest, _ = malformed
    r = run("sources", "forget", DAY, "TIP")  # one treaty: the manifest must be read
    error_line(r, str(manifest), f"`palermo sources forget {DAY}`")
    r = run("sources", "forget", DAY)
    assert r.exit_code == 0, r.output
    assert not manifest.parent.exists()
    assert run("sources").exit_code == 0


def stray_folders(data, with_fetch=True):
    """Folders under untc/ that are not fetches (their names are not dates), beside a fetch
    (of the 2018 TIP file, which the curated rows after it contradict: not for `status`)."""
    if with_fetch:
        held_fetch(data)
    notes = data / "untc" / "notes"
    notes.mkdir(parents=True)
    (notes / "manifest.yml").write_text("fetched_on: soon\nmy notes: [unfinished\n")
    (data / "untc" / "2026-13-45").mkdir()
    (data / "untc" / "2026-13-45" / "manifest.yml").write_text("x: 1\n", encoding="utf-8")
    forget_caches()


def test_a_folder_under_untc_that_is_not_a_date_is_skipped(data_dir):
    stray_folders(data_dir)
    assert [f.name for f, _, _ in fetch.fetches()] == [DAY]
    assert fetch.latest_fetch()[0] == dt.date.fromisoformat(DAY)  # not 'notes', sorted last


@pytest.mark.parametrize("command", [["sources"], ["status", "UNTOC"]], ids=" ".join)
def test_every_command_skips_a_folder_under_untc_that_is_not_a_date(data_dir, command):
    stray_folders(data_dir, with_fetch=command == ["sources"])
    r = run(*command)
    assert r.exit_code == 0, r.output


# --- S7: no manifest entry reaches outside the data folder -----------------------------------


@pytest.fixture
def victim(tmp_path):
    v = tmp_path / "victim.txt"
    v.write_bytes(b"a file of the user's, outside the data folder\n")
    return v


def outward(data, victim, how):
    """A fetch whose one entry leads to ``victim``: by ``..``, by an absolute path, or by a
    symbolic link in the fetch folder."""
    sha = sha256_of(victim.read_bytes())
    if how == "dotdot":
        return held_fetch(data, entry={"file": "../../../victim.txt", "sha256": sha})
    if how == "absolute":
        return held_fetch(data, entry={"file": str(victim), "sha256": sha})
    folder = held_fetch(data, entry={"sha256": sha})
    (folder / TIP_FILE).unlink()
    (folder / TIP_FILE).symlink_to(victim)
    return folder


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_no_entry_makes_a_command_reach_outside_the_data_folder(
    data_dir,
    victim,
    how,
):
    folder = outward(data_dir, victim, how)
    before = victim.read_bytes()
    for command in (
        ["sources", "--verify"],
        ["sources", "fetch"],
        ["sources", "update", "TIP", "--base-url", "http://127.0.0.1:9"],
        ["sources", "record"],
        ["sources", "forget", DAY, "TIP"],
    ):
        r = run(*command)
        assert r.exit_code == 1, (command, r.output)
        error_line(r, folder / "manifest.yml", "entry 1 (XVIII-12-a)")
        assert victim.read_bytes() == before, command
    r = run("sources", "forget", DAY)  # the way out: the folder goes, never what it names
    assert r.exit_code == 0, r.output
    assert not folder.exists() and victim.read_bytes() == before


def test_a_fetch_folder_that_is_a_symlink_is_refused_and_forgotten_as_a_link(
    data_dir,
    tmp_path,
):
    elsewhere = held_fetch(tmp_path / "elsewhere")
    (data_dir / "untc").mkdir(parents=True)
    (data_dir / "untc" / DAY).symlink_to(elsewhere)
    forget_caches()
    error_line(run("sources", "--verify"), "is a symbolic link", "remove the link")
    r = run("sources", "forget", DAY)
    assert r.exit_code == 0, r.output
    assert not (data_dir / "untc" / DAY).is_symlink()
    assert (elsewhere / TIP_FILE).is_file() and (elsewhere / "manifest.yml").is_file()


def test_a_raw_file_is_never_kept_outside_the_data_folder(tmp_path):
    s = dataclasses.replace(raw.registered()[0], path="../../escaped.csv")
    with pytest.raises(raw.DataError, match="without '..'"):
        raw._target(tmp_path / "raw", s)
    s = dataclasses.replace(raw.registered()[0], path="/abs/escaped.csv")
    with pytest.raises(raw.DataError, match="relative path"):
        raw._target(tmp_path / "raw", s)


# --- S12: odd ports and timeouts --------------------------------------------------------------


@pytest.mark.parametrize("command", ["fetch", "update"])
@pytest.mark.parametrize(
    "base", ["http://127.0.0.1:99999/ok", "http://127.0.0.1:abc/ok", "http://127.0.0.1:0/ok"]
)
def test_a_bad_port_is_one_line(bare, command, base):
    r = run("sources", command, "--base-url", base)
    assert r.exit_code == 2
    error_line(r, "--base-url", "port must be a number from 1 to 65535")


@pytest.mark.parametrize("command", ["fetch", "update"])
@pytest.mark.parametrize("value", ["inf", "1e300", "nan", "0", "-1", "0.5", "4000"])
def test_a_timeout_out_of_range_is_one_line(bare, command, value):
    r = run("sources", command, "--base-url", "http://127.0.0.1:9", "--timeout", value)
    assert r.exit_code == 2
    error_line(r, "--timeout", "from 1 to 3600")


def test_a_redirect_to_a_bad_port_is_refused_in_words(server):
    server.serve("/r", status=302, headers={"Location": "http://127.0.0.1:99999/x"})
    with pytest.raises(download.DownloadError, match="another host"):
        download.get(server.base + "/r", what="f", timeout=5, max_bytes=100)


# --- S13: empty or spaced base URLs, odd data folders, stray temporary files -----------------


@pytest.mark.parametrize("command", ["fetch", "update"])
def test_an_empty_base_url_is_refused_not_the_public_host(bare, command):
    r = run("sources", command, "--base-url", "")
    assert r.exit_code == 2
    error_line(r, "--base-url is empty")


@pytest.mark.parametrize("command", ["fetch", "update"])
@pytest.mark.parametrize(
    "base", ["  http://127.0.0.1:9/ok", "http://127.0.0.1:9/ok  ", "http://127.0.0.1:9/o k"]
)
def test_a_base_url_with_spaces_is_refused(bare, command, base):
    r = run("sources", command, "--base-url", base)
    assert r.exit_code == 2
    error_line(r, "--base-url", "spaces")


def test_a_base_url_variable_with_spaces_is_refused(bare, monkeypatch):
    monkeypatch.setenv(config.UNTC_BASE_ENV, " http://127.0.0.1:9 ")
    r = run("sources", "update", "TIP")
    error_line(r, f"${config.UNTC_BASE_ENV}", "spaces")


@pytest.fixture(params=["file", "dangling", "loop", "under-a-file"])
def odd_data_dir(request, bare, tmp_path, monkeypatch):
    kind = request.param
    p = tmp_path / "odd"
    if kind == "file":
        p.write_text("not a folder\n")
        needle = "that is a file, not a folder"
    elif kind == "dangling":
        p.symlink_to(tmp_path / "nowhere")
        needle = "which does not exist"
    elif kind == "loop":
        p.symlink_to(tmp_path / "odd2")
        (tmp_path / "odd2").symlink_to(p)
        needle = "symbolic link loop"
    else:
        (tmp_path / "f").write_text("x")
        p = tmp_path / "f" / "data"
        needle = "a part of that path is a file"
    monkeypatch.setenv(config.DATA_DIR_ENV, str(p))
    forget_caches()
    return p, needle


@pytest.mark.parametrize(
    "command",
    [
        ["sources", "fetch", "--base-url", "http://127.0.0.1:9"],
        ["sources", "update", "TIP", "--base-url", "http://127.0.0.1:9"],
        ["sources", "forget", DAY],
    ],
    ids=lambda c: c[1],
)
def test_a_data_folder_that_is_not_a_folder_is_named(odd_data_dir, command):
    path, needle = odd_data_dir
    r = run(*command)
    assert r.exit_code == 1
    error_line(r, f"${config.DATA_DIR_ENV} is '{path}'", needle)


def test_read_commands_answer_as_with_an_empty_data_folder(odd_data_dir):
    r = run("sources")
    assert r.exit_code == 0, r.output
    assert "untc-fetched" not in r.stdout


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


def test_an_update_sweeps_a_manifests_temporary_file(untc_server, data_dir):
    untc_server.serve(TIP_PATH, tip_fixture())
    left = data_dir / "untc" / DAY / ".manifest.yml.k3j_x9aa.tmp"
    left.parent.mkdir(parents=True)
    left.write_text("half a manifest")
    r = run("sources", "update", "TIP", "--base-url", untc_server.base, "--timeout", "5")
    assert r.exit_code == 0, r.output
    assert not left.exists()


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
    err = error_line(r, f"cannot write into the data folder {bare}", "Read-only file system")
    assert ".tmp" not in err


@pytest.mark.parametrize("target", ["CONTRIBUTING.md", "data/snapshots/README.md"])
def test_record_never_replaces_a_file_of_the_repository(target):
    path = config.ROOT / target
    before = path.read_bytes()
    r = run("sources", "record", "-o", str(path), "--force")
    assert r.exit_code == 2
    error_line(r, "a file of the repository", "outside")
    assert path.read_bytes() == before


def test_record_may_write_a_file_outside_the_repository(tmp_path):
    from palermo import cli

    cli._not_a_repository_file(tmp_path / "changes.md")  # no error
    cli._not_a_repository_file(config.ROOT / "_build" / "no-such-file-palermo.md")
    with pytest.raises(cli.UsageError, match="a file of the repository"):
        cli._not_a_repository_file((config.ROOT / "README.md").resolve())
