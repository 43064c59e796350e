"""The raw source registry (``data/sources.yml``): locate each raw file and verify its hash.

Raw files stay outside the repository. A file is looked for in ``$PALERMO_RAW_DIR`` if that
is set, else in ``../shared/untc-raw`` beside the repository. A missing file or a file whose
sha256 differs from the registry is a :class:`DataError` naming both places and the hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import DataError
from .paths import ROOT, SOURCES_YML

ENV_VAR = "PALERMO_RAW_DIR"
DEFAULT_RAW_DIR = ROOT.parent / "shared" / "untc-raw"
KINDS = {"snapshot", "header", "index"}
FORMATS = {"untc-csv", "mtdsg-xml", "untc-index-csv"}


@dataclass(frozen=True)
class Source:
    id: str
    path: str
    kind: str
    format: str
    treaty: str | None
    status_date: dt.date
    sha256: str
    untc_page: str
    repository: str
    repository_url: str
    commit: str
    last_commit: str
    licence: str
    blob: str | None = None


def raw_dirs() -> list[Path]:
    """The places searched for raw files, in order."""
    dirs = []
    if os.environ.get(ENV_VAR):
        dirs.append(Path(os.environ[ENV_VAR]).expanduser())
    dirs.append(DEFAULT_RAW_DIR)
    return dirs


@lru_cache(maxsize=4)
def _load_registry(path: Path) -> tuple[Source, ...]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError(f"{path}: the source registry is missing") from exc
    repos = doc.get("repositories") or {}
    out = []
    seen = set()
    for i, entry in enumerate(doc.get("sources") or [], start=1):
        where = f"{path.name}: source #{i} ({entry.get('id', '?')})"
        missing = {"id", "path", "kind", "format", "status_date", "sha256", "repository",
                   "untc_page", "last_commit"} - set(entry)
        if missing:
            raise DataError(f"{where}: missing field(s) {sorted(missing)}")
        if entry["id"] in seen:
            raise DataError(f"{where}: duplicate id")
        seen.add(entry["id"])
        if entry["kind"] not in KINDS:
            raise DataError(f"{where}: kind {entry['kind']!r}; allowed: {sorted(KINDS)}")
        if entry["format"] not in FORMATS:
            raise DataError(f"{where}: format {entry['format']!r}; allowed: {sorted(FORMATS)}")
        if entry["kind"] != "index" and not entry.get("treaty"):
            raise DataError(f"{where}: a {entry['kind']} needs a treaty number")
        repo = repos.get(entry["repository"])
        if repo is None:
            raise DataError(f"{where}: repository {entry['repository']!r} is not under 'repositories'")
        sha = str(entry["sha256"]).lower()
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise DataError(f"{where}: sha256 must be 64 hex digits")
        status_date = entry["status_date"]
        if not isinstance(status_date, dt.date):
            raise DataError(f"{where}: status_date must be an ISO date, got {status_date!r}")
        out.append(Source(
            id=entry["id"], path=entry["path"], kind=entry["kind"], format=entry["format"],
            treaty=entry.get("treaty"), status_date=status_date, sha256=sha,
            untc_page=entry["untc_page"], repository=entry["repository"],
            repository_url=repo["repository"], commit=repo["commit"],
            last_commit=entry["last_commit"], licence=" ".join(str(repo.get("licence", "")).split()),
            blob=entry.get("blob"),
        ))
    return tuple(out)


def registry(path: Path | None = None) -> tuple[Source, ...]:
    """All entries of the registry, in file order."""
    return _load_registry(Path(path or SOURCES_YML))


def get(source_id: str, path: Path | None = None) -> Source:
    for s in registry(path):
        if s.id == source_id:
            return s
    raise DataError(f"no source {source_id!r} in {SOURCES_YML.name}")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


_verified: dict[tuple[str, str], Path] = {}


def locate(source: Source) -> Path:
    """The verified path of a raw file, or a DataError naming every place searched."""
    dirs = raw_dirs()
    key = (source.id, "|".join(map(str, dirs)))
    if key in _verified:
        return _verified[key]
    problems = []
    for d in dirs:
        p = d / source.path
        if not p.is_file():
            problems.append(f"not in {d}")
            continue
        got = sha256_of(p)
        if got == source.sha256:
            _verified[key] = p
            return p
        problems.append(f"{p} has sha256 {got}")
    places = (f"${ENV_VAR} ({os.environ[ENV_VAR]})" if os.environ.get(ENV_VAR) else f"${ENV_VAR} (not set)")
    raise DataError(
        f"raw file {source.path} ({source.id}) with sha256 {source.sha256} not found: "
        + "; ".join(problems)
        + f". Searched {places} and {DEFAULT_RAW_DIR}."
    )


def verify_all() -> list[dict]:
    """Check every registered file; one row per source with its status (never raises)."""
    rows = []
    for s in registry():
        try:
            p = locate(s)
            rows.append({"id": s.id, "path": str(p), "ok": True, "message": "sha256 matches"})
        except DataError as exc:
            rows.append({"id": s.id, "path": s.path, "ok": False, "message": str(exc)})
    return rows


def read_bytes(source: Source) -> bytes:
    return locate(source).read_bytes()
