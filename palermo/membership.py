"""UN Member States with their year of admission.

Taken from country_converter (its ``UNmember`` column holds the admission year), a library
the project already keeps for ISO codes: one source, no hand-typed list to drift. The price
is year resolution: a question about a date inside an admission year counts that year's new
members as members (in the years the book asks about, only Montenegro, 2006, and South
Sudan, 2011, joined). The 193 members carry today's ISO codes, so predecessor states are
their successors (Serbia for Serbia and Montenegro)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pandas as pd

from .participants import _converter


@lru_cache(maxsize=1)
def members() -> pd.DataFrame:
    d = _converter().data
    m = d.dropna(subset=["UNmember"])[["ISO3", "name_short", "UNmember"]]
    return (m.rename(columns={"ISO3": "participant_id", "name_short": "name", "UNmember": "admitted"})
             .astype({"admitted": int}).sort_values("participant_id").reset_index(drop=True))


def members_on(day: dt.date | str) -> pd.DataFrame:
    """Member States on a date (admitted in or before its year)."""
    year = pd.Timestamp(day).year
    m = members()
    return m[m["admitted"] <= year].reset_index(drop=True)
