"""The claims ledger (data/curated/claims.yml): the paper's checkable numbers and dates,
each recomputed from the records by a named function and compared with what the paper
prints. The verdict in the file is pinned; :func:`evaluate` recomputes it, and a test fails
when the two disagree. (The ledger's page, with its badges and links, is the chapter
``palermo.chapters.claims``.)"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache
from typing import Any

import pandas as pd

from .. import config
from ..data import curated
from ..data.vocab import COMPARES, NOT_CHECKABLE
from ..errors import DataError
from . import status
from .coverage import coverage
from .eif import entry_into_force as _eif
from .participation import members_outside

SIMPLE_FRACTIONS = [
    Fraction(1, 5),
    Fraction(1, 4),
    Fraction(1, 3),
    Fraction(2, 5),
    Fraction(1, 2),
    Fraction(2, 3),
    Fraction(3, 4),
]

COMPUTATIONS: dict[str, Callable[..., Any]] = {}


def computation(fn):
    COMPUTATIONS[fn.__name__] = fn
    return fn


def _participant_row(treaty, participant, as_of=None):
    st = status.status(treaty, as_of or config.today())
    hit = st[st["participant_id"] == participant]
    return None if hit.empty else hit.iloc[0]


def _first_party(treaty):
    return status.parties(treaty, config.today()).iloc[0]


# --- computations -----------------------------------------------------------------------


@computation
def parties_on(treaty, as_of) -> dict:
    """Parties on a date, with the bracket and the coverage of the records."""
    c = status.counts(treaty, as_of)
    cov = coverage(treaty, as_of)
    return {
        "parties": c["parties"],
        "parties_max": c["parties_max"],
        "complete": cov["complete_on_as_of"],
        "complete_through": cov["complete_through"],
    }


@computation
def first_party(treaty) -> str:
    p = _first_party(treaty)
    return f"{p['name']}, {p['consent'].date()}"


@computation
def first_party_month(treaty) -> str:
    p = _first_party(treaty)
    return f"{p['name']}, {p['consent']:%Y-%m}"


@computation
def latest_party_year(treaty, as_of) -> str:
    p = status.parties(treaty, as_of).sort_values(["consent_latest", "name"]).iloc[-1]
    return f"{p['name']}, {p['consent'].year}"


@computation
def consent_year(treaty, participant) -> int | None:
    r = _participant_row(treaty, participant)
    return None if r is None or pd.isna(r["consent"]) else int(r["consent"].year)


@computation
def signature_year(treaty, participant) -> int | None:
    r = _participant_row(treaty, participant)
    return None if r is None or pd.isna(r["signature"]) else int(r["signature"].year)


@computation
def status_of(treaty, participant, as_of) -> str:
    r = _participant_row(treaty, participant, as_of)
    return "none" if r is None else str(r["status"])


@computation
def share_of_members_not_party(treaty, start, end) -> dict:
    """Share of UN Member States not party, at the start and the end of a period."""
    return {"start": members_outside(treaty, start), "end": members_outside(treaty, end)}


@computation
def entry_into_force(treaty) -> str:
    return str(_eif(treaty)["computed"])


@computation
def sessions_between(pattern, start, end) -> int:
    """Events whose id matches `pattern` (e.g. the numbered sessions ^ahc-[0-9]+$) starting in "
    "the period."""
    ev = curated.events()
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    return int(
        (
            ev["id"].str.fullmatch(pattern.strip("^$")) & (ev["start"] >= s) & (ev["start"] <= e)
        ).sum()
    )


@computation
def event_year(event) -> int:
    return int(curated.event(event)["start"].year)


@computation
def event_years(events) -> str:
    return ", ".join(str(curated.event(e)["start"].year) for e in events)


@computation
def years_from_eif_to_event(treaty, event) -> int:
    return event_year(event) - _eif(treaty)["computed"].year


@computation
def adoption_month(treaties) -> str:  # noqa: F811 - the ledger's argument name
    from ..data import treaties as tr

    return ", ".join(sorted({f"{tr.adopted(t):%Y-%m}" for t in treaties}))


