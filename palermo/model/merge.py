"""Merge the raw snapshots and the curated later actions into one table of actions.

Rules (the "Data and methods" chapter explains them to readers):

* per treaty, the newest snapshot is authoritative up to its status date;
* every older snapshot of the same treaty is cross-checked against it, restricted to what
  the older one could know (actions dated on or before its status date); each disagreement
  is reported, none is silently resolved;
* curated actions apply after the newest snapshot's date; a curated row dated on or before
  it, or one that contradicts the snapshot (a second signature or a second instrument of
  consent, a ratification without a signature), is a :class:`DataError`;
* headline counts (``party_counts.csv``) must agree with the headers in the raw XML files.
"""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import config
from ..data import countries, curated, inputs, registry, treaties, untc
from ..data.vocab import RATIFY_LIKE, SIGNATURE, SNAPSHOT_EVIDENCE, WITHDRAWAL
from ..errors import DataError
from ..files import atomic_path

ACTION_COLUMNS = [
    "treaty",
    "participant",
    "participant_id",
    "action",
    "date",
    "date_latest",
    "precision",
    "evidence",
    "source",
    "footnotes",
]


@dataclass
class Records:
    actions: pd.DataFrame  # ACTION_COLUMNS; date = earliest possible, date_latest = latest
    disagreements: pd.DataFrame  # older snapshot vs newest, one row per differing fact
    snapshots: dict[str, registry.Source]  # treaty number -> its authoritative (newest) snapshot
    counts: pd.DataFrame  # headline counts: treaty, date, parties, signatories, source, url
    names: dict[str, str] = field(default_factory=dict)  # participant_id -> latest spelling

    def treaty_actions(self, number: str) -> pd.DataFrame:
        return self.actions[self.actions["treaty"] == number]


def _kind(action: str) -> str:
    return {SIGNATURE: "signature", WITHDRAWAL: "withdrawal"}.get(action, "consent")


def _fmt(row) -> str:
    return f"{row['action']} {pd.Timestamp(row['date']).date()}"


def cross_check(older: pd.DataFrame, newer: pd.DataFrame, older_date: dt.date) -> pd.DataFrame:
    """Facts the older snapshot records differently from the newer one, as of older_date."""
    cutoff = pd.Timestamp(older_date)
    o = older.assign(kind=older["action"].map(_kind)).set_index(["participant_id", "kind"])
    n = newer.assign(kind=newer["action"].map(_kind))
    n = n[n["date"] <= cutoff].set_index(["participant_id", "kind"])
    rows = []
    for key in sorted(set(o.index) | set(n.index)):
        a = o.loc[key] if key in o.index else None
        b = n.loc[key] if key in n.index else None
        va = _fmt(a) if a is not None else "none"
        vb = _fmt(b) if b is not None else "none"
        if va != vb:
            any_row = o.loc[key] if key in o.index else n.loc[key]  # the key is in one or both
            rows.append(
                {
                    "treaty": any_row["treaty"],
                    "participant_id": key[0],
                    "participant": any_row["participant"],
                    "fact": key[1],
                    "older_source": older["source"].iat[0],
                    "older": va,
                    "older_row": int(a["row"]) if a is not None else None,
                    "newer_source": newer["source"].iat[0],
                    "newer": vb,
                    "newer_row": int(b["row"]) if b is not None else None,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "treaty",
            "participant_id",
            "participant",
            "fact",
            "older_source",
            "older",
            "older_row",
            "newer_source",
            "newer",
            "newer_row",
        ],
    )


def _advice(snap: registry.Source, candidate: bool) -> str:
    if candidate:
        return (
            "either the file is stale or wrong, or the curated row is (correct it, then update "
            "again)"
        )
    if snap.fetched:
        where = Path(snap.root or "") / snap.path
        return (
            f"if the fetched file ({where}) is stale or wrong, drop it with "
            f"`palermo sources forget {snap.status_date} {snap.treaty}`; otherwise correct the "
            "curated row (curated rows apply after the snapshot)"
        )
    return "correct the curated row (curated rows apply after the snapshot)"


def check_fetched(snap: registry.Source, file: Path) -> None:
    """The rule :func:`build` applies to the newest snapshot, for a downloaded file not yet kept
    (``palermo sources update`` passes it): every curated row dated on or before its fetch date
    must be in it. DataError naming the row otherwise."""
    table = untc.parse_xml(file.read_bytes(), snap.treaty_number, snap.id, snap.path)
    cur = curated.treaty_actions()
    name = Path(curated.entry("treaty_actions").path).name
    _curated_rows(cur[cur["treaty"] == snap.treaty], table, snap, name, candidate=True)


