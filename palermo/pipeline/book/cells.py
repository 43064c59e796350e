"""The cells the runner adds to a book page, in MyST: the "Rerun this chapter" box at its end and
the line under each chart and table (``pipeline.content`` says what they hold). The build hands
this module to the runner (``execute.run_plan(..., cells=...)``), which writes the cells into
the executed notebook; it is in every run's cache key (``data.inputs.RUNNER``), so a change of
wording here reruns the pages.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ...render import cite
from ..content import Download, ExhibitLine, Rerun

# the role of the link from an exhibit's line to its run's record: a cross-reference where the
# book has the page of records, words saying so where a plan leaves it out (``sphinx_ext``)
RECORD_ROLE = "palermo-record"


def download(link: Download) -> str:
    """A link that makes Sphinx copy the file into the built book and download it."""
    return f"{{download}}`{link.text} <{link.path}>`"


def rerun_box(rerun: Rerun) -> str:
    """The box at the end of a book page: which notebook, run with which values, and how to run
    it with others (JupyterLab or the command line)."""
    values = ", ".join(f"`{k} = {json.dumps(v)}`" for k, v in rerun.parameters.items())
    ran = f"run with {values}" if values else "run with its default values"
    # the web book's box only: a printed page cannot be rerun (the PDF says so once, on the
    # page about rerunning)
    return (
        "::::{only} html\n"
        ":::{admonition} Rerun this chapter\n"
        ":class: tip\n\n"
        f"This page is the notebook `{rerun.notebook}` {ran}. To see it with other values, open "
        "the notebook in JupyterLab (`make lab`) and change them in its first cell, or change "
        f"them in this command:\n\n```\n{rerun.command}\n```\n\n"
        "The page {doc}`/book/rerun` says more. To read it offline or elsewhere, download "
        f"{download(rerun.download)}: the executed notebook, a CSV of every table and "
        "chart on the page, and the record of where they come from.\n"
        ":::\n"
        "::::\n"
    )


def _line(x: ExhibitLine) -> str:
    made = f" (`{x.function}`)" if x.function else ""
    return (
        f"{x.label}: made by cell {x.cell} of `{x.notebook}`{made}, "
        f"{{{cite.ROLE}}}`{cite.UNFILLED}`; "
        f"{{{RECORD_ROLE}}}`where it comes from <{x.record}>`."
    )


def exhibit_lines(lines: Sequence[ExhibitLine]) -> str:
    """The lines under one cell's charts and tables, in a box the stylesheet sets apart."""
    return ":::{container} palermo-provenance\n" + "\n\n".join(map(_line, lines)) + "\n:::\n"
