"""One Jupyter Book runner for the HTML book and the PDF edition, plus the local Vega libraries.

The HTML book is built into ``_build/stage`` (incrementally) and copied into ``_build/html``
only when the build succeeded, so a failed build leaves the previous book readable. When
nothing the book is made of has changed since the book in ``_build/html`` was built, the
Sphinx build is skipped altogether (a no-op build). Each copy serves the editions kept beside
the book and fills in every page's edition bar (``edition.serve``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ... import config
from ...data import inputs
from ...errors import BuildError
from ...files import atomic_path, write_atomic
from .. import edition, plan

VEGA_JS = "vega-local.js"
PDF_NAME = "palermo-companion.pdf"
STAMP = ".palermo-build-sha256"


def write_vega_static(static: Path = config.STATIC) -> Path:
    """Write the Vega libraries into _static (atomically; an up-to-date file is left alone)."""
    from ...render.charts import vega_bundle, vega_bundle_stamp

    target = static / VEGA_JS
    if target.is_file():
        with open(target, encoding="utf-8") as fh:
            if fh.readline().rstrip("\n") == vega_bundle_stamp():
                return target
    return write_atomic(target, vega_bundle())


def _jupyter_book(
    root: Path,
    out: Path,
    builder: str,
    strict: bool,
    config_file: Path | None = None,
    toc: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [
        str(jb) if jb.exists() else "jupyter-book",
        "build",
        str(root),
        "--builder",
        builder,
        "--path-output",
        str(out),
    ]
    if config_file is not None:
        cmd += ["--config", str(config_file)]
    if toc is not None:
        cmd += ["--toc", str(toc)]
    if strict:  # nit-picky: a reference that resolves to nothing is a warning, so an error
        cmd += ["-n", "-W", "--keep-going"]
    return subprocess.run(cmd, cwd=root, capture_output=True, text=True, errors="replace", env=env)


def _tail(proc: subprocess.CompletedProcess, n: int = 40) -> str:
    return "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-n:])


def _recover(final: Path) -> None:
    """A build stopped between its two renames leaves the previous book in html.previous."""
    old = final.with_name(final.name + ".previous")
    if not final.exists() and old.exists():
        old.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(final.with_name(final.name + ".new"), ignore_errors=True)


def _fresh_if_relaid(root: Path, stage: Path) -> None:
    """Sphinx builds incrementally but never deletes the page of a document that left the
    book, nor rereads a page its extension now writes otherwise: start the stage afresh
    whenever the TOC, the configuration or the book's own Sphinx extension changes."""
    layout = inputs.digest("layout", root)
    layout_stamp = stage / ".layout-sha256"
    if stage.exists() and (not layout_stamp.is_file() or layout_stamp.read_text() != layout):
        shutil.rmtree(stage)
    stage.mkdir(parents=True, exist_ok=True)
    layout_stamp.write_text(layout)


def build_html(
    root: Path = config.ROOT,
    log: Callable[[str], None] = print,
    force: bool = False,
    rec: dict | None = None,
    name: str | None = None,
) -> Path:
    """The HTML book into _build/html; returns its index.html. ``rec``: the book's record
    (default: the one the build wrote, ``facts.current_record``); ``name``: the edition it is
    being kept as (``palermo build --edition NAME``), if any."""
    from .. import facts

    build = root / "_build"
    final, stage = build / "html", build / "stage"
    _recover(final)
    # the edition (version and commit) is printed on the pages that cite it: a new commit
    # rebuilds the book (Sphinx rewrites only the pages that print it); a new edition kept, or
    # one being kept, rewrites every page's edition bar and the page "What changed"
    digest = (
        f"{inputs.digest('book', root)} {edition.current(root).label} "
        f"editions: {edition.signature(root)} name: {name or '-'}"
    )
    stamp = final / STAMP
    if not force and stamp.is_file() and stamp.read_text() == digest:
        log("==> the book is up to date (nothing it is made of has changed)")
        return final / "index.html"
    _fresh_if_relaid(root, stage)
    log("==> jupyter-book build (execution off; nit-picky, warnings are errors)")
    start = time.perf_counter()
    env = {**os.environ, edition.NAME_ENV: name} if name else None
    proc = _jupyter_book(root, stage, "html", strict=True, env=env)
    if proc.returncode != 0:
        raise BuildError(
            f"jupyter-book build failed (exit {proc.returncode}); the previous book in "
            f"{final} is unchanged.\n{_tail(proc)}"
        )
    new, old = build / "html.new", build / "html.previous"
    shutil.rmtree(new, ignore_errors=True)
    shutil.copytree(stage / "_build" / "html", new)
    # Sphinx 7 keeps a static file it copied once, even after it changed: put ours in afresh
    for f in (root / "_static").rglob("*"):
        if f.is_file():
            target = new / "_static" / f.relative_to(root / "_static")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
    rec = rec if rec is not None else facts.current_record(root)
    if rec is not None:
        served = edition.serve(new, root, rec, name)
        if served:
            log(f"    earlier editions beside it: {', '.join(k.name for k in served)}")
    (new / STAMP).write_text(digest)
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    log(f"    built in {time.perf_counter() - start:.1f} s")
    return final / "index.html"


