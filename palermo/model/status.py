"""Status of every participant in a treaty on any date, counts and series.

A participant is a ``party`` on ``as_of`` when its instrument of consent was deposited on or
before that day; a ``signatory`` when it had signed but was not (yet) a party; ``none`` when
the records show no action by then; ``withdrawn`` once a withdrawal it had made took effect.
A curated action known only to a year or a bracket
(``precision`` ``year``/``range``) whose bracket contains ``as_of`` makes the participant
``possibly_party``: it counts in ``parties_max`` and not in ``parties``, never as a guess.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from .. import config
from ..data import treaties
from ..data.vocab import BRACKETED, SIGNATURE, WITHDRAWAL
from ..errors import UsageError
from . import merge
from .dates import parse_as_of


@cache
def table(number: str) -> pd.DataFrame:
    """One row per participant of a treaty: signature and consent with their brackets."""
    rec = merge.load()
    if number not in rec.snapshots:
        raise UsageError(treaties.not_held_message(number))
    acts = rec.treaty_actions(number)
    sig = acts[acts["action"] == SIGNATURE].set_index("participant_id")
    out = acts[acts["action"] == WITHDRAWAL].set_index("participant_id")
    con = acts[~acts["action"].isin([SIGNATURE, WITHDRAWAL])].set_index("participant_id")
    ids = sorted(set(acts["participant_id"]))
    t = pd.DataFrame(index=pd.Index(ids, name="participant_id"))
    t["name"] = [rec.names[i] for i in ids]
    t["signature"] = sig["date"].reindex(t.index)
    t["signature_source"] = sig["source"].reindex(t.index)
    t["action"] = con["action"].reindex(t.index)
    t["consent"] = con["date"].reindex(t.index)
    t["consent_latest"] = con["date_latest"].reindex(t.index)
    t["precision"] = con["precision"].reindex(t.index)
    t["evidence"] = con["evidence"].reindex(t.index)
    t["consent_source"] = con["source"].reindex(t.index)
    t["withdrawal"] = out["date"].reindex(t.index)
    return t.reset_index()


def _sorted_days(col: pd.Series) -> np.ndarray:
    v = col.dropna().to_numpy(dtype="datetime64[D]")
    v.sort()
    return v


@cache
def arrays(number: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted days of certain consent, earliest possible consent, signature and withdrawal."""
    t = table(number)
    return (
        _sorted_days(t["consent_latest"]),
        _sorted_days(t["consent"]),
        _sorted_days(t["signature"]),
        _sorted_days(t["withdrawal"]),
    )


def parties_by(number: str, days) -> tuple:
    """(certain, most) parties on each day: consents deposited by then, less the withdrawals
    that had taken effect (scalars for one day, arrays for an array of days)."""
    hi, lo, _, out = arrays(number)
    d = np.asarray(pd.to_datetime(days), dtype="datetime64[D]")
    gone = np.searchsorted(out, d, side="right")
    return (
        np.searchsorted(hi, d, side="right") - gone,
        np.searchsorted(lo, d, side="right") - gone,
    )


def count_by(arr: np.ndarray, day) -> int:
    return int(np.searchsorted(arr, np.datetime64(pd.Timestamp(day).date(), "D"), side="right"))


def counts(treaty, as_of=None) -> dict:
    """parties (certain), parties_max (incl. bracketed), signatories (ever signed by as_of)."""
    t = treaties.resolve(treaty)
    day = parse_as_of(as_of)
    certain, most = parties_by(t.number, day)
    return {
        "parties": int(certain),
        "parties_max": int(most),
        "signatories": count_by(arrays(t.number)[2], day),
    }


def status(treaty, as_of=None) -> pd.DataFrame:
    """Every participant's status on as_of, with its dates."""
    t = treaties.resolve(treaty)
    day = pd.Timestamp(parse_as_of(as_of))
    tab = table(t.number).copy()
    certain = tab["consent_latest"] <= day
    maybe = (tab["consent"] <= day) & ~certain
    signed = tab["signature"] <= day
    withdrawn = tab["withdrawal"] <= day
    tab["status"] = np.select(
        [withdrawn, certain, maybe, signed],
        ["withdrawn", "party", "possibly_party", "signatory"],
        "none",
    )
    # a consent after as_of is not yet known on as_of
    late = tab["consent"] > day
    for col in ("action", "consent", "consent_latest", "precision", "evidence", "consent_source"):
        tab[col] = tab[col].where(~late)
    tab["signature"] = tab["signature"].where(signed)
    return tab[
        [
            "participant_id",
            "name",
            "status",
            "signature",
            "action",
            "consent",
            "consent_latest",
            "precision",
            "evidence",
            "signature_source",
            "consent_source",
        ]
    ]


def parties(treaty, as_of=None) -> pd.DataFrame:
    """The parties on as_of (certain ones), in the order they joined."""
    st = status(treaty, as_of)
    return st[st["status"] == "party"].sort_values(["consent", "name"]).reset_index(drop=True)


def series(treaty, start=None, end=None, freq: str = "D") -> pd.DataFrame:
    """Cumulative parties, parties_max and signatories: daily (freq='D') or at each year's end
    (freq='Y', with new_parties per year). Defaults: from adoption to today."""
    t = treaties.resolve(treaty)
    start = pd.Timestamp(treaties.adopted(t) if start is None else parse_as_of(start, "start"))
    end = pd.Timestamp(config.today() if end is None else parse_as_of(end, "end"))
    if end < start:
        raise UsageError(f"end {end.date()} is before start {start.date()}")
    if freq == "D":
        dates = pd.date_range(start, end, freq="D")
    elif freq == "Y":
        dates = pd.DatetimeIndex(
            [min(pd.Timestamp(y, 12, 31), end) for y in range(start.year, end.year + 1)]
        )
    else:
        raise UsageError(f"freq {freq!r}; allowed: 'D' (daily) or 'Y' (yearly)")
    days = dates.to_numpy(dtype="datetime64[D]")
    certain, most = parties_by(t.number, days)
    out = pd.DataFrame(
        {
            "date": dates,
            "parties": certain,
            "parties_max": most,
            "signatories": np.searchsorted(arrays(t.number)[2], days, side="right"),
        }
    )
    if freq == "Y":
        before = int(parties_by(t.number, start - pd.Timedelta(days=1))[0])
        out.insert(0, "year", dates.year)
        out["new_parties"] = np.diff(out["parties"].to_numpy(), prepend=before)
    out.insert(0, "treaty", t.short)
    return out


def headline_counts(treaty) -> pd.DataFrame:
    t = treaties.resolve(treaty)
    c = merge.load().counts
    return c[c["treaty"] == t.number].sort_values("date").reset_index(drop=True)


def is_bracketed(precision) -> bool:
    return isinstance(precision, str) and precision in BRACKETED
