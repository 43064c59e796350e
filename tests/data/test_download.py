"""The one download path (palermo.data.download): http(s) only, redirects within the host,
a read timeout and a total deadline, errors in words. Loopback servers only."""

import gzip
import os
import time
import zlib

import pytest

from palermo import config
from palermo.data import download, raw
from tests.conftest import RAW, one_line_error, run
from tests.loopback import TIP_PATH, Server, origin_path, tip_fixture


# R4: redirects and credentials
@pytest.mark.unit
@pytest.mark.review("reliability-2026-12", "R4")
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


# R6: a trickling server cannot hold an update
@pytest.mark.integration
@pytest.mark.review("reliability-2026-12", "R6")
def test_update_has_a_total_deadline(untc_server, data_dir):
    untc_server.serve(TIP_PATH, tip_fixture(), trickle=(200, 0.1))  # about 30 s in all
    r = run("sources", "update", "TIP", "--base-url", untc_server.base, "--timeout", "1")
    assert r.exit_code == 1 and "not complete within 10 s" in r.stderr


SLACK = 1.0  # seconds past the deadline a download may take to stop


# the header of a gzip member whose comment (FCOMMENT) has not ended
GZIP_HEAD = b"\x1f\x8b\x08\x10\x00\x00\x00\x00\x00\xff"


@pytest.fixture
def short_deadline(monkeypatch):
    """The deadline 3 times the timeout instead of 10: the same watchdog, 7 s sooner
    (test_update_has_a_total_deadline holds the default factor)."""
    from palermo.data import download

    return lambda: monkeypatch.setattr(download, "DEADLINE_FACTOR", 3)


@pytest.fixture
def server():
    s = Server()
    s.ENDLESS = 15  # a server that never ends stops after this long (the old code's hang)
    yield s
    s.close()


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


@pytest.fixture
def server_origin(server):
    """The raw files as their public host serves them, from `server` (see above)."""
    for s in raw.registered():
        server.serve(origin_path(s), (RAW / s.path).read_bytes())
    return server


def raw_deflate(body: bytes) -> bytes:
    """A deflate stream without its zlib wrapper (which some servers send as deflate)."""
    c = zlib.compressobj(wbits=-15)
    return c.compress(body) + c.flush()


# S2: the deadline covers the status line, the headers and a gzip header
@pytest.mark.integration
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S2")
@pytest.mark.parametrize("mode", sorted(HOSTILE))
def test_no_download_runs_past_its_deadline(server, mode):
    server.serve("/f", **HOSTILE[mode])
    start = time.monotonic()
    with pytest.raises(download.DownloadError, match="not complete within 2 s"):
        download.get(server.base + "/f", what="f", timeout=1, deadline=2, max_bytes=1 << 20)
    assert time.monotonic() - start < 2 + SLACK


@pytest.mark.integration
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S2")
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
    one_line_error(r, says=("not complete within 3 s",))
    assert not (data_dir / "untc" / config.today().isoformat()).exists()


@pytest.mark.integration
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S2")
def test_a_raw_fetch_from_a_server_that_trickles_its_headers_stops_at_the_deadline(
    server_origin, bare, short_deadline
):
    slow = raw.registered()[0]
    server_origin.serve(origin_path(slow), **HOSTILE["slowloris"])
    short_deadline()
    start = time.monotonic()
    r = run("sources", "fetch", "--base-url", server_origin.base, "--timeout", "1")
    assert time.monotonic() - start < 3 + 5  # the other files take a moment too
    assert r.exit_code == 1 and f"{slow.path}: " in r.stderr
    assert "not complete within 3 s" in r.stderr, r.stderr


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S2")
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


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S2")
def test_a_gzip_bomb_stops_at_the_size_limit(server):
    server.serve("/bomb", gzip.compress(b"\0" * (64 << 20)), headers={"Content-Encoding": "gzip"})
    with pytest.raises(download.DownloadError, match="more than 1,048,576 bytes"):
        download.get(server.base + "/bomb", what="f", timeout=5, max_bytes=1 << 20)


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S2")
def test_a_bad_gzip_body_and_a_redirect_without_location_say_so(server):
    server.serve("/bad", b"not gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.raises(download.DownloadError, match="not valid gzip data"):
        download.get(server.base + "/bad", what="f", timeout=5, max_bytes=1000)
    server.serve("/noloc", status=302)
    with pytest.raises(download.DownloadError, match="redirect without a Location"):
        download.get(server.base + "/noloc", what="f", timeout=5, max_bytes=1000)


# S12: odd ports and timeouts
@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S12")
@pytest.mark.parametrize("command", ["fetch", "update"])
@pytest.mark.parametrize(
    "base", ["http://127.0.0.1:99999/ok", "http://127.0.0.1:abc/ok", "http://127.0.0.1:0/ok"]
)
def test_a_bad_port_is_one_line(bare, command, base):
    r = run("sources", command, "--base-url", base)
    assert r.exit_code == 2
    one_line_error(r, says=("--base-url", "port must be a number from 1 to 65535"))


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S12")
@pytest.mark.parametrize("command", ["fetch", "update"])
@pytest.mark.parametrize("value", ["inf", "1e300", "nan", "0", "-1", "0.5", "4000"])
def test_a_timeout_out_of_range_is_one_line(bare, command, value):
    r = run("sources", command, "--base-url", "http://127.0.0.1:9", "--timeout", value)
    assert r.exit_code == 2
    one_line_error(r, says=("--timeout", "from 1 to 3600"))


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S12")
def test_a_redirect_to_a_bad_port_is_refused_in_words(server):
    server.serve("/r", status=302, headers={"Location": "http://127.0.0.1:99999/x"})
    with pytest.raises(download.DownloadError, match="another host"):
        download.get(server.base + "/r", what="f", timeout=5, max_bytes=100)


# S13: empty or spaced base URLs, odd data folders, stray temporary files
@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S13")
@pytest.mark.parametrize("command", ["fetch", "update"])
def test_an_empty_base_url_is_refused_not_the_public_host(bare, command):
    r = run("sources", command, "--base-url", "")
    assert r.exit_code == 2
    one_line_error(r, says=("--base-url is empty",))


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S13")
@pytest.mark.parametrize("command", ["fetch", "update"])
@pytest.mark.parametrize(
    "base", ["  http://127.0.0.1:9/ok", "http://127.0.0.1:9/ok  ", "http://127.0.0.1:9/o k"]
)
def test_a_base_url_with_spaces_is_refused(bare, command, base):
    r = run("sources", command, "--base-url", base)
    assert r.exit_code == 2
    one_line_error(r, says=("--base-url", "spaces"))


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S13")
def test_a_base_url_variable_with_spaces_is_refused(bare, monkeypatch):
    monkeypatch.setenv(config.UNTC_BASE_ENV, " http://127.0.0.1:9 ")
    r = run("sources", "update", "TIP")
    one_line_error(r, says=(f"${config.UNTC_BASE_ENV}", "spaces"))
