"""Worksheets and handouts that need no Python: HTML pages with the charts and tables already
drawn (charts as images, no script), printed to PDF by headless Chromium.

A worksheet is made from the teacher's run of an exercise (every cell but the student's):
- the student's sheet keeps the prose, the questions and the data cells (tagged ``worksheet``)
  and puts a line to write on where each worked answer was;
- the teacher's sheet keeps the worked answers (``solution``) and the checks (``check``) too.
Setup code and the cells' sources are never shown."""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import BuildError
from ..files import atomic_path, write_atomic
from ..render.page import page

# a long table may run on to the next page between its rows (its header repeated), rather than
# leave the rest of a page blank; a chart, a figure and a row are never split
PRINT_CSS = """
body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; max-width: 48em; margin: 1.5em auto;
       padding: 0 1em; line-height: 1.45; color: #222; font-size: 11pt; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; }
p.palermo-sheet-kind { color: #555; margin-top: 0; }
div.palermo-answer-line { border-bottom: 1px solid #333; height: 2.2em; margin: 0.4em 0 1.2em;
       color: #555; font-size: 0.85em; }
div.palermo-answer-box { height: 16em; border: 1px solid #333; padding: 0.3em; }
img { max-width: 100%; }
p.palermo-data { display: none; }
div.palermo-table-box { overflow: visible; }
@page { size: A4; margin: 16mm 14mm; }
@media print { img, figure, tr { break-inside: avoid; } h2, h3 { break-after: avoid; }
               thead { display: table-header-group; } }
"""

ANSWER_LINE = '<div class="palermo-answer-line">Your answer:</div>'
# a written answer (cells tagged ``written``) gets room for a paragraph or two
ANSWER_BOX = '<div class="palermo-answer-line palermo-answer-box">Your answer:</div>'
# a prompt for the class's discussion gets room on the student's sheet for notes to bring to it
DISCUSS = re.compile(r"^\s*\*\*Discuss\.\*\*")
NOTES_BOX = (
    '<div class="palermo-answer-line palermo-answer-box">Your notes for the discussion:</div>'
)
# what the key says where the records confirm the answer (on paper there is no check cell to run)
CHECKED = "*The records confirm this answer.*"
# how charts.show begins a chart's plain text (its title, then its description)
CHART = "Chart: "
# the hints name library functions, for the notebook; on paper the data cells stand for them
HINT = re.compile(r"\s*Hint:.*?(?=\n\s*\n|\Z)", re.S)


def chromium() -> str | None:
    """Debian's Chromium (or $PALERMO_CHROMIUM), which prints the PDFs; None if absent."""
    return os.environ.get("PALERMO_CHROMIUM") or shutil.which("chromium")


def _static_outputs(cell) -> None:
    """A chart keeps only its PNG (print resolution, no script), with its alt text: the chart's
    title and description (charts.show gives them as the output's plain text); a table its
    HTML. What a cell wrote to stderr (a library's warning) is not for the sheet, but it is not
    hidden either: it is passed on to the stderr of the command that prints the sheets."""
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream" and o.get("name") == "stderr":
            first = str(o.get("text", "")).strip().splitlines()[:1]
            sys.stderr.write(
                "palermo seminar: a cell wrote to stderr (left off the printed sheet): "
                f"{first[0] if first else ''}\n"
            )
    cell["outputs"] = [
        o
        for o in cell.get("outputs", [])
        if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
    ]
    for o in cell.get("outputs", []):
        data = o.get("data", {})
        if "image/png" in data:
            said = str(data.get("text/plain", "")).strip()
            if said.startswith(CHART):
                said = said[len(CHART) :]
            if said:
                o.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = said
            for k in [k for k in data if k != "image/png"]:
                del data[k]


def _said(output) -> str:
    """What a check returned, as text: its ``text/plain`` is the string's repr (quoted with
    whichever quote the text does not hold, "the depositary's count"), read back whole."""
    import ast

    shown = str(output.get("data", {}).get("text/plain", ""))
    try:
        value = ast.literal_eval(shown)
    except (ValueError, SyntaxError):
        return shown
    return value if isinstance(value, str) else shown


