"""How far the records reach.

The newest snapshot of a treaty is complete up to its status date. After it the record is
the curated later actions, and it stays complete through each later headline count that it
matches exactly (``complete_through``). Beyond that, the latest headline count on or before
``as_of`` tells how many parties the records cannot attribute (``unattributed``); where no
headline count lies between the end of complete records and ``as_of``, the gap is ``None``
(unmeasured), never zero.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from functools import cache

import pandas as pd

from .. import config
from ..data import treaties
from . import bounds, merge
from .dates import require
from .status import headline_counts, parties_by, series, signatories_by


def complete_through(treaty) -> dt.date:
    """The last date through which the records are complete: the newest snapshot's status
    date, advanced to each later headline count the records match exactly."""
    return _complete_through(treaties.resolve(treaty).number)


@cache
def _complete_through(number: str) -> dt.date:
    t = treaties.resolve(number)
    done = merge.load().snapshots[t.number].status_date
    for h in headline_counts(t).itertuples():
        if h.date.date() <= done:
            continue
        certain, most = parties_by(t.number, h.date)
        if certain == most == h.parties:
            done = h.date.date()
        else:
            break
    return done


@dataclass(frozen=True)
class Headline:
    """A headline count of the depositary (the parties its status page states on ``date``),
    beside what the records can attribute on that day: ``records_parties`` certain,
    ``records_parties_max`` with the actions dated only within a range; ``unattributed`` (and
    ``unattributed_max``) are the parties the header counts and no record names."""

    date: dt.date
    parties: int
    source: str
    records_parties: int
    records_parties_max: int
    unattributed: int
    unattributed_max: int


@dataclass(frozen=True)
class Coverage:
    """How far a treaty's records reach on ``as_of``: complete through ``complete_through``;
    ``complete`` when ``as_of`` is not later. ``table_through`` is the newest status table's
    date: between it and ``complete_through`` the records are complete only in that they match
    a later headline count exactly (consistent with it, not a table). ``headline`` is the
    latest headline count on or before ``as_of``, ``next_headline`` the first after it.
    ``unattributed`` is how many parties on ``as_of`` the bounds require that no record names
    (at least; 0 where the records are complete), ``unattributed_max`` how many there may be
    (None where nothing after ``as_of`` bounds the count)."""

    treaty: str
    as_of: dt.date
    complete_through: dt.date
    table_through: dt.date
    headline: Headline | None
    next_headline: Headline | None
    unattributed: int
    unattributed_max: int | None

    @property
    def complete(self) -> bool:
        return self.as_of <= self.complete_through

    @property
    def carried(self) -> bool:
        """The records reach past their status table only by matching a later headline count
        (consistent with it, not proven complete)."""
        return self.complete_through > self.table_through

    @property
    def by_count(self) -> bool:
        """The records' completeness on as_of rests on a matching headline count, not a table."""
        return self.complete and self.as_of > self.table_through

    def as_dict(self) -> dict:
        """As ``palermo status --json`` prints it (dates as ISO text; its keys are the
        command's published output, so "complete" keeps its name there, complete_on_as_of)."""
        out = dataclasses.asdict(self)
        for k in ("as_of", "complete_through", "table_through"):
            out[k] = str(out[k])
        for h in ("headline", "next_headline"):
            if out[h] is not None:
                out[h]["date"] = str(out[h]["date"])
        out["complete_on_as_of"] = self.complete
        return out


def table_through(treaty) -> dt.date:
    """The status date of a treaty's newest status table."""
    return merge.load().snapshots[treaties.resolve(treaty).number].status_date


def coverage(treaty, as_of: dt.date = config.PAPER_DATE) -> Coverage:
    """The records' reach on as_of (see :class:`Coverage`)."""
    t = treaties.resolve(treaty)
    day = require(as_of)
    through = complete_through(t)
    hc = headline_counts(t)
    before = hc[hc["date"] <= pd.Timestamp(day)]
    after = hc[hc["date"] > pd.Timestamp(day)]

    def headline(h) -> Headline:
        certain, most = (int(x) for x in parties_by(t.number, h["date"]))
        return Headline(
            date=h["date"].date(),
            parties=int(h["parties"]),
            source=h["source"],
            records_parties=certain,
            records_parties_max=most,
            unattributed=max(int(h["parties"]) - most, 0),
            unattributed_max=max(int(h["parties"]) - certain, 0),
        )

    c = count_on(t, day)
    return Coverage(
        treaty=t.short,
        as_of=day,
        complete_through=through,
        table_through=table_through(t),
        headline=headline(before.iloc[-1]) if not before.empty else None,
        next_headline=headline(after.iloc[0]) if not after.empty else None,
        unattributed=c.unattributed,
        unattributed_max=c.unattributed_max,
    )


