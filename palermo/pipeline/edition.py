"""The edition a built book belongs to: the package's version and the commit it was built
from, as a citation gives them ("edition 0.2.0, commit 3903005"). The book's extension
(``sphinx_ext``) fills it in where a page has the marker of ``render.cite``.

Each build is an edition: its version, its records' dates and its commit are stamped on every
page (the edition bar) and on the PDF's title page. ``palermo build --edition NAME`` keeps the
book it built (below), and every later book serves the editions kept beside itself, each
page's bar linking the same page in each of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from .. import __version__, config
from ..errors import UsageError
from ..files import write_atomic


@dataclass(frozen=True)
class Edition:
    version: str
    commit: str | None  # the commit's short hash; None outside a git checkout
    changed: bool = False  # the working tree differs from the commit

    @property
    def label(self) -> str:
        if self.commit is None:
            return f"edition {self.version} (commit not recorded)"
        local = " with local changes" if self.changed else ""
        return f"edition {self.version}, commit {self.commit}{local}"


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def current(root: Path = config.ROOT) -> Edition:
    """This checkout's edition: the version and HEAD's short hash, and whether tracked files
    differ from it (untracked files, such as build outputs, do not count)."""
    head = _git(root, "rev-parse", "--short=7", "HEAD")
    if not head:
        return Edition(__version__, None)
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    return Edition(__version__, head.strip(), changed=bool(status and status.strip()))


# --- the edition of a built book: its line, the editions kept, the switcher ----------------
#
# ``palermo build --edition NAME`` keeps the book it built in ``_build/editions/NAME/``: a copy
# of the HTML (``html/``), its full record (``record.json``, ``pipeline.facts``) and
# ``edition.json`` (name, version, commit, the records' dates, when it was built). Every HTML
# build serves the editions kept beside the book, in ``_build/html/editions/NAME/`` (pages
# rewritten, every other file hard-linked), and fills in every page's edition bar: the edition
# (version, records' dates, commit) and links to the same page in each earlier edition, all
# relative, so the book reads the same from disk and from any address.

EDITIONS = "editions"  # under _build/ (kept) and under _build/html/ (served)
EDITION_JSON = "edition.json"
RECORD_JSON = "record.json"
INDEX_JSON = "editions.json"  # the list of editions kept, rewritten by each keep
NAME_ENV = "PALERMO_EDITION_NAME"  # the name of the edition being built, for the book's pages
RECORDS_FIELD = "{records}"  # in a NAME: the records' latest date
_NAME = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?")
RESERVED = ("current", "previous")  # what `palermo diff` reads as other than a name
BAR_START, BAR_END = "<!-- palermo-editions -->", "<!-- /palermo-editions -->"
_BAR = re.compile(re.escape(BAR_START) + r".*?" + re.escape(BAR_END), re.S)


class RecordsDates(TypedDict):
    """:func:`records_dates`: ISO dates, ``fetched`` (and ``raw``) None where there is none."""

    raw: str | None
    fetched: str | None
    curated: str
    latest: str


def records_dates() -> RecordsDates:
    """The records' dates: the latest status date of the registered raw files, of the records
    `palermo sources update` fetched (None if none), of the curated records, and the latest of
    all (the date the book's ``as_of: latest`` pages speak for)."""
    from ..data import curated, registry
    from ..model.dates import latest_record_date

    sources = registry.registry()
    raw = [s.status_date for s in sources if not s.fetched]
    fetched = [s.status_date for s in sources if s.fetched]
    cur = max(
        curated.party_counts()["date"].max().date(), curated.treaty_actions()["latest"].max().date()
    )
    return {
        "raw": max(raw).isoformat() if raw else None,
        "fetched": max(fetched).isoformat() if fetched else None,
        "curated": cur.isoformat(),
        "latest": latest_record_date().isoformat(),
    }


def describe(root: Path = config.ROOT) -> dict:
    """This checkout's edition as data: version, commit, local changes, the records' dates."""
    ed = current(root)
    return {
        "version": ed.version,
        "commit": ed.commit,
        "changed": ed.changed,
        "records": records_dates(),
    }


def line(info: dict, capital: bool = True, name: str | None = None) -> str:
    """'Edition 0.2.0 · records as of 2024-05-04 · commit 4b172ca' for an edition's data;
    with its ``name``, 'Edition NAME: version 0.2.0 · records as of ... · commit ...'."""
    word = f"{'E' if capital else 'e'}dition"
    version = info.get("version", "?")
    parts = [f"{word} {name}: version {version}" if name else f"{word} {version}"]
    latest = (info.get("records") or {}).get("latest")
    if latest:
        parts.append(f"records as of {latest}")
    commit = info.get("commit")
    if commit:
        parts.append(f"commit {commit}" + (" with local changes" if info.get("changed") else ""))
    elif "commit" in info:
        parts.append("commit not recorded")
    return " · ".join(parts)


def check_name(name: str, root: Path = config.ROOT, force: bool = False) -> str:
    """A NAME for ``--edition``, ``{records}`` filled in with the records' latest date: a plain
    slug, not yet kept unless ``force``; UsageError naming it and what is allowed."""
    if RECORDS_FIELD in name:
        name = name.replace(RECORDS_FIELD, records_dates()["latest"])
    if not _NAME.fullmatch(name) or ".." in name or name in RESERVED:
        raise UsageError(
            f"--edition {name!r}: a name is 1 to 64 lower-case letters, digits, '.', '_' or '-', "
            f"starting and ending with a letter or digit, not {' or '.join(RESERVED)} (e.g. "
            f"records-2026-12-07; {RECORDS_FIELD} stands for the records' latest date)"
        )
    kept_dir = editions_dir(root) / name
    if kept_dir.exists() and not force:
        raise UsageError(
            f"--edition {name}: an edition of that name is kept already ({kept_dir}); choose "
            "another name, or give --force to build again and replace it"
        )
    return name


def editions_dir(root: Path = config.ROOT) -> Path:
    return root / "_build" / EDITIONS


@dataclass(frozen=True)
class Kept:
    """An edition kept in ``_build/editions/NAME``."""

    name: str
    path: Path
    info: dict

    @property
    def html(self) -> Path | None:
        index = self.path / "html" / "index.html"
        return index.parent if index.is_file() else None

    @property
    def record(self) -> Path:
        return self.path / RECORD_JSON

    def words(self) -> str:
        kept = str(self.info.get("built", ""))[:10]
        return line(self.info, capital=False, name=self.name) + (f", built {kept}" if kept else "")


def kept(root: Path = config.ROOT) -> list[Kept]:
    """The editions kept, oldest first (by when each was built, then name); a folder without
    its edition.json and record.json is not one (an interrupted keep leaves only a temporary
    folder, which is skipped)."""
    folder = editions_dir(root)
    out: list[Kept] = []
    if not folder.is_dir():
        return out
    for d in folder.iterdir():
        if d.name.startswith(".") or not d.is_dir() or not _NAME.fullmatch(d.name):
            continue
        try:
            info = json.loads((d / EDITION_JSON).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(info, dict) and (d / RECORD_JSON).is_file():
            out.append(Kept(d.name, d, info))
    return sorted(out, key=lambda k: (str(k.info.get("built", "")), k.name))


def signature(root: Path = config.ROOT) -> str:
    """What the editions kept are, in one line (their names and records' sha256): a book whose
    list of editions changed is written again."""
    return " ".join(
        f"{k.name}={hashlib.sha256(k.record.read_bytes()).hexdigest()[:16]}" for k in kept(root)
    )


def _same_edition(k: Kept, rec: dict) -> bool:
    """The kept edition is this book: the same version and commit, and every page alike."""
    try:
        theirs = json.loads(k.record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    ours = rec.get("edition", {})
    return (
        k.info.get("version") == ours.get("version")
        and k.info.get("commit") == ours.get("commit")
        and theirs.get("pages") == rec.get("pages")
    )


def earlier(root: Path, rec: dict, name: str | None = None) -> tuple[str | None, list[Kept]]:
    """(this book's edition name, the earlier editions kept, oldest first): the name is
    ``name`` (the one being built) or that of the latest kept edition that is this book."""
    all_kept = kept(root)
    if name is None:
        name = next((k.name for k in reversed(all_kept) if _same_edition(k, rec)), None)
    return name, [k for k in all_kept if k.name != name]


def _link(name: str, info: dict) -> str:
    return html.escape(line(info, name=name))


def bar(
    page: str,
    info: dict,
    name: str | None,
    others: list[tuple[str, dict, str]],
    current: str | None = None,
    changes: str | None = None,
) -> str:
    """The edition bar of a page (``page``: its path in the served book, e.g.
    ``book/claims.html``): its edition (``info``, named ``name`` if it has one); ``others``:
    (name, data, the page to link in the served book) of the editions to link, newest first;
    ``current``: for a page of an earlier edition, the same page in the current book; ``changes``:
    the page "What changed in this edition", if the book has it. Every link is relative."""
    here = posixpath.dirname(page) or "."

    def href(target: str) -> str:
        return html.escape(posixpath.relpath(target, here))

    text = html.escape(line(info, name=name))
    parts = [f'<p class="palermo-edition-line"><small>{text}']
    if current is not None:
        parts.append(
            f' · an earlier edition: <a href="{href(current)}">this page in the current edition</a>'
        )
    elif changes and changes != page:
        parts.append(f' · <a href="{href(changes)}">what changed since the edition before</a>')
    parts.append("</small></p>")
    if others:
        kind = "other" if current is not None else "earlier"
        label = f"{len(others)} {kind} edition{'s' if len(others) > 1 else ''}"
        items = "".join(
            f'<li><a href="{href(target)}">{_link(n, i)}</a></li>' for n, i, target in others
        )
        parts.append(
            f"<details><summary><small>{label}</small></summary><ul>{items}</ul></details>"
        )
    return (
        f'{BAR_START}<nav class="palermo-editions" aria-label="Editions">{"".join(parts)}</nav>'
        f"{BAR_END}"
    )


def _pages(folder: Path) -> list[Path]:
    """The pages under ``folder`` that have an edition bar (not those of served editions)."""
    skip = {EDITIONS, "_static", "_sources", "_images", "_downloads"}
    return sorted(
        p
        for p in folder.rglob("*.html")
        if not skip & set(p.relative_to(folder).parts[:1])
        and BAR_START in p.read_text(encoding="utf-8", errors="replace")
    )


def _fill(p: Path, bar_html: str) -> None:
    text = p.read_text(encoding="utf-8")
    new = _BAR.sub(lambda _: bar_html, text, count=1)
    if new != text:
        if p.stat().st_nlink > 1:  # never write through a hard link into a kept edition
            p.unlink()
        write_atomic(p, new)


def _link_tree(src: Path, dst: Path) -> None:
    """``dst`` as a copy of ``src``: every file hard-linked (copied where a link cannot be made,
    as across file systems)."""
    for folder, _dirs, names in os.walk(src):
        here = Path(folder)
        out = dst / here.relative_to(src)
        out.mkdir(parents=True, exist_ok=True)
        for n in names:
            if n.startswith("."):
                continue
            try:
                os.link(here / n, out / n)
            except OSError:
                shutil.copy2(here / n, out / n)


def serve(html_dir: Path, root: Path, rec: dict, name: str | None = None) -> list[Kept]:
    """Serve the earlier editions kept beside the book in ``html_dir`` (``editions/NAME/``) and
    fill in every page's edition bar, the current book's and each earlier edition's; returns
    the earlier editions served. ``rec``: the current book's record; ``name``: its edition's
    name, if it is being kept as one."""
    name, others = earlier(root, rec, name)
    served = [k for k in others if k.html is not None]
    shutil.rmtree(html_dir / EDITIONS, ignore_errors=True)
    for k in others:  # those of ``served``, in its order
        if k.html is not None:
            _link_tree(k.html, html_dir / EDITIONS / k.name)

    def target(k: Kept, page: str) -> str:
        """The same page in edition ``k``, or its first page where it has no such page."""
        folder = f"{EDITIONS}/{k.name}"
        return (
            f"{folder}/{page}" if (html_dir / folder / page).is_file() else f"{folder}/index.html"
        )

    newest_first = list(reversed(served))
    info = rec.get("edition") or {}
    changes = "book/changes.html" if (html_dir / "book" / "changes.html").is_file() else None
    for p in _pages(html_dir):
        page = p.relative_to(html_dir).as_posix()
        links = [(k.name, k.info, target(k, page)) for k in newest_first]
        _fill(p, bar(page, info, name, links, changes=changes))
    for k in served:
        folder = html_dir / EDITIONS / k.name
        for p in _pages(folder):
            page = p.relative_to(folder).as_posix()
            links = [(o.name, o.info, target(o, page)) for o in newest_first if o is not k]
            now = page if (html_dir / page).is_file() else "index.html"
            _fill(p, bar(f"{EDITIONS}/{k.name}/{page}", k.info, k.name, links, current=now))
    return served


def keep(
    root: Path,
    name: str,
    rec_text: str,
    html_dir: Path | None,
    log: Callable[[str], None] = print,
    files: Sequence[Path] = (),
) -> Path:
    """Keep the book just built as the edition ``name``: its record, its edition.json, (if
    built) a copy of its HTML and the ``files`` given (the PDF), made in a temporary folder and
    moved into place (an existing edition of that name is replaced, as ``--force`` allows)."""
    folder = editions_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=folder))
    try:
        rec = json.loads(rec_text)
        built = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        info = {
            "name": name,
            **rec.get("edition", {}),
            "built": built,
            "html": html_dir is not None,
            "pages": len(rec.get("pages", {})),
        }
        (tmp / RECORD_JSON).write_text(rec_text, encoding="utf-8")
        if html_dir is not None:
            shutil.copytree(
                html_dir,
                tmp / "html",
                ignore=lambda d, names: [
                    n for n in names if n.startswith(".") or (Path(d) == html_dir and n == EDITIONS)
                ],
            )
        for f in files:
            shutil.copyfile(f, tmp / f.name)
        (tmp / EDITION_JSON).write_text(
            json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        tmp.chmod(0o755)
        old = folder / f".{name}.old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_atomic(
        folder / INDEX_JSON,
        json.dumps([{"name": k.name, **k.info} for k in kept(root)], indent=1, sort_keys=True)
        + "\n",
    )
    log(f"==> kept the edition {name} in {target}")
    return target


def find(root: Path, name: str) -> Kept:
    """A kept edition by name; UsageError naming the editions kept."""
    for k in kept(root):
        if k.name == name:
            return k
    names = ", ".join(k.name for k in kept(root)) or "none"
    raise UsageError(
        f"no edition {name!r} is kept in {editions_dir(root)} (kept: {names}); give an edition's "
        "name, current (the book built now), previous (the edition its page 'What changed' "
        "compares with) or the path of a record.json"
    )
