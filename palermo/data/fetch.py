"""Current records from the UN Treaty Collection: ``palermo sources update``.

Each treaty's official MTDSG XML is downloaded from the UNTC host (or a mirror with the same
path layout), checked, and kept in the data folder (``$PALERMO_DATA_DIR``, else the per-user
data folder), never in the repository: one folder per fetch date with a ``manifest.yml`` (URL,
fetch time, ``Last-Modified``, sha256, size, header counts). A file is kept only if it parses
with the UNTC parser, its table agrees with its own Signatories/Parties header, and it is not
older than the snapshot already held; otherwise nothing at all is stored. The registry then
reads these manifests, so a fetched file is a raw source like the others, dated by its fetch
date (the XML states none).

A manifest is read only through :func:`read_manifest`, which checks it whole against its
pydantic model (``registry.FetchManifest``, as the curated files are checked): a malformed one
(not YAML, a wrong type, a missing or misspelt key, a date that is not one) is one line naming
its path, the entry and the field, and the way out, and an entry's ``file`` must be a plain
file name in its fetch folder
(no ``..``, no ``/``, no symbolic link), so no manifest can make a command read, write or
delete a path outside the data folder. Folders under ``untc/`` whose names are not dates are
not fetches, and are skipped.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pydantic

from .. import config
from ..errors import DataError, UsageError
from ..files import read_yaml, sha256_of, write_atomic
from . import download, raw, registry, treaties, untc
from .registry import _not_a_link, fetches, read_manifest
from .schema import problem
from .vocab import SIGNATURE

TIMEOUT = download.TIMEOUT
MAX_BYTES = 20 * 1024 * 1024
FOLDER = registry.FOLDER
MANIFEST = registry.MANIFEST


@dataclass
class Fetched:
    treaty: treaties.Treaty
    url: str
    file: Path
    sha256: str
    size: int
    last_modified: str | None
    signatories: int
    parties: int
    latest_action: dt.date


def base_url(given: str | None = None) -> str:
    return download.base_url(given, config.UNTC_BASE_ENV, config.UNTC_BASE_URL)


def url_of(treaty: treaties.Treaty, base: str) -> str:
    return f"{base}/doc/Publication/MTDSG/{treaty.mtdsg_xml}"


def fetch_one(http, treaty: treaties.Treaty, url: str, dest: Path, timeout: float) -> Fetched:
    """One file into ``dest`` (a temporary folder), checked; DataError naming the treaty, the
    URL and why otherwise."""
    got = download.get(url, what=treaty.short, timeout=timeout, max_bytes=MAX_BYTES, http=http)
    where = f"{treaty.short} ({got.final_url})"
    header, latest = check(got.data, treaty, where)
    file = dest / Path(treaty.mtdsg_xml).name
    file.write_bytes(got.data)
    return Fetched(
        treaty=treaty,
        url=got.final_url,
        file=file,
        sha256=sha256_of(got.data),
        size=len(got.data),
        last_modified=got.last_modified,
        latest_action=latest,
        **header,
    )


def check(data: bytes, treaty: treaties.Treaty, where: str) -> tuple[dict, dt.date]:
    """The header counts and the latest action of a downloaded file, after checking that it is
    UNTC XML whose participants table agrees with its own header."""
    head = data[:200].lstrip()
    if not head.startswith(b"<?xml"):
        shown = head[:60].decode("latin-1", "replace").replace("\n", " ")
        raise DataError(f"{where}: not XML (it begins {shown!r})")
    if b"</Participants>" not in data:
        raise DataError(f"{where}: truncated, or no participants table (no </Participants>)")
    header = untc.parse_header(data, where)
    if header["number"] != treaty.number:
        found = header["number"] or "no treaty number (no <Numsect> in its header)"
        named = next((t for t in treaties.all_treaties() if t.number == header["number"]), None)
        raise DataError(
            f"{where}: this is the file of {named or found}, not of {treaty}; a wrong file "
            "at this address is not kept"
        )
    table = untc.parse_xml(data, treaty.number, "fetched", where)
    consents = int((table["action"] != SIGNATURE).sum())
    signatures = int((table["action"] == SIGNATURE).sum())
    if (consents, signatures) != (header["parties"], header["signatories"]):
        raise DataError(
            f"{where}: counts disagree: the table has {consents} parties and "
            f"{signatures} signatories, its header {header['parties']} and "
            f"{header['signatories']}"
        )
    untc.check_sequence(table, where, treaties.adopted(treaty), config.today())
    latest = table["date"].max().date() if len(table) else treaties.adopted(treaty)
    return {"signatories": header["signatories"], "parties": header["parties"]}, latest


def _held_latest(treaty: treaties.Treaty) -> tuple[str, dt.date] | None:
    """The newest snapshot held for a treaty and its latest action."""
    snaps = [s for s in registry.registry() if s.kind == "snapshot" and s.treaty == treaty.number]
    if not snaps:
        return None
    newest = max(snaps, key=lambda s: s.status_date)
    acts = untc.parse_source(newest)
    return newest.id, acts["date"].max().date()


Verify = Callable[[registry.Source, Path], None]


def update(
    wanted: list[str] | None = None,
    base: str | None = None,
    timeout: float = TIMEOUT,
    log: Callable[[str], None] = print,
    verify: Verify | None = None,
) -> list[Fetched]:
    """Fetch, check and keep the XML of each treaty (all by default). All or nothing: if any
    file fails, nothing is stored and the DataError says which file, which URL and why.

    ``verify(source, file)`` is called for each downloaded file before anything is kept, with
    the registry entry it would become: the caller (the CLI) passes the records' own rule, so a
    file that would contradict the curated rows (a stale mirror) is refused here rather than
    breaking every later command."""
    timeout = download.check_timeout(timeout)
    chosen = [treaties.resolve(t) for t in wanted] if wanted else list(treaties.all_treaties())
    chosen = list({t.number: t for t in chosen}.values())  # `update SOM SOM` fetches SOM once
    base = base_url(base)
    day = config.today()
    data = raw.data_folder()
    root = data / FOLDER
    folder = root / day.isoformat()
    with raw.writing(data), raw.lock(log):
        fetches(root)  # every manifest is sound (the registry reads them all), before any work
        root.mkdir(parents=True, exist_ok=True)
        for stale in root.glob(".fetch-*"):  # left by an interrupted update (we hold the lock)
            shutil.rmtree(stale, ignore_errors=True)
        raw.sweep(root)  # a manifest's temporary file, left by a killed update
        _not_a_link(folder)
        held = _manifest(folder)  # read under the lock: another update may have just written
        todo = [t for t in chosen if t.number not in {e.treaty for e in held}]
        for t in chosen:
            if t not in todo:
                log(f"    {t.short:10} already fetched on {day}; kept as it is")
        if not todo:
            return []
        fetched = _fetch_all(todo, base, root, folder, day, held, timeout, log, verify)
    registry.forget_fetched()
    untc.forget_parsed()
    log(f"==> {len(fetched)} file(s) kept in {folder}")
    return fetched


def _fetch_all(todo, base, root, folder, day, held, timeout, log, verify) -> list[Fetched]:
    http = download.session()
    fetched = []
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=root) as tmp:
        for i, t in enumerate(todo, start=1):
            url = url_of(t, base)
            log(f"[{i}/{len(todo)}] {t.short:10} {url}")
            f = fetch_one(http, t, url, Path(tmp), timeout)
            before = _held_latest(t)
            if before and f.latest_action < before[1]:
                raise DataError(
                    f"{t.short} ({url}): older than the snapshot held ({before[0]}): "
                    f"its latest action is {f.latest_action}, the held one's {before[1]}"
                )
            if verify is not None:
                try:
                    verify(candidate(f, day, root), f.file)
                except DataError as exc:
                    raise DataError(f"{t.short} ({url}): not kept: {exc}") from None
            log(
                f"    {t.short:10} {f.parties} parties, {f.signatories} signatories; table and "
                f"header agree ({f.size:,} bytes)"
            )
            fetched.append(f)
        new_folder = not folder.exists()
        folder.mkdir(exist_ok=True)
        entries = list(held)
        moved: list[Path] = []
        try:
            _keep(fetched, folder, day, entries, moved)
        except BaseException:  # a full disk, Ctrl-C: no file the manifest does not name
            for target in moved:
                target.unlink(missing_ok=True)
            if new_folder:
                shutil.rmtree(folder, ignore_errors=True)
            raise
    return fetched


def _keep(
    fetched: list[Fetched],
    folder: Path,
    day,
    entries: list[registry.FetchedFile],
    moved: list[Path],
) -> None:
    """Move the checked files into the fetch folder, then write its manifest (atomically)."""
    for f in fetched:
        target = folder / f.file.name
        shutil.move(str(f.file), target)
        moved.append(target)
        f.file = target
        entries.append(_entry(f, target.name))
    _write_manifest(folder, day, entries)


def _entry(f: Fetched, name: str) -> registry.FetchedFile:
    """A downloaded file's entry in its fetch's manifest, kept as ``name``."""
    return registry.FetchedFile(
        treaty=f.treaty.number,
        file=name,
        url=f.url,
        fetched_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        last_modified=f.last_modified,
        sha256=f.sha256,
        size=f.size,
        signatories=f.signatories,
        parties=f.parties,
    )


def candidate(f: Fetched, day: dt.date, root: Path) -> registry.Source:
    """The registry entry a downloaded file would become once kept."""
    return registry.fetched_source(root.parent, day.isoformat(), day, _entry(f, f.file.name))


def forget(
    day: dt.date, wanted: list[str] | None = None, log: Callable[[str], None] = print
) -> list[str]:
    """Drop the files of one fetch (all, or only the treaties named) from the data folder, under
    its lock: the way out when a fetched file is wrong. Returns the treaty numbers dropped.

    A fetch whose manifest cannot be read (malformed, or naming a file outside its folder) can
    be dropped only whole: its folder is removed (a symbolic link in it is removed, never
    followed), and nothing outside it is touched."""
    data = raw.data_folder()
    folder = data / FOLDER / day.isoformat()
    with raw.writing(data), raw.lock(log):
        if folder.is_symlink() and not wanted:  # the link goes; what it points to stays
            folder.unlink()
            log(f"    dropped {folder} (a symbolic link; what it pointed to is untouched)")
            registry.forget_fetched()
            untc.forget_parsed()
            return []
        _not_a_link(folder)
        try:
            entries = _manifest(folder)
        except DataError as exc:
            if wanted:
                raise DataError(
                    f"{exc}; a fetch whose manifest cannot be read is dropped whole: "
                    f"`palermo sources forget {day}`"
                ) from None
            shutil.rmtree(folder)
            log(f"    dropped {folder} (its manifest could not be read)")
            registry.forget_fetched()
            untc.forget_parsed()
            return []
        if not entries:
            held = sorted(m.parent.name for m in folder.parent.glob("*/" + MANIFEST))
            days = ", ".join(held) or "none"
            raise UsageError(f"no fetch of {day} in {folder.parent} (fetches held: {days})")
        chosen = {treaties.resolve(t).number for t in wanted} if wanted else None
        drop = [e for e in entries if chosen is None or e.treaty in chosen]
        if chosen is not None:
            missing = chosen - {e.treaty for e in entries}
            if missing:
                have = ", ".join(e.treaty for e in entries)
                raise UsageError(
                    f"the fetch of {day} holds no file for {', '.join(sorted(missing))} "
                    f"(it holds {have})"
                )
        keep = [e for e in entries if e not in drop]
        if keep:
            _write_manifest(folder, day, keep)  # the manifest first: never one naming a lost file
            for e in drop:
                (folder / e.file).unlink(missing_ok=True)
        else:
            shutil.rmtree(folder)  # never follows a symbolic link out of the folder
        for e in drop:
            log(f"    dropped {e.treaty} ({folder / e.file})")
    registry.forget_fetched()
    untc.forget_parsed()
    return [e.treaty for e in drop]


def _manifest(folder: Path) -> list[registry.FetchedFile]:
    """The checked entries of one fetch folder's manifest ([] if it has none)."""
    path = folder / MANIFEST
    if not path.is_file():
        return []
    return read_manifest(path)[1]