@computation
def first_signature_month(treaty) -> str:
    st = status.status(treaty, config.today())
    return f"{st['signature'].min():%Y-%m}"


@computation
def adopted_before_event(treaties, event) -> bool:  # noqa: F811
    from ..data import treaties as tr

    when = curated.event(event)["start"].date()
    return all(tr.adopted(t) < when for t in treaties)


# --- comparing --------------------------------------------------------------------------


def _fraction_label(f: Fraction) -> Fraction:
    return min(SIMPLE_FRACTIONS, key=lambda s: abs(float(s) - float(f)))


def compare(kind: str, paper: Any, value: Any) -> tuple[str, str]:
    """(verdict, the recomputed value as text)."""
    if kind == "none" or value is None:
        return NOT_CHECKABLE, "-"
    if kind == "count":
        lo, hi = value["parties"], value["parties_max"]
        text = str(lo) if lo == hi else f"{lo}-{hi}"
        text += (
            " (records complete)"
            if value["complete"]
            else f" (records complete through {value['complete_through']})"
        )
        if lo <= int(paper) <= hi:
            return "match", text
        if int(paper) < lo or value["complete"]:
            return "differs", text
        return NOT_CHECKABLE, text
    if kind == "fraction":
        target = Fraction(str(paper))
        shares = list(dict.fromkeys(value.values()))  # (part, whole) at each end of the period
        text = " to ".join(f"{a} of {b} ({a / b:.1%})" for a, b in shares)
        verdict = (
            "match"
            if all(_fraction_label(Fraction(a, b)) == target for a, b in shares)
            else "differs"
        )
        return verdict, text
    if kind == "equal":
        same = (
            str(value).lower() == str(paper).lower()
            if isinstance(value, (str, bool))
            else value == paper
        )
        return ("match" if same else "differs"), str(value)
    raise DataError(f"unknown comparison {kind!r}; allowed: {', '.join(COMPARES)}")


# --- the ledger ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def ledger() -> tuple[dict, ...]:
    """The claims (schema-checked by the curated loader), each naming a known computation."""
    claims = curated.load("claims")["claims"]
    for i, c in enumerate(claims, start=1):
        if c["computation"] in COMPUTATIONS:
            try:
                inspect.signature(COMPUTATIONS[c["computation"]]).bind(**(c.get("args") or {}))
            except TypeError as exc:
                raise DataError(
                    f"claims.yml, claim #{i} ({c['id']}): the arguments do not fit "
                    f"{c['computation']}{inspect.signature(COMPUTATIONS[c['computation']])} ({exc})"
                ) from None
        if c["computation"] != "none" and c["computation"] not in COMPUTATIONS:
            raise DataError(
                f"claims.yml, claim #{i} ({c['id']}): unknown computation "
                f"{c['computation']!r}; known: {', '.join(sorted(COMPUTATIONS))}"
            )
    return tuple(claims)


def section_order() -> list[str]:
    """The paper's section headings in the paper's order (claims.yml, ``sections``)."""
    return list(curated.load("claims")["sections"])


def _plain(v):
    if isinstance(v, (dt.date, pd.Timestamp)):
        return str(v)[:10]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def evaluate(claim: dict) -> dict:
    """Recompute one claim; the result carries both the pinned and the recomputed verdict."""
    args = {k: _plain(v) for k, v in (claim.get("args") or {}).items()}
    value = None if claim["computation"] == "none" else COMPUTATIONS[claim["computation"]](**args)
    verdict, text = compare(claim["compare"], claim["paper_value"], value)
    return {
        "id": claim["id"],
        "claim": claim["claim"],
        "section": claim["section"],
        "refers_to": str(claim["refers_to"]),
        "reasoning": " ".join(str(claim.get("reasoning", "")).split()),
        "computation": claim["computation"],
        "args": args,
        "paper": str(claim["paper_value"]),
        "recomputed": text,
        "verdict": verdict,
        "pinned": claim["verdict"],
        "explanation": " ".join(str(claim.get("explanation", "")).split()),
        "evidence": claim["evidence"],
    }


def evaluate_all() -> list[dict]:
    return [evaluate(c) for c in ledger()]
