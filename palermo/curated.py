"""Records this project curates by hand, each row with its source:

* ``data/curated/treaty_actions.csv`` - treaty actions after a snapshot's status date, from
  ``untc-raw/later-actions.md`` and its addendum;
* ``data/curated/party_counts.csv`` - dated headline counts (parties, signatories) from
  official UNTC pages and headers.

Both are validated with pandera; a bad row is a :class:`DataError` naming file and row.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import untc
from .errors import DataError
from .paths import CURATED

TREATY_ACTIONS = CURATED / "treaty_actions.csv"
PARTY_COUNTS = CURATED / "party_counts.csv"

PRECISIONS = ("day", "year", "range")
EVIDENCE = ("stated", "inferred-entry-into-force", "inferred-same-day-protocols", "unverified")
_TREATY = pa.Check.str_matches(r"^[IVX]+-\d+(-[a-z])?$")
_NONEMPTY = pa.Check.str_length(min_value=3)

ACTIONS_SCHEMA = pa.DataFrameSchema(
    {
        "treaty": pa.Column(str, _TREATY),
        "participant": pa.Column(str, _NONEMPTY),
        "action": pa.Column(str, pa.Check.isin(untc.ACTIONS)),
        "date_precision": pa.Column(str, pa.Check.isin(PRECISIONS)),
        "earliest": pa.Column("datetime64[ns]"),
        "latest": pa.Column("datetime64[ns]"),
        "evidence": pa.Column(str, pa.Check.isin(EVIDENCE)),
        "source": pa.Column(str, _NONEMPTY),
        "url": pa.Column(str, nullable=True),
        "note": pa.Column(str, nullable=True),
    },
    checks=[
        pa.Check(lambda df: df["earliest"] <= df["latest"], element_wise=False,
                 error="earliest must not be after latest"),
        pa.Check(lambda df: (df["date_precision"] != "day") | (df["earliest"] == df["latest"]),
                 element_wise=False, error="a 'day' row has earliest == latest"),
        pa.Check(lambda df: (df["date_precision"] != "year") | (df["earliest"].dt.year == df["latest"].dt.year),
                 element_wise=False, error="a 'year' row has earliest and latest in that year"),
        pa.Check(lambda df: (df["date_precision"] != "range") | (df["earliest"] < df["latest"]),
                 element_wise=False, error="a 'range' row has earliest < latest"),
    ],
    strict=True,
    ordered=True,
)

COUNTS_SCHEMA = pa.DataFrameSchema(
    {
        "treaty": pa.Column(str, _TREATY),
        "date": pa.Column("datetime64[ns]"),
        "parties": pa.Column(int, pa.Check.ge(0)),
        "signatories": pa.Column(int, pa.Check.ge(0)),
        "source": pa.Column(str, _NONEMPTY),
        "url": pa.Column(str, nullable=True),
    },
    unique=["treaty", "date"],
    strict=True,
    ordered=True,
)


def _read(path: Path, schema: pa.DataFrameSchema, date_cols: list[str]) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataError(f"{path}: missing") from None
    expected = list(schema.columns)
    if list(df.columns) != expected:
        raise DataError(f"{path.name}: columns {list(df.columns)}; expected {expected}")
    for col in date_cols:
        parsed = pd.to_datetime(df[col], format="%Y-%m-%d", errors="coerce")
        bad = parsed.isna()
        if bad.any():
            i = int(bad.idxmax())
            raise DataError(f"{path.name}, row {i + 2}: {col} {df.at[i, col]!r} is not an ISO date YYYY-MM-DD")
        df[col] = parsed.astype("datetime64[ns]")
    for col in ("parties", "signatories"):
        if col in df:
            bad = ~df[col].str.fullmatch(r"\d+")
            if bad.any():
                i = int(bad.idxmax())
                raise DataError(f"{path.name}, row {i + 2}: {col} {df.at[i, col]!r} is not a whole number")
            df[col] = df[col].astype(int)
    for col in ("url", "note"):
        if col in df:
            df[col] = df[col].replace("", None)
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        first = fc.iloc[0]
        idx = first["index"]
        row = f"row {int(idx) + 2}" if pd.notna(idx) else "table"
        col = first["column"] if pd.notna(first["column"]) else ""
        raise DataError(f"{path.name}, {row}: {col} {first['failure_case']!r} fails check {first['check']} "
                        f"({len(fc)} failure(s) in all)") from None


def treaty_actions(path: Path | None = None) -> pd.DataFrame:
    """Curated later actions; adds ``row`` (the CSV line number) for messages."""
    df = _read(Path(path or TREATY_ACTIONS), ACTIONS_SCHEMA, ["earliest", "latest"])
    return df.assign(row=df.index + 2)


def party_counts(path: Path | None = None) -> pd.DataFrame:
    return _read(Path(path or PARTY_COUNTS), COUNTS_SCHEMA, ["date"])
