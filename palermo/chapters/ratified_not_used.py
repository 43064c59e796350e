"""The chapter "Ratified, not used?" (notebooks/ratified_not_used.ipynb): ratifications per
year (the burst and the tail), time from signature to consent by State and by region, the
2007 and 2010 moments the paper quotes, and the holdouts on a date."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..data import countries, treaties
from ..model import claims, curves, status
from ..model.coverage import coverage, new_parties_per_year, peak_of, reach
from ..model.participation import known, signature_to_consent
from ..render import text
from ..render.charts import (
    coverage_line,
    instrument_colour,
    instrument_legend,
    instrument_names,
    instrument_scale,
    titled,
)

# the two moments the paper quotes, as the claims ledger dates them
# the moments the paper quotes on the way; its one-third remark is dated two ways (the source
# it cites is of 2007, its place in the text is after the Security Council's 2010 meeting), and
# the ledger tests it at both
MOMENTS = ("one-third-not-ratified-2007", "parties-157-in-2010", "one-third-not-ratified-2010")


def per_year(instruments: list[str], as_of: dt.date) -> pd.DataFrame:
    """New parties per year (dated to the day, or to a year or bracket inside that year)."""
    frames = [
        new_parties_per_year(short, treaties.adopted(short), as_of).rename(
            columns={"treaty": "instrument"}
        )
        for short in instruments
    ]
    return pd.concat(frames, ignore_index=True)


def burst(per_year_df: pd.DataFrame, years: int = 5) -> pd.DataFrame:
    """For each instrument: its peak year, and the share of today's parties that joined in the
    first `years` years after adoption."""
    rows = []
    for inst, g in per_year_df.groupby("instrument", sort=False):
        peak_year, peak_new = peak_of(g)
        first = g[g["year"] < g["year"].min() + years]["new_parties"].sum()
        total = int(g["parties"].iloc[-1])
        rows.append(
            {
                "instrument": inst,
                "peak_year": peak_year,
                "peak_new_parties": peak_new,
                "first_years": years,
                "joined_in_first_years": int(first),
                "parties": total,
                "share_first_years": first / total if total else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def median_by_region(df: pd.DataFrame) -> pd.DataFrame:
    g = df.groupby(["instrument", "region"], sort=False)["years"]
    out = g.agg(states="count", median_years="median").reset_index()
    overall = (
        df.groupby("instrument", sort=False)["years"]
        .agg(states="count", median_years="median")
        .reset_index()
    )
    overall["region"] = "all"
    return pd.concat([out, overall], ignore_index=True).round({"median_years": 1})


def median_table(medians: pd.DataFrame, instruments: list[str]) -> pd.DataFrame:
    """Region by instrument: the median years from signature to consent, with how many States
    it is taken over (n)."""
    m = medians.assign(
        cell=[
            text.median_cell(a, b)
            for a, b in zip(medians["median_years"], medians["states"], strict=True)
        ]
    )
    return (
        m.pivot(index="region", columns="instrument", values="cell")
        .reindex(columns=instruments)
        .rename_axis(columns=None)
        .reset_index()
    )


def moments() -> pd.DataFrame:
    """The paper's 2007 and 2010 moments, dated and recomputed through the claims ledger."""
    rows = []
    for c in claims.ledger():
        if c.id in MOMENTS:
            r = claims.evaluate(c)
            when = str(c.refers_to).split("/")[0]
            rows.append(
                {
                    "id": c.id,
                    "date": pd.Timestamp(when),
                    "refers_to": str(c.refers_to).replace("/", " to "),
                    "claim": c.claim,
                    "paper": r.paper,
                    "recomputed": r.recomputed,
                    "verdict": r.verdict,
                }
            )
    return pd.DataFrame(rows)


