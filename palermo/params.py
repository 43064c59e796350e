"""The book's shared notebook parameters: one name and one meaning everywhere.

Every chapter's first cell calls :func:`check` on its parameters, and the run plan
(``book/runs.yml``) and ``palermo run`` call the same validators before papermill starts,
so a bad value fails early with a message that says what is allowed.
"""

from __future__ import annotations

from typing import Any, Callable

from . import status, treaties
from .errors import UsageError

LATEST = "latest"


def latest_record_date() -> str:
    """The latest date any record speaks for: the newest snapshot status date, headline count
    or curated action (read straight from the registry and the curated CSVs: cheap enough to
    resolve a run plan without parsing the raw files)."""
    import csv

    from . import curated, sources

    dates = [str(s.status_date) for s in sources.registry()]
    for path, col in ((curated.PARTY_COUNTS, "date"), (curated.TREATY_ACTIONS, "latest")):
        with open(path, encoding="utf-8", newline="") as fh:
            dates += [row[col] for row in csv.DictReader(fh) if row.get(col)]
    return max(dates)


def as_of(value: Any) -> str:
    """ISO date 1988-01-01..today, or 'latest' (the latest date the records speak for)."""
    if value is None or (isinstance(value, str) and value.strip().lower() == LATEST):
        return latest_record_date() if value is not None else str(status.PAPER_DATE)
    return str(status.parse_as_of(value, "as_of"))


HISTORY_START = "1945-01-01"  # the chronology reaches back before the treaty records (1988)


def _date(name: str) -> Callable[[Any], str]:
    """A date for a period bound: ISO, from 1945-01-01 (the chronology) to today."""
    import datetime as dt

    def check(value: Any) -> str:
        try:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise UsageError(f"{name} {value!r} is not a date; give an ISO date YYYY-MM-DD") from None
        if not dt.date.fromisoformat(HISTORY_START) <= day <= status.today():
            raise UsageError(f"{name} {day} is out of range; allowed: {HISTORY_START} to {status.today()} (today)")
        return str(day)
    return check


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


def _categories() -> list[str]:
    from .events import CATEGORIES

    return list(CATEGORIES)


def _themes() -> list[str]:
    from .history import codebook

    return list(codebook()["themes"])


def _verdicts() -> list[str]:
    from .claims import VERDICTS

    return list(VERDICTS)


def align(value: Any) -> str:
    if value not in ("adoption", "calendar"):
        raise UsageError(f"align {value!r}; allowed: adoption (years since each treaty's adoption), calendar")
    return str(value)


def treaty(value: Any) -> str:
    return treaties.resolve(str(value)).short


def treaty_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    if not isinstance(value, (list, tuple)) or not value:
        raise UsageError(f"treaties {value!r}: give a non-empty list of short ids, from {', '.join(treaties.short_ids())}")
    out = [treaty(v) for v in value]
    if len(set(out)) != len(out):
        raise UsageError(f"treaties {value!r} names a treaty twice")
    return out


VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "as_of": as_of,
    "treaties": treaty_list,
    "treaty": treaty,
    "start": _date("start"),
    "end": _date("end"),
    "verdicts": _choices("verdicts", _verdicts),
    "categories": _choices("categories", _categories),
    "align": align,
    "themes": _choices("themes", _themes),
    "country": lambda v: __import__("palermo.profile", fromlist=["resolve"]).resolve(str(v)),
    "region": lambda v: __import__("palermo.regions", fromlist=["check_region"]).check_region(str(v)),
    "region_scheme": lambda v: __import__("palermo.regions", fromlist=["check_scheme"]).check_scheme(str(v)),
}


def check(**params: Any) -> dict[str, Any]:
    """Validate and normalise notebook parameters by name; unknown names are an error."""
    out = {}
    for name, value in params.items():
        if name not in VALIDATORS:
            raise UsageError(f"unknown parameter {name!r}; known: {', '.join(sorted(VALIDATORS))}")
        out[name] = VALIDATORS[name](value)
    return out
