"""The chapter "The long road to review" (notebooks/road_to_review.ipynb): every Conference
of the Parties, the years from entry into force to an agreed review mechanism (UNTOC against
UNCAC), the mechanism's design as the paper describes it, the four stumbling blocks in its
words, and the ideas it reports for reinvigorating the Convention and its Conference."""

from __future__ import annotations

import pandas as pd

from .. import config
from ..data import curated, events
from ..model.coverage import count_on
from ..model.eif import entry_into_force
from ..render import text
from ..render.charts import instrument_scale, titled

NO_REVIEW_ENTRY = "nothing on review in the chronology's sources"


def cops() -> pd.DataFrame:
    c = events.sessions("cop")
    c["dates"] = [f"{a.date()} to {b.date()}" for a, b in zip(c["start"], c["end"], strict=True)]
    # the parties on the opening day, from the records (never typed: they were once 181 here)
    c["UNTOC parties at the opening"] = [
        text.count(count_on("UNTOC", min(d.date(), config.today())), short=True) for d in c["start"]
    ]
    # what the session decided about reviewing implementation, where the chronology says it
    on_review = (c["category"] == "review mechanism") | c["event"].str.contains(
        "review", case=False
    )
    c["on review"] = c["event"].where(on_review, NO_REVIEW_ENTRY)
    c["what else the sources record"] = c["event"].where(~on_review, "")
    return c[
        [
            "session",
            "dates",
            "place",
            "on review",
            "what else the sources record",
            "UNTOC parties at the opening",
            "symbol",
            "confidence",
        ]
    ]


def cops_print(c: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sessions as print shows them: the dates with the place, the symbol with how sure
    the chronology is of it, so the two columns of what a session did keep a readable width
    on the page (the web table has a column for each)."""
    c = cops() if c is None else c
    return pd.DataFrame(
        {
            "session": c["session"],
            "dates and place": [f"{d}, {p}" for d, p in zip(c["dates"], c["place"], strict=True)],
            "on review": c["on review"],
            "what else the sources record": c["what else the sources record"],
            "UNTOC parties at the opening": c["UNTOC parties at the opening"],
            "symbol (how sure)": [
                f"{s} ({k})" for s, k in zip(c["symbol"], c["confidence"], strict=True)
            ],
        }
    )


def years_to_review(pairs=(("UNTOC", "cop9"), ("UNCAC", "uncac-cosp3"))) -> pd.DataFrame:
    """Years from entry into force (recomputed from the records) to the agreed review mechanism
    (both dates as ``datetime.date``, which the table shows as YYYY-MM-DD)."""
    rows = []
    for short, event in pairs:
        eif = entry_into_force(short).computed_date()
        ev = events.event(event)
        agreed = ev["end"].date()
        rows.append(
            {
                "instrument": short,
                "entry into force": eif,
                "mechanism agreed": agreed,
                "event": ev["event"],
                "years": agreed.year - eif.year,
                "exact years": round((agreed - eif).days / 365.25, 1),
            }
        )
    return pd.DataFrame(rows)


def road_chart(ytr: pd.DataFrame):
    import altair as alt

    eif, agreed = ytr["entry into force"], ytr["mechanism agreed"]  # dates, not text
    d = ytr.assign(
        start=pd.to_datetime(eif),
        end=pd.to_datetime(agreed),
        # the tooltips show the dates as the table does
        **{"entry into force": eif.map(str), "mechanism agreed": agreed.map(str)},
    )
    c = events.sessions("cop").assign(instrument="UNTOC")
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


def _mechanism():
    return curated.load("convention").review_mechanism


def design() -> pd.DataFrame:
    """How the mechanism came about and what it is, point by point, as the paper tells it; the
    chronology's row where a point has one."""
    return pd.DataFrame(
        [
            {
                "point": d.point,
                "the paper's words": d.quote,
                "the paper's section": d.section,
                "chronology": d.event or "",
            }
            for d in _mechanism().design
        ]
    )


def stumbling_blocks() -> pd.DataFrame:
    """The four substantive stumbling blocks, in the paper's order and words, each explained."""
    return pd.DataFrame(
        [
            {
                "stumbling block (the paper's words)": b.block,
                "what it was about": b.explained,
                "the paper's words": b.quote,
            }
            for b in _mechanism().stumbling_blocks
        ]
    )


def reform_ideas() -> pd.DataFrame:
    """The ideas for reinvigorating the Convention and its Conference, and whose they are."""
    return pd.DataFrame(
        [
            {
                "idea": r.point,
                "the paper's words": r.quote,
                "the paper's section": r.section,
            }
            for r in _mechanism().reform_ideas
        ]
    )


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues."""
    ytr = years_to_review().set_index("instrument")
    untoc, uncac = ytr.loc["UNTOC"], ytr.loc["UNCAC"]
    return {
        "n_cops": len(cops()),
        "n_blocks": text.plural(len(_mechanism().stumbling_blocks), "stumbling block"),
        "blocks": text.join(b.block for b in _mechanism().stumbling_blocks),
        "n_ideas": len(_mechanism().reform_ideas),
        "untoc_eif": str(untoc["entry into force"]),
        "untoc_agreed": str(untoc["mechanism agreed"]),
        "untoc_years": float(untoc["exact years"]),
        "untoc_years_text": text.years(untoc["exact years"]),
        "uncac_eif": str(uncac["entry into force"]),
        "uncac_agreed": str(uncac["mechanism agreed"]),
        "uncac_years": float(uncac["exact years"]),
        "uncac_years_text": text.years(uncac["exact years"]),
        "ratio": round(float(untoc["exact years"] / uncac["exact years"]), 2),
        "ratio_text": text.times_as(untoc["exact years"] / uncac["exact years"]),
    }
