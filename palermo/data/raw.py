"""``palermo sources fetch``: the registered raw files, downloaded from their public origins.

``data/sources.yml`` pins every raw UNTC file by sha256 with the public repository, commit
and path it was copied from. A clone that has neither ``$PALERMO_RAW_DIR`` nor a local mirror
beside it gets each missing file from ``{base}/{owner}/{name}/{commit}/{origin_path}`` (the
public raw-file host by default; ``--base-url`` or ``$PALERMO_RAW_BASE_URL`` for a mirror
with that layout), through the project's one download path (:mod:`.download`). A file is kept
in the data folder's ``raw/`` (under its registry path, as in a mirror) only if its sha256 is
the registry's; a 404, a wrong hash, a truncated body or a timeout keeps nothing of that file
and says which file, which URL and why. One fetch or update at a time per data folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import config
from ..errors import DataError
from ..files import folder_lock, sha256_of, write_atomic
from . import download, registry

MAX_BYTES = 20 * 1024 * 1024  # the largest raw file is about 124 kB


@dataclass(frozen=True)
class Missing:
    source: registry.Source
    url: str


def base_url(given: str | None = None) -> str:
    """The base URL: ``--base-url``, else ``$PALERMO_RAW_BASE_URL``, else the public host."""
    return download.base_url(given, config.RAW_BASE_ENV, config.RAW_BASE_URL)


def registered() -> list[registry.Source]:
    """The raw files of data/sources.yml (not the snapshots `sources update` fetched)."""
    return [s for s in registry.registry() if not s.fetched]


def held(source: registry.Source) -> bool:
    try:
        registry.locate(source)
    except DataError:
        return False
    return True


def missing(base: str | None = None) -> list[Missing]:
    """Every registered raw file found nowhere (or only altered), with its URL."""
    b = base_url(base)
    return [Missing(s, s.origin_url(b)) for s in registered() if not held(s)]


def lock(log: Callable[[str], None] = print):
    """The data folder's lock, shared by `sources fetch` and `sources update`: a second one
    waits for the first."""
    return folder_lock(
        config.data_dir(), DataError, "another fetch or update is using the data folder", "", log
    )


def fetch(
    base: str | None = None,
    timeout: float = download.TIMEOUT,
    log: Callable[[str], None] = print,
) -> list[registry.Source]:
    """Download, verify and keep every registered raw file that is not held; the files kept.
    Nothing is printed when every file is held. A DataError lists every file that could not
    be fetched (the others are kept), with its URL and why, and how to use a copy instead."""
    todo = missing(base)
    if not todo:
        return []
    b = base_url(base)
    folder = registry.fetched_raw_dir()
    with lock(log):
        registry.forget_verified()  # another process may have fetched them while we waited
        todo = [m for m in todo if not held(m.source)]
        log(f"==> fetching {len(todo)} raw file(s) from {b} into {folder}")
        kept, failed = [], []
        http = download.session()
        for i, m in enumerate(todo, start=1):
            s = m.source
            if failed and failed[-1][2]:  # the host could not be reached: do not ask again
                failed.append((m, "not tried (the host could not be reached)", True))
                continue
            log(f"[{i}/{len(todo)}] {s.path}")
            try:
                got = download.get(
                    m.url, what=s.path, timeout=timeout, max_bytes=MAX_BYTES, http=http
                )
            except download.DownloadError as exc:
                failed.append((m, exc.why, exc.unreachable))
                log(f"    not kept: {exc.why}")
                continue
            sha = sha256_of(got.data)
            if sha != s.sha256:
                why = (
                    f"its sha256 is {sha}, the registry pins {s.sha256} (a different or "
                    "altered file)"
                )
                failed.append((m, why, False))
                log(f"    not kept: {why}")
                continue
            write_atomic(folder / s.path, got.data)
            kept.append(s)
            log(f"    kept ({len(got.data):,} bytes, sha256 matches)")
        registry.forget_verified()
    if failed:
        raise DataError(_failure_message(failed, kept, b))
    log(f"==> {len(kept)} raw file(s) kept in {folder}")
    return kept


def _failure_message(failed, kept, base: str) -> str:
    lines = [
        f"{len(failed)} raw file(s) could not be fetched from {base}"
        + (f" ({len(kept)} other(s) kept)" if kept else "")
        + ":"
    ]
    for m, why, _ in failed:
        lines.append(f"  {m.source.path}: {m.url}: {why}")
    lines.append(
        f"Offline, or with a copy of these files: set ${config.RAW_DIR_ENV} to the folder "
        "that holds them in the layout above (for example "
        f"{config.RAW_DIR_ENV}=/path/to/untc-raw make book), or give a mirror of the raw-file "
        f"host with --base-url or ${config.RAW_BASE_ENV}. Nothing of these files was kept."
    )
    return "\n".join(lines)
