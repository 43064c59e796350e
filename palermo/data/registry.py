"""The raw-input registry (``data/sources.yml``) and the one locator for registered files.

Raw UNTC files stay outside the repository: a file is looked for in ``$PALERMO_RAW_DIR`` if
set, then in ``../shared/untc-raw`` beside the repository where it exists (a local mirror),
then in the data folder's ``raw/``, where ``palermo sources fetch`` keeps the copies it
downloads from each file's public origin (:func:`Source.origin_url`). The map geometry is
looked for in ``$PALERMO_GEO_DIR``, else in ``.npm-data`` (installed by ``make book``). Either
way, a missing file or one whose sha256 differs from the registry is a :class:`DataError`
naming every place searched, the hash and how to get the file.

``data/sources.yml`` and the fetch manifests are read as frozen pydantic models
(:class:`SourcesDoc`, :class:`FetchManifest`) through :mod:`.schema`, as the curated files are:
a bad entry is one line naming the file, the entry, the field and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import pydantic

from .. import config
from ..errors import DataError
from ..files import read_yaml, sha256_of
from .schema import Strict, problem, validate

KINDS = ("snapshot", "header", "index")
FORMATS = ("untc-csv", "mtdsg-xml", "untc-index-csv")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
TREATY_NUMBER = re.compile(r"^[IVXLC]+-\d+(-[a-z])?$")


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


def _one_line(text) -> str:
    return " ".join(str(text or "").split())


def _sha256(value) -> str:
    sha = value.lower() if isinstance(value, str) else ""
    if not SHA256.match(sha):
        raise ValueError(f"sha256 must be 64 hex digits, got {value!r:.70}")
    return sha


Sha256 = Annotated[str, pydantic.BeforeValidator(_sha256)]
OneLine = Annotated[str, pydantic.BeforeValidator(_one_line)]  # folded YAML text, on one line


def _allowed(field: str, allowed: tuple[str, ...]):
    """A check that ``field`` is one of ``allowed``, saying which are."""

    def check(value):
        if value not in allowed:
            raise ValueError(f"{field} {value!r}; allowed: {', '.join(allowed)}")
        return value

    return pydantic.BeforeValidator(check)


class Repository(Strict):
    """A public repository raw files were copied from, at one commit, with its terms."""

    repository: str
    commit: str = pydantic.Field(pattern=r"^[0-9a-f]{40}$")
    licence: OneLine = ""

    @pydantic.field_validator("repository")
    @classmethod
    def _on_github(cls, v: str) -> str:
        if not v.startswith("https://github.com/"):
            raise ValueError(f"the repository must be a https://github.com/ address, not {v!r}")
        return v


class SourceEntry(Strict):
    """One raw file of ``data/sources.yml`` as written there (:class:`Source` joins it with
    its repository)."""

    id: str
    path: str
    origin_path: str  # its path in its repository at the repository's commit
    kind: Annotated[str, _allowed("kind", KINDS)]
    format: Annotated[str, _allowed("format", FORMATS)]
    treaty: str | None = None
    status_date: dt.date
    last_commit: str
    blob: str | None = None
    repository: str  # a key of ``repositories``
    untc_page: str
    sha256: Sha256

    @pydantic.field_validator("status_date", mode="before")
    @classmethod
    def _a_date(cls, v):
        if not isinstance(v, dt.date):
            raise ValueError(f"status_date must be an ISO date (YYYY-MM-DD), got {v!r}")
        return v

    @pydantic.model_validator(mode="after")
    def _consistent(self):
        if self.kind != "index" and not self.treaty:
            raise ValueError(f"a {self.kind} needs a treaty number")
        if Path(self.origin_path).name != Path(self.path).name:
            raise ValueError(
                f"origin_path {self.origin_path!r} and path {self.path!r} must name the same file"
            )
        return self


class Geometry(Strict):
    """The map geometry: a file of a package installed from a package registry, pinned by its
    sha256."""

    id: str
    package: str
    version: Annotated[str, pydantic.BeforeValidator(str)]  # 2.0 in YAML is a number
    registry: str
    path: str
    format: str
    object: str
    sha256: Sha256
    licence: OneLine = ""


def _or_empty(empty: list | dict):
    """A key given with nothing under it (``sources:``) read as ``empty``."""
    return pydantic.BeforeValidator(lambda value: type(empty)() if value is None else value)


class SourcesDoc(Strict):
    """``data/sources.yml``: the repositories, the raw files copied from them, the geometry."""

    # an empty registry is read as one (the records then say that no snapshot is registered)
    repositories: Annotated[dict[str, Repository], _or_empty({})] = {}
    sources: Annotated[list[SourceEntry], _or_empty([])] = []
    geometry: Annotated[list[Geometry], _or_empty([])] = []

    @pydantic.model_validator(mode="after")
    def _ids_and_repositories(self) -> SourcesDoc:
        seen: set[str] = set()
        for i, e in enumerate(self.sources, start=1):
            if e.id in seen:
                raise ValueError(f"sources #{i} ({e.id}): the id appears twice")
            seen.add(e.id)
            if e.repository not in self.repositories:
                raise ValueError(
                    f"sources #{i} ({e.id}): repository {e.repository!r} is not under "
                    f"'repositories' (there: {', '.join(self.repositories)})"
                )
        return self


@dataclass(frozen=True)
class Registry:
    sources: tuple[Source, ...]
    geometry: tuple[Geometry, ...]


def _source(entry: SourceEntry, repo: Repository) -> Source:
    """A raw file of the registry joined with its repository."""
    return Source(
        **entry.model_dump(),
        repository_url=repo.repository,
        commit=repo.commit,
        licence=repo.licence,
    )


@lru_cache(maxsize=4)
def _load(path: Path) -> Registry:
    doc = validate(SourcesDoc, read_yaml(path, DataError, "the source registry"), path.name)
    return Registry(
        sources=tuple(_source(e, doc.repositories[e.repository]) for e in doc.sources),
        geometry=tuple(doc.geometry),
    )


FETCHED_LICENCE = (
    "Official UNTC 'Multilateral Treaties Deposited with the Secretary-General' "
    "XML, fetched from the UN Treaty Collection by `palermo sources update`; the "
    "UN's terms of use for treaties.un.org apply."
)


def fetched_source(root: Path, folder: str, day: dt.date, entry: FetchedFile) -> Source:
    """The registry entry of a file `palermo sources update` keeps in ``root/untc/folder``."""
    return Source(
        id=f"untc-fetched-{day}-{entry.treaty}",
        path=f"untc/{folder}/{entry.file}",
        kind="snapshot",
        format="mtdsg-xml",
        treaty=entry.treaty,
        status_date=day,
        sha256=entry.sha256,
        untc_page=entry.url,
        repository="untc-fetched",
        repository_url=entry.url,
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


def _whole(value, info: pydantic.ValidationInfo) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"{info.field_name} must be a whole number, got {value!r:.40}")
    return value


Whole = Annotated[int, pydantic.BeforeValidator(_whole)]


class FetchedFile(Strict):
    """One file of a fetch, as its manifest lists it (and a snapshot record in
    ``data/snapshots``, without ``fetched_at``): the treaty, the file's name in its fetch
    folder, the address it came from, when, its ``Last-Modified``, its sha256 and size, and its
    header's counts. Validated with the fetch folder in the context (``folder``), a file must
    be a plain file in it: no folder, no '..', no symbolic link."""

    treaty: str
    file: str
    url: str
    fetched_at: str | dt.datetime | None = None
    last_modified: str | None = None
    sha256: Sha256
    size: Whole
    signatories: Whole
    parties: Whole

    @pydantic.model_validator(mode="before")
    @classmethod
    def _a_mapping(cls, v):
        if not isinstance(v, dict):
            raise ValueError(f"must be a mapping of {', '.join(cls.model_fields)}, got {v!r:.40}")
        return v

    @pydantic.field_validator("treaty", mode="before")
    @classmethod
    def _a_treaty(cls, v):
        if not isinstance(v, str) or not TREATY_NUMBER.match(v):
            raise ValueError(f"treaty {v!r:.40} is not a UNTC number like XVIII-12-a")
        return v

    @pydantic.field_validator("file", mode="before")
    @classmethod
    def _a_plain_file(cls, v, info: pydantic.ValidationInfo):
        folder = (info.context or {}).get("folder")
        if not isinstance(v, str) or not _plain_name(v):
            raise ValueError(
                f"file {v!r} must be a plain file name in {folder or 'its fetch folder'} (no "
                "folder, no '..'); palermo reads and deletes nothing outside its fetch folder"
            )
        if folder is not None and (folder / v).is_symlink():
            raise ValueError(
                f"{folder / v} is a symbolic link (to {os.readlink(folder / v)}); a fetched "
                "file must be a plain file in its folder"
            )
        return v

    @pydantic.field_validator("url", mode="before")
    @classmethod
    def _an_address(cls, v):
        if not isinstance(v, str) or not v:
            raise ValueError("url must be the address the file came from")
        return v


def _fetch_day(v):
    if v is None or type(v) is dt.date:
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        raise ValueError(f"fetched_on is {v!r}, not a date (YYYY-MM-DD)") from None


def _file_list(v):
    if v is None:
        return []
    if not isinstance(v, list):
        raise ValueError(f"files must be a list of entries, got {type(v).__name__} {v!r:.40}")
    return v


class FetchManifest(Strict):
    """A fetch folder's ``manifest.yml`` (as ``palermo sources update`` writes it), or a
    snapshot record (as ``palermo sources record`` writes it): the fetch's date (the folder's
    name where it is not given), its source and its files, each treaty and file once."""

    fetched_on: Annotated[dt.date | None, pydantic.BeforeValidator(_fetch_day)] = None
    source: str | None = None
    files: Annotated[list[FetchedFile], pydantic.BeforeValidator(_file_list)] = []

    @pydantic.field_validator("files")
    @classmethod
    def _each_once(cls, files: list[FetchedFile]) -> list[FetchedFile]:
        for what in ("treaty", "file"):
            seen: dict[str, int] = {}
            for i, f in enumerate(files, start=1):
                key = getattr(f, what)
                if key in seen:
                    raise ValueError(
                        f"the {what} {key} appears twice (entries {seen[key]} and {i})"
                    )
                seen[key] = i
        return files

    def as_dict(self) -> dict:
        """As the manifest is written: its fields in order, and of each file the fields it was
        given (a snapshot record's files have no ``fetched_at``)."""
        return {
            "fetched_on": None if self.fetched_on is None else self.fetched_on.isoformat(),
            "source": self.source,
            "files": [f.model_dump(exclude_unset=True) for f in self.files],
        }


def fetches(root: Path | None = None) -> list[tuple[Path, dt.date, list[FetchedFile]]]:
    """Every fetch under ``root`` (the data folder's ``untc/``), oldest first: its folder, its
    date and its manifest's checked entries. Folders whose names are not dates are skipped;
    a malformed manifest is a DataError naming it (:func:`read_manifest`)."""
    root = Path(root) if root is not None else config.data_dir() / FOLDER
    out: list[tuple[Path, dt.date, list[FetchedFile]]] = []
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


def read_manifest(path: Path) -> tuple[dt.date, list[FetchedFile]]:
    """A fetch manifest's date and entries, checked (:class:`FetchManifest`): a DataError naming
    the manifest's path, the entry and field, what is wrong and the way out (``palermo sources
    forget DAY``) if it is not YAML, not the shape palermo writes, or names a file that is not
    a plain file in its own folder."""
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
    try:
        m = FetchManifest.model_validate(doc, context={"folder": folder})
    except pydantic.ValidationError as exc:
        raise bad(problem(exc, doc, FetchManifest, "treaty", ENTRIES)) from None
    if m.fetched_on is not None:
        return m.fetched_on, list(m.files)
    try:
        return dt.date.fromisoformat(folder.name), list(m.files)
    except ValueError:
        raise bad("it gives no fetched_on, and its folder's name is not a date") from None


ENTRIES = {"files": "entry"}  # a manifest's files are its entries: "entry 1 (XVIII-12-a)"


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
