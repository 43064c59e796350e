"""Computations behind the history chapters: the chronology ("From Naples to Palermo, and
after"), the long road to review, and the voices (the paper's interview notes)."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pandera.pandas as pa
import yaml

from . import events, status
from .errors import DataError
from .paths import CURATED

ERAS = CURATED / "eras.yml"
CORRECTIONS = CURATED / "corrections.yml"
OBSTACLES = CURATED / "obstacles.csv"
INTERVIEWS = CURATED / "interviews.csv"
CODEBOOK = CURATED / "codebook.yml"
CURVES = ["UNTOC", "TIP", "SOM", "FIREARMS", "UNCAC"]


# --- chronology ---------------------------------------------------------------------------

def eras() -> pd.DataFrame:
    doc = yaml.safe_load(ERAS.read_text(encoding="utf-8"))
    rows = []
    for e in doc["eras"]:
        start = pd.Timestamp(e["start"]) if e.get("start") else events.get(e["start_event"])["start"]
        end = (pd.Timestamp(e["end"]) if e.get("end") else
               events.get(e["end_event"])["start"] if e.get("end_event") else pd.Timestamp(status.today()))
        rows.append({"id": e["id"], "label": e["label"], "start": start, "end": end, "section": e["section"]})
    return pd.DataFrame(rows)


def timeline(start, end, categories: list[str]) -> pd.DataFrame:
    ev = events.load()
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    out = ev[(ev["end"] >= s) & (ev["start"] <= e) & ev["category"].isin(categories)].copy()
    out["marked"] = out["confidence"].map({"confirmed": "confirmed", "likely": "likely (day or symbol unsure)",
                                           "unconfirmed": "unconfirmed (a lead, not a fact)"})
    out["when"] = [f"{a.date()}" if a == b else f"{a.date()} to {b.date()}" for a, b in zip(out["start"], out["end"])]
    return out


def corrections() -> list[dict]:
    return yaml.safe_load(CORRECTIONS.read_text(encoding="utf-8"))["corrections"]


def curves(start, end, instruments=CURVES) -> pd.DataFrame:
    s = max(pd.Timestamp(start), pd.Timestamp(status.MIN_DATE))
    frames = []
    for short in instruments:
        d = status.series(short, s.date(), pd.Timestamp(end).date(), "D")
        keep = d["parties"].diff().fillna(1) != 0
        keep.iloc[-1] = True
        frames.append(d[keep][["treaty", "date", "parties"]].rename(columns={"treaty": "instrument"}))
    return pd.concat(frames, ignore_index=True)


def timeline_chart(tl: pd.DataFrame, era: pd.DataFrame, cv: pd.DataFrame, start, end):
    import altair as alt

    from .charts import instrument_scale

    domain = [pd.Timestamp(start).isoformat(), pd.Timestamp(end).isoformat()]
    x = alt.X("start:T", title=None, scale=alt.Scale(domain=domain))
    era = era.assign(start=era["start"].clip(lower=pd.Timestamp(start)), end=era["end"].clip(upper=pd.Timestamp(end)))
    shade = alt.Chart(era).mark_rect(opacity=0.18).encode(
        x=alt.X("start:T", scale=alt.Scale(domain=domain), title=None), x2="end:T", tooltip=["label"],
        fill=alt.Fill("id:N", legend=None, scale=alt.Scale(domain=list(era["id"]),
                                                          range=["#56B4E9", "#E69F00", "#999999"][: len(era)])))
    era_text = alt.Chart(era).mark_text(align="left", baseline="top", dx=3, dy=3, fontSize=10, color="#333").encode(
        x=alt.X("start:T", scale=alt.Scale(domain=domain)), y=alt.value(0), text="label")
    points = alt.Chart(tl).mark_point(size=70, filled=True).encode(
        x=x, y=alt.Y("category:N", title=None),
        shape=alt.Shape("marked:N", title="confidence",
                        scale=alt.Scale(domain=["confirmed", "likely (day or symbol unsure)", "unconfirmed (a lead, not a fact)"],
                                        range=["circle", "triangle-up", "cross"])),
        color=alt.Color("category:N", legend=None),
        tooltip=[alt.Tooltip("when:N", title="date"), "event", "place", "symbol", "confidence"])
    top = (shade + era_text + points).properties(width=520, height=alt.Step(22))
    bottom = alt.Chart(cv).mark_line(interpolate="step-after").encode(
        x=alt.X("date:T", scale=alt.Scale(domain=domain), title=None), y=alt.Y("parties:Q", title="parties"),
        color=alt.Color("instrument:N", scale=instrument_scale(list(dict.fromkeys(cv["instrument"]))), title=None),
        tooltip=["instrument", alt.Tooltip("date:T"), "parties"]).properties(width=520, height=160)
    return alt.vconcat(top, bottom).resolve_scale(color="independent").properties(
        title=alt.Title("From Naples to Palermo, and after",
                        subtitle="events by category (shape: confidence), the paper's eras shaded, parties beneath"),
        description=("Timeline of the events of the Convention's history by category, with the paper's eras shaded "
                     "(the end of the Cold War to 9/11, after 9/11, after the 2008 crisis), above step lines of the "
                     "parties to UNTOC, its Protocols and UNCAC on the same time axis."))


# --- the long road to review ----------------------------------------------------------------

def cops() -> pd.DataFrame:
    ev = events.load()
    c = ev[ev["id"].str.fullmatch(r"cop\d+")].copy()
    c["session"] = c["id"].str[3:].astype(int)
    c = c.sort_values("session")
    c["dates"] = [f"{a.date()} to {b.date()}" for a, b in zip(c["start"], c["end"])]
    return c[["session", "dates", "place", "event", "symbol", "confidence"]]


def years_to_review(pairs=(("UNTOC", "cop9"), ("UNCAC", "uncac-cosp3"))) -> pd.DataFrame:
    """Years from entry into force (recomputed from the records) to the agreed review mechanism."""
    rows = []
    for short, event in pairs:
        eif = status.entry_into_force(short)["computed"]
        ev = events.get(event)
        agreed = ev["end"].date()
        rows.append({"instrument": short, "entry into force": str(eif), "mechanism agreed": str(agreed),
                     "event": ev["event"], "years": agreed.year - eif.year,
                     "exact years": round((agreed - eif).days / 365.25, 1)})
    return pd.DataFrame(rows)


def road_chart(ytr: pd.DataFrame):
    import altair as alt

    from .charts import instrument_scale

    d = ytr.assign(start=pd.to_datetime(ytr["entry into force"]), end=pd.to_datetime(ytr["mechanism agreed"]))
    c = events.load()
    c = c[c["id"].str.fullmatch(r"cop\d+")].assign(instrument="UNTOC")
    bars = alt.Chart(d).mark_bar(height=14).encode(
        y=alt.Y("instrument:N", title=None), x=alt.X("start:T", title=None), x2="end:T",
        color=alt.Color("instrument:N", scale=instrument_scale(list(d["instrument"])), legend=None),
        tooltip=["instrument", "entry into force", "mechanism agreed", "exact years"])
    ticks = alt.Chart(c).mark_tick(color="#222", thickness=2, size=22).encode(
        y="instrument:N", x="start:T", tooltip=[alt.Tooltip("start:T", title="session"), "event"])
    return (bars + ticks).properties(
        width=560, height=alt.Step(40),
        title=alt.Title("From entry into force to a review mechanism", subtitle="ticks: sessions of the UNTOC COP"),
        description=("Bars from each convention's entry into force to the session that agreed its review mechanism, "
                     "for UNTOC and UNCAC, with the UNTOC Conference of the Parties sessions marked."))


def obstacles() -> pd.DataFrame:
    return pd.read_csv(OBSTACLES, dtype=str)


# --- the voices ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def codebook() -> dict:
    return yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))


def interviews() -> pd.DataFrame:
    cb = codebook()
    schema = pa.DataFrameSchema({
        "note": pa.Column(int, pa.Check.in_range(1, 36), unique=True),
        "speaker": pa.Column(str, pa.Check.str_length(min_value=3)),
        "role": pa.Column(str, pa.Check.str_length(min_value=3)),
        "section": pa.Column(str),
        "themes": pa.Column(str, pa.Check(lambda s: s.str.split(";").map(lambda ts: all(t in cb["themes"] for t in ts)),
                                          element_wise=False, error="every theme is in codebook.yml")),
        "stance": pa.Column(str, pa.Check.isin(list(cb["stances"]))),
        "stance_on": pa.Column(str, pa.Check.isin(["", "convention", "mechanism"])),
        "paraphrase": pa.Column(str, pa.Check.str_length(min_value=10, max_value=240)),
        "source": pa.Column(str, pa.Check.str_contains("note")),
    }, checks=[pa.Check(lambda df: (df["stance"] == "none") == (df["stance_on"] == ""), element_wise=False,
                        error="a stance names what it is on (convention or mechanism), and only a stance does")],
        strict=True, ordered=True)
    df = pd.read_csv(INTERVIEWS, dtype={"note": int}, keep_default_na=False)
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        first = exc.failure_cases.iloc[0]
        raise DataError(f"{INTERVIEWS.name}, row {int(first['index']) + 2 if pd.notna(first['index']) else '?'}: "
                        f"{first['column']} {first['failure_case']!r} fails {first['check']}") from None


def theme_matrix(iv: pd.DataFrame) -> pd.DataFrame:
    long = iv.assign(theme=iv["themes"].str.split(";")).explode("theme")
    return long.groupby(["speaker", "theme"]).size().rename("notes").reset_index()


def matrix_chart(m: pd.DataFrame):
    import altair as alt

    themes = list(codebook()["themes"])
    return alt.Chart(m).mark_circle(color="#0072B2").encode(
        x=alt.X("theme:N", sort=themes, title=None, axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("speaker:N", title=None), size=alt.Size("notes:Q", title="notes", scale=alt.Scale(range=[40, 400]),
                      legend=alt.Legend(values=sorted(set(m["notes"])))),
        tooltip=["speaker", "theme", "notes"],
    ).properties(width=alt.Step(34), height=alt.Step(20),
                 title=alt.Title("Who speaks to what", subtitle="interview notes by speaker and theme"),
                 description="Matrix of the paper's interview notes: speakers by row, themes by column, dot size the number of notes.")


def stance_chart(iv: pd.DataFrame, on: str = "mechanism"):
    import altair as alt

    d = iv[iv["stance_on"] == on].assign(label=lambda x: "note " + x["note"].astype(str) + ": " + x["speaker"])
    colours = {"positive": "#0072B2", "mixed": "#E69F00", "negative": "#D55E00"}
    return alt.Chart(d).mark_bar().encode(
        x=alt.X("count():Q", title="notes", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("stance:N", sort=list(colours), title=None),
        color=alt.Color("stance:N", scale=alt.Scale(domain=list(colours), range=list(colours.values())), legend=None),
        tooltip=["stance", "count()"],
    ).properties(width=420, height=alt.Step(28),
                 title=alt.Title(f"Stance on the review {on}" if on == "mechanism" else "Stance on the Convention"),
                 description=f"Bar chart of how many interview notes judge the {on} positively, negatively or mixed.")
