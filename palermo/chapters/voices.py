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


def theme_label(code: str) -> str:
    """A theme as readers read it: its label in the codebook ("Terrorism and 9/11"), never its
    code ("terrorism-9-11")."""
    return codebook().labels[code]


def theme_labels(codes: str) -> str:
    """A note's ';'-separated theme codes as their labels ('Geopolitics; Civil society')."""
    return "; ".join(theme_label(c) for c in str(codes).split(";") if c)


def notes_table(iv: pd.DataFrame) -> pd.DataFrame:
    """Every note for readers: its themes by their labels."""
    cols = ["note", "speaker", "role", "section", "themes", "stance", "paraphrase"]
    return iv[cols].assign(themes=iv["themes"].map(theme_labels))


def theme_matrix(iv: pd.DataFrame, themes: list[str] | None = None) -> pd.DataFrame:
    """Notes by speaker and theme, for the themes asked for (codes; None: all), each theme by
    its label."""
    long = iv.assign(theme=iv["themes"].str.split(";")).explode("theme")
    if themes is not None:
        long = long[long["theme"].isin(themes)]
    m = long.groupby(["speaker", "theme"]).size().rename("notes").reset_index()
    return m.assign(theme=m["theme"].map(theme_label))


def matrix_chart(m: pd.DataFrame):
    import altair as alt

    themes = [theme_label(t) for t in codebook().themes]
    return titled(
        alt.Chart(m)
        .mark_circle(color="#0072B2")
        .encode(
            # a theme by its label in the codebook's order, a speaker whole
            x=alt.X(
                "theme:N",
                sort=themes,
                title=None,
                axis=alt.Axis(labelAngle=-40, labelLimit=0),
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
    """Each theme by its label, with its definition."""
    return pd.DataFrame(
        [(theme_label(t), d) for t, d in codebook().themes.items()], columns=["theme", "definition"]
    )
