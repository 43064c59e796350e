"""Status of every participant in a treaty on any date, counts and series.

A participant is a ``party`` on ``as_of`` when its instrument of consent was deposited on or
before that day; a ``signatory`` when it had signed but was not (yet) a party; ``none`` when
the records show no action by then; ``withdrawn`` once a withdrawal it had made took effect.
A curated action known only to a year or a bracket
(``precision`` ``year``/``range``) whose bracket contains ``as_of`` makes the participant
``possibly_party``: it counts in ``parties_max`` and not in ``parties``, never as a guess.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from .. import config
from ..data import treaties
from ..data.vocab import BRACKETED, SIGNATURE, WITHDRAWAL
from ..errors import UsageError
from . import merge
from .dates import require


def table(number: str) -> pd.DataFrame:
    """One row per participant of a treaty: signature and consent with their brackets. A copy
    of the table kept per treaty: a kernel kept between runs (``pipeline.execute``) serves the
    next page from the same cache, so no caller may change the kept one."""
    return _table(number).copy()


@cache
def _table(number: str) -> pd.DataFrame:
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


# The status rule, written once. Every answer about status derives from ``rule``: a
# participant's status on a day (``status``), the counts on a day or a series of days
# (``parties_by``, ``counts``, ``series``) and the research panel (``panel.panel``).
NONE, SIGNATORY, POSSIBLY_PARTY, PARTY, WITHDRAWN = range(5)
STATUS_NAMES = np.array(["none", "signatory", "possibly_party", "party", "withdrawn"])


def rule(signature, consent, consent_latest, withdrawal, days) -> np.ndarray:
    """The status of each participant (the four date arrays, one entry each; missing = NaT)
    on each of ``days`` (or on its own row of a 2-D ``days``), as codes into ``STATUS_NAMES``,
    shape (participants, days):
    ``withdrawn`` once its withdrawal took effect; else ``party`` once its consent was certainly
    deposited (``consent_latest``); else ``possibly_party`` while a bracketed consent may have
    been (``consent``); else ``signatory`` once it signed; else ``none``."""
    e = np.asarray(days, dtype="datetime64[D]")
    e = e if e.ndim == 2 else e.reshape(1, -1)  # (participants, k): each its own days

    def by(dates) -> np.ndarray:
        return np.asarray(dates, dtype="datetime64[D]").reshape(-1, 1) <= e

    return np.select(
        [by(withdrawal), by(consent_latest), by(consent), by(signature)],
        [WITHDRAWN, PARTY, POSSIBLY_PARTY, SIGNATORY],
        NONE,
    ).astype(np.int8)


@cache
def _dates(number: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The table's signature, consent, consent_latest and withdrawal as day arrays."""
    t = table(number)
    cols = ("signature", "consent", "consent_latest", "withdrawal")
    signature, consent, latest, withdrawal = (t[c].to_numpy(dtype="datetime64[D]") for c in cols)
    return signature, consent, latest, withdrawal


def codes(number: str, days) -> np.ndarray:
    """The rule for every participant in a treaty's table (its row order) on each of ``days``."""
    return rule(*_dates(number), days)


@cache
def _signatures(number: str) -> np.ndarray:
    v = _dates(number)[0]
    return np.sort(v[~np.isnat(v)])


def signatories_by(number: str, days):
    """How many had signed by each day (ever, parties since included)."""
    d = np.asarray(pd.to_datetime(days), dtype="datetime64[D]")
    return np.searchsorted(_signatures(number), d, side="right")


