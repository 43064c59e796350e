"""How a reader cites one part of the book: a one-line citation form, with the edition filled
in by the build.

A chapter's output cannot know the commit it is built from (a cached notebook is reused across
commits), so it writes a marker where the edition belongs; the book's extension replaces the
marker with the edition's label when the book is built (``pipeline.edition``).
"""

from __future__ import annotations

import html

from . import myst

# the class of the HTML element whose text the build sets to the edition's label
HTML_CLASS = "palermo-edition"
# the MyST role that prints the label (in print, where a chapter's output is Markdown)
ROLE = "palermo-edition"
# what a page shows where no book build filled the marker in (a notebook opened on its own)
UNFILLED = "this edition"
BOOK = "The Palermo companion"


def edition_html() -> str:
    """The marker a chapter writes into its HTML where the edition belongs."""
    return f'<span class="{HTML_CLASS}">{UNFILLED}</span>'


def edition_markdown() -> str:
    """The marker a chapter writes into its Markdown (print) where the edition belongs."""
    return myst.role(ROLE, UNFILLED)


def claim(claim_id: str, *, markdown: bool = False) -> str:
    """'The Palermo companion, claim adhoc-sessions-12, edition 0.2.0, commit 3903005': a
    claim's citation form, its id the page's anchor for it (``#claim-<id>``)."""
    if markdown:
        return f"{BOOK}, claim `{claim_id}`, {edition_markdown()}"
    return f"{BOOK}, claim <code>{html.escape(claim_id)}</code>, {edition_html()}"
