"""The chapter "Figure 1, reproduced" (notebooks/figure1.ipynb): parties to each instrument
on a date, the paper's printed counts beside them, the cumulative curves, entry-into-force
markers, first and latest parties, and coverage notes."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import config
from ..data import curated, treaties
from ..model import claims, status
from ..model.coverage import count_on, coverage
from ..model.curves import step_series
from ..model.eif import entry_into_force
from ..render import text
from ..render.charts import (
    coverage_line,
    end_labels,
    instrument_names,
    instrument_scale,
    titled,
)


def paper_counts() -> pd.DataFrame:
    """The party counts the paper prints (submitted 2020-12-23), one row per instrument."""
    df = curated.load("paper_counts")
    df["short"] = [treaties.resolve(t).short for t in df["treaty"]]
    return df


def parties_on(instruments: list[str], as_of: dt.date) -> pd.DataFrame:
    """One row per instrument on as_of: the parties as bounds (``parties`` at least,
    ``parties_max`` at most, None where nothing bounds it; :func:`count_on`), the parties the
    records name, the latest headline count on or before it, coverage, and the paper's own count
    for comparison."""
    printed = paper_counts().set_index("short")["parties"]
    rows = []
    for short in instruments:
        t = treaties.resolve(short)
        c = count_on(t, as_of)
        cov = coverage(t, as_of)
        h = cov.headline
        rows.append(
            {
                "instrument": t.short,
                "name": t.name,
                "as_of": str(as_of),
                "parties": c.parties,
                "parties_max": c.parties_max,
                "named": text.span(c.named, c.named_max),
                "count": text.count(c, short=True)
                + ("" if c.complete or c.parties_max is None else f", at most {c.parties_max}"),
                "signatories": int(status.signatories_by(t.number, as_of)),
                "complete_through": str(cov.complete_through),
                "complete": cov.complete,
                "headline_date": str(h.date) if h else None,
                "headline_parties": h.parties if h else None,
                "unattributed": cov.unattributed,
                "paper": int(printed[t.short]) if t.short in printed else None,
                "note": text.coverage_note(cov, c),
            }
        )
    return pd.DataFrame(rows)


def curves(instruments: list[str], as_of: dt.date, start: dt.date | None = None) -> pd.DataFrame:
    """Cumulative parties from ``start`` (default: the Convention's adoption) to as_of as step
    curves."""
    return step_series(instruments, start or treaties.adopted("UNTOC"), as_of)


def eif_markers(instruments: list[str]) -> pd.DataFrame:
    rows = []
    for short in instruments:
        e = entry_into_force(short)
        rows.append(
            {
                "instrument": short,
                "date": pd.Timestamp(e.official),
                "computed": str(e.computed),
                "matches": e.match,
                "article": e.article,
                "n": e.n,
            }
        )
    return pd.DataFrame(rows)


def first_and_latest(instruments: list[str], as_of: dt.date, n: int = 3) -> pd.DataFrame:
    """The first n and the latest n parties of each instrument on as_of (certain dates only
    for 'first'; the latest may carry a bracket, shown as such)."""
    rows = []
    for short in instruments:
        if treaties.adopted(short) > as_of:  # the treaty did not exist yet: say so
            rows.append(_none_yet(short, f"not yet adopted (adopted on {treaties.adopted(short)})"))
            continue
        p = status.parties(short, as_of)
        if p.empty:
            rows.append(_none_yet(short, f"none yet: no State had become a party by {as_of}"))
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


def _none_yet(short: str, why: str) -> dict:
    """The row of an instrument with no party on the day: it says so plainly."""
    return {
        "instrument": short,
        "which": "first",
        "participant": why,
        "date": "",
        "action": "",
        "evidence": "",
    }


def grades(instruments: list[str]) -> pd.DataFrame:
    """The paper's printed counts for these instruments as the claims ledger grades them: each
    on the day it refers to, whatever the page's date (:func:`palermo.model.claims.printed_counts`,
    the one grading every page shows)."""
    rows = [
        {
            "instrument": short,
            "the paper": int(g.paper),
            "refers to": g.refers_to,
            "the records on that day": g.recomputed,
            "verdict": g.verdict,
        }
        for short, g in claims.printed_counts().items()
        if short in instruments
    ]
    return pd.DataFrame(
        rows, columns=["instrument", "the paper", "refers to", "the records on that day", "verdict"]
    )


def grading(instruments: list[str]) -> dict:
    """The grades in one sentence for the prose."""
    g = grades(instruments)
    return {
        "n_with_paper": int(len(g)),
        "grades": "; ".join(
            f"{text.treaty_name(inst)} {paper} on {day}: {verdict}"
            for inst, paper, day, verdict in zip(
                g["instrument"], g["the paper"], g["refers to"], g.verdict, strict=True
            )
        )
        or "none",
    }


def readings_view(instruments: list[str]) -> pd.DataFrame:
    """The two readings of the day the paper's Protocol counts describe, for readers: each
    reading's count beside the paper's and the records' on that day."""
    r = claims.count_readings()
    r = r[r["instrument"].isin(instruments)]
    return pd.DataFrame(
        {
            "reading": r["reading"],
            "day": r["date"],
            "instrument": r["instrument"],
            "its count": r["count"],
            "the paper": r["paper"].astype("Int64"),
            "the same": r["fits"].map({True: "yes", False: "no"}),
            "the records on that day": [
                text.span(a, b) + ("" if c else " (incomplete)")
                for a, b, c in zip(
                    r["records"], r["records_max"], r["records_complete"], strict=True
                )
            ],
            "how sure": r["confidence"],
        }
    )


