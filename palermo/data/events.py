"""The chronology (``events.csv``): loaded through the curated files' schema, with every code in
its ``countries`` column checked against the participants the treaty records and the UN Member
States know. It sits above the generic loader (``curated``), the country names and the UNTC
parser, which it reads; none of them reads it."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import DataError
from . import countries, curated, untc


def load(path: Path | None = None) -> pd.DataFrame:
    """The chronology, with every code in ``countries`` checked against the known participants.
    ``path`` swaps in another file under the same schema (tests, what-ifs)."""
    df = curated.load("events", path)
    check_countries(df, Path(path).name if path else curated.entry("events").path.name)
    return df


def _other_participants() -> set[str]:
    """Participant ids of the records that are not UN Member States (the Holy See, the State
    of Palestine, the Cook Islands, ...): the snapshots' and the curated later actions'."""
    out = set(untc.snapshot_actions()["participant_id"])
    for name in curated.treaty_actions()["participant"]:
        try:
            out.add(countries.participant_id(name))
        except countries.UnknownName:
            pass  # the records refuse such a row themselves
    return out


def check_countries(df: pd.DataFrame, fname: str = "events.csv") -> None:
    """Every code in the events' ``countries`` column is a known participant, once per row: a
    UN Member State, the EU (EUU) or another participant in the treaty records. The records
    are only parsed for a code that is none of the first two."""
    members = set(countries.members()["participant_id"]) | {countries.EU_ID}
    others: set[str] | None = None
    for i, eid, cell in zip(df.index, df["id"], df["countries"], strict=True):
        if not isinstance(cell, str):
            continue
        codes = cell.split(";")
        where = f"{fname}, row {i + 2} (id {eid}), column countries"
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise DataError(f"{where}: {', '.join(twice)} given twice in {cell!r}")
        for code in codes:
            if code in members:
                continue
            if others is None:
                others = _other_participants()
            if code not in others:
                raise DataError(
                    f"{where}: {code!r} is not a known participant; allowed: the id of a UN "
                    "Member State or of another participant in the treaty records (ISO 3166-1 "
                    "alpha-3, e.g. ITA, USA, POL) or EUU for the European Union, separated "
                    "by ';'"
                )


def event(event_id: str) -> pd.Series:
    ev = load()
    hit = ev[ev["id"] == event_id]
    if hit.empty:
        raise DataError(f"events.csv has no event {event_id!r}")
    return hit.iloc[0]


def sessions(body: str = "cop") -> pd.DataFrame:
    """The numbered sessions of a body the chronology records (``cop``: the Conferences of
    the Parties to the Convention, ids cop1, cop2, ...), in order, with their ``session``
    number."""
    ev = load()
    s = ev[ev["id"].str.fullmatch(rf"{re.escape(body)}\d+")].copy()
    s["session"] = s["id"].str[len(body) :].astype(int)
    return s.sort_values("session").reset_index(drop=True)
