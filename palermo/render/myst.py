"""What a notebook's outputs carry for the book engine, written in the kernel: the one module
outside the engine's adapter (``pipeline/book/``) that knows the engine's formats.

A chapter runs in a kernel, and a notebook may import nothing from the pipeline, so what its
outputs hold for myst-nb is written here, below the chapters, rather than by the adapter:

- :func:`glue`: a fact glued under its name, for ``{glue:text}`name``` in the prose (myst-nb's
  glue record: an IPython display of the value's forms under a prefix, with ``scrapbook``
  metadata, as ``myst_nb.glue(name, value, display=False)`` writes it, without importing
  myst-nb; ``tests/render/test_myst.py`` holds the two alike);
- :func:`role`: an inline role (the edition a build fills in, a link to a page by its title);
- :func:`list_table`: a table for print, a MyST ``list-table`` (a LaTeX longtable) in a
  ``container`` of a class where it is set smaller.

A move to another engine rewrites this module with the adapter
(``decisions/0001-book-engine.md``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# the glue record's prefix of each form of the value (a hidden glue: display=False)
GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, value: object) -> None:
    """Glue ``value`` under ``name`` in the running notebook, shown nowhere but where the prose
    pastes it."""
    from IPython import display
    from IPython.core.formatters import format_display_data

    bundle, metadata = format_display_data(value)
    metadata["scrapbook"] = dict(name=name, mime_prefix=GLUE_PREFIX)
    display.display({GLUE_PREFIX + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)


def role(name: str, text: str) -> str:
    """An inline role: ``{doc}`figure1/paper-date```."""
    return f"{{{name}}}`{text}`"


def inline(v) -> str:
    """One value as MyST inline text: never read as a list, heading or math."""
    text = " ".join(str(v).split()) or "-"
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("$", "\\$").replace("`", "\\`")
    if text[0] in "-+*#>":
        text = "\\" + text
    m = re.match(r"(\d+)([.)])(\s|$)", text)  # "2018. x" would start an ordered list
    if m:
        text = m.group(1) + "\\" + text[len(m.group(1)) :]
    return text


def list_table(
    rows: Sequence[Sequence[object]], widths: Sequence[int], cls: str | None = None
) -> str:
    """A table for print: its first row the header, each cell :func:`inline` text, the columns'
    relative ``widths``; inside a container of the class ``cls`` where one is given (the PDF's
    preamble sets a smaller size for it)."""
    lines = [
        "```{list-table}",
        ":header-rows: 1",
        ":class: longtable",
        f":widths: {' '.join(map(str, widths))}",
        "",
    ]
    for row in rows:
        lines.append("* - " + inline(row[0]))
        lines += ["  - " + inline(v) for v in row[1:]]
    lines.append("```")
    table = "\n".join(lines) + "\n"
    return f"````{{container}} {cls}\n{table}````\n" if cls else table
