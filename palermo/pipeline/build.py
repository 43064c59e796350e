"""The whole pipeline, as the command line calls it: ``palermo build`` (the plan's notebooks,
then the book and, if asked, the PDF; with ``--edition NAME``, the book kept as an edition),
``palermo run`` (one chapter with other parameters), ``palermo profile`` (one country as a
single HTML file) and ``palermo replicate`` (the raw records fetched and verified, every
notebook rerun, the book rebuilt, every fact and exhibit compared with the shipped ones, and
a verdict in the AEA's four levels)."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..errors import BuildError, DataError, PalermoError, UsageError
from ..files import folder_lock, write_atomic
from ..model import params, participation
from . import edition, facts, plan
from .book import cells, jupyterbook, pages
from .content import FilesPage
from .execute import Result, RunFailed, failure_report, run_plan, run_single, summary_table
from .export import notebook_to_html, output_path, written_by_palermo


def build(
    plan_path: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    book: bool = True,
    pdf: bool = False,
    log: Callable[[str], None] = print,
    write_page: Callable[..., FilesPage] | None = None,
    edition_name: str | None = None,
) -> list[Result]:
    """Run the plan's notebooks, regenerate _toc.yml, build the book (and the PDF). Raises
    RunFailed (nothing of the book touched), UsageError or BuildError. One build at a time:
    a second one fails at once, naming the first one's process.

    ``write_page(page, base, log, force)`` makes what each page the plan says the build writes
    offers (the seminar's sheets, which the teaching stage makes: the command line passes it
    in) and says what the page shows (a ``content.FilesPage``); the build writes the page
    through the book's adapter.

    Every build writes the book's record (``_build/record.json``, ``facts.record``); with
    ``edition_name`` the book is then kept as that edition (``edition.keep``): a name already
    kept is refused before anything runs, unless ``force``."""
    p = plan.load(plan_path)
    name = edition.check_name(edition_name, p.base, force) if edition_name else None
    require_raw_files()
    if p.written_pages and write_page is None:
        raise UsageError(
            f"{p.path.name}: the page {p.written_pages[0].title!r} is written by `palermo build`"
        )
    with build_lock(p.base / "_build"):
        swept = sweep_temporary_files(p.base / "book")
        if swept:
            log(f"==> removed {swept} temporary file(s) left by an interrupted build")
        return _build(p, jobs, force, book, pdf, log, write_page, name)


def _build(p: plan.Plan, jobs, force, book, pdf, log, write_page=None, name=None) -> list[Result]:
    if plan.write_toc(p):
        log(f"==> wrote {p.base / '_toc.yml'} from {p.path.name}")
    jupyterbook.write_vega_static(p.base / "_static")
    for page in p.written_pages:
        text = pages.files_page(write_page(page, p.base, log, force), p.base)
        if not page.file.is_file() or page.file.read_text(encoding="utf-8") != text:
            write_atomic(page.file, text)  # only when it changed: Sphinx rereads a page written
            log(f"==> wrote {page.file.relative_to(p.base)}")
    results = run_plan(p.runs, jobs=jobs, force=force, log=log, cells=cells)
    log(summary_table(results))
    if any(r.status == "failed" for r in results):
        log(failure_report(results))
        raise RunFailed(results)
    rec = facts.record(p)
    if facts.write(facts.current_path(p.base), rec):
        log(f"==> wrote the book's record, {facts.current_path(p.base)}")
    if book:
        index = jupyterbook.build_html(p.base, log=log, force=force, rec=rec, name=name)
        log(f"==> the book: {index}")
    if pdf:
        jupyterbook.build_pdf(p.base, log=log, plan_path=p.path)
    if name:
        made = [p.base / "_build" / "pdf" / jupyterbook.PDF_NAME] if pdf else []
        edition.keep(
            p.base,
            name,
            facts.dumps(rec),
            p.base / "_build" / "html" if book else None,
            log=log,
            files=made,
        )
    return results


def build_lock(build_dir: Path):
    """An exclusive lock on ``_build/.lock`` for the whole build; BuildError naming the
    holder's process if another build has it."""
    return folder_lock(build_dir, BuildError, "another build is running", "wait for it to finish")


