"""The claims ledger (data/curated/claims.yml): the paper's checkable numbers and dates,
each recomputed from the records by a named function and compared with what the paper
prints. The verdict in the file is pinned; :func:`evaluate` recomputes it, and a test fails
when the two disagree. (The ledger's page, with its badges and links, is the chapter
``palermo.chapters.claims``.)"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import pandas as pd

from .. import config
from ..data import curated, events, vocab
from ..data.vocab import COMPARES, NOT_CHECKABLE, NOT_TESTABLE
from ..errors import DataError
from . import status
from .coverage import count_on
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
    return status.row_of(treaty, participant, as_of or config.today())


def _first_party(treaty):
    return status.parties(treaty, config.today()).iloc[0]


# --- computations -----------------------------------------------------------------------


@computation
def parties_on(treaty, as_of) -> dict:
    """Parties on a date, with the bracket and the coverage of the records."""
    c = count_on(treaty, as_of)
    return {
        "parties": c.parties,
        "parties_max": c.parties_max,
        "named": c.named,
        "complete": c.complete,
        "complete_through": str(c.complete_through),
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
    return str(_eif(treaty).computed)


@computation
def sessions_between(pattern, start, end) -> int:
    """Events whose id matches `pattern` (e.g. the numbered sessions ^ahc-[0-9]+$) starting in
    the period."""
    ev = events.load()
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    return int(
        (
            ev["id"].str.fullmatch(pattern.strip("^$")) & (ev["start"] >= s) & (ev["start"] <= e)
        ).sum()
    )


@computation
def event_year(event) -> int:
    return int(events.event(event)["start"].year)


@computation
def event_years(events) -> str:  # the ledger names its argument `events`
    return ", ".join(str(event_year(e)) for e in events)


@computation
def years_from_eif_to_event(treaty, event) -> int:
    return event_year(event) - _eif(treaty).computed_date().year


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

    when = events.event(event)["start"].date()
    return all(tr.adopted(t) < when for t in treaties)


# The chronology (events.csv) at the paper's precision. A row the research found no source for
# (confidence "unconfirmed") cannot confirm the paper, so these return None for it ("not
# checkable"); a "likely" row has its event and year sourced but not its exact day, so it never
# gives a day (its month is used, and the claim's explanation says what the month rests on).

_ORGANS = {  # the prefix of a UN document symbol -> the organ whose document it is
    "A/RES/": "General Assembly",
    "E/RES/": "ECOSOC",
    "S/RES/": "Security Council",
    "S/PRST/": "Security Council",
}


def _sourced(event):
    row = events.event(event)
    return None if row["confidence"] == "unconfirmed" else row


def _places(row) -> list[str]:
    """The places a row names: the town before the first comma, or, when the sources disagree
    ('... "held in Paris"; ... "held in Versailles"'), each place they name."""
    text = row["place"] if isinstance(row["place"], str) else ""
    named = re.findall(r'"held in ([^"]+)"', text)
    if named:
        return list(dict.fromkeys(named))
    town = re.sub(r"\s*\(.*?\)", "", text.split(",")[0]).strip()
    return [town] if town else []


@computation
def event_when(event, precision) -> str | None:
    """The event's start as "YYYY", "YYYY-MM" or "YYYY-MM-DD" (precision year, month or day);
    None when the chronology cannot give it that precisely (a row dated only to a year has no
    month; a day needs a confirmed, day-dated row)."""
    row = _sourced(event)
    if row is None:
        return None
    start = row["start"]
    if precision == "year":
        return f"{start:%Y}"
    if precision == "month":
        return None if row["precision"] == "year" else f"{start:%Y-%m}"
    if precision == "day":
        exact = row["precision"] in ("day", "range") and row["confidence"] == "confirmed"
        return f"{start:%Y-%m-%d}" if exact else None
    raise DataError(f"event_when: precision {precision!r}; allowed: year, month, day")


@computation
def event_date(event) -> str | None:
    """The event's (first) day, "YYYY-MM-DD"."""
    return event_when(event, "day")