def sheet_cells(nb, kind: str):
    """The cells of a printed sheet, as a notebook whose code cells show only their outputs."""
    import nbformat

    if kind not in ("student", "teacher"):
        raise ValueError(kind)
    out = []
    for c in nb.cells:
        tags = set(c.metadata.get("tags", []))
        # a cell tagged ``notebook-only`` speaks of running cells: not for paper
        if tags & {"parameters", "injected-parameters", "remove-cell", "student", "notebook-only"}:
            continue
        if c.cell_type == "markdown":
            out.append(nbformat.v4.new_markdown_cell(HINT.sub("", c.source)))
            if kind == "student" and DISCUSS.match(c.source):
                out.append(nbformat.v4.new_markdown_cell(NOTES_BOX))
        elif "check" in tags:
            failed = any(o.get("output_type") == "error" for o in c.get("outputs", []))
            if kind == "teacher" and not failed:
                said = " ".join(_said(o) for o in c.get("outputs", []))
                # a check that cannot confirm (records incomplete on the day) says so, with the
                # bounds it accepts and what they rest on
                hedged = re.search(r"Consistent with the records.*", said, re.S)
                # a confirmed answer keeps what the check says after "Correct.": the date its
                # records are complete through, or why records ending earlier still settle it
                reason = re.search(r"Correct\.\s+(\S.*)", said, re.S)
                out.append(
                    nbformat.v4.new_markdown_cell(
                        f"*{hedged.group(0)}*"
                        if hedged
                        else f"{CHECKED} *{reason.group(1)}*"
                        if reason
                        else CHECKED
                    )
                )
        elif "solution" in tags:
            if kind == "teacher":
                _static_outputs(c)
                out.append(c)
            else:
                box = ANSWER_BOX if "written" in tags else ANSWER_LINE
                out.append(nbformat.v4.new_markdown_cell(box))
        elif c.get("outputs"):  # the group's parameters, the data to read
            _static_outputs(c)
            out.append(c)
    for i, c in enumerate(out):  # fixed ids: the same pack twice gives the same files
        c["id"] = f"sheet-{i:03d}"
    copy = nbformat.v4.new_notebook(metadata=nb.metadata)
    copy.cells = out
    return copy


# what nbconvert writes where an image has no alt text of its own
NO_ALT = "No description has been provided for this image"


