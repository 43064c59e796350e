"""The one shell of a standalone HTML page (an offline profile, a printable worksheet, the
seminar handout): the book's stylesheet inline between the page's own styles, optional inline
scripts, no outside request."""

from __future__ import annotations

import html

from .. import config


def page(
    title: str,
    body: str,
    *,
    before: str = "",
    after: str = "",
    script: str = "",
    generator: str | None = None,
) -> str:
    """A whole page around ``body`` (already HTML): ``before`` and ``after`` are CSS put before
    and after the book's own, ``script`` an inline script, ``generator`` the name of what made
    it (written as a generator meta tag)."""
    css = (config.STATIC / "palermo.css").read_text(encoding="utf-8")
    meta = f'<meta name="generator" content="{html.escape(generator)}">' if generator else ""
    scripts = f"<script>{script}</script>" if script else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">{meta}'
        f"<title>{html.escape(title)}</title><style>{before}{css}{after}</style>{scripts}"
        f"</head><body><main>{body}</main></body></html>\n"
    )
