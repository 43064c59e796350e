"""The chapter "Figure 1, reproduced" (notebooks/figure1.ipynb): parties to each instrument
on a date, the paper's printed counts beside them, the cumulative curves, entry-into-force
markers, first and latest parties, and coverage notes."""

from __future__ import annotations

import pandas as pd

from .. import config
from ..data import curated, treaties
from ..model import status
from ..model.coverage import coverage
from ..model.dates import parse_as_of
from ..model.eif import entry_into_force
from ..render import text
from ..render.charts import coverage_line, instrument_scale, titled


def paper_counts() -> pd.DataFrame:
    """The party counts the paper prints (submitted 2020-12-23), one row per instrument."""
    df = curated.load("paper_counts")
    df["short"] = [treaties.resolve(t).short for t in df["treaty"]]
    return df


def parties_on(instruments: list[str], as_of) -> pd.DataFrame:
    """One row per instrument: parties (certain) and parties_max on as_of, the latest headline
    count on or before it, coverage, and the paper's own count for comparison."""
    day = parse_as_of(as_of)
    printed = paper_counts().set_index("short")["parties"]
    rows = []
    for short in instruments:
        t = treaties.resolve(short)
        c = status.counts(t, day)
        cov = coverage(t, day)
        h = cov["headline"]
        rows.append(
            {
                "instrument": t.short,
                "name": t.name,
                "as_of": str(day),
                "parties": c["parties"],
                "parties_max": c["parties_max"],
                "signatories": c["signatories"],
                "complete_through": cov["complete_through"],
                "complete": cov["complete_on_as_of"],
                "headline_date": h["date"] if h else None,
                "headline_parties": h["parties"] if h else None,
                "unattributed": cov["unattributed"],
                "paper": int(printed[t.short]) if t.short in printed else None,
                "note": text.coverage_note(t, day),
            }
        )
    return pd.DataFrame(rows)


def bar_data(table: pd.DataFrame) -> pd.DataFrame:
    """Long form for the bar chart: what the records attribute, and (where known) the
    headline count and the paper's figure, per instrument."""
    rows = []
    for r in table.itertuples():
        rows.append(
            {
                "instrument": r.instrument,
                "measure": "records: certain parties",
                "parties": r.parties,
            }
        )
        if r.parties_max != r.parties:
            rows.append(
                {
                    "instrument": r.instrument,
                    "measure": "records: incl. dated only to a year/bracket",
                    "parties": r.parties_max,
                }
            )
        if r.headline_parties is not None and not r.complete:
            rows.append(
                {
                    "instrument": r.instrument,
                    "measure": f"UNTC headline count ({r.headline_date})",
                    "parties": r.headline_parties,
                }
            )
        if r.paper is not None and r.as_of == str(config.PAPER_DATE):
            rows.append(
                {"instrument": r.instrument, "measure": "the paper (2020)", "parties": r.paper}
            )
    return pd.DataFrame(rows)


OPENED = "2000-11-15"  # the Convention's adoption; the curves start there


def curves(instruments: list[str], as_of, start: str = OPENED) -> pd.DataFrame:
    """Cumulative parties from ``start`` to as_of as step curves."""
    return status.step_series(instruments, start, as_of)


def eif_markers(instruments: list[str]) -> pd.DataFrame:
    rows = []
    for short in instruments:
        e = entry_into_force(short)
        rows.append(
            {
                "instrument": short,
                "date": pd.Timestamp(e["official"]),
                "computed": str(e["computed"]),
                "matches": e["match"],
                "article": e["article"],
                "n": e["n"],
            }
        )
    return pd.DataFrame(rows)


def first_and_latest(instruments: list[str], as_of, n: int = 3) -> pd.DataFrame:
    """The first n and the latest n parties of each instrument on as_of (certain dates only
    for 'first'; the latest may carry a bracket, shown as such)."""
    rows = []
    for short in instruments:
        p = status.parties(short, as_of)
        for which, part in (("first", p.head(n)), ("latest", p.tail(n).iloc[::-1])):
            for r in part.itertuples():
                when = text.consent(r.consent, r.consent_latest, r.precision)
                rows.append(
                    {
                        "instrument": short,
                        "which": which,
                        "participant": r.name,
                        "date": when,
                        "action": r.action,
                        "evidence": r.evidence,
                    }
                )
    return pd.DataFrame(rows)


