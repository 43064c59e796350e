"""How far the records reach.

The newest snapshot of a treaty is complete up to its status date. After it the record is
the curated later actions, and it stays complete through each later headline count that it
matches exactly (``complete_through``). Beyond that, the latest headline count on or before
``as_of`` tells how many parties the records cannot attribute (``unattributed``); where no
headline count lies between the end of complete records and ``as_of``, the gap is ``None``
(unmeasured), never zero.
"""

from __future__ import annotations

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


def coverage(treaty, as_of: dt.date = config.PAPER_DATE) -> dict:
    """complete_through, complete_on_as_of, the headline counts before and after as_of (each
    with what the records can attribute on its day) and the unattributed parties on as_of."""
    t = treaties.resolve(treaty)
    day = require(as_of)
    through = complete_through(t)
    hc = headline_counts(t)
    before = hc[hc["date"] <= pd.Timestamp(day)]
    after = hc[hc["date"] > pd.Timestamp(day)]

    def gap(h) -> dict:
        certain, most = (int(x) for x in parties_by(t.number, h["date"]))
        return {
            "date": str(h["date"].date()),
            "parties": int(h["parties"]),
            "source": h["source"],
            "records_parties": certain,
            "records_parties_max": most,
            "unattributed": max(int(h["parties"]) - most, 0),
            "unattributed_max": max(int(h["parties"]) - certain, 0),
        }

    out = {
        "treaty": t.short,
        "as_of": str(day),
        "complete_through": str(through),
        "complete_on_as_of": day <= through,
        "headline": None,
        "unattributed": 0,
        "unattributed_max": 0,
        "next_headline": None,
    }
    if not before.empty:
        out["headline"] = gap(before.iloc[-1])
    if not after.empty:
        out["next_headline"] = gap(after.iloc[0])
    if day > through:
        h = out["headline"]
        if h is not None and pd.Timestamp(h["date"]).date() > through:
            out["unattributed"], out["unattributed_max"] = h["unattributed"], h["unattributed_max"]
        else:
            # no headline count between the record's end and as_of: the gap cannot be measured
            out["unattributed"] = out["unattributed_max"] = None
    return out


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
    from its adoption to ``day``; ``complete`` when that year lies within complete records
    (otherwise its count is a lower bound and a later year may yet overtake it)."""

    treaty: str
    day: dt.date
    year: int
    new_parties: int
    complete: bool
    complete_through: dt.date


def peak_of(per_year: pd.DataFrame) -> tuple[int, int]:
    """(year, new parties) of the first year with the most new parties in a table of
    :func:`new_parties_per_year` (its rows in calendar order)."""
    top = per_year.loc[per_year["new_parties"].idxmax()]
    return int(top["year"]), int(top["new_parties"])


def peak_year(treaty, day: dt.date) -> Peak:
    """The one definition of a treaty's peak year (see :class:`Peak`)."""
    t = treaties.resolve(treaty)
    per_year = new_parties_per_year(t.short, treaties.adopted(t), require(day, "day"))
    year, new = peak_of(per_year)
    complete = per_year.loc[per_year["year"] == year, "records"].iloc[0] == "complete"
    return Peak(t.short, require(day, "day"), year, new, bool(complete), complete_through(t))