def require_raw_files() -> None:
    """Before any notebook runs: every registered raw file is held, or one DataError naming
    each missing file and the command that fetches it (rather than a failure per chapter)."""
    from ..data import raw

    gone = raw.missing()
    if gone:
        names = ", ".join(m.source.path for m in gone)
        raise DataError(
            f"{len(gone)} raw file(s) not held: {names}. Run `palermo sources fetch` (which "
            f"`make book` runs first) to download them, or set ${config.RAW_DIR_ENV} to a "
            "folder that holds them"
        )


def sweep_temporary_files(book: Path) -> int:
    """Remove the temporary outputs a killed run left under book/ (``.<name>.*.tmp.ipynb``);
    safe while the build lock is held, as no run is writing."""
    n = 0
    for tmp in book.rglob(".*.tmp*"):
        if tmp.is_file():
            tmp.unlink()
            n += 1
    return n


def run_one(
    notebook: Path,
    given: dict,
    output: Path | None = None,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> Result:
    """`palermo run`: one notebook with other parameters, validated like the plan."""
    notebook = Path(notebook).resolve()
    resolved = params.resolve(notebook, given, "palermo run")
    out = output_path(
        output, ".ipynb", force, Path.cwd() / f"{notebook.stem}-run.ipynb", written_by_palermo
    )
    run = plan.Run(notebook=notebook, output=out, parameters=resolved, label=str(out))
    log(f"==> running {run.rel(notebook)} with {resolved}")
    res = run_single(run, log=log, cells=cells)
    log(f"==> wrote {out} ({res.seconds:.1f} s)")
    return res


def profile_html(
    country: str,
    as_of: dt.date = config.PAPER_DATE,
    output: Path | None = None,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> Path:
    """`palermo profile`: run the country profile for one participant and write it as HTML."""
    pid = participation.resolve(country)  # fails at once, with the closest names
    name = participation.known()[pid]
    notebook = config.NOTEBOOKS / "country_profile.ipynb"
    resolved = params.resolve(notebook, {"country": pid, "as_of": as_of}, "palermo profile")
    out = output_path(
        output,
        ".html",
        force,
        Path.cwd() / f"profile-{pid}-{resolved['as_of']}.html",
        written_by_palermo,
    )
    with tempfile.TemporaryDirectory() as tmp:
        run = plan.Run(
            notebook=notebook, output=Path(tmp) / "profile.ipynb", parameters=resolved, label=pid
        )
        log(f"==> running the profile of {name} ({pid}) on {resolved['as_of']}")
        res = run_single(run, log=log, cells=cells)
        page = notebook_to_html(run.output, f"{name}: country profile")
        write_atomic(
            out, page.replace("<head>", '<head><meta name="generator" content="palermo-export">', 1)
        )
    log(f"==> wrote {out} ({res.seconds:.1f} s)")
    return out


__all__ = ["build", "run_one", "profile_html", "RunFailed"]


# --- palermo replicate: rebuild everything and compare with what was shipped --------------


@dataclass
class Reproduction:
    """What ``palermo replicate`` found: the level, why, the comparisons made (what was
    compared with the rebuilt book, and the diff), notes, and how long it took."""

    level: str
    why: str
    seconds: float = 0.0
    compared: list[tuple[str, dict]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return self.level == facts.FULL

    def text(self) -> str:
        """The verdict, then every difference, then what the four levels mean."""
        minutes, seconds = divmod(round(self.seconds), 60)
        took = f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
        lines = [f"==> reproduction verdict: {self.level} ({self.why}); {took}"]
        lines += [f"    note: {n}" for n in self.notes]
        for what, d in self.compared:
            lines += ["", f"## Compared with {what}", ""]
            if d["pages"]:
                lines.append(facts.text(d, (what, "rebuilt")).rstrip())
            else:
                lines.append(
                    f"Every fact, table and chart of its {d['counts']['compared']} pages is "
                    "the same."
                )
        lines += ["", "The four levels (the AEA's), worst first:"]
        lines += [f"- {level}: {why}" for level, why in facts.LEVELS.items()]
        return "\n".join(lines) + "\n"


def replicate(
    plan_path: Path | None = None,
    jobs: int | None = None,
    base_url: str | None = None,
    timeout: float = 30.0,
    shipped_path: Path | None = None,
    log: Callable[[str], None] = print,
    write_page: Callable[..., FilesPage] | None = None,
    book: bool = True,
) -> Reproduction:
    """`palermo replicate`: fetch and verify the raw records, record the book as found (if one
    is built), rerun every notebook and rebuild the book (``build --force``), record it again
    and compare it with the shipped record (``replication/record.json``) and with the book as
    found; the verdict is one of :data:`facts.LEVELS`. UsageError if there is no shipped
    record to compare with."""
    from ..data import raw, registry

    start = time.perf_counter()
    p = plan.load(plan_path)
    shipped_path = shipped_path or facts.shipped_path(p.base)
    try:
        shipped = facts.load(shipped_path)
    except UsageError as exc:
        raise UsageError(
            f"{exc}: the record of the book shipped, which a rebuild is compared with; "
            "`palermo export replication` writes it from a built book"
        ) from None

    def done(level: str, why: str, **kw) -> Reproduction:
        return Reproduction(level, why, time.perf_counter() - start, **kw)

    log("==> the raw records: fetched where missing, and every sha256 checked")
    try:
        raw.fetch(base_url, timeout, log=log)
    except PalermoError as exc:
        return done(facts.NOT, f"the raw records could not be fetched: {exc}")
    bad = [r for r in registry.verify_all() if not r.ok]
    if bad:
        return done(facts.NOT, f"{len(bad)} raw record(s) failed their check: {bad[0].message}")
    notes = _record_notes(shipped)
    as_found = facts.record(p, full=False)
    missing = [n for n, pg in as_found["pages"].items() if pg.get("missing")]
    found: dict | None = as_found  # None: no book was built here before
    if len(missing) == len(as_found["pages"]):
        found = None
        notes.append("no book was built here before: compared with the shipped record only")
    elif missing:
        notes.append(f"the book as found lacked {len(missing)} page(s), e.g. {missing[0]}")
    log("==> every notebook rerun and the book rebuilt (palermo build --force)")
    try:
        build(p.path, jobs=jobs, force=True, book=book, log=log, write_page=write_page)
    except RunFailed as exc:
        failed = [r.run.rel(r.run.output) for r in exc.results if r.status == "failed"]
        return done(facts.NOT, f"{len(failed)} notebook run(s) failed: {', '.join(failed[:5])}")
    except BuildError as exc:
        return done(facts.NOT, f"the book could not be built: {str(exc).splitlines()[0]}")
    rebuilt = facts.record(p)
    compared = [(f"the shipped record ({_shown(shipped_path)})", facts.diff(shipped, rebuilt))]
    if found is not None:
        compared.append(("the book as found before the rebuild", facts.diff(found, rebuilt)))
    level, why = facts.verdict([d for _, d in compared])
    return done(level, why, compared=compared, notes=notes)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(config.ROOT).as_posix()
    except ValueError:
        return str(path)


def _record_notes(shipped: dict) -> list[str]:
    """What may explain a difference before anything runs: fetched records the shipped book
    read that are not held here, or held here that it did not read."""
    from .execute import fetched_records

    theirs = set((shipped.get("edition") or {}).get("fetched") or {})
    ours = set(fetched_records())
    out = []
    if theirs - ours:
        out.append(
            f"the shipped book read {len(theirs - ours)} fetched record(s) not held here "
            f"(e.g. {sorted(theirs - ours)[0]}): its pages on the latest records may differ; "
            "the deposit holds them (raw/untc/)"
        )
    if ours - theirs:
        out.append(
            f"{len(ours - theirs)} fetched record(s) held here were not read by the shipped "
            f"book (e.g. {sorted(ours - theirs)[0]}): `palermo sources forget DAY` drops them"
        )
    return out
