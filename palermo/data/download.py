"""The project's one way of downloading a file over HTTP, used by ``palermo sources fetch`` (the
registered raw files, from their public origins) and ``palermo sources update`` (the UNTC's
current XML).

Every download here:

* goes only to an ``http://`` or ``https://`` address with no user name or password in it (a
  base URL with ``user:pass@`` is refused, so no secret can reach a manifest, record or log);
* follows a redirect only within the host it asked (same scheme, host and port), and refuses
  any other, naming the target;
* has a read timeout (``timeout``: to connect, and between bytes) and a total deadline per file
  (``deadline``, by default ten times the timeout) over the whole exchange: the status line,
  the headers and the body. A watchdog cuts the connection when the deadline passes, so a
  server that trickles its headers, its gzip header or its body cannot hold a command for
  hours;
* reads the body as it was sent and undoes a gzip or deflate ``Content-Encoding`` itself, in
  bounded steps, so neither the deadline nor the size limit waits on the decompressor;
* refuses a body larger than ``max_bytes``, and one shorter than its ``Content-Length``;
* retries a refused connection or an HTTP 502/503/504 twice, with a short back-off;
* fails with a :class:`DataError` in words (host not found, connection refused, timed out,
  HTTP status, truncated), never an exception's class name.

It keeps nothing: the caller checks the bytes and writes them (atomically) only if they pass.
"""

from __future__ import annotations

import math
import socket
import threading
import time
import urllib.parse
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .. import __version__
from ..errors import DataError, UsageError

USER_AGENT = (
    f"palermo-companion/{__version__} (research companion to Tennant 2021; "
    "reads treaty status records)"
)
TIMEOUT = 30.0  # seconds to connect, and between bytes
MIN_TIMEOUT, MAX_TIMEOUT = 1.0, 3600.0  # what --timeout accepts
DEADLINE_FACTOR = 10  # a whole file within ten times the read timeout
STEP = 1 << 16  # bytes read, or decompressed, at a time
MAX_REDIRECTS = 5
RETRY_STATUSES = (502, 503, 504)
TRIES = 3


class DownloadError(DataError):
    """A download that failed: ``why`` in words; ``unreachable`` if the host could not be
    reached at all (so a caller need not ask it again for the next file)."""

    def __init__(self, where: str, why: str, unreachable: bool = False):
        super().__init__(f"{where}: {why}")
        self.why = why
        self.unreachable = unreachable


@dataclass(frozen=True)
class Download:
    url: str  # what was asked
    final_url: str  # where the bytes came from (the same host, after any redirect)
    data: bytes
    last_modified: str | None


def base_url(given: str | None, env_var: str, default: str) -> str:
    """The base URL a command uses: ``--base-url``, else ``$env_var``, else ``default``;
    checked by :func:`check_base`."""
    import os

    if given is not None:  # `--base-url ""` (an unset $MIRROR) is refused, not the default
        return check_base(given, "--base-url")
    env = os.environ.get(env_var)
    if env:  # set but empty (`VAR=`): as if unset
        return check_base(env, f"${env_var}")
    return default


def check_base(base: str, option: str) -> str:
    """A base URL given by a user: http(s), with a host and a port from 1 to 65535 if any, no
    spaces, no user name or password, no query; returned without its trailing slash.
    UsageError naming ``option`` otherwise."""
    if not base:
        raise UsageError(
            f"{option} is empty; give an http:// or https:// address, or leave {option} out "
            "to use the default"
        )
    if any(c.isspace() or not c.isprintable() for c in base):
        raise UsageError(
            f"{option} {redact(base)!r}: the address holds spaces or control characters; give "
            "it without them (a space inside a path is written %20)"
        )
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option} {redact(base)!r}: give an http:// or https:// address")
    try:
        port = parts.port
    except ValueError:  # not a number, or above 65535
        port = -1
    if port is not None and not 1 <= port <= 65535:
        raise UsageError(
            f"{option} {redact(base)!r}: the port must be a number from 1 to 65535 (or none, "
            "for the scheme's own)"
        )
    if parts.username is not None or parts.password is not None:
        raise UsageError(
            f"{option} {redact(base)!r}: a user name or password in the address is not "
            "accepted (it would be written into the fetch records); give a mirror that "
            "needs none"
        )
    if parts.query or parts.fragment:
        raise UsageError(f"{option} {redact(base)!r}: give an address without ? or #")
    return base.rstrip("/")