def _curated_rows(
    cur: pd.DataFrame,
    base: pd.DataFrame,
    snap: registry.Source,
    fname: str,
    candidate: bool = False,
) -> pd.DataFrame:
    """Check curated rows for one treaty against its authoritative snapshot; return them tidy.
    ``candidate``: the snapshot is a download not yet kept (the advice differs)."""
    out = []
    have = {
        (pid, _kind(a)): (a, d, f"{snap.path} row {r}")
        for pid, a, d, r in base[["participant_id", "action", "date", "row"]].itertuples(
            index=False
        )
    }
    for r in cur.itertuples(index=False):
        where = f"{fname}, row {r.row} ({r.participant}, {r.treaty})"
        try:
            pid = countries.participant_id(r.participant)
        except countries.UnknownName as exc:
            raise DataError(f"{where}: {exc}") from None
        key = (pid, _kind(r.action))
        earliest = r.earliest
        if r.action == WITHDRAWAL:
            # the tables never list withdrawals: a cited row may date one before the snapshot,
            # but only for a participant bound before it takes effect
            bound = have.get((pid, "consent"))
            if bound is None or pd.Timestamp(bound[1]) >= r.earliest:
                raise DataError(
                    f"{where}: a withdrawal needs an earlier instrument of consent, "
                    "and the records have none"
                )
        elif earliest <= pd.Timestamp(snap.status_date):
            # the snapshot is authoritative up to its date: it must confirm the row
            got = have.get(key)
            if got is not None and got[0] == r.action and r.earliest <= got[1] <= r.latest:
                continue  # confirmed by the newer table: nothing to add
            if r.latest <= pd.Timestamp(snap.status_date) or got is not None:
                found = (
                    f"has {got[0]} on {pd.Timestamp(got[1]).date()}"
                    if got is not None
                    else "has no such action"
                )
                raise DataError(
                    f"{where}: dated {r.earliest.date()}, on or before {snap.status_date}, the "
                    f"status date of {snap.id}, which is authoritative up to then and {found}; "
                    + _advice(snap, candidate)
                )
            # a bracket across the snapshot's date: not by then, so after it
            earliest = pd.Timestamp(snap.status_date) + pd.Timedelta(days=1)
        if key in have:
            a, d, origin = have[key]
            raise DataError(
                f"{where}: contradicts {origin}, which already has "
                f"{a} on {pd.Timestamp(d).date()} for this participant"
            )
        if r.action in RATIFY_LIKE and (pid, "signature") not in have:
            raise DataError(
                f"{where}: {r.action} needs a prior signature, and the records have none; "
                "an instrument without signature is an accession"
            )
        have[key] = (r.action, earliest, f"{fname} row {r.row}")
        out.append(
            {
                "treaty": r.treaty,
                "participant": r.participant,
                "participant_id": pid,
                "action": r.action,
                "date": earliest,
                "date_latest": r.latest,
                "precision": r.date_precision,
                "evidence": r.evidence,
                "source": f"{fname}:{r.row}",
                "footnotes": "",
            }
        )
    return pd.DataFrame(out, columns=ACTION_COLUMNS)


def _check_counts(counts: pd.DataFrame, fname: str) -> None:
    """Every headline in the raw XML files must appear, equal, in party_counts.csv."""
    known = {t.number for t in treaties.all_treaties()}
    for r in counts.itertuples():
        if r.treaty not in known:
            raise DataError(f"{fname}, row {r.Index + 2}: unknown treaty {r.treaty!r}")
    fetched = {s.id for s in registry.registry() if s.fetched}
    for h in untc.headers().itertuples(index=False):
        if h.source in fetched:
            continue
        hit = counts[(counts["treaty"] == h.treaty) & (counts["date"] == h.date)]
        if hit.empty:
            raise DataError(
                f"{fname}: no row for the raw header of {h.source} "
                f"({h.treaty} on {h.date.date()}: {h.parties} parties, {h.signatories} signatories)"
            )
        row = hit.iloc[0]
        if (row["parties"], row["signatories"]) != (h.parties, h.signatories):
            raise DataError(
                f"{fname}, row {hit.index[0] + 2}: {row['parties']} parties / "
                f"{row['signatories']} signatories, but the raw header of {h.source} reads "
                f"{h.parties} / {h.signatories}"
            )


