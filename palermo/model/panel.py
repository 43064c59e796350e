"""Panels for research: participant x treaty x period, the shape political scientists use for
event-history models, and the merged action table with its sources."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .. import config
from ..data import countries, treaties
from ..errors import UsageError
from . import merge
from .coverage import complete_through
from .dates import latest_record_date, require
from .participation import universe
from .status import STATUS_NAMES, rule, table

FREQS = {"year": "YE", "month": "ME", "day": "D"}
COLUMNS = [
    "treaty",
    "treaty_number",
    "participant_id",
    "participant",
    "period_end",
    "status",
    "signature",
    "consent",
    "consent_latest",
    "action",
    "precision",
    "evidence",
    "un_member",
    "records_complete",
]


def period_ends(start: dt.date, end: dt.date, freq: str) -> pd.DatetimeIndex:
    if freq not in FREQS:
        raise UsageError(f"--freq {freq!r}; allowed: {', '.join(FREQS)}")
    s, e = pd.Timestamp(require(start, "start")), pd.Timestamp(require(end, "end"))
    if e < s:
        raise UsageError(f"--end {e.date()} is before --start {s.date()}")
    ends = pd.date_range(s, e, freq=FREQS[freq])
    if len(ends) == 0 or ends[-1] < e:
        ends = ends.append(pd.DatetimeIndex([e]))  # the last period ends on --end
    return ends


def size(
    instruments: list[str],
    freq: str = "year",
    start: dt.date = config.MIN_DATE,
    end: dt.date | None = None,
) -> int:
    """The number of rows :func:`panel` would give, without building it."""
    k = len(period_ends(start, end or latest_record_date(), freq))
    return sum(len(universe(s)) * k for s in instruments)


def panel(
    instruments: list[str],
    freq: str = "year",
    start: dt.date = config.MIN_DATE,
    end: dt.date | None = None,
    log=lambda line: None,
) -> pd.DataFrame:
    """One row per participant, treaty and period: the status at the period's end (party,
    possibly_party, signatory, none), the dates known by then, whether the participant was a
    UN Member State, and whether the records are complete through the period's end. The
    participants are everyone in the treaty's records and every UN Member State. ``end``
    defaults to the latest date the records speak for."""
    ends = period_ends(start, end or latest_record_date(), freq)
    e = ends.to_numpy(dtype="datetime64[D]")[None, :]
    members = countries.members()
    frames = []
    for i, short in enumerate(instruments, start=1):
        t = treaties.resolve(short)
        ids = universe(t)
        log(
            f"[{i}/{len(instruments)}] {t.short:10} {len(ids)} participants x {len(ends):,} periods"
        )
        tab = table(t.number).set_index("participant_id").reindex(ids)
        names = tab["name"].fillna(members.set_index("participant_id")["name"].reindex(ids))

        sig, lo, hi, gone = (
            tab[c].to_numpy(dtype="datetime64[D]")
            for c in ("signature", "consent", "consent_latest", "withdrawal")
        )
        status = STATUS_NAMES[rule(sig, lo, hi, gone, ends)]
        signed = sig[:, None] <= e
        n, k = len(ids), len(ends)

        def known(col, mask, tab=tab, k=k):
            """The column's value where it is known on the period's end, else missing."""
            v = np.repeat(tab[col].to_numpy()[:, None], k, axis=1)
            return np.where(mask, v, None).ravel()

        consent_known = lo[:, None] <= e
        # the day of admission (the States admitted before 1988 are members on every period
        # end the panel has); NaT, never a member, for the other participants
        admitted = (
            pd.to_datetime(members.set_index("participant_id")["admitted_on"])
            .fillna(pd.Timestamp(countries.MEMBERSHIP_FROM))
            .reindex(ids)
            .to_numpy(dtype="datetime64[D]")
        )
        frames.append(
            pd.DataFrame(
                {
                    "treaty": t.short,
                    "treaty_number": t.number,
                    "participant_id": np.repeat(ids, k),
                    "participant": np.repeat(names.to_numpy(), k),
                    "period_end": np.tile(ends.to_numpy(dtype="datetime64[ns]"), n),
                    "status": status.ravel(),
                    "signature": known("signature", signed),
                    "consent": known("consent", consent_known),
                    "consent_latest": known("consent_latest", consent_known),
                    "action": known("action", consent_known),
                    "precision": known("precision", consent_known),
                    "evidence": known("evidence", consent_known),
                    "un_member": (admitted[:, None] <= e).ravel(),
                    "records_complete": np.tile(ends <= pd.Timestamp(complete_through(t)), n),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)[COLUMNS]
    for col in ("signature", "consent", "consent_latest"):
        out[col] = pd.to_datetime(out[col])
    return out


def actions() -> pd.DataFrame:
    """Every merged action (snapshots and curated rows) with its source and date bracket."""
    a = merge.load().actions.copy()
    a.insert(0, "treaty_short", a["treaty"].map(lambda n: treaties.resolve(n).short))
    a["date"] = a["date"].dt.date
    a["date_latest"] = a["date_latest"].dt.date
    return a.sort_values(["treaty", "participant_id", "date"]).reset_index(drop=True)


DICTIONARY = {
    "treaty": "short id of the treaty (UNTOC, TIP, ...)",
    "treaty_number": "UNTC chapter number (XVIII-12, ...)",
    "participant_id": "ISO 3166-1 alpha-3 code; EUU for the European Union",
    "participant": "the participant's name in the newest record",
    "period_end": "the last day of the period (the last period ends on --end)",
    "status": "party, possibly_party (consent known only to a year or bracket that holds the "
    "day), signatory (signed, not yet bound), withdrawn (a withdrawal in effect) or none, "
    "on period_end",
    "signature": "date of signature, if on or before period_end",
    "consent": "date of the instrument of consent (earliest possible), if on or before period_end",
    "consent_latest": "latest possible date of consent (equal to consent when known to the day)",
    "action": "ratification, acceptance, approval, accession, succession or formal_confirmation",
    "precision": "day, year or range: how the consent's date is known",
    "evidence": "depositary-record, or how a curated date is known (stated, inferred-...)",
    "un_member": "a UN Member State on period_end (admitted on or before it)",
    "records_complete": "the treaty's records are complete through period_end",
}