@dataclass(frozen=True)
class Count:
    """A treaty's parties on a day, as the project's evidence bounds them (:mod:`.bounds`):
    at least ``parties``, at most ``parties_max`` (None: nothing the project holds bounds it
    from above); ``named`` the parties the records name (certainly), ``named_max`` counting
    actions dated only to a year or a bracket. Where the day is after ``complete_through`` the
    records are incomplete: ``parties`` may exceed ``named`` (a headline count or a stated
    ordinal requires parties no record names, ``unattributed``), and ``lower_basis`` is the
    observation the lower bound rests on."""

    treaty: str
    day: dt.date
    parties: int
    parties_max: int | None
    named: int
    named_max: int
    complete_through: dt.date
    lower_basis: bounds.Observation | None = None
    upper_basis: bounds.Observation | None = None

    @property
    def complete(self) -> bool:
        return self.day <= self.complete_through

    @property
    def exact(self) -> bool:
        """One number: the bounds meet."""
        return self.parties_max == self.parties

    @property
    def unattributed(self) -> int:
        return self.parties - self.named

    @property
    def unattributed_max(self) -> int | None:
        return None if self.parties_max is None else self.parties_max - self.named

    def accepts(self, answer: float) -> bool:
        """Whether a reader's count lies within the bounds."""
        return self.parties <= answer and (self.parties_max is None or answer <= self.parties_max)

    def as_dict(self) -> dict:
        """As ``palermo status --json`` prints it: ``parties`` is the lower bound."""
        return {
            "parties": self.parties,
            "parties_max": self.parties_max,
            "named": self.named,
            "named_max": self.named_max,
            "unattributed": self.unattributed,
            "unattributed_max": self.unattributed_max,
            "complete_through": str(self.complete_through),
            "complete": self.complete,
            "lower_basis": self.lower_basis.as_dict() if self.lower_basis else None,
            "upper_basis": self.upper_basis.as_dict() if self.upper_basis else None,
        }


def count_on(treaty, day: dt.date) -> Count:
    """The one rule for a count a reader may quote (see :class:`Count`)."""
    t = treaties.resolve(treaty)
    day = require(day, "day")
    through = complete_through(t)
    b = bounds.on(t.number, day, through)
    return Count(
        t.short, day, b.lower, b.upper, b.named, b.named_max, through, b.lower_basis, b.upper_basis
    )


def reach(treaty, as_of: dt.date) -> tuple[Coverage, Count]:
    """What a sentence on how far a treaty's records reach on a day is written from
    (``render.text.coverage_note``): their coverage and the count a reader may quote."""
    return coverage(treaty, as_of), count_on(treaty, as_of)


def _as_dict(answer) -> dict:
    """A flat answer as JSON-ready data: its fields in order, dates as ISO text."""
    out = dataclasses.asdict(answer)
    return {k: str(v) if isinstance(v, dt.date) else v for k, v in out.items()}


@dataclass(frozen=True)
class Shortfall:
    """An observation after a treaty's complete records (a headline count, or an official
    stated count or ordinal: ``kind``, worded in ``observation``) that the named parties fall
    short of: the parties it requires on its day (``headline``), what the records name
    (``records_parties``, ``records_parties_max`` counting actions dated only within a range)
    and the parties no record names (``unattributed`` to ``unattributed_max``)."""

    treaty: str
    date: dt.date
    kind: str
    observation: str
    headline: int
    records_parties: int
    records_parties_max: int
    unattributed: int
    unattributed_max: int
    source: str

    def as_dict(self) -> dict:
        """As ``palermo check --json`` prints it (``unattributed_parties``)."""
        return _as_dict(self)


