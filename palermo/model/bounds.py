"""How many parties a treaty had on a day: the best lower and upper bound the project's evidence
allows, not only the parties the records name.

Beside the parties its records name, the project holds dated counts of them, the
*observations*:

* the depositary's headline counts (``party_counts.csv``, checked against the raw headers):
  the parties on their day, exactly;
* counts and ordinals that official sources state (``count_statements.csv``: "184 States
  Parties", "the 179th State Party"), each read as *at least* that many on its day. A UN office
  may count from entry into force, which follows the deposit and never precedes it, so a
  stated count never exceeds the parties by deposit. An ordinal is dated by its participant's
  deposit where the records hold it (the States before it had all deposited by then).

The **lower bound** on day ``d`` is the largest of: the parties the records name on ``d`` (those
certainly party), and for every observation ``o`` on or before ``d``, its count, plus the named
joins certainly after ``o``'s day and by ``d``, minus the named withdrawals in that stretch.

The **upper bound** on ``d``: where the records are complete on ``d``, the named parties counting
those dated only to a year or a bracket; else the smallest, over the depositary's headline
counts ``h`` after ``d``, of ``h``'s count minus the named joins certainly after ``d`` and by
``h``'s day plus the named withdrawals in it (every withdrawal these treaties have had is
named: a withdrawal needs a notification the records' sources quote); ``None`` where no
headline count follows ``d`` (the records set no upper bound).

**Conflicts.** A stated count whose lower bound on its own day exceeds the upper bound there
contradicts the depositary's headline count. The headline count wins: it is the depositary's
own record of the instruments deposited, while a release may count otherwise (from entry into
force, with or without the European Union) or err. The statement is set aside, never used, and
``palermo check`` lists it (UNCAC in September 2014: a release called Sudan the 174th party,
but the headline count of January 2018 leaves room for no more than 172).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from ..data import countries, curated, treaties
from ..errors import DataError
from . import merge
from .status import headline_counts, parties_by, table

HEADLINE, COUNT, ORDINAL = "headline", "count", "ordinal"


@dataclass(frozen=True)
class Observation:
    """A dated count of a treaty's parties the project holds: ``exact`` for the depositary's
    headline counts, else at least ``parties`` on ``date``. An ordinal's ``date`` is its
    participant's deposit where the records hold it (``stated`` is the day its source gives)."""

    treaty: str
    date: dt.date
    parties: int
    kind: str
    source: str
    url: str | None = None
    participant: str | None = None
    stated: dt.date | None = None

    @property
    def exact(self) -> bool:
        return self.kind == HEADLINE

    def label(self) -> str:
        """'the depositary's count of 2018-01-15 (183)', 'the 179th party (the Comoros, 2020-06-23)'."""
        if self.kind == ORDINAL:
            return f"the {ordinal(self.parties)} party ({self.participant}, {self.date})"
        if self.kind == HEADLINE:
            return f"the depositary's count of {self.date} ({self.parties})"
        return f"a stated count of {self.date} (at least {self.parties})"

    def as_dict(self) -> dict:
        return {
            "date": str(self.date),
            "parties": self.parties,
            "kind": self.kind,
            "exact": self.exact,
            "participant": self.participant,
            "stated": str(self.stated or self.date),
            "source": self.source,
            "url": self.url,
        }


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _day(v) -> np.datetime64:
    return np.datetime64(pd.Timestamp(v).date(), "D")


