"""A loopback HTTP server for the download tests, and the files it serves: UNTC tables made from
the shipped January 2018 XML, and the raw files at their public host's paths; and the download
commands run in a process of their own, as the fault tests interrupt them. Nothing here
reaches an outside host; the fixtures that start a server are in conftest.py."""

import hashlib
import http.server
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from palermo import config
from palermo.data import curated, registry, untc


class Server:
    """Serves ``path -> route`` on 127.0.0.1. A route is (status, body, headers, delay in
    seconds); ``length`` overrides the Content-Length sent (a truncated body), ``trickle``
    = (bytes, seconds) sends the body that many bytes at a time, that long apart, and
    ``head_trickle`` = (bytes, seconds) sends the status line and headers so. ``endless`` =
    (prefix, piece, seconds) sends ``prefix`` (raw bytes: a status line, headers, the start
    of a body), then ``piece`` every so many seconds until the client goes away (at most
    :attr:`ENDLESS` seconds, settable per server): a server that never finishes its headers or
    its gzip header."""

    ENDLESS = 120.0

    def __init__(self):
        self.routes = {}
        self.hits = []
        routes, hits, outer = self.routes, self.hits, self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                r = routes.get(self.path, {"status": 404, "body": b"not found"})
                time.sleep(r.get("delay", 0))
                body = r.get("body", b"")
                try:
                    if r.get("endless"):
                        self.close_connection = True
                        prefix, piece, pause = r["endless"]
                        self.wfile.write(prefix)
                        self.wfile.flush()
                        stop = time.monotonic() + outer.ENDLESS
                        while time.monotonic() < stop:
                            time.sleep(pause)
                            self.wfile.write(piece)
                            self.wfile.flush()
                        return
                    if r.get("head_trickle"):
                        size, pause = r["head_trickle"]
                        status = r.get("status", 200)
                        lines = [f"HTTP/1.1 {status} {self.responses[status][0]}"]
                        lines += [f"{k}: {v}" for k, v in r.get("headers", {}).items()]
                        lines.append(f"Content-Length: {r.get('length', len(body))}")
                        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
                        for i in range(0, len(head), size):
                            self.wfile.write(head[i : i + size])
                            self.wfile.flush()
                            time.sleep(pause)
                    else:
                        self.send_response(r.get("status", 200))
                        for k, v in r.get("headers", {}).items():
                            self.send_header(k, v)
                        self.send_header("Content-Length", str(r.get("length", len(body))))
                        self.end_headers()
                    if r.get("trickle"):
                        size, pause = r["trickle"]
                        for i in range(0, len(body), size):
                            self.wfile.write(body[i : i + size])
                            self.wfile.flush()
                            time.sleep(pause)
                    else:
                        self.wfile.write(body)
                    if "length" in r:
                        self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):  # the client went away
                    self.close_connection = True

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        # a short poll: shutdown() waits for it, once per test that serves (0.5 s by default)
        threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def serve(self, path, body=b"", status=200, headers=None, delay=0.0, **more):
        self.routes[path] = {
            "status": status,
            "body": body,
            "headers": headers or {},
            "delay": delay,
            **more,
        }

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


TIP_PATH = "/doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-12-a.en.xml"


def raw_tip() -> bytes:
    """The shipped January 2018 TIP XML."""
    return registry.read_bytes(registry.get("untc-2018-XVIII-12-a"))


def _row(name: str, sig: str, consent: str) -> str:
    sig_cell = f"<Entry>{sig}</Entry>" if sig else "<Entry />"
    return f"<Row><Entry>{name}</Entry>{sig_cell}<Entry>{consent}</Entry></Row>\n"


def tip_fixture(extra_rows=(), parties_delta=0, number="XVIII-12-a") -> bytes:
    """The 2018 XML of a Protocol (TIP by default) with its curated accessions added (as a
    newer table would have them), any extra rows, and its header set to its table's counts
    (plus parties_delta)."""
    text = registry.read_bytes(registry.get(f"untc-2018-{number}")).decode("latin-1")
    rows = []
    cur = curated.treaty_actions()
    for r in cur[cur["treaty"] == number].itertuples():
        assert r.action == "accession", r  # a fixture of accessions only
        rows.append(_row(r.participant, "", f"{r.earliest:%-d %b %Y} a"))
    rows += [_row(*x) for x in extra_rows]
    text = text.replace("</Rows>", "".join(rows) + "</Rows>", 1)
    table = untc.parse_xml(text.encode("latin-1"), number, "x", "x")
    parties = int((table["action"] != "signature").sum()) + parties_delta
    signatories = int((table["action"] == "signature").sum())
    text = re.sub(r"<Parties>\d+</Parties>", f"<Parties>{parties}</Parties>", text, count=1)
    text = re.sub(
        r"<Signatories>\d+</Signatories>",
        f"<Signatories>{signatories}</Signatories>",
        text,
        count=1,
    )
    return text.encode("latin-1")


def origin_path(s: registry.Source) -> str:
    return urllib.parse.urlsplit(s.origin_url("http://x")).path


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
