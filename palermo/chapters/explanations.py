"""The chapter "Why the momentum went: the rival explanations" (notebooks/explanations.ipynb): the
explanations the paper gives for the Convention's drift after 2003 and the slow road to its
review mechanism, side by side as an argument map (data/curated/explanations.yml), each with the
interview notes and events it rests on, what the paper offers for and against it, what treaty
records could show about it and what would test it; and the one thing the records can add, the
pace of new parties around the dates the explanations point to."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..data import curated, events, treaties
from ..model.coverage import Peak, count_on, new_parties_per_year, peak_year
from ..render import text
from ..render.charts import instrument_colour, titled


def doc() -> curated.ExplanationsDoc:
    return curated.load("explanations")


def table() -> pd.DataFrame:
    """One row per explanation, as curated (numbered in the paper's order of the file)."""
    d = pd.DataFrame([e.model_dump(by_alias=True) for e in doc().explanations])
    d.insert(0, "n", range(1, len(d) + 1))
    return d


def _speakers() -> dict[int, str]:
    iv = curated.load("interviews")
    return dict(zip(iv["note"].astype(int), iv["speaker"], strict=True))


def notes_text(notes: list[int]) -> str:
    """'22 (Peter Gastrow); 24 (Eduardo Vetere)', or 'none' when the paper cites no note."""
    who = _speakers()
    return "; ".join(f"{n} ({who[n]})" for n in notes) or "none"


def argument_map() -> pd.DataFrame:
    """The explanations side by side: what the paper says, where, in its words, on whose
    testimony, and what it offers for and against each."""
    t = table()
    return pd.DataFrame(
        {
            "n": t["n"],
            "explanation": t["label"],
            "what the paper says": t["claim"],
            "section": t["section"],
            "the paper's words": t["quote"],
            "interview notes": [notes_text(n) for n in t["notes"]],
            "for": t["for"],
            "against": t["against"],
        }
    )


def summary() -> pd.DataFrame:
    """The map at a glance: each explanation, where the paper makes it, on whose testimony."""
    m = argument_map()
    return m[["n", "explanation", "section", "interview notes"]]


def cards() -> str:
    """The argument map for reading: one block per explanation (what the paper says, in its
    words, on whose testimony, for and against), in Markdown."""
    blocks = []
    for r in argument_map().itertuples(index=False):
        n, label, says, section, quote, notes, pro, con = r
        blocks.append(
            f"**{n}. {label}.** {says} *({section})*\n\n> {quote}\n\n"
            f"**Interview notes:** {notes}.\n\n**For:** {pro}\n\n**Against:** {con}\n"
        )
    return "\n".join(blocks)


def what_would_test() -> pd.DataFrame:
    """For each explanation: what treaty records could show about it, and what would test it."""
    t = table()
    return pd.DataFrame(
        {
            "n": t["n"],
            "explanation": t["label"],
            "what treaty records can show": t["records_can_show"],
            "what would test it": t["would_test_it"],
        }
    )


def dates() -> pd.DataFrame:
    """The event each explanation turns on (its ``turns_on``, else the earliest it points to),
    dated from the chronology, if any."""
    ev = events.load().set_index("id")
    rows = []
    for r in table().itertuples():
        known = [e for e in r.events if e in ev.index]
        if not known:
            continue
        turns_on = getattr(r, "turns_on", None)
        first = (
            turns_on
            if isinstance(turns_on, str) and turns_on in known
            else min(known, key=lambda e: ev.loc[e, "start"])
        )
        rows.append(
            {"n": r.n, "explanation": r.label, "event": first, "date": ev.loc[first, "start"]}
        )
    return pd.DataFrame(rows, columns=["n", "explanation", "event", "date"])


def new_parties(treaty: str, as_of: dt.date) -> pd.DataFrame:
    """New parties per calendar year, from adoption to as_of, with whether the records are
    complete through that year's end."""
    return new_parties_per_year(treaty, treaties.adopted(treaty), as_of)


def pace_chart(treaty: str, as_of: dt.date):
    """New parties per year as bars, with the event each explanation turns on as a numbered
    rule (the numbers are the argument map's), so print can name them."""
    import altair as alt

    d = new_parties(treaty, as_of)
    marks = dates()
    marks = marks[marks["date"].dt.year.between(d["year"].min(), d["year"].max())].copy()
    marks["x"] = marks["date"].dt.year + (marks["date"].dt.dayofyear - 1) / 365.25
    # numbers less than a year apart are stacked, never drawn over each other
    marks = marks.sort_values("x")
    levels: list[float] = []  # the last x drawn at each level
    placed = []
    for x in marks["x"]:
        level = next((i for i, last in enumerate(levels) if x - last >= 0.8), len(levels))
        levels[level : level + 1] = [x]
        placed.append(level)
    marks["level"] = placed
    top = int(d["new_parties"].max())
    marks["y"] = top * (1.05 + 0.12 * marks["level"])
    colour = instrument_colour(treaties.resolve(treaty).short)
    x = alt.X("x:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1))
    bars = (
        alt.Chart(d.assign(x=d["year"] + 0.5))
        .mark_bar(size=14)
        .encode(
            x=x,
            y=alt.Y("new_parties:Q", title="new parties in the year"),
            color=alt.value(colour),
            opacity=alt.Opacity(
                "records:N",
                scale=alt.Scale(domain=["complete", "incomplete"], range=[1, 0.35]),
                legend=alt.Legend(title="records", orient="bottom"),
            ),
            tooltip=["year", "new_parties", "parties", "records"],
        )
    )
    rules = (
        alt.Chart(marks)
        .mark_rule(color="#555", strokeDash=[3, 3])
        .encode(x=x, tooltip=["n", "explanation", "event", alt.Tooltip("date:T")])
    )
    labels = (
        alt.Chart(marks)
        .mark_text(dy=-2, fontWeight="bold", color="#333")
        .encode(x=x, y=alt.Y("y:Q"), text="n:Q")
    )
    t = text.the_treaty(treaty)
    return titled(
        alt.layer(bars, rules, labels),
        f"New parties to {t} per year, and the dates the explanations point to",
        subtitle="numbers: the explanations in the argument map; pale bars: records incomplete",
        description=f"Bar chart of the new parties {t} gained each year to {as_of}: "
        + "; ".join(f"{y.year} {y.new_parties}" for y in d.itertuples())
        + (
            f" (from {late.min()} the records are incomplete: those bars are pale and count "
            "only the parties the records name, a lower bound)"
            if len(late := d.loc[d["records"] != "complete", "year"])
            else ""
        )
        + ". Dashed vertical lines, numbered as in the argument map, mark the event each "
        "explanation turns on: "
        + "; ".join(f"{r.n} at {r.date.date()}" for r in marks.sort_values("n").itertuples())
        + ".",
        width=560,
        height=240,
    )


def around(treaty: str, as_of: dt.date, years: int = 3) -> pd.DataFrame:
    """For each dated explanation: parties on its date, and the new parties in the ``years``
    before and after it (None where the window runs past as_of or before adoption)."""
    t = treaties.resolve(treaty)
    day = pd.Timestamp(as_of)
    opened = pd.Timestamp(treaties.adopted(t))
    rows = []
    for r in dates().itertuples():
        d = pd.Timestamp(r.date)
        before, after = d - pd.DateOffset(years=years), d + pd.DateOffset(years=years)

        def parties(when):
            return count_on(t.short, when.date()).parties

        on = parties(d) if opened <= d <= day else None
        rows.append(
            {
                "n": r.n,
                "explanation": r.explanation,
                "date": str(d.date()),
                "parties on the date": on,
                f"new in the {years} years before": on - parties(before)
                if on is not None and before >= opened
                else None,
                f"new in the {years} years after": parties(after) - on
                if on is not None and after <= day
                else None,
            }
        )
    return pd.DataFrame(rows)


def peak_new_text(p: Peak) -> str:
    """The new parties of the peak year (:func:`palermo.model.coverage.peak_year`, which
    exercise 4's check also asks): the number where that year lies within complete records;
    otherwise a lower bound that says so (a later year may yet have had more)."""
    if p.complete:
        return str(p.new_parties)
    return (
        f"at least {p.new_parties} (the records of {text.the_treaty(p.treaty)} are complete "
        "only through "
        f"{p.complete_through}, so a later year may have had more)"
    )


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues (treaty, as_of)."""
    t = table()
    cited = sorted({n for notes in t["notes"] for n in notes})
    without = t.loc[[not n for n in t["notes"]], "label"].tolist()
    peak = peak_year(params["treaty"], params["as_of"])
    return {
        "question": doc().question,
        "treaty": text.treaty_name(params["treaty"]),
        "as_of": str(params["as_of"]),
        "n_explanations": len(t),
        "n_sections": t["section"].nunique(),
        "n_notes": len(cited),
        "n_without_notes": len(without),
        "without_notes": text.join(without) if without else "none",
        "n_dated": len(dates()),
        "peak_year": peak.year,
        "peak_new": peak_new_text(peak),
    }
