"""The book's shared notebook parameters: one name and one meaning everywhere.

This is the boundary where a parameter's text becomes a typed value. Every chapter's first cell
calls :func:`check` on its parameters and gets ``datetime.date`` for ``as_of``, ``start`` and
``end`` (the model's functions take dates, never text); the run plan (``book/runs.yml``),
``palermo run``, ``palermo profile`` and the seminar call the same validators before papermill
starts (:func:`resolve`), so a bad value fails early with a message that says what is allowed,
and hand papermill their plain form (:func:`plain`: dates as ISO text).
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import config
from ..data import countries, curated, treaties, vocab
from ..errors import UsageError
from . import participation
from .dates import parse_as_of


def as_of(value: Any) -> dt.date:
    """ISO date 1988-01-01..today, or 'latest' (the latest date the records speak for)."""
    return parse_as_of(value, "as_of")


def _date(name: str) -> Callable[[Any], dt.date]:
    """A date for a period bound: ISO, from 1945-01-01 (the chronology) to today, or 'latest'."""
    return lambda value: parse_as_of(value, name, earliest=config.HISTORY_START)


def _choices(name: str, allowed: Callable[[], list[str]]) -> Callable[[Any], list[str]]:
    """A non-empty list (or comma-separated text) of values from `allowed()`."""

    def check(value: Any) -> list[str]:
        known = list(allowed())
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, (list, tuple)) or not value or any(v not in known for v in value):
            raise UsageError(f"{name} {value!r}: give a non-empty list from {', '.join(known)}")
        return list(value)

    return check


def align(value: Any) -> str:
    if value not in ("adoption", "calendar"):
        raise UsageError(
            f"align {value!r}; allowed: adoption (years since each treaty's adoption), calendar"
        )
    return str(value)


def treaty(value: Any) -> str:
    return treaties.resolve(str(value)).short


def treaty_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    if not isinstance(value, (list, tuple)) or not value:
        raise UsageError(
            f"treaties {value!r}: give a non-empty list of short ids, from "
            f"{', '.join(treaties.short_ids())}"
        )
    out = [treaty(v) for v in value]
    if len(set(out)) != len(out):
        raise UsageError(f"treaties {value!r} names a treaty twice")
    return out


def country(value: Any) -> str:
    """A participant: its ISO3 code (or EUU) from a name or code in any spelling."""
    return participation.resolve(str(value))


VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "as_of": as_of,
    "treaties": treaty_list,
    "treaty": treaty,
    "start": _date("start"),
    "end": _date("end"),
    "verdicts": _choices("verdicts", lambda: list(vocab.VERDICTS)),
    "categories": _choices("categories", lambda: list(vocab.CATEGORIES)),
    "align": align,
    "themes": _choices("themes", lambda: list(curated.load("codebook").themes)),
    "groups": _choices("groups", lambda: list(vocab.PEOPLE_GROUPS)),
    "country": country,
    "region": lambda v: countries.check_region(str(v)),
    "region_scheme": lambda v: countries.check_scheme(str(v)),
}


def check(**params: Any) -> dict[str, Any]:
    """Validate notebook parameters by name into typed values (dates as ``datetime.date``);
    unknown names are an error."""
    out = {}
    for name, value in params.items():
        if name not in VALIDATORS:
            raise UsageError(f"unknown parameter {name!r}; known: {', '.join(sorted(VALIDATORS))}")
        out[name] = VALIDATORS[name](value)
    if "start" in out and "end" in out and out["start"] > out["end"]:
        raise UsageError(f"start {out['start']} is after end {out['end']}")
    return out


def plain(values: dict[str, Any]) -> dict[str, Any]:
    """Checked values as papermill injects them and a cache key hashes them: dates as ISO text
    (a notebook's :func:`check` reads them back into dates)."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def notebook_parameters(notebook: Path) -> dict:
    """Names and default expressions of a notebook's ``parameters`` cell (read with ``ast``,
    as papermill's inspector would, without starting a kernel)."""
    if not notebook.is_file():
        raise UsageError(f"notebook {notebook} not found")
    if notebook.suffix != ".ipynb":
        raise UsageError(f"{notebook} is not a notebook; give a .ipynb file from notebooks/")
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        tree = ast.parse(source)
    except StopIteration:
        raise UsageError(f"{notebook} has no cell tagged 'parameters'") from None
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, SyntaxError) as exc:
        raise UsageError(f"{notebook}: cannot read its parameters cell ({exc})") from None
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            targets = []
        for t in targets:
            if isinstance(t, ast.Name) and node.value is not None:
                out[t.id] = ast.get_source_segment(source, node.value)
    return out


def resolve(notebook: Path, given: dict, where: str) -> dict:
    """Check names against the notebook's parameters cell and values with the validators; the
    values in their plain form, for papermill."""
    try:
        known = notebook_parameters(notebook)
    except UsageError as exc:
        raise UsageError(f"{where}: {exc}") from None
    unknown = set(given) - set(known)
    if unknown:
        raise UsageError(
            f"{where}: parameter {sorted(unknown)[0]!r} is not in {notebook.name}; "
            f"it takes: {', '.join(sorted(known))}"
        )
    try:
        return plain(check(**given))
    except UsageError as exc:
        raise UsageError(f"{where}: {exc}") from None