@cache
def _steps(number: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The counts of ``party`` and of ``possibly_party`` as step functions of the day, from the
    rule: a participant's status changes only on its own four dates, so the rule is applied on
    those dates and each change is one step. Returns the step days (sorted) and the two counts
    from each step day on."""
    dates = np.stack(_dates(number), axis=1)  # (participants, 4)
    at = rule(*_dates(number), dates)  # each participant's status on each of its own dates
    order = np.argsort(dates, axis=1)  # NaT sorts last
    days = np.take_along_axis(dates, order, axis=1)
    now = np.take_along_axis(at, order, axis=1)
    before = np.concatenate([np.full((len(now), 1), NONE, np.int8), now[:, :-1]], axis=1)
    real = ~np.isnat(days)
    step_days = days[real]
    party = (now == PARTY).astype(int) - (before == PARTY)
    maybe = (now == POSSIBLY_PARTY).astype(int) - (before == POSSIBLY_PARTY)
    order = np.argsort(step_days, kind="stable")
    return (
        step_days[order],
        np.cumsum(party[real][order]),
        np.cumsum(maybe[real][order]),
    )


def parties_by(number: str, days) -> tuple:
    """(certain, most) parties on each day, counted from the rule: ``party``, and ``party`` or
    ``possibly_party`` (scalars for one day, arrays for an array of days)."""
    d = np.asarray(pd.to_datetime(days), dtype="datetime64[D]")
    step_days, party, maybe = _steps(number)
    if len(step_days) == 0:  # no action in the records yet
        party = maybe = np.zeros(1, dtype=int)
    i = np.searchsorted(step_days, d, side="right") - 1
    certain = np.where(i >= 0, party[i], 0)
    most = certain + np.where(i >= 0, maybe[i], 0)
    if d.ndim == 0:
        return int(certain), int(most)
    return certain, most


def status(treaty, as_of: dt.date = config.PAPER_DATE) -> pd.DataFrame:
    """Every participant's status on as_of, with its dates."""
    t = treaties.resolve(treaty)
    day = pd.Timestamp(require(as_of))
    tab = table(t.number).copy()
    tab["status"] = STATUS_NAMES[codes(t.number, [day])[:, 0]]
    signed = tab["signature"] <= day
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


@lru_cache(maxsize=128)
def _by_participant(short: str, day: dt.date) -> pd.DataFrame:
    return status(short, day).set_index("participant_id")


def row_of(treaty, participant: str, as_of: dt.date) -> pd.Series | None:
    """One participant's row of :func:`status` on as_of (its status and dates), or None where
    the treaty's records do not name it (its status is then "none"). The one way to ask; the
    table it reads is kept per treaty and day."""
    st = _by_participant(treaties.resolve(treaty).short, require(as_of))
    return st.loc[participant] if participant in st.index else None


def is_party(treaty, participant: str, as_of: dt.date) -> bool:
    r = row_of(treaty, participant, as_of)
    return r is not None and r["status"] == "party"


def parties(treaty, as_of: dt.date = config.PAPER_DATE) -> pd.DataFrame:
    """The parties on as_of (certain ones), in the order they joined."""
    st = status(treaty, as_of)
    return st[st["status"] == "party"].sort_values(["consent", "name"]).reset_index(drop=True)


def series(
    treaty, start: dt.date | None = None, end: dt.date | None = None, freq: str = "D"
) -> pd.DataFrame:
    """Cumulative parties, parties_max and signatories: daily (freq='D') or at each year's end
    (freq='Y', with new_parties per year). Defaults: from adoption to today."""
    t = treaties.resolve(treaty)
    # as Timestamps, under names of their own (``start`` and ``end`` are dates or None)
    first = pd.Timestamp(treaties.adopted(t) if start is None else require(start, "start"))
    last = pd.Timestamp(config.today() if end is None else require(end, "end"))
    if last < first:
        raise UsageError(f"end {last.date()} is before start {first.date()}")
    if freq == "D":
        dates = pd.date_range(first, last, freq="D")
    elif freq == "Y":
        dates = pd.DatetimeIndex(
            [min(pd.Timestamp(y, 12, 31), last) for y in range(first.year, last.year + 1)]
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
            "signatories": signatories_by(t.number, days),
        }
    )
    if freq == "Y":
        before = int(parties_by(t.number, first - pd.Timedelta(days=1))[0])
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