def holdouts(instruments: list[str], as_of: dt.date) -> pd.DataFrame:
    """UN Member States not party on as_of: signed only, or no action at all."""
    members = countries.members_on(as_of)
    rows = []
    for short in instruments:
        for m in members.itertuples():
            s = status.row_of(short, m.participant_id, as_of)
            state = "none" if s is None else s["status"]
            if state in ("party", "possibly_party"):
                continue
            rows.append(
                {
                    "instrument": short,
                    "participant_id": m.participant_id,
                    "name": known()[m.participant_id],  # one name per participant
                    "holdout": "signed only" if state == "signatory" else "no action",
                    "signature": None
                    if s is None or pd.isna(s["signature"])
                    else str(s["signature"].date()),
                }
            )
    return pd.DataFrame(
        rows, columns=["instrument", "participant_id", "name", "holdout", "signature"]
    )


def holdout_summary(h: pd.DataFrame, instruments: list[str]) -> pd.DataFrame:
    """Per instrument, the UN Member States outside: signed only, and no action in the records
    (past the records' end both lists are the last the records know: a State listed may have
    joined since; the page says how far each instrument's records reach above the table)."""
    rows = []
    for short in instruments:
        g = h[h["instrument"] == short]
        rows.append(
            {
                "instrument": short,
                "signed only": int((g["holdout"] == "signed only").sum()),
                "no action in the records": int((g["holdout"] == "no action").sum()),
                "signed only (States)": ", ".join(
                    sorted(g.loc[g["holdout"] == "signed only", "name"])
                )
                or "-",
                "no action in the records (States)": ", ".join(
                    sorted(g.loc[g["holdout"] == "no action", "name"])
                )
                or "-",
            }
        )
    return pd.DataFrame(rows)


# --- charts -----------------------------------------------------------------------------


def per_year_chart(df: pd.DataFrame):
    import altair as alt

    instruments = list(dict.fromkeys(df["instrument"]))
    return titled(
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("new_parties:Q", title="new parties"),
            color=alt.Color("instrument:N", scale=instrument_scale(instruments), legend=None),
            # a year after the records' complete stretch is a lower bound, drawn faint
            opacity=alt.Opacity(
                "records:N",
                scale=alt.Scale(domain=["complete", "incomplete"], range=[1, 0.35]),
                legend=alt.Legend(
                    title="records",
                    orient="bottom",
                    labelLimit=0,
                    labelExpr="datum.label == 'complete' ? 'complete' : "
                    "'incomplete (a lower bound)'",
                ),
            ),
            row=alt.Row(
                "instrument:N",
                sort=instruments,
                title=None,
                header=alt.Header(
                    labelAngle=0, labelAlign="left", labelExpr=instrument_names("value")
                ),
            ),
            tooltip=["instrument", "year", "new_parties", "parties", "records"],
        ),
        "New parties per year",
        subtitle="the burst after adoption, then the tail",
        description="Bar charts, one per instrument, of the number of States and organizations "
        f"that became parties each year, for {text.join(text.treaty_names(instruments))}.",
        width=560,
        height=90,
    )


def delay_chart(df: pd.DataFrame):
    import altair as alt

    instruments = list(dict.fromkeys(df["instrument"]))
    base = alt.Chart(df).encode(
        y=alt.Y("region:N", title=None),
        color=alt.Color(
            "instrument:N",
            scale=instrument_scale(instruments),
            title=None,
            legend=instrument_legend(),
        ),
    )
    points = base.mark_circle(size=28, opacity=0.45).encode(
        x=alt.X("years:Q", title="years from signature to ratification"),
        yOffset=alt.YOffset("instrument:N"),
        tooltip=[
            "instrument",
            "name",
            alt.Tooltip("signature:T"),
            alt.Tooltip("consent:T"),
            alt.Tooltip("years:Q", format=".1f"),
        ],
    )
    medians = base.mark_tick(thickness=3, size=14).encode(
        x="median(years):Q",
        yOffset=alt.YOffset("instrument:N"),
        tooltip=[
            "instrument",
            "region",
            alt.Tooltip("median(years):Q", format=".1f", title="median years"),
        ],
    )
    return titled(
        points + medians,
        "From signature to ratification",
        subtitle="each dot a State; ticks are regional medians",
        description="Strip plot by region of the years each State took from signing to ratifying "
        f"{text.join(text.treaty_names(instruments))}, with the median for each region and "
        "instrument marked.",
        width=520,
        height=alt.Step(16),
    )


