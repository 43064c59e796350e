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

Where the records are complete on ``d`` (a status table, or curated rows that match every later
headline count up to ``d``), the upper bound is the named parties counting those dated only to
a year or a bracket, and an observation can raise the lower bound only within that bracket.
Otherwise the **upper bound** is the smallest, over the depositary's headline counts ``h``
after ``d``, of ``h``'s count minus the named joins certainly after ``d`` and by ``h``'s day
plus the named withdrawals in it (every withdrawal these treaties have had is named: a
withdrawal needs a notification the records' sources quote); ``None`` where no headline count
follows ``d`` (the records set no upper bound).

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
from ..errors import DataError, UsageError
from . import merge
from .status import headline_counts, table

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
        """'the depositary's count of 2018-01-15 (183)', 'the 179th party (Comoros, 2020-06-23)',
        'a stated count of 2018-05-23 (at least 184)'."""
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


def _days(values) -> np.ndarray:
    return np.asarray(pd.to_datetime(pd.Series(list(values), dtype=object)), dtype="datetime64[D]")


@dataclass(frozen=True)
class Ledger:
    """What the bounds are computed from, for one treaty: each named participant's earliest and
    latest consent and its withdrawal (days; NaT where none), and the observations. Built from
    the records by :func:`ledger`, or by hand in tests."""

    earliest: np.ndarray
    latest: np.ndarray
    withdrawal: np.ndarray
    observations: tuple[Observation, ...]

    @classmethod
    def of(cls, rows, observations=()) -> Ledger:
        """From (earliest, latest, withdrawal) triples (dates or None), for hand-worked cases."""
        rows = list(rows)
        earliest, latest, withdrawal = (_days(r[i] for r in rows) for i in range(3))
        return cls(earliest, latest, withdrawal, tuple(sorted(observations, key=_order)))

    def named(self, day) -> tuple[int, int]:
        """(certain, most) parties the records name on ``day``: the status rule on these dates
        (withdrawn once the withdrawal took effect; party once certainly deposited; possibly
        inside a bracket)."""
        d = _day(day)
        gone = self.withdrawal <= d
        certain = (self.latest <= d) & ~gone
        most = (self.earliest <= d) & ~gone
        return int(certain.sum()), int(most.sum())

    def joins_between(self, after, by) -> int:
        """Named joins certainly after ``after`` and by ``by`` (a bracket wholly inside)."""
        a, b = _day(after), _day(by)
        return int(((self.earliest > a) & (self.latest <= b)).sum())

    def withdrawals_between(self, after, by) -> int:
        """Named withdrawals taking effect after ``after`` and by ``by``."""
        a, b = _day(after), _day(by)
        return int(((self.withdrawal > a) & (self.withdrawal <= b)).sum())

    def lower_from(self, o: Observation, day) -> int:
        """What observation ``o`` (on or before ``day``) requires on ``day``."""
        return o.parties + self.joins_between(o.date, day) - self.withdrawals_between(o.date, day)

    def upper_from(self, h: Observation, day) -> int:
        """What headline count ``h`` (on or after ``day``) allows on ``day``."""
        return h.parties - self.joins_between(day, h.date) + self.withdrawals_between(day, h.date)

    def upper(self, day: dt.date, complete: bool) -> tuple[int | None, Observation | None]:
        """The upper bound on ``day`` and the headline count it rests on (None: the records')."""
        if complete:
            return self.named(day)[1], None
        best: tuple[int | None, Observation | None] = (None, None)
        for h in self.observations:
            if h.exact and h.date >= day:
                u = self.upper_from(h, day)
                if best[0] is None or u < best[0]:
                    best = (u, h)
        return best

    def conflicts(self, complete_through: dt.date) -> tuple[tuple[Observation, int, int], ...]:
        """The stated counts that contradict a headline count: each with the lower bound it
        would set on its own day and the upper bound there. The headline count wins."""
        out = []
        for o in self.observations:
            if o.exact:
                continue
            up, _ = self.upper(o.date, o.date <= complete_through)
            low = max(self.lower_from(o, o.date), 0)
            if up is not None and low > up:
                out.append((o, low, up))
        return tuple(out)

    def bounds(self, day: dt.date, complete_through: dt.date) -> Bounds:
        """The bounds on ``day`` (see the module's notes)."""
        named, named_max = self.named(day)
        complete = day <= complete_through
        bad = {c[0] for c in self.conflicts(complete_through)}
        lower, basis = named, None
        for o in self.observations:
            if o.date > day or o in bad:
                continue
            # complete records bound every count: an observation can only narrow a bracket
            low = min(self.lower_from(o, day), named_max) if complete else self.lower_from(o, day)
            if low > lower:
                lower, basis = low, o
        upper, ubasis = self.upper(day, complete)
        if upper is not None and upper < lower:  # a headline below the named parties: keep both
            upper = lower
        return Bounds(lower, upper, named, named_max, basis, ubasis)

    def lower_many(self, days, complete_through: dt.date) -> np.ndarray:
        """The lower bound on each of ``days`` (the same rule as :meth:`bounds`, for a curve)."""
        d = np.asarray(pd.to_datetime(days), dtype="datetime64[D]")
        gone = self.withdrawal[:, None] <= d[None, :]
        named = ((self.latest[:, None] <= d[None, :]) & ~gone).sum(axis=0)
        most = ((self.earliest[:, None] <= d[None, :]) & ~gone).sum(axis=0)
        out = named.astype(int)
        bad = {c[0] for c in self.conflicts(complete_through)}
        for o in self.observations:
            if o in bad:
                continue
            od = _day(o.date)
            after = self.latest[self.earliest > od]
            joins = np.searchsorted(np.sort(after[~np.isnat(after)]), d, side="right")
            w = self.withdrawal[self.withdrawal > od]
            left = np.searchsorted(np.sort(w[~np.isnat(w)]), d, side="right")
            low = o.parties + joins - left
            out = np.where(d >= od, np.maximum(out, low), out)
        complete = d <= _day(complete_through)
        return np.where(complete, np.minimum(out, np.maximum(most, named)), out)


def _order(o: Observation):
    return (o.date, o.kind != HEADLINE, o.parties)


@cache
def observations(number: str) -> tuple[Observation, ...]:
    """Every observation of a treaty's count, in date order, conflicting ones included."""
    t = treaties.resolve(number)
    out = [
        Observation(
            t.short,
            h.date.date(),
            int(h.parties),
            HEADLINE,
            h.source,
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
            if who is None:  # the schema (curated.py) gives every ordinal its participant
                raise DataError(
                    f"count_statements.csv, row {r.row}: an ordinal names its participant"
                )
            try:
                pid = countries.lookup(who, names)
            except UsageError as e:
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
                t.short,
                day,
                int(r.parties),
                r.kind,
                r.source,
                r.url if isinstance(r.url, str) else None,
                who,
                r.date.date(),
            )
        )
    return tuple(sorted(out, key=_order))


@cache
def ledger(number: str) -> Ledger:
    """A treaty's ledger from the merged records and the observations."""
    t = table(number)
    cols = ("consent", "consent_latest", "withdrawal")
    earliest, latest, withdrawal = (t[c].to_numpy(dtype="datetime64[D]") for c in cols)
    return Ledger(earliest, latest, withdrawal, observations(number))


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


def conflicts(number: str, complete_through: dt.date) -> tuple[tuple[Observation, int, int], ...]:
    return ledger(number).conflicts(complete_through)


def on(number: str, day: dt.date, complete_through: dt.date) -> Bounds:
    """The bounds on ``day`` for a treaty of the records (see the module's notes)."""
    return ledger(number).bounds(day, complete_through)
