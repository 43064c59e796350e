"""The chapter "The voices" (notebooks/voices.ipynb): the paper's numbered interview notes,
coded by speaker, role, section, themes and stance."""

from __future__ import annotations

import pandas as pd

from ..data import curated
from ..render.charts import titled


def codebook():
    return curated.load("codebook")


def interviews() -> pd.DataFrame:
    return curated.load("interviews")


def theme_matrix(iv: pd.DataFrame) -> pd.DataFrame:
    long = iv.assign(theme=iv["themes"].str.split(";")).explode("theme")
    return long.groupby(["speaker", "theme"]).size().rename("notes").reset_index()


def matrix_chart(m: pd.DataFrame):
    import altair as alt

    themes = list(codebook().themes)
    return titled(
        alt.Chart(m)
        .mark_circle(color="#0072B2")
        .encode(
            # a theme's code read as words ("dual criminality legislation"), a speaker whole
            x=alt.X(
                "theme:N",
                sort=themes,
                title=None,
                axis=alt.Axis(labelAngle=-40, labelExpr="replace(datum.label, /-/g, ' ')"),
            ),
            y=alt.Y("speaker:N", title=None, axis=alt.Axis(labelLimit=0)),
            size=alt.Size(
                "notes:Q",
                title="notes",
                scale=alt.Scale(range=[40, 400]),
                legend=alt.Legend(values=sorted({int(n) for n in m["notes"]}), format="d"),
            ),
            tooltip=["speaker", "theme", "notes"],
        ),
        "Who speaks to what",
        subtitle="interview notes by speaker and theme",
        description="Matrix of the paper's interview notes: speakers by row, themes by column, "
        "dot size the number of notes.",
        width=alt.Step(34),
        height=alt.Step(20),
    )


def stance_chart(iv: pd.DataFrame, on: str = "mechanism"):
    import altair as alt

    d = iv[iv["stance_on"] == on].assign(
        label=lambda x: "note " + x["note"].astype(str) + ": " + x["speaker"]
    )
    colours = {"positive": "#0072B2", "mixed": "#E69F00", "negative": "#D55E00"}
    return titled(
        alt.Chart(d)
        .mark_bar()
        .encode(
            x=alt.X("count():Q", title="notes", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("stance:N", sort=list(colours), title=None),
            color=alt.Color(
                "stance:N",
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                legend=None,
            ),
            tooltip=["stance", "count()"],
        ),
        f"Stance on the review {on}" if on == "mechanism" else "Stance on the Convention",
        description=f"Bar chart of how many interview notes judge the {on} positively, "
        "negatively or mixed.",
        width=420,
        height=alt.Step(28),
    )


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues."""
    iv = interviews()
    named = iv[~iv["speaker"].str.contains("not named")]
    mech = iv[iv["stance_on"] == "mechanism"]
    return {
        "n_notes": len(iv),
        "n_speakers": named["speaker"].nunique(),
        "n_named_notes": len(named),
        "n_unnamed": len(iv) - len(named),
        "n_themes": len(codebook().themes),
        "n_mech": len(mech),
        "n_mech_negative": int((mech["stance"] == "negative").sum()),
    }


def codebook_table() -> pd.DataFrame:
    return pd.DataFrame(list(codebook().themes.items()), columns=["theme", "definition"])