def check_timeout(timeout: float, option: str = "--timeout") -> float:
    """A read timeout given by a user: a number of seconds from MIN_TIMEOUT to MAX_TIMEOUT
    (``inf``, ``nan``, zero, negative and huge values are refused, naming ``option``)."""
    if not (math.isfinite(timeout) and MIN_TIMEOUT <= timeout <= MAX_TIMEOUT):
        raise UsageError(
            f"{option} {timeout:g}: give a number of seconds from {MIN_TIMEOUT:g} to "
            f"{MAX_TIMEOUT:g} (the wait for a server; a whole file may take "
            f"{DEADLINE_FACTOR} times as long)"
        )
    return float(timeout)


def redact(url: str) -> str:
    """``url`` with any user name and password replaced by ``***``."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        port = None
    if port:
        host += f":{port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=f"***@{host}"))


def _origin(url: str) -> tuple[str, str, int | None]:
    p = urllib.parse.urlsplit(url)
    try:
        port = p.port or {"http": 80, "https": 443}.get(p.scheme)
    except ValueError:  # a redirect to a port out of range, or not a number: no host asked
        port = -1
    return p.scheme, (p.hostname or "").lower(), port


# --- the deadline's watchdog ---------------------------------------------------------------

_current = threading.local()  # the watchdog of the download running in this thread


class _Watchdog:
    """Cuts every connection a download uses once ``seconds`` have passed. The socket
    timeout bounds each wait for a byte, not their sum; this bounds the sum, headers
    included. A cut connection reads as closed, so :func:`get` asks :attr:`fired` to say
    why."""

    def __init__(self, seconds: float):
        self.fired = False
        self._socks: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        _current.dog = self
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        _current.dog = None

    def watch(self, sock) -> None:
        with self._lock:
            if not self.fired:
                self._socks.append(sock)
                return
        _cut(sock)  # a connection opened after the deadline

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            socks, self._socks = self._socks, []
        for sock in socks:
            _cut(sock)


def _cut(sock) -> None:
    """Wake whatever waits on ``sock``: shut it down (the plain socket's own call, also under
    TLS, so nothing is changed under the reading thread's feet)."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, TypeError):
        pass


def _watch(sock) -> None:
    dog = getattr(_current, "dog", None)
    if dog is not None and sock is not None:
        dog.watch(sock)


@lru_cache(maxsize=1)
def _adapter_class():
    """A requests adapter whose connections report their socket to the running download's
    watchdog (when connected, and when a reused one waits for an answer)."""
    import requests.adapters
    import urllib3
    from urllib3 import connection

    def watched(cls):
        class Watched(cls):
            def connect(self):
                super().connect()
                _watch(self.sock)

            def getresponse(self, *args, **kwargs):
                _watch(self.sock)
                return super().getresponse(*args, **kwargs)

        return Watched

    class Pool(urllib3.HTTPConnectionPool):
        ConnectionCls = watched(connection.HTTPConnection)

    class TLSPool(urllib3.HTTPSConnectionPool):
        ConnectionCls = watched(connection.HTTPSConnection)

    pools = {"http": Pool, "https": TLSPool}

    class Adapter(requests.adapters.HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = pools

        def proxy_manager_for(self, proxy, **kwargs):
            manager = super().proxy_manager_for(proxy, **kwargs)
            if type(manager) is urllib3.ProxyManager:  # not SOCKS: its pools are its own
                manager.pool_classes_by_scheme = pools
            return manager

    return Adapter


def session():
    """A requests session with the project's user agent, connections the deadline's watchdog
    can cut, only the encodings :func:`get` undoes, and no automatic retries (the retries are
    counted here, so their outcome can be said in words)."""
    import requests

    s = requests.Session()
    s.headers["User-Agent"] = USER_AGENT
    s.headers["Accept-Encoding"] = "gzip, deflate"
    adapter = _adapter_class()
    s.mount("http://", adapter())
    s.mount("https://", adapter())
    return s


# --- Content-Encoding, undone in bounded steps ------------------------------------------------


class _Inflate:
    """One gzip or deflate layer, undone at most :data:`STEP` bytes at a time (a small body
    that inflates to gigabytes is stopped by the size limit, never held whole)."""

    def __init__(self, name: str):
        self.name = name
        self.d = zlib.decompressobj(31) if name == "gzip" else None
        self.head = b""  # deflate: the first bytes, to tell a zlib stream from a raw one
        self.done = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.done:  # bytes after the end of the stream (a server's padding) are ignored
            return
        if self.d is None:
            self.head += data
            if len(self.head) < 2:
                return
            b0, b1 = self.head[0], self.head[1]
            zlib_wrapped = b0 & 0x0F == 8 and (b0 << 8 | b1) % 31 == 0
            self.d = zlib.decompressobj(15 if zlib_wrapped else -15)
            data, self.head = self.head, b""
        while True:
            out = self.d.decompress(data, STEP)
            data = self.d.unconsumed_tail
            if out:
                yield out
            if self.d.eof:
                rest = self.d.unused_data + data
                if self.name == "gzip" and rest.startswith(b"\x1f\x8b"):  # another member
                    self.d = zlib.decompressobj(31)
                    data = rest
                    continue
                self.done = True
                return
            if not data and len(out) < STEP:
                return

    def end(self) -> None:
        if not self.done:
            raise zlib.error("the compressed stream ends before its end (truncated)")


def _layers(encoding: str | None) -> list[_Inflate]:
    """The layers to undo, outermost first; none if any is one :func:`session` did not ask
    for (the bytes are then kept as sent, and the caller's checks judge them)."""
    names = [n.strip().lower() for n in (encoding or "").split(",") if n.strip()]
    names = [{"x-gzip": "gzip"}.get(n, n) for n in names if n != "identity"]
    if any(n not in ("gzip", "deflate") for n in names):
        return []
    return [_Inflate(n) for n in reversed(names)]


def _decoded(layers: list[_Inflate], data: bytes) -> Iterator[bytes]:
    if not layers:
        if data:
            yield data
        return
    for piece in layers[0].feed(data):
        yield from _decoded(layers[1:], piece)


def _in_words(exc: Exception, timeout: float) -> str:
    """Why a request failed, as a sentence."""
    import requests

    text = str(exc)
    low = text.lower()
    if isinstance(exc, requests.Timeout) or "timed out" in low:
        return f"no answer within {timeout:g} s (timed out)"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or "incompleteread" in low:
        return "the connection closed before the whole file arrived (truncated)"
    if isinstance(exc, requests.exceptions.InvalidSchema | requests.exceptions.InvalidURL):
        return "the address is not one that can be downloaded over http(s)"
    if isinstance(exc, requests.ConnectionError):
        if (
            "name or service not known" in low
            or "nodename nor servname" in low
            or ("failed to resolve" in low or "temporary failure in name resolution" in low)
        ):
            return "host not found (its name could not be resolved: offline?)"
        if "connection refused" in low:
            return "connection refused (nothing is listening at that address)"
        if "network is unreachable" in low or "no route to host" in low:
            return "host unreachable (no network route to it: offline?)"
        if "header" in low or "line too long" in low or "got more than" in low:
            return "the server's answer is malformed (its headers are too long or too many)"
        if "reset" in low or "aborted" in low or "remote end closed" in low:
            return "the connection was closed by the server before the file arrived"
        return "cannot connect to the host"
    return "the download failed"


class _Late(Exception):
    """The deadline passed (said in words by :func:`get`)."""


def get(
    url: str,
    *,
    what: str,
    timeout: float = TIMEOUT,
    deadline: float | None = None,
    max_bytes: int,
    http=None,
) -> Download:
    """The body of ``url``, or a DataError ``"<what> (<url>): <why>"``. See the module's rules:
    the whole exchange, from connecting to the last byte, ends within ``deadline`` seconds."""
    deadline = deadline if deadline is not None else DEADLINE_FACTOR * timeout
    for name, value in (("timeout", timeout), ("deadline", deadline)):
        if not (math.isfinite(value) and value > 0):
            raise UsageError(f"download {name} {value:g}: give a positive number of seconds")
    http = http or session()
    where = f"{what} ({redact(url)})"
    late = DownloadError(
        where,
        f"not complete within {deadline:g} s (the server is too slow"
        + (
            f"; the limit is {DEADLINE_FACTOR} x --timeout)"
            if deadline == DEADLINE_FACTOR * timeout
            else ")"
        ),
    )
    with _Watchdog(deadline) as dog:
        try:
            got = _exchange(url, where, timeout, time.monotonic() + deadline, max_bytes, http)
        except _Late:
            raise late from None
        except Exception:  # a cut connection fails in many ways; its cause is the deadline
            if dog.fired:
                raise late from None
            raise
        if dog.fired:  # cut after the last byte, or read as the end of a short body
            raise late
        return got


def _exchange(url: str, where: str, timeout: float, end: float, max_bytes: int, http) -> Download:
    import requests
    import urllib3

    asked = _origin(url)
    current = url
    redirects = 0
    tries = 0
    while True:
        tries += 1
        left = end - time.monotonic()
        if left <= 0:
            raise _Late  # :func:`get` says it in words
        try:
            # to connect: no longer than the time left; then, between bytes: the timeout
            r = http.get(
                current, timeout=(min(timeout, left), timeout), stream=True, allow_redirects=False
            )
        except requests.RequestException as exc:
            why = _in_words(exc, timeout)
            retry = isinstance(exc, requests.ConnectionError) and "refused" in why
            if retry and tries < TRIES and end - time.monotonic() > 0.5 * tries:
                time.sleep(0.5 * tries)
                continue
            unreachable = any(
                w in why for w in ("host not found", "refused", "unreachable", "cannot connect")
            )
            raise DownloadError(where, why, unreachable) from None
        with r:
            if r.status_code in (301, 302, 303, 307, 308):
                location = r.headers.get("Location", "").strip()
                if not location:
                    raise DownloadError(
                        where, f"HTTP {r.status_code} redirect without a Location to go to"
                    )
                target = urllib.parse.urljoin(current, location)
                if _origin(target) != asked:
                    raise DownloadError(
                        where,
                        f"redirected to {redact(target)}, another host; only redirects within "
                        "the host asked are followed (give that address as the base URL if it "
                        "is a mirror you trust)",
                    )
                redirects += 1
                if redirects > MAX_REDIRECTS:
                    raise DownloadError(where, f"more than {MAX_REDIRECTS} redirects (a loop?)")
                current = target
                continue
            if r.status_code in RETRY_STATUSES and tries < TRIES:
                time.sleep(min(0.5 * tries, max(end - time.monotonic(), 0)))
                continue
            if r.status_code != 200:
                after = f" after {tries} tries" if tries > 1 else ""
                raise DownloadError(
                    where, f"HTTP {r.status_code} {r.reason or ''}".rstrip() + after
                )
            data = _body(r, where, timeout, end, max_bytes, requests, urllib3)
            return Download(
                url=url,
                final_url=redact(current),
                data=data,
                last_modified=r.headers.get("Last-Modified"),
            )


def _body(r, where: str, timeout: float, end: float, max_bytes: int, requests, urllib3) -> bytes:
    """The body as sent (read1: whatever has arrived, so the deadline is checked between the
    bytes of a server that trickles them), with its Content-Encoding undone step by step."""
    encoding = r.headers.get("Content-Encoding")
    layers = _layers(encoding)
    too_big = DownloadError(where, f"more than {max_bytes:,} bytes; not the file expected")
    data, sent = bytearray(), 0
    try:
        while chunk := r.raw.read1(STEP, decode_content=False):
            sent += len(chunk)
            if sent > max_bytes:
                raise too_big
            for piece in _decoded(layers, chunk):
                data += piece
                if len(data) > max_bytes:
                    raise too_big
                if time.monotonic() > end:
                    raise _Late
            if time.monotonic() > end:
                raise _Late
        for layer in layers:
            layer.end()
    except zlib.error as exc:
        raise DownloadError(
            where,
            f"the body is not valid {encoding} data, as its Content-Encoding says ({exc})",
        ) from None
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        raise DownloadError(where, _in_words(exc, timeout)) from None
    expected = r.headers.get("Content-Length", "").strip()
    if expected.isdigit() and sent < int(expected):
        raise DownloadError(where, f"{sent:,} of {int(expected):,} bytes arrived (truncated)")
    return bytes(data)
