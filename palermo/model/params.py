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

import pandas as pd

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


def _first_party(short: str) -> dt.date:
    """The first day the records show a party to the treaty (its first consent)."""
    from .status import table

    first = table(treaties.resolve(short).number)["consent"].min()
    return treaties.adopted(short) if pd.isna(first) else pd.Timestamp(first).date()


def _adoption(short: str) -> tuple[dt.date, str]:
    return treaties.adopted(short), f"the adoption of {short}"


def _latest_adoption(shorts: list[str]) -> tuple[dt.date, str]:
    return max((_adoption(s) for s in shorts), key=lambda x: x[0])


def _first_party_of(short: str) -> tuple[dt.date, str]:
    return _first_party(short), f"the first day {short} had a party"


def _first_in_region(treaty: str, region: str) -> tuple[dt.date, str]:
    """The first day a State of the region had signed and then ratified the treaty."""
    from .dates import latest_record_date
    from .participation import signature_to_consent

    d = signature_to_consent([treaty], latest_record_date(), countries.scheme_of(region))
    d = d[d["region"] == region]
    if d.empty:
        raise UsageError(
            f"region {region!r}: no State of it signed and then ratified {treaty} in the "
            "records; exercise 2 needs one"
        )
    return (
        pd.Timestamp(d["consent"].min()).date(),
        f"the first day a State of {region} had signed and then ratified {treaty}",
    )


# The earliest as_of each chapter can draw, from its checked parameters (its defaults where a
# parameter is not given): a date the date validator accepts but the chapter cannot draw is
# refused here, before a kernel starts, naming the chapter's earliest date and why. Chapters
# not listed draw every date from 1988-01-01 (before their treaties exist they say so).
EARLIEST: dict[str, Callable[[dict], tuple[dt.date, str]]] = {
    # the curves start at the Convention's adoption; between it and the first party the
    # chapter says that no State had become a party yet
    "figure1": lambda p: _adoption("UNTOC"),
    # the peers are set beside the Convention, and UNCAC's pace against UNTOC's: from the
    # later adoption of the two
    "peers": lambda p: _latest_adoption(["UNTOC", "UNCAC"]),
    # the explanations are read against the treaty's new parties per year since its adoption
    "explanations": lambda p: _adoption(p.get("treaty", "UNTOC")),
    # exercise 2 asks for the slowest of the region's States that signed and then ratified
    "ex2_slow_ratifiers": lambda p: _first_in_region(
        p.get("treaty", "UNTOC"), p.get("region", "Europe")
    ),
    # exercise 4 draws the explanations chapter's pace chart
    "ex4_weighing_explanations": lambda p: _adoption(p.get("treaty", "UNTOC")),
    # the map, regions and shares are of parties: from the treaty's first party
    "who_joined": lambda p: _first_party_of(p.get("treaty", "UNTOC")),
    # years since adoption of every treaty, and the lead treaty's pace: from the lead's first
    # party, once every treaty chosen was adopted
    "ratified_not_used": lambda p: max(
        _latest_adoption(p.get("treaties", ["UNTOC"])),
        _first_party_of(p.get("treaties", ["UNTOC"])[0]),
        key=lambda x: x[0],
    ),
}


def check_chapter(chapter: str, checked: dict[str, Any]) -> None:
    """Refuse an ``as_of`` before the earliest day ``chapter`` can draw (:data:`EARLIEST`)."""
    rule = EARLIEST.get(chapter)
    if rule is None or "as_of" not in checked:
        return
    earliest, why = rule(checked)
    if checked["as_of"] < earliest:
        raise UsageError(
            f"as_of {checked['as_of']} is before {earliest}, {why}: {chapter} "
            f"has nothing to draw before it; allowed for {chapter}: {earliest} to "
            f"{config.today()} (today), or 'latest'"
        )


def check(chapter: str | None = None, **params: Any) -> dict[str, Any]:
    """Validate notebook parameters by name into typed values (dates as ``datetime.date``);
    unknown names are an error. With ``chapter`` (a notebook's name), an ``as_of`` before the
    earliest day that chapter can draw is an error too."""
    out = {}
    for name, value in params.items():
        if name not in VALIDATORS:
            raise UsageError(f"unknown parameter {name!r}; known: {', '.join(sorted(VALIDATORS))}")
        out[name] = VALIDATORS[name](value)
    if "start" in out and "end" in out and out["start"] > out["end"]:
        raise UsageError(f"start {out['start']} is after end {out['end']}")
    if chapter is not None:
        check_chapter(chapter, out)
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
        raise UsageError(
            f"{notebook} is not a notebook; give a .ipynb file with a cell tagged "
            "'parameters' (the book's chapters are in notebooks/, e.g. notebooks/figure1.ipynb)"
        )
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        tree = ast.parse(source)
    except StopIteration:
        raise UsageError(f"{notebook} has no cell tagged 'parameters'") from None
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, SyntaxError) as exc:
        raise UsageError(f"{notebook}: cannot read its parameters cell ({exc})") from None
    out: dict[str, str | None] = {}
    for node in tree.body:
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            targets = []
        for t in targets:
            if isinstance(t, ast.Name) and value is not None:
                out[t.id] = ast.get_source_segment(source, value)
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
        checked = check(**given)
        if notebook.stem in EARLIEST and "as_of" in checked:
            # the chapter's other parameters as the notebook will run them: given, or defaults
            merged = {k: _literal(v) for k, v in known.items() if k in VALIDATORS}
            merged = {k: v for k, v in merged.items() if v is not None}
            check_chapter(notebook.stem, check(**(merged | given)))
        return plain(checked)
    except UsageError as exc:
        raise UsageError(f"{where}: {exc}") from None


def _literal(expr: str | None) -> Any:
    """A parameters cell's default as a value, or None where it is not a literal."""
    try:
        return ast.literal_eval(expr) if expr is not None else None
    except (ValueError, SyntaxError):
        return None
