"""What the pipeline and the teaching stage hand the book engine's adapter (``pipeline.book``):
the book's own text as data, never as markup. The adapter writes it in the engine's syntax
(MyST today), so a change of engine rewrites the adapter, not the modules that say what a page
holds.

- :class:`Rerun` and :class:`ExhibitLine`: the cells the runner adds to a book page (the
  "Rerun this chapter" box, the line under each chart and table), written by a
  :class:`CellWriter` the build hands the runner (``pipeline.book.cells``);
- :class:`FilesPage`: a page the build writes that offers files for download (the seminar's),
  its text in lines of Markdown with :class:`Download` links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Download:
    """A link that downloads a file the build made."""

    text: str  # the link's words: "PDF", "student's"
    path: str  # the file, from the book's folder: /_build/seminar-pack/handout.pdf


@dataclass(frozen=True)
class Rerun:
    """What a book page's "Rerun this chapter" box says."""

    notebook: str  # the source notebook, from the repository: notebooks/figure1.ipynb
    parameters: dict  # the values it ran with
    command: str  # the command that runs it with them: palermo run notebooks/... -p as_of ...
    download: Download  # the page's zip: its notebook, its data and its record


@dataclass(frozen=True)
class ExhibitLine:
    """The line under a chart or table of a book page: what it is and where it comes from."""

    label: str  # Chart “Cumulative parties”, Table (Instrument, Parties, …)
    cell: int  # the cell of the source notebook that made it, from 1
    notebook: str  # the source notebook, from the repository
    function: str  # the function behind it (palermo.chapters.figure1.curve_chart), or ""
    record: str  # the label of its run's record on the page of records: prov-figure1-latest


class CellWriter(Protocol):
    """What writes the cells the runner adds to a book page, in the engine's syntax."""

    def rerun_box(self, rerun: Rerun) -> str: ...

    def exhibit_lines(self, lines: Sequence[ExhibitLine]) -> str: ...


# one line of a page: Markdown text and the links it holds, in order
Line = tuple[str | Download, ...]


@dataclass(frozen=True)
class FilesPage:
    """A page the build writes that offers files: its title, its lines, and what print shows.

    ``web_only``: the lines are the web edition's alone (print shows ``print_lines`` and the
    ``printed`` PDFs instead); ``printed``: (title, PDF file) of each sheet the PDF edition
    prints page for page, in order."""

    title: str
    lines: tuple[Line, ...]
    web_only: bool = False
    print_lines: tuple[str, ...] = ()
    printed: tuple[tuple[str, Path], ...] = ()