def _with_fetched_headers(counts: pd.DataFrame) -> pd.DataFrame:
    """A fetched file's own header is a headline count of its fetch date."""
    fetched = {s.id: s for s in registry.registry() if s.fetched}
    h = untc.headers()
    h = h[h["source"].isin(fetched)] if len(h) else h
    if h.empty:
        return counts
    rows = pd.DataFrame(
        {
            "treaty": h["treaty"],
            "date": h["date"].astype("datetime64[ns]"),
            "parties": h["parties"].astype(int),
            "signatories": h["signatories"].astype(int),
            "source": [f"UNTC MTDSG XML header, fetched ({s})" for s in h["source"]],
            "url": [fetched[s].untc_page for s in h["source"]],
        }
    )
    return pd.concat([counts, rows], ignore_index=True)


def build(treaty_actions_csv=None, party_counts_csv=None) -> Records:
    """Merge everything; the curated files can be swapped for others (tests, what-ifs)."""
    snaps = untc.snapshot_actions()
    cur = curated.treaty_actions(treaty_actions_csv)
    counts = curated.party_counts(party_counts_csv)
    actions_name = Path(treaty_actions_csv or curated.entry("treaty_actions").path).name
    _check_counts(counts, Path(party_counts_csv or curated.entry("party_counts").path).name)
    counts = _with_fetched_headers(counts)
    by_treaty: dict[str, list[registry.Source]] = {}
    for s in registry.registry():
        if s.kind == "snapshot":
            by_treaty.setdefault(s.treaty_number, []).append(s)
    known = {t.number for t in treaties.all_treaties()}
    unknown = set(cur["treaty"]) - known
    if unknown:
        row = int(cur[cur["treaty"].isin(unknown)]["row"].iloc[0])
        raise DataError(
            f"{actions_name}, row {row}: unknown treaty {sorted(unknown)[0]!r}; "
            f"allowed: {sorted(known)}"
        )
    frames, disagreements, authoritative = [], [], {}
    for t in treaties.all_treaties():
        snap_list = sorted(by_treaty.get(t.number, []), key=lambda s: s.status_date)
        if not snap_list:
            if not t.records_expected:
                continue  # not held (yet): the book says so where it would show the treaty
            raise DataError(f"{t.number} ({t.short}) has no snapshot in sources.yml")
        newest = snap_list[-1]
        authoritative[t.number] = newest
        base = snaps[snaps["source"] == newest.id]
        for older in snap_list[:-1]:
            disagreements.append(
                cross_check(snaps[snaps["source"] == older.id], base, older.status_date)
            )
        tidy = base.assign(date_latest=base["date"], precision="day", evidence=SNAPSHOT_EVIDENCE)[
            ACTION_COLUMNS
        ]
        frames.append(tidy)
        frames.append(_curated_rows(cur[cur["treaty"] == t.number], base, newest, actions_name))
    actions = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    actions["date"] = actions["date"].astype("datetime64[ns]")
    actions["date_latest"] = actions["date_latest"].astype("datetime64[ns]")
    dis = pd.concat(disagreements, ignore_index=True) if disagreements else pd.DataFrame()
    # each participant's newest spelling: from the newest snapshot that names it, curated rows last
    when = {s.id: pd.Timestamp(s.status_date) for s in registry.registry()}
    rank = actions["source"].map(when).fillna(pd.Timestamp.max)
    order = actions.assign(_rank=rank).sort_values("_rank", kind="stable")
    names = dict(zip(order["participant_id"], order["participant"], strict=True))
    names |= {pid: countries.un_name(pid) for pid in names if countries.un_name(pid)}
    return Records(
        actions=actions, disagreements=dis, snapshots=authoritative, counts=counts, names=names
    )


CACHE = config.BUILD / "cache"


@lru_cache(maxsize=1)
def load() -> Records:
    """The merged records: built once per set of inputs and kept in _build/cache, so each
    chapter's kernel reads them instead of parsing every raw file again."""
    path = CACHE / f"records-{inputs.digest('records')[:32]}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    rec = build()
    try:
        with atomic_path(path) as tmp:
            tmp.write_bytes(pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL))
        for old in CACHE.glob("records-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:  # a read-only checkout still works, only slower
        pass
    return rec