def page_html(nb, title: str, subtitle: str) -> str:
    """One printable page: outputs and prose only, the book's table style and a print style."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    body, _ = exporter.from_notebook_node(nb)
    # a heading's empty anchor link is a link with no name (a screen reader reads nothing);
    # a printed sheet needs none
    body = re.sub(r'<a class="anchor-link"[^>]*>\s*</a>', "", body)
    # every image on a sheet says what it shows (a chart's description, numbers and all)
    if re.search(r"<img(?![^>]*\balt=\"[^\"]*[^\"\s][^\"]*\")", body) or NO_ALT in body:
        raise BuildError(f"an image on the sheet {title!r} has no description (alt text)")
    kind = f'<p class="palermo-sheet-kind">{html.escape(subtitle)}</p>'
    return page(title, kind + body, after=PRINT_CSS, generator="palermo-seminar")


PRINT_TIMEOUT = 120  # seconds for one sheet
# the Chromium processes printing now (their process groups are ended on an interrupt)
PRINTING: set[subprocess.Popen] = set()


def check_chromium(browser: str | None = None) -> str:
    """The Chromium that will print, checked before anything runs: it exists and answers
    ``--version`` (a mistyped $PALERMO_CHROMIUM fails at once, not after every notebook)."""
    browser = browser or chromium()
    if browser is None:
        raise BuildError(
            "no Chromium to print the PDFs (set PALERMO_CHROMIUM or install Debian's chromium "
            "package; .ci/run does); the HTML worksheets are written and print from any browser"
        )
    try:
        proc = subprocess.run(
            [browser, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(
            f"Chromium {browser!r} (PALERMO_CHROMIUM or PATH) cannot run: {exc}"
        ) from None
    if proc.returncode != 0:
        raise BuildError(
            f"Chromium {browser!r} (PALERMO_CHROMIUM or PATH) does not run: `--version` exits "
            f"{proc.returncode}; set PALERMO_CHROMIUM to the path of a Chromium"
        )
    return browser


def _end(proc: subprocess.Popen) -> None:
    """End one Chromium with its helper processes (its process group)."""
    import signal

    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)


def stop_printing() -> None:
    """End every Chromium that is printing: headless Chromium ignores Ctrl-C while it
    prints."""
    for proc in list(PRINTING):
        _end(proc)


def to_pdf(page: Path, pdf: Path, browser: str | None = None) -> Path:
    """Print an HTML file to PDF with headless Chromium (A4, no header or footer), atomically.
    Chromium runs in a process group of its own, so an interrupt ends it by its id
    (:func:`stop_printing`) rather than waiting for it."""
    browser = browser or chromium()
    if browser is None:
        browser = check_chromium(browser)  # raises: no Chromium to print with
    with tempfile.TemporaryDirectory() as profile, atomic_path(pdf, suffix=".pdf.tmp") as tmp:
        proc = subprocess.Popen(
            [
                browser,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={tmp}",
                page.resolve().as_uri(),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        PRINTING.add(proc)
        try:
            _, err = proc.communicate(timeout=PRINT_TIMEOUT)
        except subprocess.TimeoutExpired:
            _end(proc)
            proc.wait()
            raise BuildError(
                f"Chromium did not finish printing {page} to PDF in {PRINT_TIMEOUT} s"
            ) from None
        except BaseException:  # the build ends (Ctrl-C)
            _end(proc)
            proc.wait()
            raise
        finally:
            PRINTING.discard(proc)
        if proc.returncode != 0 or not tmp.is_file() or tmp.stat().st_size == 0:
            raise BuildError(
                f"Chromium could not print {page} to PDF (exit {proc.returncode}): "
                f"{(err or '').strip()[-400:]}"
            )
    return pdf


class Printer:
    """Prints pages to PDF two at a time, beside the caller's work (a pack's next notebook
    runs while Chromium prints the last sheets). Leaving the ``with`` block waits for every
    print and raises the first failure; leaving it on an error (or Ctrl-C, even while it
    waits) cancels the prints not yet started and ends the ones running at once."""

    def __init__(self, workers: int = 2) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="palermo-pdf")
        self._pending: list = []

    def print(self, page: Path, pdf: Path) -> Path:
        """Start printing ``page`` to ``pdf``; returns ``pdf``, written when the block ends."""
        self._pending.append(self._pool.submit(to_pdf, page, pdf))
        return pdf

    def __enter__(self) -> Printer:
        return self

    def _cancel(self) -> None:
        for job in self._pending:
            job.cancel()
        stop_printing()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __exit__(self, kind, exc, tb) -> None:
        if kind is not None:
            self._cancel()
            return
        try:
            for job in self._pending:
                job.result()
        except BaseException:
            self._cancel()
            raise
        self._pool.shutdown(wait=True)


def write_sheet(html_text: str, out: Path, pdf: bool, printer: Printer | None = None) -> list[Path]:
    """The HTML page, and its PDF if asked (by ``printer`` when given, else at once); both
    atomic."""
    page = write_atomic(out.with_suffix(".html"), html_text)
    if not pdf:
        return [page]
    target = out.with_suffix(".pdf")
    return [page, printer.print(page, target) if printer else to_pdf(page, target)]


def join_pdfs(parts: list[tuple[str, Path]], out: Path) -> Path:
    """One PDF of ``parts`` (each a title and a PDF), page for page in their order, each part a
    bookmark with its title: a class set to print in one go. Written atomically."""
    import pypdf

    writer = pypdf.PdfWriter()
    for title, pdf in parts:
        writer.append(str(pdf), outline_item=title)
    writer.add_metadata({"/Title": out.stem.replace("-", " ")})
    with atomic_path(out, suffix=".pdf.tmp") as tmp, open(tmp, "wb") as fh:
        writer.write(fh)
    return out
