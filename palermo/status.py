"""Status of every participant in a treaty on any date, counts, series and coverage.

A participant is a ``party`` on ``as_of`` when its instrument of consent was deposited on or
before that day; a ``signatory`` when it had signed but was not (yet) a party; ``none`` when
the records show no action by then. A curated action known only to a year or a bracket
(``precision`` ``year``/``range``) whose bracket contains ``as_of`` makes the participant
``possibly_party``: it counts in ``parties_max`` and not in ``parties``, never as a guess.

Coverage: the newest snapshot is complete up to its status date. After it the record is the
curated later actions, and it stays complete through each later headline count that it
matches exactly (``complete_through``). Beyond that, the latest headline count on or before
``as_of`` tells how many parties the records cannot attribute (``unattributed``).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd

from . import records, treaties, untc
from .errors import UsageError
from .participants import EU_ID

PAPER_DATE = dt.date(2020, 12, 23)  # the paper's submission date, the default as_of
MIN_DATE = dt.date(1988, 1, 1)
STATUSES = ("party", "possibly_party", "signatory", "none")


def today() -> dt.date:
    return dt.date.today()


def parse_as_of(value: str | dt.date | pd.Timestamp | None, name: str = "as_of") -> dt.date:
    """An ISO date between 1988-01-01 and today; None gives the paper's date (2020-12-23)."""
    if value is None:
        return PAPER_DATE
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise UsageError(f"{name} {value!r} is not a date; give an ISO date YYYY-MM-DD between "
                             f"{MIN_DATE} and {today()}") from None
    if not MIN_DATE <= value <= today():
        raise UsageError(f"{name} {value} is out of range; allowed: {MIN_DATE} to {today()} (today)")
    return value


@lru_cache(maxsize=None)
def _table(number: str) -> pd.DataFrame:
    """One row per participant of a treaty: signature and consent with their brackets."""
    rec = records.load()
    acts = rec.treaty_actions(number)
    sig = acts[acts["action"] == untc.SIGNATURE].set_index("participant_id")
    con = acts[acts["action"] != untc.SIGNATURE].set_index("participant_id")
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
    return t.reset_index()


def _sorted_days(col: pd.Series) -> np.ndarray:
    v = col.dropna().to_numpy(dtype="datetime64[D]")
    v.sort()
    return v