def readings_notes() -> list[str]:
    """Each reading's source and what tells against it, one line each."""
    seen = claims.count_readings().drop_duplicates("reading")
    return [
        f"**{r.reading}** ({r.confidence}). Source: {text.readable(r.source)} Against it: "
        f"{text.readable(r.against)}"
        for r in seen.itertuples()
    ]


def parties_table_view(table: pd.DataFrame) -> pd.DataFrame:
    """The parties table as readers see it."""
    view = table[
        [
            "instrument",
            "count",
            "named",
            "signatories",
            "headline_date",
            "headline_parties",
            "complete_through",
            "paper",
        ]
    ].rename(
        columns={
            "count": "parties",
            "named": "named in the records",
            "headline_date": "UNTC headline date",
            "headline_parties": "UNTC headline parties",
            "complete_through": "records complete through",
            "paper": "the paper (2020)",
        }
    )
    return view.astype({"UNTC headline parties": "Int64", "the paper (2020)": "Int64"})


PAPER = "the paper"
RECORDS = "the records"
HEADLINE = "UNTC headline count"
SOURCES = [PAPER, RECORDS, HEADLINE]
SOURCE_COLOURS = {PAPER: "#000000", RECORDS: "#0072B2", HEADLINE: "#E69F00"}  # Okabe & Ito
SOURCE_SHAPES = {PAPER: "diamond", RECORDS: "circle", HEADLINE: "square"}
MARGIN = 1  # parties of axis either side of the outermost dots


def dot_data(instruments: list[str], as_of: dt.date) -> pd.DataFrame:
    """Long form for the dot chart: one row per instrument and source (the paper's printed
    count, dated to its submission; the records on as_of; the latest UNTC headline count on or
    before as_of, where there is one), each with its date, a label giving value and date, and
    the x domain of its instrument (``x_lo``, ``x_hi``) so that one party is a visible step."""
    table = parties_on(instruments, as_of)
    dated = claims.printed_counts()
    rows = []
    for r in table.itertuples():
        found = []
        if r.paper is not None and not pd.isna(r.paper):
            day = dated[r.instrument].refers_to if r.instrument in dated else config.PAPER_DATE
            found.append((PAPER, int(r.paper), int(r.paper), str(day), True))
        top = r.parties if r.parties_max is None or pd.isna(r.parties_max) else r.parties_max
        found.append((RECORDS, int(r.parties), int(top), r.as_of, bool(r.complete)))
        if r.headline_parties is not None and not pd.isna(r.headline_parties):
            found.append(
                (HEADLINE, int(r.headline_parties), int(r.headline_parties), r.headline_date, True)
            )
        lo = min(f[1] for f in found) - MARGIN
        hi = max(f[2] for f in found) + MARGIN
        if hi - lo < 3:  # an axis three parties wide or more is ticked at whole parties
            lo, hi = lo - 1, hi + 1
        for source, parties, parties_max, date, complete in found:
            value = text.span(parties, parties_max)
            if not complete:  # the bounds; "at least" where nothing caps them
                value = (
                    f"{parties} to {parties_max}"
                    if parties_max > parties
                    else f"at least {parties}"
                )
            label = f"{value} ({date}" + (")" if complete else ", records incomplete)")
            # labels go to the side of the dot with more room, so none runs off the panel
            left = (parties + parties_max) / 2 > (lo + hi) / 2
            rows.append(
                {
                    "instrument": r.instrument,
                    "source": source,
                    "parties": parties,
                    "parties_max": parties_max,
                    "date": date,
                    "records_complete": complete,
                    "label": label,
                    "label_side": "left" if left else "right",
                    "label_at": parties if left else parties_max,
                    "x_lo": lo,
                    "x_hi": hi,
                }
            )
    return pd.DataFrame(rows)


