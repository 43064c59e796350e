"""The curated chronology (data/curated/events.csv): dated, cited events, each with its
date precision and the confidence the research gives it (confirmed / likely / unconfirmed).
Rows marked unconfirmed are leads, not facts: chapters leave them out or mark them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .errors import DataError
from .paths import CURATED

EVENTS = CURATED / "events.csv"
PRECISIONS = ("day", "month", "year", "range")
# The design's nine categories, plus "institution" for the offices and bodies that carried the
# Convention (the CCPCJ, ODCCP/UNODC, WACAP), which fit none of the nine.
CATEGORIES = ("congress", "negotiation", "adoption", "signature", "entry into force",
              "conference of the parties", "review mechanism", "peer treaty", "geopolitics", "institution")
CONFIDENCE = ("confirmed", "likely", "unconfirmed")

SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9][a-z0-9-]*$"), unique=True),
        "start": pa.Column("datetime64[ns]"),
        "end": pa.Column("datetime64[ns]"),
        "precision": pa.Column(str, pa.Check.isin(PRECISIONS)),
        "event": pa.Column(str, pa.Check.str_length(min_value=5)),
        "place": pa.Column(str, nullable=True),
        "category": pa.Column(str, pa.Check.isin(CATEGORIES)),
        "symbol": pa.Column(str, nullable=True),
        "source": pa.Column(str, pa.Check.str_length(min_value=10)),
        "confidence": pa.Column(str, pa.Check.isin(CONFIDENCE)),
        "note": pa.Column(str, nullable=True),
    },
    checks=[pa.Check(lambda df: df["start"] <= df["end"], element_wise=False, error="start after end"),
            pa.Check(lambda df: (df["precision"] != "day") | (df["start"] == df["end"]), element_wise=False,
                     error="a 'day' event has start == end")],
    strict=True, ordered=True,
)


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> pd.DataFrame:
    path = Path(path or EVENTS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in ("start", "end"):
        parsed = pd.to_datetime(df[col], format="%Y-%m-%d", errors="coerce")
        if parsed.isna().any():
            i = int(parsed.isna().idxmax())
            raise DataError(f"{path.name}, row {i + 2}: {col} {df.at[i, col]!r} is not an ISO date YYYY-MM-DD")
        df[col] = parsed.astype("datetime64[ns]")
    for col in ("place", "symbol", "note"):
        df[col] = df[col].replace("", None)
    try:
        return SCHEMA.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        first = exc.failure_cases.iloc[0]
        row = f"row {int(first['index']) + 2}" if pd.notna(first["index"]) else "table"
        raise DataError(f"{path.name}, {row}: {first['column']} {first['failure_case']!r} fails {first['check']}") from None


def get(event_id: str) -> pd.Series:
    ev = load()
    hit = ev[ev["id"] == event_id]
    if hit.empty:
        raise DataError(f"{EVENTS.name} has no event {event_id!r}")
    return hit.iloc[0]