@cache
def _arrays(number: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each participant's earliest and latest consent, and its withdrawal, as day arrays."""
    t = table(number)
    return tuple(t[c].to_numpy(dtype="datetime64[D]") for c in ("consent", "consent_latest", "withdrawal"))


def joins_between(number: str, after, by) -> int:
    """Named joins certainly after ``after`` and by ``by`` (a bracket must lie wholly inside)."""
    earliest, latest, _ = _arrays(number)
    a, b = _day(after), _day(by)
    return int(((earliest > a) & (latest <= b)).sum())


def withdrawals_between(number: str, after, by) -> int:
    """Named withdrawals taking effect after ``after`` and by ``by``."""
    w = _arrays(number)[2]
    a, b = _day(after), _day(by)
    return int(((w > a) & (w <= b)).sum())


@cache
def observations(number: str) -> tuple[Observation, ...]:
    """Every observation of a treaty's count, in date order, conflicting ones included."""
    t = treaties.resolve(number)
    out = [
        Observation(
            t.short, h.date.date(), int(h.parties), HEADLINE, h.source,
            h.url if isinstance(h.url, str) else None,
        )
        for h in headline_counts(t).itertuples()
    ]
    st = curated.count_statements()
    names = merge.load().names
    tab = table(t.number).set_index("participant_id")
    for r in st[st["treaty"] == t.number].itertuples():
        day = r.date.date()
        who = r.participant if isinstance(r.participant, str) else None
        if r.kind == ORDINAL:
            try:
                pid = countries.lookup(who, names)
            except Exception as e:
                raise DataError(
                    f"count_statements.csv, row {r.row}: participant {who!r} is not a known "
                    f"participant ({e})"
                ) from None
            latest = tab["consent_latest"].get(pid) if pid in tab.index else None
            if latest is not None and not pd.isna(latest) and latest.date() <= day:
                day = latest.date()
            who = names.get(pid, who)
        out.append(
            Observation(
                t.short, day, int(r.parties), r.kind, r.source,
                r.url if isinstance(r.url, str) else None, who, r.date.date(),
            )
        )
    return tuple(sorted(out, key=lambda o: (o.date, o.kind != HEADLINE)))


def _lower_from(number: str, o: Observation, day: dt.date) -> int:
    return o.parties + joins_between(number, o.date, day) - withdrawals_between(number, o.date, day)


def _upper_from(number: str, h: Observation, day: dt.date) -> int:
    return h.parties - joins_between(number, day, h.date) + withdrawals_between(number, day, h.date)


def _upper(number: str, day: dt.date, complete: bool) -> tuple[int | None, Observation | None]:
    """The upper bound on ``day`` and the headline count it rests on (None: the records')."""
    if complete:
        return int(parties_by(number, day)[1]), None
    best: tuple[int | None, Observation | None] = (None, None)
    for h in observations(number):
        if h.exact and h.date >= day:
            u = _upper_from(number, h, day)
            if best[0] is None or u < best[0]:
                best = (u, h)
    return best


@cache
def conflicts(number: str, complete_through: dt.date) -> tuple[tuple[Observation, int, int], ...]:
    """The stated counts that contradict a headline count: each with its lower bound on its own
    day and the upper bound there. The headline count wins (see the module's notes)."""
    out = []
    for o in observations(number):
        if o.exact:
            continue
        up, _ = _upper(number, o.date, o.date <= complete_through)
        low = _lower_from(number, o, o.date)
        if up is not None and low > up:
            out.append((o, low, up))
    return tuple(out)


@dataclass(frozen=True)
class Bounds:
    """``lower``..``upper`` parties on ``day`` (``upper`` None: no bound in the records);
    ``named`` the parties the records name (certainly), ``named_max`` counting the bracketed;
    ``lower_basis``/``upper_basis`` the observations the bounds rest on (None: the named
    parties)."""

    lower: int
    upper: int | None
    named: int
    named_max: int
    lower_basis: Observation | None
    upper_basis: Observation | None


def on(number: str, day: dt.date, complete_through: dt.date) -> Bounds:
    """The bounds on ``day`` (see the module's notes)."""
    named, named_max = (int(x) for x in parties_by(number, day))
    bad = {c[0] for c in conflicts(number, complete_through)}
    lower, basis = named, None
    for o in observations(number):
        if o.date > day or o in bad:
            continue
        low = _lower_from(number, o, day)
        if low > lower:
            lower, basis = low, o
    upper, ubasis = _upper(number, day, day <= complete_through)
    if upper is not None and upper < lower:  # only a conflict set aside above could do this
        upper = lower
    return Bounds(lower, upper, named, named_max, basis, ubasis)


def unnamed_on(number: str, day: dt.date, complete_through: dt.date) -> int:
    """Parties the bounds require on ``day`` that the records do not name."""
    b = on(number, day, complete_through)
    return b.lower - b.named
