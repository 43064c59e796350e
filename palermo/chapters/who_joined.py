"""The chapter "Who joined, and when" (notebooks/who_joined.ipynb): a world map of status on
a date, cumulative parties by region, the States the paper names, and the Firearms Protocol
status of the largest arms exporters."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..data import countries, curated, geometry, registry
from ..model import status
from ..model.coverage import count_on, reach
from ..model.participation import regional_curves, regional_shares, status_over_universe
from ..render import text
from ..render.charts import STATUS_COLOURS, coverage_line, titled

LABELS = {
    "party": "party",
    "possibly_party": "party (date known to a bracket)",
    "signatory": "signatory only",
    "withdrawn": "withdrew",
    "none": "no action",
}


def status_table(treaty, as_of: dt.date, scheme: str = "m49_region") -> pd.DataFrame:
    """Every participant in the records plus every UN Member State, with status on as_of."""
    st = status_over_universe(treaty, as_of)
    st["status_label"] = st["status"].map(LABELS)
    st["id"] = st["participant_id"].map(countries.numeric_id)
    st["on_map"] = st["id"].isin(geometry.ids_on_map())
    st["region"] = st["participant_id"].map(lambda p: countries.region_of(p, scheme))
    st["signature_text"] = st["signature"].map(text.iso)
    st["consent_text"] = [
        text.consent(c, cl, p)
        for c, cl, p in zip(st["consent"], st["consent_latest"], st["precision"], strict=True)
    ]
    return st


def not_on_map(table: pd.DataFrame) -> pd.DataFrame:
    """Parties and signatories the 1:110m map cannot show (small States, the EU)."""
    off = table[~table["on_map"] & (table["status"] != "none")]
    return (
        off[["name", "status_label", "signature_text", "consent_text"]]
        .rename(
            columns={
                "status_label": "status",
                "signature_text": "signature",
                "consent_text": "consent",
            }
        )
        .sort_values("name")
    )


def paper_states(treaty, as_of: dt.date) -> pd.DataFrame:
    """The States the paper names, with their dates and their place in the order of parties."""
    doc = curated.load("paper_states")
    parties = status.parties(treaty, as_of)
    order = {pid: i + 1 for i, pid in enumerate(parties["participant_id"])}
    rows = []
    for g in doc.groups:
        if g.topic != "joining":
            continue  # named for the negotiation or the review: on their profiles
        for pid in g.participants:
            r = status.row_of(treaty, pid, as_of)
            rows.append(
                {
                    "group": g.label,
                    "name": r["name"] if r is not None else pid,
                    "signature": text.iso(r["signature"]) if r is not None else "",
                    "consent": text.iso(r["consent"]) if r is not None else "",
                    "party number": order.get(pid, "-"),
                    "of parties": len(parties),
                    "paper's section": g.section,
                }
            )
    return pd.DataFrame(rows)


def arms_exporter_list() -> pd.DataFrame:
    """The curated list: rank, ISO3, name, period, source."""
    return curated.load("arms_exporters")


def arms_exporters(as_of: dt.date) -> pd.DataFrame:
    ex = arms_exporter_list()
    rows = []
    for r in ex.itertuples():
        s = status.row_of("FIREARMS", r.participant, as_of)
        rows.append(
            {
                "rank": r.rank,
                "exporter": r.name,
                "status": LABELS["none"] if s is None else LABELS[s["status"]],
                "signature": "" if s is None else text.iso(s["signature"]),
                "consent": "" if s is None else text.iso(s["consent"]),
            }
        )
    return pd.DataFrame(rows)


# --- charts -----------------------------------------------------------------------------


def map_chart(table: pd.DataFrame, treaty_short: str, as_of: dt.date):
    import altair as alt

    g = registry.geometry()
    data = table[table["on_map"]][["id", "name", "status_label", "signature_text", "consent_text"]]
    domain = [LABELS[k] for k in STATUS_COLOURS]
    return titled(
        alt.Chart(
            alt.InlineData(
                values=geometry.world(), format=alt.DataFormat(type="topojson", feature=g.object)
            )
        )
        .mark_geoshape(stroke="white", strokeWidth=0.4)
        .transform_lookup(
            lookup="id",
            from_=alt.LookupData(
                data, "id", ["name", "status_label", "signature_text", "consent_text"]
            ),
            default="not a participant",
        )
        .encode(
            color=alt.Color(
                "status_label:N",
                title=None,
                scale=alt.Scale(
                    domain=domain + ["not a participant"],
                    range=list(STATUS_COLOURS.values()) + ["#EEEEEE"],
                ),
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=300),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="participant"),
                alt.Tooltip("status_label:N", title="status"),
                alt.Tooltip("signature_text:N", title="signature"),
                alt.Tooltip("consent_text:N", title="consent"),
            ],
        )
        .project("equalEarth"),
        f"{text.treaty_name(treaty_short)} on {as_of}",
        subtitle=f"boundaries: {g.package} {g.version} (Natural Earth 1:110m)",
        description=f"World map of each country's status under {text.the_treaty(treaty_short)} on "
        f"{as_of}: party, signatory only, or no action. States too small for the "
        "map are listed beside it.",
        width=600,
        height=330,
    )


def regional_chart(shares: pd.DataFrame, treaty_short: str, scheme: str, as_of: dt.date):
    """Each region's parties as a share of its UN Member States (model.regional_shares), so
    regions of different sizes compare; the counts are in the tooltip."""
    import altair as alt

    day = text.iso(as_of)
    return titled(
        coverage_line(
            shares,
            x=alt.X("date:T", title=None),
            y=alt.Y("share:Q", title="share of the region's States", axis=alt.Axis(format="%")),
            colour=alt.Color("region:N", title=None),
            tooltip=[
                "region",
                alt.Tooltip("date:T"),
                alt.Tooltip("share:Q", format=".0%"),
                alt.Tooltip("parties:Q", title="parties (Member States)"),
                alt.Tooltip("states:Q", title=f"Member States in the region on {day}"),
            ],
        ),
        f"{text.treaty_name(treaty_short)}: parties as a share of each region's States",
        subtitle=f"UN Member States on {day}; regions: {scheme.replace('_', ' ')}",
        description=f"Step lines of the share of each region's UN Member States ({scheme}) "
        f"that were parties to {text.the_treaty(treaty_short)}, from its adoption to {day}.",
        width=560,
        height=300,
    )


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues (as_of, treaty, region_scheme)."""
    as_of, treaty, scheme = params["as_of"], params["treaty"], params["region_scheme"]
    table = status_table(treaty, as_of, scheme)
    counts = table["status"].value_counts()
    last = regional_curves(treaty, as_of, scheme).groupby("region")["parties"].max()
    last = last.sort_values(ascending=False)
    shares = regional_shares(treaty, as_of, scheme).groupby("region")["share"].last()
    shares = shares.sort_values(ascending=False)
    exporters = arms_exporter_list()
    c = count_on(treaty, as_of)
    return {
        "as_of": str(as_of),
        "treaty": text.the_treaty(treaty),
        "n_party": int(counts.get("party", 0)),
        "n_signatory": int(counts.get("signatory", 0)),
        "n_none": int(counts.get("none", 0)),
        # past the records: the parties as bounds, the others as at most (any may have joined)
        "party_text": text.plural(int(counts.get("party", 0)), "party", zero="no")
        + " in the records"
        if c.complete
        else f"{text.plural(c.named, 'party')} named in the records, and {text.parties_text(c)} "
        "in all",
        "signatory_text": (
            ("" if c.complete else "at most ")
            + text.plural(int(counts.get("signatory", 0)), "State", zero="no")
        ).capitalize(),
        "none_text": ("" if c.complete else "at most ")
        + text.plural(int(counts.get("none", 0)), "UN Member State", zero="no"),
        "n_off_map": len(not_on_map(table)),
        "top_region": last.index[0],
        "top_region_n": int(last.iloc[0]),
        # regions tied at the top or the bottom are named together ("Americas and Europe")
        "top_share_region": text.join(sorted(shares[shares == shares.iloc[0]].index)),
        "top_share": f"{shares.iloc[0]:.0%}",
        "low_share_region": text.join(sorted(shares[shares == shares.iloc[-1]].index)),
        "low_share": f"{shares.iloc[-1]:.0%}",
        "coverage": text.coverage_note(*reach(treaty, as_of)),
        "n_exporters": len(exporters),
        "exporters_period": exporters["period"].iloc[0],
    }