def comparison(table: pd.DataFrame) -> dict:
    """How the records compare with the paper's printed counts (meaningful at the paper's date)."""
    t = table[table["paper"].notna()]
    agree = t[(t["parties"] <= t["paper"]) & (t["paper"] <= t["parties_max"])]
    return {
        "n_with_paper": int(len(t)),
        "n_agree": int(len(agree)),
        "agree": ", ".join(agree["instrument"]) or "none",
        "differ": ", ".join(
            f"{r.instrument} (paper {int(r.paper)}, records {r.parties}"
            + (f"-{r.parties_max}" if r.parties_max != r.parties else "")
            + ")"
            for r in t.drop(agree.index).itertuples()
        )
        or "none",
    }


def parties_table_view(table: pd.DataFrame) -> pd.DataFrame:
    """The parties table as readers see it."""
    view = table[
        [
            "instrument",
            "parties",
            "parties_max",
            "signatories",
            "headline_date",
            "headline_parties",
            "complete_through",
            "paper",
        ]
    ].rename(
        columns={
            "parties": "parties (records)",
            "parties_max": "incl. year/bracket-dated",
            "headline_date": "UNTC headline date",
            "headline_parties": "UNTC headline parties",
            "complete_through": "records complete through",
            "paper": "the paper (2020)",
        }
    )
    return view.astype({"UNTC headline parties": "Int64", "the paper (2020)": "Int64"})


def bar_chart(table: pd.DataFrame):
    import altair as alt

    data = bar_data(table)
    instruments = list(table["instrument"])
    as_of = table["as_of"].iloc[0]
    return titled(
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("instrument:N", sort=instruments, title=None),
            yOffset=alt.YOffset("measure:N"),
            x=alt.X("parties:Q", title="parties"),
            color=alt.Color(
                "measure:N",
                title=None,
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=360),
            ),
            tooltip=["instrument", "measure", "parties"],
        ),
        f"Parties on {as_of}",
        subtitle="UN Treaty Collection records and cited later actions",
        description=f"Bar chart of the number of parties to {', '.join(instruments)} on {as_of}, "
        "as the records attribute them, beside the latest official headline count and, at the "
        "paper's date, the paper's own figures.",
        width=520,
        height=alt.Step(14),
    )


def curve_chart(instruments: list[str], as_of):
    import altair as alt

    data = curves(instruments, as_of)
    eif = eif_markers(instruments)
    colour = alt.Color("instrument:N", title=None, scale=instrument_scale(instruments))
    base = alt.Chart(data).encode(x=alt.X("date:T", title=None), color=colour)
    band = base.mark_area(opacity=0.25, interpolate="step-after").encode(
        y="parties:Q", y2="parties_max:Q"
    )
    line = coverage_line(
        data,
        x=alt.X("date:T", title=None),
        y=alt.Y("parties:Q", title="parties"),
        colour=colour,
        tooltip=["instrument", alt.Tooltip("date:T"), "parties", "parties_max"],
    )
    rules = (
        alt.Chart(eif)
        .mark_rule(strokeDash=[4, 3])
        .encode(
            x="date:T",
            color=colour,
            tooltip=["instrument", alt.Tooltip("date:T", title="entry into force"), "article"],
        )
    )
    return titled(
        band + line + rules,
        "Cumulative parties",
        subtitle=f"to {parse_as_of(as_of)}; dashed: entry into force",
        description=f"Step lines of the cumulative number of parties to {', '.join(instruments)} "
        f"from 2000 to {parse_as_of(as_of)}, with dashed vertical rules at each instrument's "
        "entry into force.",
        width=560,
        height=320,
    )


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues, for validated parameters (as_of, treaties)."""
    as_of, instruments = params["as_of"], params["treaties"]
    table = parties_on(instruments, as_of)
    lead = table.iloc[0]
    cmp_ = comparison(table)
    return {
        "as_of": str(as_of),
        "lead": lead["instrument"],
        "lead_parties": int(lead["parties"]),
        "lead_signatories": int(lead["signatories"]),
        "n_instruments": len(table),
        "n_complete": int(table["complete"].sum()),
        "n_with_paper": cmp_["n_with_paper"],
        "n_agree": cmp_["n_agree"],
        "agree": cmp_["agree"],
        "differ": cmp_["differ"],
    }