def _write_manifest(folder: Path, day: dt.date, entries: list[registry.FetchedFile]) -> None:
    import yaml

    doc = registry.FetchManifest(
        fetched_on=day, source="UN Treaty Collection, MTDSG XML", files=entries
    )
    write_atomic(
        folder / MANIFEST,
        "# Written by `palermo sources update`; do not edit.\n"
        + yaml.safe_dump(doc.as_dict(), sort_keys=False, allow_unicode=True),
    )


def latest_fetch() -> tuple[dt.date, list[registry.FetchedFile]] | None:
    """The newest fetch folder's date and its manifest entries, or None if nothing was fetched."""
    held = fetches()
    if not held:
        return None
    _, day, entries = held[-1]
    return day, entries


def _counts(entries: list[registry.FetchedFile]) -> dict[str, tuple[int, int]]:
    return {e.treaty: (e.parties, e.signatories) for e in entries}


def _snapshot_record(path: Path) -> registry.FetchManifest:
    """A record in ``data/snapshots``, checked like a fetch manifest (its files need not be
    beside it)."""
    doc = read_yaml(path, DataError, "a snapshot record")
    try:
        return registry.FetchManifest.model_validate(doc)
    except pydantic.ValidationError as exc:
        why = problem(exc, doc, registry.FetchManifest, "treaty", registry.ENTRIES)
        raise DataError(f"snapshot record {path}: {why}; restore it from git") from None