@lru_cache(maxsize=None)
def _arrays(number: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t = _table(number)
    return _sorted_days(t["consent_latest"]), _sorted_days(t["consent"]), _sorted_days(t["signature"])


def _count(arr: np.ndarray, day) -> int:
    return int(np.searchsorted(arr, np.datetime64(day, "D"), side="right"))


def counts(treaty, as_of=None) -> dict:
    """parties (certain), parties_max (incl. bracketed), signatories (ever signed by as_of)."""
    t = treaties.resolve(treaty)
    day = parse_as_of(as_of)
    hi, lo, sig = _arrays(t.number)
    return {"parties": _count(hi, day), "parties_max": _count(lo, day), "signatories": _count(sig, day)}


def status(treaty, as_of=None) -> pd.DataFrame:
    """Every participant's status on as_of, with its dates."""
    t = treaties.resolve(treaty)
    day = pd.Timestamp(parse_as_of(as_of))
    tab = _table(t.number).copy()
    certain = tab["consent_latest"] <= day
    maybe = (tab["consent"] <= day) & ~certain
    signed = tab["signature"] <= day
    tab["status"] = np.select([certain, maybe, signed], ["party", "possibly_party", "signatory"], "none")
    # a consent after as_of is not yet known on as_of
    late = tab["consent"] > day
    for col in ("action", "consent", "consent_latest", "precision", "evidence", "consent_source"):
        tab[col] = tab[col].where(~late)
    tab["signature"] = tab["signature"].where(signed)
    return tab[["participant_id", "name", "status", "signature", "action", "consent", "consent_latest",
                "precision", "evidence", "signature_source", "consent_source"]]


def series(treaty, start=None, end=None, freq: str = "D") -> pd.DataFrame:
    """Cumulative parties, parties_max and signatories: daily (freq='D') or at each year's end
    (freq='Y', with new_parties per year). Defaults: from adoption to today."""
    t = treaties.resolve(treaty)
    start = pd.Timestamp(treaties.index_entry(t)["adopted"] if start is None else parse_as_of(start, "start"))
    end = pd.Timestamp(today() if end is None else parse_as_of(end, "end"))
    if end < start:
        raise UsageError(f"end {end.date()} is before start {start.date()}")
    if freq == "D":
        dates = pd.date_range(start, end, freq="D")
    elif freq == "Y":
        dates = pd.DatetimeIndex([min(pd.Timestamp(y, 12, 31), end) for y in range(start.year, end.year + 1)])
    else:
        raise UsageError(f"freq {freq!r}; allowed: 'D' (daily) or 'Y' (yearly)")
    days = dates.to_numpy(dtype="datetime64[D]")
    hi, lo, sig = _arrays(t.number)
    out = pd.DataFrame({
        "date": dates,
        "parties": np.searchsorted(hi, days, side="right"),
        "parties_max": np.searchsorted(lo, days, side="right"),
        "signatories": np.searchsorted(sig, days, side="right"),
    })
    if freq == "Y":
        before = _count(hi, start - pd.Timedelta(days=1))
        out.insert(0, "year", dates.year)
        out["new_parties"] = np.diff(out["parties"].to_numpy(), prepend=before)
    out.insert(0, "treaty", t.short)
    return out


def headline_counts(treaty) -> pd.DataFrame:
    t = treaties.resolve(treaty)
    c = records.load().counts
    return c[c["treaty"] == t.number].sort_values("date").reset_index(drop=True)


def complete_through(treaty) -> dt.date:
    """The last date through which the records are complete: the newest snapshot's status
    date, advanced to each later headline count the records match exactly."""
    return _complete_through(treaties.resolve(treaty).number)


@lru_cache(maxsize=None)
def _complete_through(number: str) -> dt.date:
    t = treaties.resolve(number)
    done = records.load().snapshots[t.number].status_date
    hi, lo, _ = _arrays(t.number)
    for h in headline_counts(t).itertuples():
        if h.date.date() <= done:
            continue
        if _count(hi, h.date) == _count(lo, h.date) == h.parties:
            done = h.date.date()
        else:
            break
    return done


def coverage(treaty, as_of=None) -> dict:
    t = treaties.resolve(treaty)
    day = parse_as_of(as_of)
    hi, lo, _ = _arrays(t.number)
    through = complete_through(t)
    hc = headline_counts(t)
    before = hc[hc["date"] <= pd.Timestamp(day)]
    after = hc[hc["date"] > pd.Timestamp(day)]

    def gap(h) -> dict:
        return {"date": str(h["date"].date()), "parties": int(h["parties"]), "source": h["source"],
                "records_parties": _count(hi, h["date"]), "records_parties_max": _count(lo, h["date"]),
                "unattributed": max(int(h["parties"]) - _count(lo, h["date"]), 0),
                "unattributed_max": max(int(h["parties"]) - _count(hi, h["date"]), 0)}

    out = {"complete_through": str(through), "complete_on_as_of": day <= through,
           "headline": None, "unattributed": 0, "unattributed_max": 0, "next_headline": None}
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
    out["note"] = _coverage_note(t, day, out)
    return out


def _span(lo, hi) -> str:
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _coverage_note(t: treaties.Treaty, day: dt.date, cov: dict) -> str:
    through = cov["complete_through"]
    if cov["complete_on_as_of"]:
        return f"The records of {t.short} are complete through {through}, so the counts on {day} are complete."
    text = f"The records of {t.short} are complete through {through}; {day} is later."
    missing = " Actions after that date that no curated row records are missing from the counts."
    if cov["unattributed"] is None:
        text += " No headline count between then and as_of measures the gap"
        nxt = cov["next_headline"]
        if nxt:
            text += (f"; the next one ({nxt['parties']} parties on {nxt['date']}) has "
                     f"{_span(nxt['unattributed'], nxt['unattributed_max'])} parties the records cannot attribute")
        return text + "." + missing
    h = cov["headline"]
    return (text + f" The headline count of {h['date']} ({h['parties']} parties) has "
            f"{_span(cov['unattributed'], cov['unattributed_max'])} parties the records cannot attribute." + missing)


def entry_into_force(treaty) -> dict:
    """Entry into force computed from the records: the date of deposit of the n-th qualifying
    instrument plus the treaty's delay (REIO instruments left out where the treaty says so),
    against the official date."""
    t = treaties.resolve(treaty)
    rule = t.eif_rule
    tab = _table(t.number)
    q = tab[tab["action"].isin(untc.QUALIFYING) & (tab["precision"] == "day")]
    if not rule.get("reio_counted", True):
        q = q[q["participant_id"] != EU_ID]
    q = q.sort_values(["consent", "name"], kind="stable")
    n = int(rule["n"])
    out = {"treaty": t.short, "number": t.number, "article": t.eif_article, "n": n,
           "official": t.official_eif, "official_source": t.official_eif_source}
    if len(q) < n:
        return {**out, "computed": None, "nth_date": None, "nth_participants": [], "match": False}
    nth = q.iloc[n - 1]["consent"]
    computed = nth + pd.Timedelta(days=int(rule["days"]))
    if rule.get("first_of_month"):
        computed = (computed + pd.offsets.MonthBegin(1)).normalize()
    floor = rule.get("not_before")
    if floor:
        computed = max(computed, pd.Timestamp(entry_into_force(floor)["computed"]))
    same_day = q[q["consent"] == nth]["name"].tolist()
    return {**out, "computed": computed.date(), "nth_date": nth.date(), "nth_participants": same_day,
            "match": computed.date() == t.official_eif}


def _iso(v) -> str | None:
    return None if v is None or pd.isna(v) else str(pd.Timestamp(v).date())


def _text(v) -> str | None:
    return v if isinstance(v, str) else None


def _row(r) -> dict:
    """One status row as plain data (dates as ISO strings, missing values as None)."""
    bracketed = _text(r["precision"]) in ("year", "range")
    return {"status": r["status"], "signature": _iso(r["signature"]), "consent": _iso(r["consent"]),
            "consent_latest": _iso(r["consent_latest"] if bracketed else r["consent"]),
            "action": _text(r["action"]), "precision": _text(r["precision"]), "evidence": _text(r["evidence"])}


def summary(treaty, as_of=None) -> dict:
    """Everything `palermo status` prints, as plain data."""
    t = treaties.resolve(treaty)
    day = parse_as_of(as_of)
    st = status(t, day)
    cov = coverage(t, day)
    c = counts(t, day)
    parts = [{"id": r["participant_id"], "name": r["name"], **_row(r)}
             for _, r in st.sort_values("name").iterrows()]
    return {"treaty": t.number, "short": t.short, "name": t.name, "as_of": str(day), **c,
            "signatories_only": int((st["status"] == "signatory").sum()),
            "complete_through": cov["complete_through"], "unattributed": cov["unattributed"],
            "unattributed_max": cov["unattributed_max"], "coverage": cov, "participants": parts}


def participant(query: str, as_of=None) -> dict:
    """One participant across all treaties on as_of."""
    from .participants import lookup

    day = parse_as_of(as_of)
    pid = lookup(query, records.load().names)
    rows = []
    for t in treaties.all_treaties():
        st = status(t, day)
        hit = st[st["participant_id"] == pid]
        base = {"treaty": t.number, "short": t.short, "name": t.name,
                "complete_through": coverage(t, day)["complete_through"]}
        if hit.empty:
            rows.append({**base, "status": "none", "signature": None, "consent": None, "consent_latest": None,
                         "action": None, "precision": None, "evidence": None})
        else:
            rows.append({**base, **_row(hit.iloc[0])})
    return {"id": pid, "name": records.load().names[pid], "as_of": str(day), "treaties": rows}
