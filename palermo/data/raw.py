"""``palermo sources fetch``: the registered raw files, downloaded from their public origins.

``data/sources.yml`` pins every raw UNTC file by sha256 with the public repository, commit
and path it was copied from. A clone that has neither ``$PALERMO_RAW_DIR`` nor a local mirror
beside it gets each missing file from ``{base}/{owner}/{name}/{commit}/{origin_path}`` (the
public raw-file host by default; ``--base-url`` or ``$PALERMO_RAW_BASE_URL`` for a mirror
with that layout), through the project's one download path (:mod:`.download`). A file is kept
in the data folder's ``raw/`` (under its registry path, as in a mirror) only if its sha256 is
the registry's; a 404, a wrong hash, a truncated body or a timeout keeps nothing of that file
and says which file, which URL and why. One fetch or update at a time per data folder.

The commands that write into the data folder (``sources fetch``, ``update``, ``forget``) first
check that it is a folder (or can be made): ``$PALERMO_DATA_DIR`` naming a file, a dangling
symlink or a symlink loop is one line naming the variable and the path. Read commands need no
such check: they only look for fetched files there, and a data folder that is not a folder
holds none, so they answer as with an empty one (a raw file they need and find nowhere is
named with every place searched). A write the system refuses (a read-only or full disk) names
the folder, not the temporary file palermo was writing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import config
from ..errors import DataError
from ..files import folder_lock, sha256_of, write_atomic
from . import download, registry

MAX_BYTES = 20 * 1024 * 1024  # the largest raw file is about 124 kB
# the temporary files of palermo.files.atomic_path (tempfile.mkstemp's eight characters)
TEMP_FILE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


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


def data_folder() -> Path:
    """The data folder, for a command that writes into it: a folder, or a path where one can
    be made; a DataError naming ``$PALERMO_DATA_DIR`` (or the default) and the path if it is a
    file, a symlink to nothing or a symlink loop."""
    d = config.data_dir()
    env = os.environ.get(config.DATA_DIR_ENV)
    named = f"${config.DATA_DIR_ENV} is {str(d)!r}" if env else f"the data folder {d}"
    advice = (
        "; point it at a folder (one that does not exist yet is made)"
        if env
        else f"; set ${config.DATA_DIR_ENV} to a folder"
    )
    try:
        st = os.stat(d)
    except FileNotFoundError:
        if os.path.islink(d):
            raise DataError(
                f"{named}: a symbolic link to {os.readlink(d)}, which does not exist{advice}"
            ) from None
        return d  # made when first written
    except OSError as exc:
        reasons: dict[int | None, str] = {  # an OSError's errno may be None
            errno.ELOOP: "a symbolic link loop (it never reaches a folder)",
            errno.ENOTDIR: "a part of that path is a file, not a folder",
        }
        why = reasons.get(exc.errno, f"it cannot be read ({exc.strerror})")
        raise DataError(f"{named}: {why}{advice}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise DataError(f"{named}: that is a file, not a folder{advice}")
    return d


@contextlib.contextmanager
def writing(folder: Path) -> Iterator[None]:
    """A write into the data folder the system refuses (read-only, full, not permitted) as a
    DataError naming the folder written into, never the temporary file. An error about a
    path outside the folder passes as it is."""
    try:
        yield
    except OSError as exc:
        name = Path(exc.filename) if getattr(exc, "filename", None) else None
        if name is not None and not name.absolute().is_relative_to(folder.absolute()):
            raise
        if name is not None and name.name.startswith("."):  # a temporary file, or .lock
            name = name.parent
        where = f" (in {name})" if name is not None and name != folder else ""
        raise DataError(
            f"cannot write into the data folder {folder}{where}: {exc.strerror or exc}; make "
            f"it writable, or set ${config.DATA_DIR_ENV} to a folder you can write"
        ) from None


def sweep(folder: Path) -> list[Path]:
    """Remove the temporary files a killed fetch left below ``folder`` (only palermo's own:
    ``.<name>.<8 characters>.tmp``, regular files); call it under :func:`lock`."""
    gone: list[Path] = []
    if not folder.is_dir():
        return gone
    for p in folder.rglob(".*.tmp"):
        if TEMP_FILE.match(p.name) and p.is_file() and not p.is_symlink():
            p.unlink(missing_ok=True)
            gone.append(p)
    return gone


def lock(log: Callable[[str], None] = print):
    """The data folder's lock, shared by `sources fetch` and `sources update`: a second one
    waits for the first. The data folder is checked first (:func:`data_folder`)."""
    folder = data_folder()
    return folder_lock(
        folder, DataError, "another fetch or update is using the data folder", "", log
    )


def _target(folder: Path, source: registry.Source) -> Path:
    """Where a raw file is kept: ``folder/<its registry path>``, never outside ``folder``."""
    rel = PurePosixPath(source.path)
    if rel.is_absolute() or not rel.parts or any(p in ("..", ".", "") for p in rel.parts):
        raise DataError(
            f"{config.SOURCES_YML.name}: {source.id}: path {source.path!r} must be a relative "
            "path without '..' (a file kept inside the data folder)"
        )
    return folder.joinpath(*rel.parts)


def fetch(
    base: str | None = None,
    timeout: float = download.TIMEOUT,
    log: Callable[[str], None] = print,
) -> list[registry.Source]:
    """Download, verify and keep every registered raw file that is not held; the files kept.
    Nothing is printed when every file is held. A DataError lists every file that could not
    be fetched (the others are kept), with its URL and why, and how to use a copy instead.
    Temporary files an earlier, killed fetch left in the data folder's ``raw/`` are swept."""
    timeout = download.check_timeout(timeout)
    b = base_url(base)
    todo = missing(base)
    folder = registry.fetched_raw_dir()
    if not todo:
        if folder.is_dir() and any(TEMP_FILE.match(p.name) for p in folder.rglob(".*.tmp")):
            with writing(data_folder()), lock(log):
                sweep(folder)
        return []
    data = data_folder()
    with writing(data), lock(log):
        sweep(folder)
        registry.forget_verified()  # another process may have fetched them while we waited
        todo = [m for m in todo if not held(m.source)]
        log(f"==> fetching {len(todo)} raw file(s) from {b} into {folder}")
        kept: list[registry.Source] = []
        failed: list[tuple[Missing, str, bool]] = []  # what, why, whether the host was unreachable
        http = download.session()
        for i, m in enumerate(todo, start=1):
            s = m.source
            if failed and failed[-1][2]:  # the host could not be reached: do not ask again
                failed.append((m, "not tried (the host could not be reached)", True))
                continue
            target = _target(folder, s)
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
            write_atomic(target, got.data)
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
