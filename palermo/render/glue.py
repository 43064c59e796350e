"""Glue: every number a chapter's prose prints comes from its ``facts(params)``."""

from __future__ import annotations


def glue_all(facts: dict) -> None:
    """Glue each fact under its name for ``{glue:text}`name``` in the notebook's prose."""
    from myst_nb import glue

    from .text import readable

    for name, value in facts.items():
        glue(name, readable(value), display=False)