def dot_chart(instruments: list[str], as_of: dt.date):
    """Figure 1 as a labelled dot plot: a panel per instrument on its own zoomed axis, a dot per
    source (the paper, the records on as_of, the UNTC headline count), each labelled with its
    value and date; records incomplete on as_of are drawn hollow and say so."""
    import altair as alt

    data = dot_data(instruments, as_of)
    present = [s for s in SOURCES if s in set(data["source"])]
    palette = alt.Scale(domain=present, range=[SOURCE_COLOURS[s] for s in present])
    colour = alt.Color(
        "source:N",
        title=None,
        scale=palette,
        legend=alt.Legend(orient="bottom", direction="horizontal", labelLimit=300),
    )
    shape = alt.Shape(
        "source:N",
        title=None,
        scale=alt.Scale(domain=present, range=[SOURCE_SHAPES[s] for s in present]),
    )
    x = alt.X(
        "parties:Q",
        title=None,
        scale=alt.Scale(zero=False, nice=False),
        axis=alt.Axis(format="d", tickMinStep=1, grid=True),
    )
    y = alt.Y("source:N", sort=present, title=None, axis=alt.Axis(labelLimit=200))
    tooltip = ["instrument", "source", "parties", "parties_max", "date", "records_complete"]
    # an invisible rule over each instrument's domain: the axis spans x_lo to x_hi (hidden
    # from screen readers too: aria=False)
    extent = (
        alt.Chart().mark_rule(opacity=0, aria=False).encode(x=alt.X("x_lo:Q"), x2="x_hi:Q", y=y)
    )
    span = (
        alt.Chart()
        .mark_rule(strokeWidth=3, aria=False)  # the dot's label gives the range in words
        .encode(x=x, x2="parties_max:Q", y=y, color=colour)
        .transform_filter("datum.parties_max > datum.parties")
    )
    dots = (
        alt.Chart()
        .mark_point(size=140, strokeWidth=2.5, opacity=1)
        .encode(
            x=x,
            y=y,
            color=colour,
            shape=shape,
            fill=alt.condition(
                "datum.records_complete",
                alt.Fill("source:N", scale=palette, legend=None),
                alt.value("white"),
            ),
            tooltip=tooltip,
        )
    )

    def labels(side: str):
        return (
            alt.Chart()
            .mark_text(
                align="right" if side == "left" else "left",
                dx=-11 if side == "left" else 11,
                fontSize=12,
            )
            .encode(x=alt.X("label_at:Q"), y=y, text="label:N", color=colour)
            .transform_filter(f"datum.label_side == '{side}'")
        )

    layered = alt.layer(extent, span, dots, labels("left"), labels("right"), data=data)
    layered = layered.properties(width=460, height=alt.Step(20))
    faceted = (
        layered.facet(
            row=alt.Row(
                "instrument:N",
                sort=list(instruments),
                title=None,
                # each panel headed by the instrument's name, not its short id, above the
                # panel (beside it, a long name pushed the axis past the page column)
                header=alt.Header(
                    labelAngle=0,
                    labelAlign="left",
                    labelAnchor="start",
                    labelOrient="top",
                    labelFontSize=13,
                    labelFontWeight="bold",
                    labelExpr=instrument_names("value"),
                ),
            ),
            spacing=14,
        )
        .resolve_scale(x="independent", y="independent")
        .resolve_axis(x="independent", y="independent")
    )
    names = ", ".join(text.treaty_names(instruments))
    return titled(
        faceted,
        f"Parties on {as_of}: the paper, the records and the headline count",
        subtitle=[
            "number of parties, each instrument on its own axis; each label gives a count and "
            "its date",
            "hollow: the records are incomplete on that day, so the count is its bounds: the dot "
            "the least, a bar to the most",
        ],
        description=f"Dot plot, one panel per instrument ({names}), each on its own axis zoomed "
        "to its counts so that a difference of one party shows. In each panel a dot for the "
        "paper's printed count (dated to the day the claims ledger says it describes), for the "
        f"parties on {as_of} as the records and the dated official counts bound them (hollow "
        "where the records are incomplete on that day, the dot at the least and a bar to the "
        "most) and for the latest UNTC "
        "headline count on or before that day, each labelled with its value and date.",
    )