TEX_TOOLS = ("latexmk", "pdflatex")  # what Jupyter Book's pdflatex builder runs


def latex_dir(root: Path = config.ROOT) -> Path:
    """Where the PDF edition's LaTeX is written and run: a file a page includes in print
    (``\\includepdf``, the seminar's sheets) is named relative to it."""
    return root / "_build" / "pdf-stage" / "_build" / "latex"


def _pdf_config(root: Path, stage: Path) -> Path:
    """The book's configuration for print: the code of the cells left out (a reader of the PDF
    cannot unfold it, and the tables and charts stand for it), on A4 paper, and only the pages
    of the PDF edition's table of contents read (the web book's profiles are not printed)."""
    import yaml

    doc = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    sphinx = doc.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["nb_remove_code_source"] = True
    # Tables (palermo.render.tables.markdown sizes their columns to their widest words): cells
    # ragged right, a word with a capital never hyphenated ("Vi-enna", "BOMB-INGS"), a
    # zero-width space where a long code may break, the two smaller sizes a wide table may take
    tables = r"""\makeatletter
\newcolumntype{\X}[2]{>{\raggedright\arraybackslash\uchyph=0\relax}p{\dimexpr
      (\linewidth-\spx@arrayrulewidth)*#1/#2-\tw@\tabcolsep-\spx@arrayrulewidth\relax}}
\makeatother
\DeclareUnicodeCharacter{200B}{\allowbreak}
\newenvironment{sphinxclasspalermo-small}{\small}{}
\newenvironment{sphinxclasspalermo-footnotesize}{\footnotesize}{}
"""
    # a long address may break after a hyphen too (one ran off the page at its hyphens)
    tables += "\\expandafter\\def\\expandafter\\UrlBreaks\\expandafter{\\UrlBreaks\\do\\-}\n"
    # Sphinx names the contents after the first part's caption: call them "Contents"
    sphinx["latex_elements"] = {
        "papersize": "a4paper",
        "tableofcontents": "\\renewcommand{\\contentsname}{Contents}\\sphinxtableofcontents",
        # never break a line at a hyphen already in the text: dates (2020-12-23), ranges
        # (177-178) and treaty numbers (XVIII-12-a) stay whole
        "preamble": "\\exhyphenpenalty=10000\n" + tables,
        # the seminar's printed sheets, page for page (book/seminar-sheets.md)
        "extrapackages": "\\usepackage{pdfpages}",
    }
    # the title page (only: not the running heads) gives the edition: version, the records'
    # date, commit
    stamp = _latex_escape(edition.line(edition.describe(root)))
    sphinx["latex_elements"]["maketitle"] = f"\\setreleaseinfo{{\\large {stamp}}}\\sphinxmaketitle"
    doc["only_build_toc_files"] = True
    stage.mkdir(parents=True, exist_ok=True)
    return write_atomic(stage / "_config-pdf.yml", yaml.safe_dump(doc, sort_keys=False))


def _latex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text).replace("·", "\\textperiodcentered{}")


def build_pdf(
    root: Path = config.ROOT, log: Callable[[str], None] = print, plan_path: Path | None = None
) -> Path:
    """The PDF edition: Jupyter Book's pdflatex builder on the executed notebooks (charts as
    their PNGs), into _build/pdf-stage, with the plan's table of contents for print; the PDF is
    then copied to _build/pdf/."""
    missing = [tool for tool in TEX_TOOLS if shutil.which(tool) is None]
    if missing:
        raise BuildError(
            f"the PDF edition needs TeX Live: {', '.join(missing)} not found on PATH; install "
            "the packages .ci/run names (texlive-latex-recommended, texlive-latex-extra, "
            "texlive-fonts-recommended, latexmk, tex-gyre); the previous PDF is kept"
        )
    build = root / "_build"
    stage = build / "pdf-stage"
    _fresh_if_relaid(root, stage)  # the print build is incremental too
    log("==> jupyter-book build --builder pdflatex (LaTeX, then pdflatex via latexmk)")
    start = time.perf_counter()
    the_plan = plan.load(plan_path or root / "book" / "runs.yml", root=root)
    toc = write_atomic(stage / "_toc-pdf.yml", plan.toc_text(the_plan, pdf=True))
    proc = _jupyter_book(
        root, stage, "pdflatex", strict=False, config_file=_pdf_config(root, stage), toc=toc
    )
    pdf = latex_dir(root) / PDF_NAME
    if proc.returncode != 0 or not pdf.is_file():
        raise BuildError(
            f"the PDF build failed (exit {proc.returncode}); is TeX Live installed "
            f"(see .ci/run)?\n{_tail(proc)}"
        )
    out = build / "pdf" / PDF_NAME
    with atomic_path(out, suffix=".pdf.tmp") as tmp:
        shutil.copyfile(pdf, tmp)
    log(f"    built in {time.perf_counter() - start:.1f} s")
    log(f"==> the PDF: {out}")
    return out