@computation
def event_month(event) -> str | None:
    """The month the event began, "YYYY-MM"."""
    return event_when(event, "month")


@computation
def event_place(event) -> str | None:
    """Where the event met (the town); None when the sources name more than one place."""
    row = _sourced(event)
    places = [] if row is None else _places(row)
    return places[0] if len(places) == 1 else None


@computation
def place_and_when(event, precision) -> str | None:
    """The place and the date at the given precision, e.g. "Vienna, 1999-01"."""
    place, when = event_place(event), event_when(event, precision)
    return None if place is None or when is None else f"{place}, {when}"


@computation
def months_between(a, b) -> int | None:
    """Calendar months from the month event `a` began to the month event `b` began."""
    ma, mb = event_month(a), event_month(b)
    if ma is None or mb is None:
        return None
    return (int(mb[:4]) - int(ma[:4])) * 12 + int(mb[5:]) - int(ma[5:])


@computation
def years_between(a, b) -> int | None:
    """Calendar years from the year event `a` began to the year event `b` began."""
    ya, yb = event_when(a, "year"), event_when(b, "year")
    return None if ya is None or yb is None else int(yb) - int(ya)


@computation
def organ_of(event) -> str | None:
    """The UN organ whose document the event's first symbol is ("A/RES" -> "General
    Assembly", "E/RES" -> "ECOSOC", "S/RES" or "S/PRST" -> "Security Council")."""
    row = _sourced(event)
    symbol = row["symbol"] if row is not None and isinstance(row["symbol"], str) else ""
    first = symbol.split(";")[0].strip()
    return next((o for p, o in _ORGANS.items() if first.startswith(p)), None)


@computation
def established_by(event) -> str | None:
    """The organ that set a body up, read from the symbol of the resolution that did it."""
    return organ_of(event)


@computation
def organ_and_when(event, precision) -> str | None:
    """The organ and the date at the given precision, e.g. "General Assembly, 1998-12"."""
    organ, when = organ_of(event), event_when(event, precision)
    return None if organ is None or when is None else f"{organ}, {when}"


@computation
def body_acronym(event) -> str | None:
    """The acronym the chronology gives the body an event creates or renames: the first
    capitalised abbreviation in parentheses in the event's description ("... (ODCCP) ...")."""
    row = _sourced(event)
    hit = None if row is None else re.search(r"\(([A-Z]{3,})\)", str(row["event"]))
    return None if hit is None else hit.group(1)


@computation
def place_among(event, place) -> str | None:
    """`place` when it is among the places the sources name for the event (a meeting the
    records place in two ways, 'held in Paris' and 'held in Versailles', matches either);
    otherwise the places they name, joined by ' or '; None when they name none."""
    row = _sourced(event)
    places = [] if row is None else _places(row)
    if not places:
        return None
    return place if place in places else " or ".join(places)


@computation
def organ_and_vote(event) -> str | None:
    """The organ that took a decision and how: "General Assembly, by vote" when the chronology
    records a recorded vote ("vote 79–60–33"), "..., without a vote" when it says so; None
    when it says neither."""
    row = _sourced(event)
    organ = organ_of(event)
    text = "" if row is None else str(row["event"])
    if organ is None:
        return None
    if re.search(r"\bvote \d+\s*[–-]\s*\d+\s*[–-]\s*\d+", text):
        return f"{organ}, by vote"
    if "without a vote" in text:
        return f"{organ}, without a vote"
    return None


# --- comparing --------------------------------------------------------------------------


def count_verdict(paper: int, lo: int, hi: int | None, complete: bool) -> str:
    """The verdict on a printed party count, given the bounds on the day
    (:func:`~palermo.model.coverage.count_on`: at least ``lo``, at most ``hi``, None where
    nothing bounds it from above) and whether the records are complete that day.

    Records that are incomplete on the day never "match": their count is a lower bound. A
    printed count outside the bounds differs (below the lower bound, parties named and dated or
    a count the depositary gave are missing from it; above the upper, a later headline count
    leaves no room for it); within them, an incomplete record cannot say."""
    if int(paper) < lo or (hi is not None and int(paper) > hi):
        return "differs"
    return "match" if complete else NOT_CHECKABLE


