"""Files: the one atomic writer, the one folder lock, and sha256 of a file."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def sha256_of(path: Path | bytes) -> str:
    """The sha256 of a file, or of bytes already read."""
    if isinstance(path, bytes | bytearray):
        return hashlib.sha256(path).hexdigest()
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


@contextlib.contextmanager
def atomic_path(path: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed over ``path`` only if the block
    finishes, removed otherwise, so a reader never sees a half-written file."""
    path = Path(path)
    if path.exists() and not path.is_file():  # never turn a device, pipe or folder into a file
        raise OSError(errno.EEXIST, "not a regular file; nothing was written", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    except OSError as exc:  # a read-only or full folder: name the folder, not a temporary name
        why = exc.strerror or (os.strerror(exc.errno) if exc.errno is not None else str(exc))
        raise OSError(exc.errno, why, str(path.parent)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are for reading
        os.replace(tmp, path)
    except OSError as exc:
        # a full disk, a file-size limit, a folder made read-only: the error names the file
        # being written (never the temporary one, which is removed)
        if exc.errno in WRITE_ERRORS and exc.filename in (None, str(tmp), name):
            raise OSError(exc.errno, exc.strerror or os.strerror(exc.errno), str(path)) from None
        raise
    finally:
        tmp.unlink(missing_ok=True)


WRITE_ERRORS = {
    errno.ENOSPC,
    errno.EFBIG,
    errno.EDQUOT,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.EIO,
}


def read_yaml(path: Path, error: type[Exception], what: str = ""):
    """A YAML document; a missing or malformed file, or a key given twice in one mapping (which
    YAML would otherwise resolve silently to the last value), raises ``error`` naming it."""
    import yaml

    class UniqueKeys(yaml.SafeLoader):
        def compose_node(self, parent, index):
            # an alias (*name) repeats a node: nested, a few hundred bytes expand to gigabytes
            # (reliability probe 3, S13), and no file palermo reads needs one
            if self.check_event(yaml.events.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"an alias (*{event.anchor}) is not read here: write the value out",
                    event.start_mark,
                )
            return super().compose_node(parent, index)

        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key!r} appears twice", key_node.start_mark
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    name = Path(path).name
    try:
        doc = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=UniqueKeys)
    except FileNotFoundError:
        raise error(f"{what or path}: not found ({path})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{what or name}: cannot read {path} ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{name}{line}: not valid YAML ({problem})") from None
    except (ValueError, TypeError) as exc:  # e.g. an unquoted impossible date, 2020-13-23
        raise error(f"{name}: a value is not valid ({exc}); quote it or correct it") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise error(f"{name}: expected a mapping of keys at the top, got a {type(doc).__name__}")
    return doc


def write_atomic(path: Path, content: str | bytes) -> Path:
    """Write text or bytes to ``path`` atomically."""
    with atomic_path(path) as tmp:
        if isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            tmp.write_text(content, encoding="utf-8")
    return Path(path)


@contextlib.contextmanager
def folder_lock(
    folder: Path, error: type[Exception], busy: str, advice: str, wait=None
) -> Iterator[Path]:
    """An exclusive lock on ``folder/.lock`` (the folder is made if needed) for the block.

    If another process holds it: with ``wait`` (a function to report with), say so once and
    wait for it; without, raise ``error`` saying ``busy (pid N)`` and ``advice``. The holder's
    pid is written into the lock file while it is held. A lock dies with its process, so a
    killed holder never leaves one behind."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ".lock"
    with open(path, "a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "?"
            if wait is None:
                raise error(f"{busy} (pid {holder}); {advice} (its lock is {path})") from None
            wait(f"    {busy} (pid {holder}); waiting for it (its lock is {path})")
            fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        try:
            yield path
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)