def moments_chart(instrument: str, as_of: dt.date, start: dt.date | None = None):
    import altair as alt

    s = curves.step_series(instrument, start or treaties.adopted("UNTOC"), as_of)
    m = moments().sort_values("date").reset_index(drop=True)
    m["label"] = [f"{d.year}: {p}" for d, p in zip(m["date"], m["paper"], strict=True)]
    m["y"] = [14 + 16 * (i % 2) for i in range(len(m))]
    line = coverage_line(
        s,
        x=alt.X("date:T", title=None),
        y=alt.Y("parties:Q", title="parties"),
        colour=alt.value(instrument_colour(instrument)),
        tooltip=[alt.Tooltip("date:T"), "parties"],
    )
    rules = (
        alt.Chart(m)
        .mark_rule(strokeDash=[4, 3], color="#444")
        .encode(x="date:T", tooltip=["claim", "paper", "recomputed", "verdict"])
    )
    labels = (
        alt.Chart(m)
        .mark_text(align="left", dx=4, fontSize=11, color="#444")
        .encode(x="date:T", y=alt.Y("y:Q", scale=None), text=alt.Text("label:N"))
    )
    return titled(
        line + rules + labels,
        f"{text.treaty_name(instrument)}: the moments the paper quotes",
        subtitle="dashed: the 2007 and 2010 remarks",
        description=f"Step line of the cumulative parties to {text.the_treaty(instrument)}, with "
        "dashed rules at "
        "the 2007 remark that one-third of Member States had not ratified and at the 2010 count "
        "of 157 parties.",
        width=560,
        height=280,
    )


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues, for validated parameters (as_of, treaties)."""
    as_of, instruments = params["as_of"], params["treaties"]
    lead = instruments[0]
    b = burst(per_year(instruments, as_of)).set_index("instrument").loc[lead]
    medians = median_by_region(signature_to_consent(instruments, as_of))
    overall = medians[(medians["instrument"] == lead) & (medians["region"] == "all")].iloc[0]
    h = holdout_summary(holdouts(instruments, as_of), instruments).set_index("instrument").loc[lead]
    complete = coverage(lead, as_of).complete
    out = {
        "as_of": str(as_of),
        "lead": text.the_treaty(lead),
        "peak_year": int(b["peak_year"]),
        "peak_new": int(b["peak_new_parties"]),
        "first_years": int(b["first_years"]),
        "share_first": f"{b['share_first_years']:.0%}",
        "median_years": f"{overall['median_years']:.1f}",
        "n_ratifiers": int(overall["states"]),
        "median_years_text": text.years(overall["median_years"]),
        "ratifiers_text": text.plural(int(overall["states"]), "State"),
        "signed_only": ("" if complete else "at most ") + str(int(h["signed only"])),
        "no_action": ("" if complete else "at most ") + str(int(h["no action in the records"])),
        "outside_reach": f" The records of {text.the_treaty(lead)} reach that day."
        if complete
        else (
            f" The records of {text.the_treaty(lead)} end before {as_of} "
            f"({text.through(coverage(lead, as_of))}), "
            "so these are the States outside as far as the records reach: any of them may have "
            "joined since."
        ),
    }
    out["n_moments"] = len(moments())
    return out


def moments_list() -> str:
    """The moments as a Markdown list: the claim, the day it is tested on and the verdict."""
    return "\n".join(
        f"- {m.claim.rstrip('.')} — the paper: {m.paper}; tested on {m.refers_to}: "
        f"{m.recomputed}, **{m.verdict}**."
        for m in moments().sort_values(["date", "id"]).itertuples()
    )


def coverage_notes(params: dict) -> str:
    return text.bullets(
        [text.coverage_note(*reach(t, params["as_of"])) for t in params["treaties"]]
    )
