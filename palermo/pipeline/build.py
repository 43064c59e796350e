"""The whole pipeline, as the command line calls it: ``palermo build`` (the plan's notebooks,
then the book and, if asked, the PDF), ``palermo run`` (one chapter with other parameters)
and ``palermo profile`` (one country as a single HTML file)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from .. import config
from ..errors import BuildError, DataError, UsageError
from ..files import folder_lock, write_atomic
from ..model import params, participation
from . import jupyterbook, plan
from .execute import Result, RunFailed, failure_report, run_plan, run_single, summary_table
from .export import notebook_to_html, output_path, written_by_palermo


def build(
    plan_path: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    book: bool = True,
    pdf: bool = False,
    log: Callable[[str], None] = print,
    write_page: Callable[..., None] | None = None,
) -> list[Result]:
    """Run the plan's notebooks, regenerate _toc.yml, build the book (and the PDF). Raises
    RunFailed (nothing of the book touched), UsageError or BuildError. One build at a time:
    a second one fails at once, naming the first one's process.

    ``write_page(page, base, log, force)`` writes each page the plan says the build writes (the
    seminar pack's, which the teaching stage makes: the command line passes it in)."""
    p = plan.load(plan_path)
    require_raw_files()
    if p.written_pages and write_page is None:
        raise UsageError(
            f"{p.path.name}: the page {p.written_pages[0].title!r} is written by `palermo build`"
        )
    with build_lock(p.base / "_build"):
        swept = sweep_temporary_files(p.base / "book")
        if swept:
            log(f"==> removed {swept} temporary file(s) left by an interrupted build")
        return _build(p, jobs, force, book, pdf, log, write_page)


def _build(p: plan.Plan, jobs, force, book, pdf, log, write_page=None) -> list[Result]:
    if plan.write_toc(p):
        log(f"==> wrote {p.base / '_toc.yml'} from {p.path.name}")
    jupyterbook.write_vega_static(p.base / "_static")
    for page in p.written_pages:
        write_page(page, p.base, log, force)
    results = run_plan(p.runs, jobs=jobs, force=force, log=log)
    log(summary_table(results))
    if any(r.status == "failed" for r in results):
        log(failure_report(results))
        raise RunFailed(results)
    if book:
        index = jupyterbook.build_html(p.base, log=log, force=force)
        log(f"==> the book: {index}")
    if pdf:
        jupyterbook.build_pdf(p.base, log=log, plan_path=p.path)
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
    res = run_single(run, log=log)
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
        res = run_single(run, log=log)
        page = notebook_to_html(run.output, f"{name}: country profile")
        write_atomic(
            out, page.replace("<head>", '<head><meta name="generator" content="palermo-export">', 1)
        )
    log(f"==> wrote {out} ({res.seconds:.1f} s)")
    return out


__all__ = ["build", "run_one", "profile_html", "RunFailed"]