def _fraction_label(f: Fraction) -> Fraction:
    return min(SIMPLE_FRACTIONS, key=lambda s: abs(float(s) - float(f)))


def compare(kind: str, paper: Any, value: Any) -> tuple[str, str]:
    """(verdict, the recomputed value as text).

    A count is graded by :func:`count_verdict`, the one rule every page uses."""
    if kind == "causal":
        return NOT_TESTABLE, "-"
    if kind == "none" or value is None:
        return NOT_CHECKABLE, "-"
    if kind == "count":
        lo, hi = value["parties"], value["parties_max"]
        if value["complete"]:
            text = (str(lo) if lo == hi else f"{lo}-{hi}") + " (records complete)"
        else:
            text = f"at least {lo}" + ("" if hi is None else f", at most {hi}")
            text += (
                f" ({value['named']} named; records complete through {value['complete_through']})"
            )
        return count_verdict(int(paper), lo, hi, value["complete"]), text
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
        return ("match" if same else "differs"), _shown(value)
    raise DataError(f"unknown comparison {kind!r}; allowed: {', '.join(COMPARES)}")


# --- the ledger ---------------------------------------------------------------------------


# the arguments the computations take as dates (YAML reads an unquoted ISO date as one)
DATE_ARGS = ("as_of", "start", "end")


@lru_cache(maxsize=1)
def ledger() -> tuple[curated.Claim, ...]:
    """The claims (schema-checked by the curated loader), each naming a known computation."""
    claims = curated.load("claims").claims
    for i, c in enumerate(claims, start=1):
        for k, v in c.args.items():
            if k in DATE_ARGS and not isinstance(v, dt.date):
                raise DataError(
                    f"claims.yml, claim #{i} ({c.id}): {k} {v!r} is not a date; give an "
                    "unquoted ISO date (YYYY-MM-DD), which YAML reads as one"
                )
        if c.computation in COMPUTATIONS:
            try:
                inspect.signature(COMPUTATIONS[c.computation]).bind(**c.args)
            except TypeError as exc:
                raise DataError(
                    f"claims.yml, claim #{i} ({c.id}): the arguments do not fit "
                    f"{c.computation}{inspect.signature(COMPUTATIONS[c.computation])} ({exc})"
                ) from None
        if c.computation != "none" and c.computation not in COMPUTATIONS:
            raise DataError(
                f"claims.yml, claim #{i} ({c.id}): unknown computation "
                f"{c.computation!r}; known: {', '.join(sorted(COMPUTATIONS))}"
            )
    return tuple(claims)


def cited_events() -> set[str]:
    """The chronology rows the claims are checked against (every event id among their
    arguments)."""
    known = set(events.load()["id"])
    out: set[str] = set()
    for c in ledger():
        for v in c.args.values():
            for x in v if isinstance(v, list) else [v]:
                if isinstance(x, str) and x in known:
                    out.add(x)
    return out


def ungraded() -> list[curated.Ungraded]:
    """The statements left ungraded on purpose, each group with its reason (claims.yml)."""
    return list(curated.load("claims").ungraded)


def section_order() -> list[str]:
    """The paper's section headings in the paper's order (claims.yml, ``sections``)."""
    return list(curated.load("claims").sections)


def _plain(v):
    if isinstance(v, (dt.date, pd.Timestamp)):
        return str(v)[:10]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


@dataclass(frozen=True)
class ClaimResult:
    """One claim of the ledger recomputed: the paper's value beside the records' (``paper``,
    ``recomputed``, as text), the ``verdict`` the comparison gives and the one claims.yml pins
    (``pinned``), with the claim's words, section, the day it refers to, the computation and
    its arguments (dates as ISO text), the reasoning, what would test it and the page that
    shows the evidence."""

    id: str
    claim: str
    section: str
    refers_to: str
    reasoning: str
    computation: str
    args: dict
    paper: str
    recomputed: str
    verdict: str
    pinned: str
    explanation: str
    would_test: str
    evidence: str

    def as_dict(self) -> dict:
        """As ``palermo claims --json`` prints it."""
        return dataclasses.asdict(self)


