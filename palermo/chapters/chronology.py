"""The chapter "From Naples to Palermo, and after" (notebooks/chronology.ipynb): the sourced
chronology on one time axis, the paper's eras, the treaty curves beneath, and the places where
the research corrects the paper."""

from __future__ import annotations

import pandas as pd

from .. import config
from ..data import curated, events, treaties
from ..model.curves import step_series
from ..render import text
from ..render.charts import (
    coverage_line,
    end_labels,
    instrument_legend,
    instrument_scale,
    titled,
)


def eras() -> pd.DataFrame:
    rows = []
    for e in curated.load("eras").eras:
        start = pd.Timestamp(e.start) if e.start else events.event(e.start_event)["start"]
        end = (
            pd.Timestamp(e.end)
            if e.end
            else events.event(e.end_event)["start"]
            if e.end_event
            else pd.Timestamp(config.today())
        )
        rows.append(
            {
                "id": e.id,
                "label": e.label,
                "start": start,
                "end": end,
                "open": not (e.end or e.end_event),
                "section": e.section,
                "voice": " ".join(e.voice.split()),
                "notes": list(e.notes),
                "basis": " ".join(
                    f"{side}: {_boundary_basis(e, side)}."
                    for side in ("start", "end")
                    if _boundary_basis(e, side)
                ),
            }
        )
    return pd.DataFrame(rows)


def _boundary_basis(era, side: str) -> str:
    """Where an era's boundary (``side``: start or end) comes from: its stated basis, or the
    chronology's event."""
    basis, event = getattr(era, f"{side}_basis"), getattr(era, f"{side}_event")
    if basis:
        return str(basis).rstrip(".")
    if event:
        row = events.event(event)
        return f"the chronology's event of {text.iso(row['start'])}: {row['event']}"
    return ""


def eras_table(era: pd.DataFrame) -> pd.DataFrame:
    """The eras for readers: an era with no end is shown open (the chart shades it to the
    chart's last day, which is no date of the paper's), with where each boundary comes from."""
    return pd.DataFrame(
        {
            "era": era["label"],
            "from": era["start"].dt.date.astype(str),
            "to": [
                "open (no end)" if o else str(d.date())
                for o, d in zip(era["open"], era["end"], strict=True)
            ],
            "whose era (and the paper's section)": [
                f"{v} ({s})" for v, s in zip(era["voice"], era["section"], strict=True)
            ],
            "where the boundaries come from": era["basis"],
        }
    )


def timeline(start, end, categories: list[str]) -> pd.DataFrame:
    ev = events.load()
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    out = ev[(ev["end"] >= s) & (ev["start"] <= e) & ev["category"].isin(categories)].copy()
    out["marked"] = out["confidence"].map(
        {
            "confirmed": "confirmed",
            "likely": "likely (day or symbol unsure)",
            "unconfirmed": "unconfirmed (a lead, not a fact)",
        }
    )
    out["when"] = [text.period(a, b) for a, b in zip(out["start"], out["end"], strict=True)]
    return out


# the plotting width: with the category labels on the left and the legends beneath, the chart
# keeps to the text column (1,280 px window)
WIDTH = 500

# The genesis: the categories of the years before formal negotiations, and the event that
# opens those negotiations (the General Assembly's establishment of the Ad Hoc Committee).
GENESIS_CATEGORIES = ("congress", "institution", "geopolitics", "negotiation", "peer treaty")
GENESIS_ENDS = "ahc-established"


def genesis(tl: pd.DataFrame) -> pd.DataFrame:
    """The events shown that come before the formal negotiations (before the Ad Hoc Committee
    was established), in date order: the congresses from 1970, the lost 1990 declaration, the
    new Commission and the political moves the paper tells of."""
    return _genesis_rows(tl)[["when", "event", "place", "category", "confidence"]]


def _genesis_rows(tl: pd.DataFrame) -> pd.DataFrame:
    before = events.event(GENESIS_ENDS)["start"]
    g = tl[(tl["start"] < before) & tl["category"].isin(GENESIS_CATEGORIES)]
    return g.sort_values("start")


# The events numbered on the chart, so that print (and a reader who cannot hover) can name
# them: the turning points of the paper's story, by id in data/curated/events.csv.
KEY_EVENTS = [
    "naples-1994",
    "poland-1996",
    "ahc-established",
    "untoc-adopted",
    "palermo-signing",
    "sept-11",
    "eif-untoc",
    "uncac-adopted",
    "cop1",
    "unsc-2010",
    "cop9",
    "cybercrime-adopted",
]


def key_events(tl: pd.DataFrame) -> pd.DataFrame:
    """The key events shown, numbered in date order: the number on the chart, the date and the
    event as the chronology gives it."""
    key = tl[tl["id"].isin(KEY_EVENTS)].sort_values("start")
    return pd.DataFrame(
        {
            "number": range(1, len(key) + 1),
            "date": key["when"].to_numpy(),
            "event": key["event"].to_numpy(),
            "id": key["id"].to_numpy(),
        }
    )


def corrections() -> list[dict]:
    """The research's corrections of the paper, their references in words."""
    return [
        {k: text.readable(v) for k, v in c.model_dump().items()}
        for c in curated.load("corrections").corrections
    ]


def curves(start, end, instruments=None) -> pd.DataFrame:
    """The treaty curves beneath the timeline (not before 1988, where the records begin)."""
    s = max(pd.Timestamp(start), pd.Timestamp(config.MIN_DATE)).date()
    return step_series(instruments or treaties.group("history"), s, pd.Timestamp(end).date())


