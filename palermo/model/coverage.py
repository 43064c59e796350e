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
from . import merge
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
    ``complete`` when ``as_of`` is not later. ``headline`` is the latest headline count on or
    before ``as_of``, ``next_headline`` the first after it. ``unattributed`` (and
    ``unattributed_max``) are the parties on ``as_of`` the records cannot attribute: 0 where
    the records are complete, None where no headline count after the records' end measures the
    gap (unmeasured, never zero)."""

    treaty: str
    as_of: dt.date
    complete_through: dt.date
    headline: Headline | None
    next_headline: Headline | None
    unattributed: int | None
    unattributed_max: int | None

    @property
    def complete(self) -> bool:
        return self.as_of <= self.complete_through

    def as_dict(self) -> dict:
        """As ``palermo status --json`` prints it (dates as ISO text; its keys are the
        command's published output, so "complete" keeps its name there, complete_on_as_of)."""
        out = dataclasses.asdict(self)
        out["as_of"], out["complete_through"] = str(self.as_of), str(self.complete_through)
        for h in ("headline", "next_headline"):
            if out[h] is not None:
                out[h]["date"] = str(out[h]["date"])
        out["complete_on_as_of"] = self.complete
        return out


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

    last = headline(before.iloc[-1]) if not before.empty else None
    unattributed: int | None = 0
    unattributed_max: int | None = 0
    if day > through:
        if last is not None and last.date > through:
            unattributed, unattributed_max = last.unattributed, last.unattributed_max
        else:
            # no headline count between the record's end and as_of: the gap cannot be measured
            unattributed = unattributed_max = None
    return Coverage(
        treaty=t.short,
        as_of=day,
        complete_through=through,
        headline=last,
        next_headline=headline(after.iloc[0]) if not after.empty else None,
        unattributed=unattributed,
        unattributed_max=unattributed_max,
    )


@dataclass(frozen=True)
class Count:
    """A treaty's parties on a day, as far as the records reach: ``parties`` certain,
    ``parties_max`` with the actions dated only within a range; when the day is after
    ``complete_through`` the count is a lower bound (records incomplete on a day never confirm
    a count)."""

    treaty: str
    day: dt.date
    parties: int
    parties_max: int
    complete_through: dt.date

    @property
    def complete(self) -> bool:
        return self.day <= self.complete_through


def count_on(treaty, day: dt.date) -> Count:
    """The one rule for a count a reader may quote (see :class:`Count`)."""
    t = treaties.resolve(treaty)
    day = require(day, "day")
    certain, most = parties_by(t.number, day)
    return Count(t.short, day, int(certain), int(most), complete_through(t))


def unnamed_parties() -> list[dict]:
    """Every headline count after a treaty's complete records that the records fall short of:
    the parties a header implies and no record names (the work left for curation)."""
    out = []
    for t in treaties.with_records():
        through = pd.Timestamp(complete_through(t))
        for h in headline_counts(t).itertuples():
            if h.date <= through:
                continue
            certain, most = (int(x) for x in parties_by(t.number, h.date))
            if most < h.parties or certain < h.parties:
                out.append(
                    {
                        "treaty": t.short,
                        "date": str(h.date.date()),
                        "headline": int(h.parties),
                        "records": certain,
                        "records_max": most,
                        "unnamed": max(int(h.parties) - most, 0),
                        "unnamed_max": int(h.parties) - certain,
                        "source": h.source,
                    }
                )
    return out


def signatory_disagreements() -> list[dict]:
    """Headline counts whose signatories differ from the records' count on the same day:
    reported, never patched (the Rome Statute in January 2018: 138 against 139)."""
    out = []
    for t in treaties.with_records():
        for h in headline_counts(t).itertuples():
            records = int(signatories_by(t.number, h.date))
            if records != h.signatories:
                out.append(
                    {
                        "treaty": t.short,
                        "date": str(h.date.date()),
                        "headline": int(h.signatories),
                        "records": records,
                        "source": h.source,
                    }
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
