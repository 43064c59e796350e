"""Glue: every number a chapter's prose prints comes from its ``facts(params)``."""

from __future__ import annotations

import datetime as dt


def glue_all(facts: dict) -> None:
    """Glue each fact under its name for ``{glue:text}`name``` in the notebook's prose."""
    from .myst import glue
    from .text import readable

    for name, value in facts.items():
        if isinstance(value, dt.date):  # a date reads as YYYY-MM-DD, not as its repr
            value = value.isoformat()
        glue(name, readable(value))
