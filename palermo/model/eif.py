"""Entry into force recomputed from the records: the date of deposit of the n-th qualifying
instrument plus the treaty's delay (instruments of a regional economic integration
organization left out where the treaty says so), against the official date."""

from __future__ import annotations

import pandas as pd

from ..data import treaties
from ..data.countries import EU_ID
from ..data.vocab import QUALIFYING
from .status import table


def entry_into_force(treaty) -> dict:
    t = treaties.resolve(treaty)
    rule = t.eif_rule
    tab = table(t.number)
    q = tab[tab["action"].isin(QUALIFYING) & (tab["precision"] == "day")]
    if not rule.get("reio_counted", True):
        q = q[q["participant_id"] != EU_ID]
    q = q.sort_values(["consent", "name"], kind="stable")
    n = int(rule["n"])
    out = {
        "treaty": t.short,
        "number": t.number,
        "article": t.eif_article,
        "n": n,
        "official": t.official_eif,
        "official_source": t.official_eif_source,
    }
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
    return {
        **out,
        "computed": computed.date(),
        "nth_date": nth.date(),
        "nth_participants": same_day,
        "match": computed.date() == t.official_eif,
    }
