"""The project's one way of downloading a file over HTTP, used by ``palermo sources fetch`` (the
registered raw files, from their public origins) and ``palermo sources update`` (the UNTC's
current XML).

Every download here:

* goes only to an ``http://`` or ``https://`` address with no user name or password in it (a
  base URL with ``user:pass@`` is refused, so no secret can reach a manifest, record or log);
* follows a redirect only within the host it asked (same scheme, host and port), and refuses
  any other, naming the target;
* has a read timeout (``timeout``: to connect, and between bytes) and a total deadline per file
  (``deadline``, by default ten times the timeout), so a server that trickles bytes cannot hold
  a command for hours;
* refuses a body larger than ``max_bytes``, and one shorter than its ``Content-Length``;
* retries a refused connection or an HTTP 502/503/504 twice, with a short back-off;
* fails with a :class:`DataError` in words (host not found, connection refused, timed out,
  HTTP status, truncated), never an exception's class name.

It keeps nothing: the caller checks the bytes and writes them (atomically) only if they pass.
"""

from __future__ import annotations

import time
import urllib.parse
from dataclasses import dataclass

from .. import __version__
from ..errors import DataError, UsageError

USER_AGENT = (
    f"palermo-companion/{__version__} (research companion to Tennant 2021; "
    "reads treaty status records)"
)
TIMEOUT = 30.0  # seconds to connect, and between bytes
DEADLINE_FACTOR = 10  # a whole file within ten times the read timeout
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

    if given:
        return check_base(given, "--base-url")
    env = os.environ.get(env_var)
    if env:
        return check_base(env, f"${env_var}")
    return default


def check_base(base: str, option: str) -> str:
    """A base URL given by a user: http(s), with a host, no user name or password, no query;
    returned without its trailing slash. UsageError naming ``option`` otherwise."""
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option} {redact(base)!r}: give an http:// or https:// address")
    if parts.username is not None or parts.password is not None:
        raise UsageError(
            f"{option} {redact(base)!r}: a user name or password in the address is not "
            "accepted (it would be written into the fetch records); give a mirror that "
            "needs none"
        )
    if parts.query or parts.fragment:
        raise UsageError(f"{option} {redact(base)!r}: give an address without ? or #")
    return base.rstrip("/")


def redact(url: str) -> str:
    """``url`` with any user name and password replaced by ``***``."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=f"***@{host}"))


def _origin(url: str) -> tuple[str, str, int | None]:
    p = urllib.parse.urlsplit(url)
    port = p.port or {"http": 80, "https": 443}.get(p.scheme)
    return p.scheme, (p.hostname or "").lower(), port


def session():
    """A requests session with the project's user agent and no automatic retries (the retries
    are counted here, so their outcome can be said in words)."""
    import requests

    s = requests.Session()
    s.headers["User-Agent"] = USER_AGENT
    return s


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


def get(
    url: str,
    *,
    what: str,
    timeout: float = TIMEOUT,
    deadline: float | None = None,
    max_bytes: int,
    http=None,
) -> Download:
    """The body of ``url``, or a DataError ``"<what> (<url>): <why>"``. See the module's rules."""
    import requests
    import urllib3

    deadline = deadline if deadline is not None else DEADLINE_FACTOR * timeout
    http = http or session()
    where = f"{what} ({redact(url)})"
    start = time.monotonic()
    asked = _origin(url)
    current = url
    redirects = 0
    tries = 0
    while True:
        tries += 1
        try:
            r = http.get(current, timeout=timeout, stream=True, allow_redirects=False)
        except requests.RequestException as exc:
            why = _in_words(exc, timeout)
            retry = isinstance(exc, requests.ConnectionError) and "refused" in why
            if retry and tries < TRIES and time.monotonic() - start < deadline:
                time.sleep(0.5 * tries)
                continue
            unreachable = any(
                w in why for w in ("host not found", "refused", "unreachable", "cannot connect")
            )
            raise DownloadError(where, why, unreachable) from None
        with r:
            if r.status_code in (301, 302, 303, 307, 308):
                target = urllib.parse.urljoin(current, r.headers.get("Location", ""))
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
                time.sleep(0.5 * tries)
                continue
            if r.status_code != 200:
                after = f" after {tries} tries" if tries > 1 else ""
                raise DownloadError(
                    where, f"HTTP {r.status_code} {r.reason or ''}".rstrip() + after
                )
            data = bytearray()
            try:
                # read1: whatever has arrived (not a full block), so the deadline is checked
                # between the bytes of a server that trickles them
                while chunk := r.raw.read1(1 << 16, decode_content=True):
                    data += chunk
                    if len(data) > max_bytes:
                        raise DownloadError(
                            where, f"more than {max_bytes:,} bytes; not the file expected"
                        )
                    if time.monotonic() - start > deadline:
                        raise DownloadError(
                            where,
                            f"not complete within {deadline:g} s (the server is too slow; the "
                            f"limit is {DEADLINE_FACTOR} x --timeout)",
                        )
            except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
                raise DownloadError(where, _in_words(exc, timeout)) from None
            expected = r.headers.get("Content-Length")
            if expected and expected.isdigit() and "Content-Encoding" not in r.headers:
                if len(data) < int(expected):
                    raise DownloadError(
                        where, f"{len(data):,} of {int(expected):,} bytes arrived (truncated)"
                    )
            return Download(
                url=url,
                final_url=redact(current),
                data=bytes(data),
                last_modified=r.headers.get("Last-Modified"),
            )
