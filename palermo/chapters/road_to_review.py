"""The chapter "The long road to review" (notebooks/road_to_review.ipynb): every Conference
of the Parties, the years from entry into force to an agreed review mechanism (UNTOC against
UNCAC), and the obstacles the paper names."""

from __future__ import annotations

import pandas as pd

from ..data import curated
from ..model.eif import entry_into_force
from ..render.charts import instrument_scale, titled


def cops() -> pd.DataFrame:
    ev = curated.events()
    c = ev[ev["id"].str.fullmatch(r"cop\d+")].copy()
    c["session"] = c["id"].str[3:].astype(int)
    c = c.sort_values("session")
    c["dates"] = [f"{a.date()} to {b.date()}" for a, b in zip(c["start"], c["end"], strict=True)]
    return c[["session", "dates", "place", "event", "symbol", "confidence"]]


def years_to_review(pairs=(("UNTOC", "cop9"), ("UNCAC", "uncac-cosp3"))) -> pd.DataFrame:
    """Years from entry into force (recomputed from the records) to the agreed review mechanism."""
    rows = []
    for short, event in pairs:
        eif = entry_into_force(short)["computed"]
        ev = curated.event(event)
        agreed = ev["end"].date()
        rows.append(
            {
                "instrument": short,
                "entry into force": str(eif),
                "mechanism agreed": str(agreed),
                "event": ev["event"],
                "years": agreed.year - eif.year,
                "exact years": round((agreed - eif).days / 365.25, 1),
            }
        )
    return pd.DataFrame(rows)


def road_chart(ytr: pd.DataFrame):
    import altair as alt

    d = ytr.assign(
        start=pd.to_datetime(ytr["entry into force"]), end=pd.to_datetime(ytr["mechanism agreed"])
    )
    c = curated.events()
    c = c[c["id"].str.fullmatch(r"cop\d+")].assign(instrument="UNTOC")
    bars = (
        alt.Chart(d)
        .mark_bar(height=14)
        .encode(
            y=alt.Y("instrument:N", title=None),
            x=alt.X("start:T", title=None),
            x2="end:T",
            color=alt.Color(
                "instrument:N", scale=instrument_scale(list(d["instrument"])), legend=None
            ),
            tooltip=["instrument", "entry into force", "mechanism agreed", "exact years"],
        )
    )
    ticks = (
        alt.Chart(c)
        .mark_tick(color="#222", thickness=2, size=22)
        .encode(
            y="instrument:N",
            x="start:T",
            tooltip=[alt.Tooltip("start:T", title="session"), "event"],
        )
    )
    return titled(
        bars + ticks,
        "From entry into force to a review mechanism",
        subtitle="ticks: sessions of the UNTOC COP",
        description="Bars from each convention's entry into force to the session that agreed its "
        "review mechanism, for UNTOC and UNCAC, with the UNTOC Conference of the Parties "
        "sessions marked.",
        width=560,
        height=alt.Step(40),
    )


def obstacles() -> pd.DataFrame:
    return curated.load("obstacles")


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues."""
    ytr = years_to_review().set_index("instrument")
    untoc, uncac = ytr.loc["UNTOC"], ytr.loc["UNCAC"]
    return {
        "n_cops": len(cops()),
        "untoc_eif": untoc["entry into force"],
        "untoc_agreed": untoc["mechanism agreed"],
        "untoc_years": float(untoc["exact years"]),
        "uncac_eif": uncac["entry into force"],
        "uncac_agreed": uncac["mechanism agreed"],
        "uncac_years": float(uncac["exact years"]),
        "ratio": f"{untoc['exact years'] / uncac['exact years']:.1f}",
    }