def _words(value) -> str:
    return " ".join(str(value or "").split())


def _shown(value) -> str:
    """A value as a reader reads it: a yes-or-no as "yes" or "no", not Python's True."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _scoped(verdict: str, pinned: str) -> str:
    """A match the ledger pins as partial ("match: year only") keeps its scope: the records
    confirm what the scope says, and the curated scope says what they do not."""
    if verdict == "match" and vocab.verdict_kind(pinned) == vocab.PARTIAL_MATCH:
        return pinned
    return verdict


def evaluate(claim: curated.Claim) -> ClaimResult:
    """Recompute one claim; the result carries both the pinned and the recomputed verdict."""
    given = claim.args
    value = None if claim.computation == "none" else COMPUTATIONS[claim.computation](**given)
    verdict, text = compare(claim.compare, claim.paper_value, value)
    return ClaimResult(
        id=claim.id,
        claim=claim.claim,
        section=claim.section,
        refers_to=str(claim.refers_to),
        reasoning=_words(claim.reasoning),
        computation=claim.computation,
        args={k: _plain(v) for k, v in given.items()},
        paper=_shown(claim.paper_value),
        recomputed=text,
        verdict=_scoped(verdict, claim.verdict),
        pinned=claim.verdict,
        explanation=_words(claim.explanation),
        would_test=_words(claim.would_test),
        evidence=claim.evidence,
    )


def evaluate_all() -> list[ClaimResult]:
    return [evaluate(c) for c in ledger()]


# --- the paper's printed party counts: one grading for every page ------------------------


def printed_counts() -> dict[str, ClaimResult]:
    """The ledger's grading of each party count the paper prints as current
    (paper_counts.csv), by instrument short name: the claim recomputed on the day the ledger
    dates it to (``refers_to``), with its verdict. Every page that grades the paper's counts
    shows these verdicts, whatever its own date."""
    from ..data import treaties as tr

    printed = {
        tr.resolve(r.treaty).short: int(r.parties)
        for r in curated.load("paper_counts").itertuples()
    }
    out: dict[str, ClaimResult] = {}
    for c in ledger():
        if c.computation != "parties_on" or c.compare != "count":
            continue
        short = tr.resolve(c.args["treaty"]).short
        if printed.get(short) == int(c.paper_value) and short not in out:
            out[short] = evaluate(c)
    missing = sorted(set(printed) - set(out))
    if missing:
        raise DataError(
            f"claims.yml grades no printed count for {', '.join(missing)}: each count in "
            "paper_counts.csv needs a parties_on claim with the same value"
        )
    return out


def count_readings() -> pd.DataFrame:
    """The readings of the day the paper's Protocol counts describe (count_readings.yml), one
    row per reading and instrument: the reading's count, the paper's, whether they are equal,
    and what the records give on the reading's day (certain-maximum, and whether complete)."""
    from ..data import treaties as tr

    printed = {
        tr.resolve(r.treaty).short: int(r.parties)
        for r in curated.load("paper_counts").itertuples()
    }
    rows = []
    for r in curated.load("count_readings").readings:
        for number, count in r.counts.items():
            short = tr.resolve(number).short
            rec = parties_on(short, r.date)
            rows.append(
                {
                    "reading": r.label,
                    "date": str(r.date),
                    "instrument": short,
                    "count": int(count),
                    "paper": printed.get(short),
                    "fits": printed.get(short) == int(count),
                    "records": rec["parties"],
                    "records_max": rec["parties_max"],
                    "records_complete": rec["complete"],
                    "confidence": r.confidence,
                    "source": " ".join(r.source.split()),
                    "against": " ".join(r.against.split()),
                }
            )
    return pd.DataFrame(rows)