def curve_chart(instruments: list[str], as_of: dt.date):
    """Cumulative parties as step lines, each named at its end with its count on as_of, so a
    grey print reads without the colours; a line is solid while its records are complete and
    dashed after (the one meaning of a dash here); a dot on each line marks its entry into
    force. The description (alt text) gives the counts, where the records end and the dates of
    entry into force."""
    import altair as alt

    data = curves(instruments, as_of)
    eif = eif_markers(instruments)
    colour = alt.Color(
        "instrument:N",
        title=None,
        scale=instrument_scale(instruments),
        legend=None,  # each line is named at its end
    )
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
    # entry into force: a dot on the instrument's own line (the parties it had that day)
    on_line = pd.merge_asof(
        eif.sort_values("date"),
        data[["instrument", "date", "parties"]].sort_values("date"),
        on="date",
        by="instrument",
    ).assign(marker="entry into force")
    dots = (
        alt.Chart(on_line)
        .mark_point(filled=True, size=70, opacity=1, stroke="white", strokeWidth=1)
        .encode(
            x="date:T",
            y="parties:Q",
            color=colour,
            shape=alt.Shape(
                "marker:N",
                title=None,
                scale=alt.Scale(domain=["entry into force"], range=["circle"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=["instrument", alt.Tooltip("date:T", title="entry into force"), "article"],
        )
    )
    counts = {t: text.count(count_on(t, as_of), short=True) for t in instruments}
    names = {t: text.treaty_name(t) for t in instruments}
    height = 320
    labels = end_labels(
        data,
        "date",
        "parties",
        colour,
        {t: f"{names[t]}: {counts[t]}" for t in instruments},
        (560, height),
    )
    late: dict[str, list[str]] = {}  # the date a treaty's records end: the treaties
    for t in instruments:
        if not count_on(t, as_of).complete:
            late.setdefault(str(coverage(t, as_of).complete_through), []).append(t)
    ends = "; ".join(
        f"{text.join([text.the_treaty(t) for t in ts])} after {day}" for day, ts in late.items()
    )
    first = pd.Timestamp(data["date"].min()).year
    description = (
        f"Step lines of the cumulative number of parties to {text.join(list(names.values()))} "
        f"from {first} to {as_of}, each named at its end. On {as_of}: "
        + "; ".join(f"{names[t]} {counts[t]}" for t in instruments)
        + ". Each line is solid while its records are complete"
        + (
            f" and dashed after they end ({ends}), where it counts only the parties the "
            "records and later official counts require, a lower bound"
            if late
            else ""
        )
        + ". A dot on each line marks its entry into force: "
        + "; ".join(
            f"{names[r.instrument]} {pd.Timestamp(r.date).date()}" for r in eif.itertuples()
        )
        + "."
    )
    return titled(
        band + line + dots + labels,
        "Cumulative parties",
        subtitle=f"to {as_of}; solid: records complete, dashed: records incomplete (a lower "
        "bound); dot: entry into force",
        description=description,
        width=560,
        height=height,
    )


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues, for validated parameters (as_of, treaties)."""
    as_of, instruments = params["as_of"], params["treaties"]
    table = parties_on(instruments, as_of)
    lead = table.iloc[0]
    c = count_on(lead["instrument"], as_of)
    cmp_ = grading(instruments)
    return {
        "as_of": str(as_of),
        "lead": text.the_treaty(lead["instrument"]),
        "lead_parties": int(lead["parties"]),
        "lead_parties_text": text.parties_text(c) if c.parties else "no parties",
        "lead_signatories": int(lead["signatories"]),
        "lead_signatories_text": text.plural(int(lead["signatories"]), "State", zero="no"),
        "n_instruments": len(table),
        "n_complete": int(table["complete"].sum()),
        "n_with_paper": cmp_["n_with_paper"],
        "grades": cmp_["grades"],
    }
