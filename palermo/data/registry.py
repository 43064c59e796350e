"""The raw-input registry (``data/sources.yml``) and the one locator for registered files.

Raw UNTC files stay outside the repository: a file is looked for in ``$PALERMO_RAW_DIR`` if
set, then in ``../shared/untc-raw`` beside the repository where it exists (a local mirror),
then in the data folder's ``raw/``, where ``palermo sources fetch`` keeps the copies it
downloads from each file's public origin (:func:`Source.origin_url`). The map geometry is
looked for in ``$PALERMO_GEO_DIR``, else in ``.npm-data`` (installed by ``make book``). Either
way, a missing file or one whose sha256 differs from the registry is a :class:`DataError`
naming every place searched, the hash and how to get the file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import config
from ..errors import DataError
from ..files import read_yaml, sha256_of

KINDS = ("snapshot", "header", "index")
FORMATS = ("untc-csv", "mtdsg-xml", "untc-index-csv")
_REQUIRED = (
    "id",
    "path",
    "kind",
    "format",
    "status_date",
    "sha256",
    "repository",
    "untc_page",
    "last_commit",
    "origin_path",
)


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
    origin_path: str = ""  # the file's path in its repository at ``commit``
    blob: str | None = None
    root: str | None = None  # fetched files: the data folder they live in

    @property
    def fetched(self) -> bool:
        return self.root is not None

    @property
    def treaty_number(self) -> str:
        """``treaty``, for a file that has one: every file but the index (:func:`_source`
        refuses a snapshot or header without); DataError for one without."""
        if self.treaty is None:
            raise DataError(f"{self.id}: a {self.kind} needs a treaty number")
        return self.treaty

    def as_dict(self) -> dict:
        """As ``palermo sources --json`` lists it (``repository`` is the repository's address)."""
        return {
            "id": self.id,
            "treaty": self.treaty,
            "kind": self.kind,
            "format": self.format,
            "status_date": str(self.status_date),
            "path": self.path,
            "sha256": self.sha256,
            "repository": self.repository_url,
            "commit": self.commit,
            "untc_page": self.untc_page,
        }

    def origin_url(self, base: str | None = None) -> str:
        """Where ``palermo sources fetch`` downloads the file: ``{base}/{owner}/{name}/
        {commit}/{origin_path}`` (the public raw-file host's layout, or a mirror's)."""
        owner_name = self.repository_url.removeprefix("https://github.com/").strip("/")
        base = (base or config.RAW_BASE_URL).rstrip("/")
        return f"{base}/{owner_name}/{self.commit}/{self.origin_path}"


@dataclass(frozen=True)
class Geometry:
    id: str
    package: str
    version: str
    registry: str
    path: str
    object: str
    sha256: str
    licence: str


@dataclass(frozen=True)
class Registry:
    sources: tuple[Source, ...]
    geometry: tuple[Geometry, ...]


def _one_line(text) -> str:
    return " ".join(str(text or "").split())


def _check_sha(where: str, value) -> str:
    sha = str(value).lower()
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise DataError(f"{where}: sha256 must be 64 hex digits")
    return sha


def _source(entry: dict, repos: dict, where: str) -> Source:
    missing = sorted(set(_REQUIRED) - set(entry))
    if missing:
        raise DataError(f"{where}: missing field(s) {missing}")
    if entry["kind"] not in KINDS:
        raise DataError(f"{where}: kind {entry['kind']!r}; allowed: {', '.join(KINDS)}")
    if entry["format"] not in FORMATS:
        raise DataError(f"{where}: format {entry['format']!r}; allowed: {', '.join(FORMATS)}")
    if entry["kind"] != "index" and not entry.get("treaty"):
        raise DataError(f"{where}: a {entry['kind']} needs a treaty number")
    repo = repos.get(entry["repository"])
    if repo is None:
        raise DataError(f"{where}: repository {entry['repository']!r} is not under 'repositories'")
    if not isinstance(entry["status_date"], dt.date):
        raise DataError(f"{where}: status_date must be an ISO date, got {entry['status_date']!r}")
    if Path(entry["origin_path"]).name != Path(entry["path"]).name:
        raise DataError(
            f"{where}: origin_path {entry['origin_path']!r} and path {entry['path']!r} must "
            "name the same file"
        )
    if not str(repo["repository"]).startswith("https://github.com/"):
        raise DataError(f"{where}: the repository must be a https://github.com/ address")
    return Source(
        id=entry["id"],
        path=entry["path"],
        kind=entry["kind"],
        format=entry["format"],
        treaty=entry.get("treaty"),
        status_date=entry["status_date"],
        sha256=_check_sha(where, entry["sha256"]),
        untc_page=entry["untc_page"],
        repository=entry["repository"],
        repository_url=repo["repository"],
        commit=repo["commit"],
        last_commit=entry["last_commit"],
        licence=_one_line(repo.get("licence")),
        origin_path=entry["origin_path"],
        blob=entry.get("blob"),
    )


@lru_cache(maxsize=4)
def _load(path: Path) -> Registry:
    doc = read_yaml(path, DataError, "the source registry")
    repos = doc.get("repositories") or {}
    sources, seen = [], set()
    for i, entry in enumerate(doc.get("sources") or [], start=1):
        where = f"{path.name}: source #{i} ({entry.get('id', '?')})"
        if entry.get("id") in seen:
            raise DataError(f"{where}: duplicate id")
        seen.add(entry.get("id"))
        sources.append(_source(entry, repos, where))
    geometry = []
    for i, g in enumerate(doc.get("geometry") or [], start=1):
        where = f"{path.name}: geometry #{i} ({g.get('id', '?')})"
        try:
            geometry.append(
                Geometry(
                    id=g["id"],
                    package=g["package"],
                    version=str(g["version"]),
                    registry=g["registry"],
                    path=g["path"],
                    object=g["object"],
                    sha256=_check_sha(where, g["sha256"]),
                    licence=_one_line(g.get("licence")),
                )
            )
        except KeyError as exc:
            raise DataError(f"{where}: missing field {exc.args[0]!r}") from None
    return Registry(sources=tuple(sources), geometry=tuple(geometry))


FETCHED_LICENCE = (
    "Official UNTC 'Multilateral Treaties Deposited with the Secretary-General' "
    "XML, fetched from the UN Treaty Collection by `palermo sources update`; the "
    "UN's terms of use for treaties.un.org apply."
)


def fetched_source(root: Path, folder: str, day: dt.date, entry: dict) -> Source:
    """The registry entry of a file `palermo sources update` keeps in ``root/untc/folder`` (a
    manifest entry: treaty, file, url, sha256)."""
    return Source(
        id=f"untc-fetched-{day}-{entry['treaty']}",
        path=f"untc/{folder}/{entry['file']}",
        kind="snapshot",
        format="mtdsg-xml",
        treaty=entry["treaty"],
        status_date=day,
        sha256=entry["sha256"],
        untc_page=entry["url"],
        repository="untc-fetched",
        repository_url=entry["url"],
        commit="",
        last_commit="",
        licence=FETCHED_LICENCE,
        root=str(root),
    )


@lru_cache(maxsize=4)
def _fetched(data_dir: str) -> tuple[Source, ...]:
    """The snapshots `palermo sources update` kept, from each fetch folder's manifest, checked
    (:func:`fetches`: a malformed manifest or a stray entry is a DataError naming it)."""
    root = Path(data_dir)
    return tuple(
        fetched_source(root, f.name, day, e)
        for f, day, entries in fetches(root / FOLDER)
        for e in entries
    )


def forget_fetched() -> None:
    """After an update: read the fetch manifests again."""
    _fetched.cache_clear()


def load(path: Path | None = None) -> Registry:
    """The whole registry: data/sources.yml (read once per process and path) and the snapshots
    fetched into the data folder."""
    reg = _load(Path(path or config.SOURCES_YML))
    if path is not None:
        return reg
    return Registry(sources=reg.sources + _fetched(str(config.data_dir())), geometry=reg.geometry)


def registry(path: Path | None = None) -> tuple[Source, ...]:
    """All raw sources, in file order."""
    return load(path).sources


def get(source_id: str, path: Path | None = None) -> Source:
    for s in registry(path):
        if s.id == source_id:
            return s
    raise DataError(f"no source {source_id!r} in {config.SOURCES_YML.name}")


def geometry(geometry_id: str = "world-atlas-countries-110m") -> Geometry:
    for g in load().geometry:
        if g.id == geometry_id:
            return g
    raise DataError(f"{config.SOURCES_YML.name} has no geometry {geometry_id!r}")


def _dirs(env_var: str, default: Path) -> list[Path]:
    """The folder named by ``env_var`` (which must be a folder if set), then ``default``."""
    env = os.environ.get(env_var)
    if not env:
        return [default]
    first = Path(env).expanduser()
    if not first.is_dir():
        raise DataError(
            f"${env_var} is {env!r}, which is not a folder; point it at the folder "
            f"that holds the files, or unset it to use {default}"
        )
    return [first, default]


def fetched_raw_dir() -> Path:
    """Where ``palermo sources fetch`` keeps the raw files it downloads (the registry's paths
    beneath it, as in a mirror)."""
    return config.data_dir() / config.RAW_FOLDER


def raw_dirs() -> list[Path]:
    """The places searched for raw files, in order: $PALERMO_RAW_DIR (if set), the local mirror
    beside the repository (where it exists), then the copies fetched into the data folder."""
    env = os.environ.get(config.RAW_DIR_ENV)
    dirs = _dirs(config.RAW_DIR_ENV, config.DEFAULT_RAW_DIR)[:1] if env else []
    if config.DEFAULT_RAW_DIR.is_dir():
        dirs.append(config.DEFAULT_RAW_DIR)
    return [*dirs, fetched_raw_dir()]


def geo_dirs() -> list[Path]:
    return _dirs(config.GEO_DIR_ENV, config.DEFAULT_GEO_DIR)


_verified: dict[tuple[str, str, str], Path] = {}


def forget_verified() -> None:
    """Hash every raw file again at its next look-up (after a fetch, or another process's)."""
    _verified.clear()


def root_of(source: Source) -> Path:
    """The folder a raw file was found in (the mirror, $PALERMO_RAW_DIR or the data folder)."""
    found = locate(source)
    return Path(str(found)[: -len(source.path) - 1])


def find(relpath: str, sha256: str, dirs: list[Path], what: str, hint: str) -> Path:
    """The first ``dir/relpath`` whose sha256 matches, or a DataError naming every place
    searched (``what`` names the file, ``hint`` says how to get it)."""
    key = (relpath, sha256, "|".join(map(str, dirs)))
    if key in _verified:
        return _verified[key]
    problems = []
    for d in dirs:
        p = d / relpath
        if not p.is_file():
            problems.append(f"not in {d}")
            continue
        got = sha256_of(p)
        if got == sha256:
            _verified[key] = p
            return p
        problems.append(f"{p} has sha256 {got}")
    raise DataError(
        f"{what} ({relpath}) with sha256 {sha256} not found: " + "; ".join(problems) + f". {hint}"
    )


def locate(source: Source) -> Path:
    """The verified path of a raw file (a fetched one in its data folder only)."""
    if source.root is not None:  # a fetched file (Source.fetched)
        return find(
            source.path,
            source.sha256,
            [Path(source.root)],
            f"fetched file {source.id}",
            f"It was kept by `palermo sources update` in {source.root}; "
            f"${config.DATA_DIR_ENV} must point there.",
        )
    env = os.environ.get(config.RAW_DIR_ENV)
    searched = f"${config.RAW_DIR_ENV} ({env})" if env else f"${config.RAW_DIR_ENV} (not set)"
    mirror = "" if config.DEFAULT_RAW_DIR.is_dir() else f", {config.DEFAULT_RAW_DIR} (absent)"
    return find(
        source.path,
        source.sha256,
        raw_dirs(),
        f"raw file {source.id}",
        f"Searched {searched}{mirror} and the data folder. Run `palermo sources fetch` to "
        # the mirror the fetch would use ($PALERMO_RAW_BASE_URL), not always the public host
        f"download it from {source.origin_url(os.environ.get(config.RAW_BASE_ENV))} (checked "
        "by its sha256), or set "
        f"${config.RAW_DIR_ENV} to a folder holding {source.path}.",
    )


def locate_geometry(geometry_id: str = "world-atlas-countries-110m") -> Path:
    g = geometry(geometry_id)
    return find(
        g.path,
        g.sha256,
        geo_dirs(),
        f"map geometry {g.package}@{g.version}",
        f"Run `make book` (it installs the {g.registry} package into .npm-data) "
        f"or set ${config.GEO_DIR_ENV}.",
    )


def read_bytes(source: Source) -> bytes:
    return locate(source).read_bytes()


@dataclass(frozen=True)
class Verified:
    """A raw file's check: where it was found (``path``; the registry's path where it was not),
    whether its sha256 matches and the message saying so or why not."""

    id: str
    path: str
    ok: bool
    message: str

    def as_dict(self) -> dict:
        """As ``palermo check --json`` prints it (``raw_files``)."""
        return {"id": self.id, "path": self.path, "ok": self.ok, "message": self.message}


def verify_all() -> list[Verified]:
    """Check every registered raw file; one answer per source (never raises)."""
    rows = []
    for s in registry():
        try:
            rows.append(Verified(s.id, str(locate(s)), True, "sha256 matches"))
        except DataError as exc:
            rows.append(Verified(s.id, s.path, False, str(exc)))
    return rows


# --- Reading the fetch manifests ---------------------------------------------------------------
# Here, not in fetch.py: the registry reads every manifest for every command (`status` too),
# and fetch.py, which writes them, imports the registry.

FOLDER = "untc"  # the fetches' folder in the data folder
MANIFEST = "manifest.yml"  # each fetch's list of files

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ENTRY_KEYS = ("treaty", "file", "url", "sha256", "size", "signatories", "parties")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
TREATY_NUMBER = re.compile(r"^[IVXLC]+-\d+(-[a-z])?$")


def fetches(root: Path | None = None) -> list[tuple[Path, dt.date, list[dict]]]:
    """Every fetch under ``root`` (the data folder's ``untc/``), oldest first: its folder, its
    date and its manifest's checked entries. Folders whose names are not dates are skipped;
    a malformed manifest is a DataError naming it (:func:`read_manifest`)."""
    root = Path(root) if root is not None else config.data_dir() / FOLDER
    out: list[tuple[Path, dt.date, list[dict]]] = []
    if not root.is_dir():
        return out
    for folder in sorted(root.iterdir()):
        if not DAY.match(folder.name) or not (folder / MANIFEST).is_file():
            continue
        try:
            dt.date.fromisoformat(folder.name)
        except ValueError:
            continue  # 2026-13-45: a name like a date, but not a fetch palermo made
        _not_a_link(folder)
        day, entries = read_manifest(folder / MANIFEST)
        out.append((folder, day, entries))
    return out


def read_manifest(path: Path) -> tuple[dt.date, list[dict]]:
    """A fetch manifest's date and entries, checked: a DataError naming the manifest's path,
    what is wrong and the way out (``palermo sources forget DAY``) if it is not YAML, not the
    shape palermo writes, or names a file that is not a plain file in its own folder."""
    path = Path(path)
    folder = path.parent
    way_out = (
        f"drop that fetch with `palermo sources forget {folder.name}` (or delete {folder}) "
        "and fetch again"
    )

    def bad(why: str) -> DataError:
        return DataError(f"fetch manifest {path}: {why}; {way_out}")

    try:
        doc = read_yaml(path, DataError, "a fetch manifest")
    except DataError as exc:
        why = str(exc)
        why = why[len(path.name) :].lstrip(":, ") if why.startswith(path.name) else why
        raise bad(why) from None
    on = doc.get("fetched_on", folder.name)
    try:
        day = on if type(on) is dt.date else dt.date.fromisoformat(str(on))
    except ValueError:
        raise bad(f"fetched_on is {on!r}, not a date (YYYY-MM-DD)") from None
    files = doc.get("files")
    if files is None:
        files = []
    if not isinstance(files, list):
        raise bad(f"files must be a list of entries, got {type(files).__name__} {files!r:.40}")
    entries: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for i, e in enumerate(files, start=1):
        entries.append(_entry(e, i, folder, seen, bad))
    return day, entries


def _entry(e, i: int, folder: Path, seen: set, bad) -> dict:
    """One checked manifest entry."""
    if not isinstance(e, dict):
        raise bad(f"entry {i} must be a mapping of {', '.join(ENTRY_KEYS)}, got {e!r:.40}")
    missing = [k for k in ENTRY_KEYS if k not in e]
    if missing:
        raise bad(f"entry {i} has no {', '.join(missing)}")
    treaty, name = e["treaty"], e["file"]
    if not isinstance(treaty, str) or not TREATY_NUMBER.match(treaty):
        raise bad(f"entry {i}: treaty {treaty!r:.40} is not a UNTC number like XVIII-12-a")
    if not isinstance(name, str) or not _plain_name(name):
        raise bad(
            f"entry {i} ({treaty}): file {name!r} must be a plain file name in {folder} "
            "(no folder, no '..'); palermo reads and deletes nothing outside its fetch folder"
        )
    if (folder / name).is_symlink():
        raise bad(
            f"entry {i} ({treaty}): {folder / name} is a symbolic link (to "
            f"{os.readlink(folder / name)}); a fetched file must be a plain file in its folder"
        )
    if not isinstance(e["url"], str) or not e["url"]:
        raise bad(f"entry {i} ({treaty}): url must be the address the file came from")
    if not isinstance(e["sha256"], str) or not SHA256.match(e["sha256"].lower()):
        raise bad(f"entry {i} ({treaty}): sha256 must be 64 hex digits, got {e['sha256']!r:.70}")
    for k in ("size", "signatories", "parties"):
        if type(e[k]) is not int or e[k] < 0:
            raise bad(f"entry {i} ({treaty}): {k} must be a whole number, got {e[k]!r:.40}")
    for key, what in ((treaty, "treaty"), (name, "file")):
        if (what, key) in seen:
            raise bad(f"entry {i}: the {what} {key} appears twice")
        seen.add((what, key))
    return {**e, "sha256": e["sha256"].lower()}


def _plain_name(name: str) -> bool:
    return (
        name not in ("", ".", "..")
        and "/" not in name
        and "\\" not in name
        and "\0" not in name
        and Path(name).name == name
    )


def _not_a_link(folder: Path) -> None:
    """A fetch folder is palermo's own: a symbolic link there could lead anywhere."""
    if folder.is_symlink():
        raise DataError(
            f"{folder}: a fetch folder is a symbolic link (to {os.readlink(folder)}); palermo "
            "reads and writes only the folders it made there: remove the link (`palermo "
            f"sources forget {folder.name}` does)"
        )