def record(records: Path | None = None) -> tuple[Path | None, str]:
    """Compare the newest fetch with the newest record in ``data/snapshots`` (counts and hashes,
    never the raw files). If any treaty's counts changed, or there is no record yet, write a
    record of the fetch there and return its path with a Markdown table of the changes;
    otherwise return ``(None, message)``. The refresh workflow opens a pull request with it."""
    import yaml

    records = Path(records or config.SNAPSHOT_RECORDS)
    got = latest_fetch()
    if got is None:
        raise UsageError(
            f"nothing fetched in {config.data_dir() / FOLDER}: run `palermo sources update` first"
        )
    day, entries = got
    held = sorted(records.glob("untc-*.yml")) if records.is_dir() else []
    before: dict[str, tuple[int, int]] = {}
    since = "no earlier record"
    if held:
        last = _snapshot_record(held[-1])
        before = _counts(last.files)
        since = f"the record of {last.fetched_on}"
    now = _counts(entries)
    names = {t.number: t.short for t in treaties.all_treaties()}
    changed = [n for n in now if before.get(n) != now[n]]
    if not changed:
        return None, f"no counts changed since {since} ({len(now)} treaties compared)"
    rows = [
        "| Treaty | Parties | Signatories |",
        "|---|---|---|",
    ]
    for n in changed:
        p0, s0 = before.get(n, ("–", "–"))
        p1, s1 = now[n]
        rows.append(f"| {names.get(n, n)} ({n}) | {p0} → {p1} | {s0} → {s1} |")
    summary = (
        f"UNTC records fetched on {day}, compared with {since}: "
        f"{len(changed)} of {len(now)} treaties changed.\n\n" + "\n".join(rows) + "\n"
    )
    target = records / f"untc-{day}.yml"
    records.mkdir(parents=True, exist_ok=True)
    doc = registry.FetchManifest(
        fetched_on=day,
        source="UN Treaty Collection, MTDSG XML (the files stay in the data folder)",
        files=[
            registry.FetchedFile(**e.model_dump(exclude_unset=True, exclude={"fetched_at"}))
            for e in entries
        ],
    )
    write_atomic(
        target,
        "# Written by `palermo sources record` from a fetch manifest; do not edit.\n"
        + yaml.safe_dump(doc.as_dict(), sort_keys=False, allow_unicode=True),
    )
    return target, summary