def timeline_chart(tl: pd.DataFrame, era: pd.DataFrame, cv: pd.DataFrame, start, end):
    import altair as alt

    domain = [pd.Timestamp(start).isoformat(), pd.Timestamp(end).isoformat()]
    x = alt.X("start:T", title=None, scale=alt.Scale(domain=domain))
    era = era.assign(
        start=era["start"].clip(lower=pd.Timestamp(start)),
        end=era["end"].clip(upper=pd.Timestamp(end)),
    )
    shade = (
        alt.Chart(era)
        .mark_rect(opacity=0.18)
        .encode(
            x=alt.X("start:T", scale=alt.Scale(domain=domain), title=None),
            x2="end:T",
            tooltip=["label"],
            fill=alt.Fill(
                "id:N",
                legend=None,
                scale=alt.Scale(
                    domain=list(era["id"]), range=["#56B4E9", "#E69F00", "#999999"][: len(era)]
                ),
            ),
        )
    )
    # each era's label on a line of its own, so labels of neighbouring eras never overlap
    era = era.assign(line=[3 + 13 * i for i in range(len(era))])
    era_text = (
        alt.Chart(era)
        .mark_text(align="left", baseline="top", dx=3, fontSize=10, color="#333")
        .encode(
            x=alt.X("start:T", scale=alt.Scale(domain=domain)),
            y=alt.Y("line:Q", scale=None),
            text="label",
        )
    )
    points = (
        alt.Chart(tl)
        .mark_point(size=70, filled=True)
        .encode(
            x=x,
            y=alt.Y("category:N", title=None),
            shape=alt.Shape(
                "marked:N",
                title="confidence",
                scale=alt.Scale(
                    domain=[
                        "confirmed",
                        "likely (day or symbol unsure)",
                        "unconfirmed (a lead, not a fact)",
                    ],
                    range=["circle", "triangle-up", "cross"],
                ),
            ),
            color=alt.Color("category:N", legend=None),
            tooltip=[alt.Tooltip("when:N", title="date"), "event", "place", "symbol", "confidence"],
        )
    )
    numbered = key_events(tl)[["id", "number"]]
    numbers = (
        alt.Chart(tl.merge(numbered, on="id"))
        .mark_text(dy=-11, fontSize=11, fontWeight="bold", color="#222")
        .encode(x=x, y=alt.Y("category:N", title=None), text="number:Q")
    )
    # the eras' names in a strip of their own above the events, one line each
    names = (shade + era_text).properties(width=WIDTH, height=14 * len(era) + 4)
    top = (shade + points + numbers).properties(width=WIDTH, height=alt.Step(26))
    colour = alt.Color(
        "instrument:N",
        title=None,
        scale=instrument_scale(list(dict.fromkeys(cv["instrument"]))),
        legend=instrument_legend(),
    )
    line = coverage_line(
        cv,
        x=alt.X("date:T", scale=alt.Scale(domain=domain), title=None),
        y=alt.Y("parties:Q", title="parties"),
        colour=colour,
        tooltip=["instrument", alt.Tooltip("date:T"), "parties"],
    )
    # each curve named at its end, so a grey print tells them apart
    called = {t: text.treaty_name(t) for t in cv["instrument"].unique()}
    ends = end_labels(cv, "date", "parties", colour, called, (WIDTH, 160), domain=(start, end))
    bottom = (line + ends).properties(width=WIDTH, height=160)
    # the legends beneath the chart, each a column, so the chart keeps to the text column
    return titled(
        alt.vconcat(names, top, bottom, spacing=4).resolve_scale(color="independent"),
        "From Naples to Palermo, and after",
        subtitle=[
            "events by category (shape: confidence; numbers: key events, listed below),",
            "the paper's eras shaded, parties beneath",
        ],
        description="Timeline of the events of the Convention's history by category, with the "
        "paper's eras shaded (the end of the Cold War to 9/11, after 9/11, after the 2008 "
        "crisis), above step lines of the parties to UNTOC, its Protocols and UNCAC on the same "
        "time axis.",
    ).configure_legend(orient="bottom", direction="vertical", labelLimit=280)


def review_cops(start=None, end=None) -> str:
    """The Conferences of the Parties the chronology files under the review mechanism, e.g.
    'COP4, COP6 and COP9'; with ``start`` and ``end``, only those the timeline shows."""
    cops = events.sessions("cop")
    cops = cops[cops["category"] == "review mechanism"]
    if end is not None:
        cops = cops[(cops["end"] >= pd.Timestamp(start)) & (cops["start"] <= pd.Timestamp(end))]
    return text.join(cops.sort_values("start")["id"].str.upper())


def crime_congresses(tl: pd.DataFrame) -> pd.Series:
    """Which events are UN Crime Congresses: the chronology's category "congress" also holds
    the ministerial meetings (Versailles 1991, Naples 1994); the Congresses themselves are the
    rows numbered ``congress-NN``."""
    return (tl["category"] == "congress") & tl["id"].str.fullmatch(r"congress-\d+")


def _genesis_counts(tl: pd.DataFrame) -> dict:
    g = _genesis_rows(tl)
    congress, crime = g["category"] == "congress", crime_congresses(g)
    return {
        "n_congresses_before": int(crime.sum()),
        "n_ministerial_before": int((congress & ~crime).sum()),
        "n_other_before": int((~congress).sum()),
    }


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues (start, end, categories)."""
    tl = timeline(params["start"], params["end"], params["categories"])
    return {
        "start": str(params["start"]),
        "end": str(params["end"]),
        "n_events": len(tl),
        "n_unconfirmed": int((tl["confidence"] == "unconfirmed").sum()),
        "n_likely": int((tl["confidence"] == "likely").sum()),
        "n_genesis": len(genesis(tl)),
        **_genesis_counts(tl),
        "genesis_ends": text.iso(events.event(GENESIS_ENDS)["start"]),
        "review_cops": review_cops(params["start"], params["end"]),
    }