def unattributed_parties() -> list[Shortfall]:
    """Per treaty, every observation after its complete records (a headline count, or an
    official stated count or ordinal) that the named parties fall short of: how many parties
    it requires on its day that no record names (the work left for curation)."""
    out = []
    for t in treaties.with_records():
        through = complete_through(t)
        bad = {c[0] for c in bounds.conflicts(t.number, through)}
        for o in bounds.observations(t.number):
            if o.date <= through or o in bad:
                continue
            certain, most = (int(x) for x in parties_by(t.number, o.date))
            if certain < o.parties:
                out.append(
                    Shortfall(
                        treaty=t.short,
                        date=o.date,
                        kind=o.kind,
                        observation=o.label(),
                        headline=o.parties,
                        records_parties=certain,
                        records_parties_max=most,
                        unattributed=max(o.parties - most, 0),
                        unattributed_max=o.parties - certain,
                        source=o.source,
                    )
                )
    return out


@dataclass(frozen=True)
class SetAside:
    """A stated count that contradicts a depositary headline count, which wins: the lower
    bound it would set on its day (``would_require``) and the upper bound the headline count
    allows there (``headline_allows``)."""

    treaty: str
    date: dt.date
    observation: str
    would_require: int
    headline_allows: int
    source: str

    def as_dict(self) -> dict:
        """As ``palermo check --json`` prints it (``stated_counts_set_aside``)."""
        return _as_dict(self)


def set_aside() -> list[SetAside]:
    """The stated counts that contradict a depositary headline count (see :class:`SetAside`)."""
    return [
        SetAside(
            treaty=t.short,
            date=o.date,
            observation=o.label(),
            would_require=low,
            headline_allows=up,
            source=o.source,
        )
        for t in treaties.with_records()
        for o, low, up in bounds.conflicts(t.number, complete_through(t))
    ]


@dataclass(frozen=True)
class SignatoryDisagreement:
    """A headline count whose signatories (``headline``) differ from the records' count on
    the same day (``records``): reported, never patched."""

    treaty: str
    date: dt.date
    headline: int
    records: int
    source: str

    def as_dict(self) -> dict:
        """As ``palermo check --json`` prints it (``signatory_disagreements``)."""
        return _as_dict(self)


def signatory_disagreements() -> list[SignatoryDisagreement]:
    """Headline counts whose signatories differ from the records' count on the same day:
    reported, never patched (the Rome Statute in January 2018: 138 against 139)."""
    out = []
    for t in treaties.with_records():
        for h in headline_counts(t).itertuples():
            records = int(signatories_by(t.number, h.date))
            if records != h.signatories:
                out.append(
                    SignatoryDisagreement(
                        treaty=t.short,
                        date=h.date.date(),
                        headline=int(h.signatories),
                        records=records,
                        source=h.source,
                    )
                )
    return out


def new_parties_per_year(treaty, start, end) -> pd.DataFrame:
    """New parties in each calendar year from ``start`` to ``end`` (the one definition): the
    year, the parties at its end (or on ``end``), the new ones, and ``records``: "complete"
    where the records are complete through that day, else "incomplete" (a lower bound, which
    every chart marks)."""
    t = treaties.resolve(treaty)
    y = series(t.short, start, end, "Y")
    through = pd.Timestamp(complete_through(t))
    y["records"] = ["complete" if d <= through else "incomplete" for d in y["date"]]
    return y[["treaty", "year", "new_parties", "parties", "records"]]


@dataclass(frozen=True)
class Peak:
    """The calendar year in which a treaty gained most new parties (the earliest on a tie),
    from its adoption to ``day``; ``complete`` when that year (to its end, or to ``day``) lies
    within complete records, as :func:`new_parties_per_year` marks it (otherwise its count is
    a lower bound and a later year may yet overtake it)."""

    treaty: str
    day: dt.date
    year: int
    new_parties: int
    complete_through: dt.date

    @property
    def complete(self) -> bool:
        return min(dt.date(self.year, 12, 31), self.day) <= self.complete_through


def peak_of(per_year: pd.DataFrame) -> tuple[int, int]:
    """(year, new parties) of the first year with the most new parties in a table of
    :func:`new_parties_per_year` (its rows in calendar order)."""
    top = per_year.loc[per_year["new_parties"].idxmax()]
    return int(top["year"]), int(top["new_parties"])


def peak_year(treaty, day: dt.date) -> Peak:
    """The one definition of a treaty's peak year (see :class:`Peak`)."""
    t, day = treaties.resolve(treaty), require(day, "day")
    year, new = peak_of(new_parties_per_year(t.short, treaties.adopted(t), day))
    return Peak(t.short, day, year, new, complete_through(t))
