"""Curves over time: a treaty's cumulative parties as a step curve, each point marked as resting
on complete records or on incomplete ones (a lower bound). Above both the status rule
(``status``) and the records' coverage (``coverage``), which it joins."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import config
from ..data import treaties
from . import bounds, status
from .coverage import complete_through


def step_series(
    instruments, start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """Cumulative parties of each instrument as a step curve: the daily series kept only on
    the days ``parties`` or ``parties_max`` changes, plus both ends (a few hundred points
    instead of thousands). Columns: instrument, date, parties, parties_max; after the records'
    end ``parties`` is the lower bound of :func:`~palermo.model.coverage.count_on`. ``start``
    defaults to each treaty's adoption (not before 1988-01-01)."""
    frames = []
    for short in [instruments] if isinstance(instruments, str) else instruments:
        first = start if start is not None else max(treaties.adopted(short), config.MIN_DATE)
        s = status.series(short, first, end, "D")
        # past the records the curve is the lower bound (the named parties, raised by the
        # depositary's and official counts: model.bounds), as every count on a day is
        t = treaties.resolve(short)
        through = complete_through(t)
        s["parties"] = bounds.ledger(t.number).lower_many(s["date"], through)
        s["parties_max"] = s[["parties", "parties_max"]].max(axis=1)
        changed = s[["parties", "parties_max"]].diff().abs().sum(axis=1) > 0
        changed.iloc[[0, -1]] = True
        frames.append(s[changed])
    out = pd.concat(frames, ignore_index=True).rename(columns={"treaty": "instrument"})
    return split_at_coverage(out[["instrument", "date", "parties", "parties_max"]])


def split_at_coverage(df: pd.DataFrame, by: str = "instrument", treaty=None) -> pd.DataFrame:
    """Mark each point of a curve ``records``: 'complete' up to its treaty's complete_through,
    'incomplete' after it (a lower bound); a point on complete_through ends the first part and
    starts the second, so the two parts meet there. ``treaty`` names the treaty when the
    curves are split by something else (regions)."""
    parts = []
    for key, g in df.groupby(by, sort=False):
        through = pd.Timestamp(complete_through(treaty or key))
        done = g[g["date"] <= through].assign(records="complete")
        after = g[g["date"] > through].assign(records="incomplete")
        if not after.empty and not done.empty:
            # the solid part runs to the end of complete records, where the dashed part starts
            edge = done.tail(1).assign(date=through)
            done = pd.concat([done, edge])
            after = pd.concat([edge.assign(records="incomplete"), after])
        parts += [done, after]
    return pd.concat(parts, ignore_index=True)
