"""The chapter "Country profile" (notebooks/country_profile.ipynb, `palermo profile`): one
participant's record across the nine treaties, against its region, with the project's curated
mentions of it."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pandas as pd

from ..data import countries, curated, events, treaties
from ..errors import UsageError
from ..model import claims, status
from ..model.coverage import complete_through, coverage
from ..model.dates import require
from ..model.participation import known, regional_curves, resolve, signature_to_consent
from ..render import text
from ..render.charts import coverage_line, titled


@lru_cache(maxsize=8)
def _medians(as_of: dt.date) -> pd.DataFrame:
    d = signature_to_consent([t.short for t in treaties.with_records()], as_of)
    # no State had signed and then consented yet (1988): an empty table, no medians
    d["days"] = (pd.to_datetime(d["consent"]) - pd.to_datetime(d["signature"])).dt.days
    return d.groupby(["instrument", "region"])["days"].agg(["median", "count"])


def record(pid: str, as_of: dt.date) -> pd.DataFrame:
    """The participant's status under each treaty, with days from signature to consent
    against the median for its region and the number of States that median is taken over
    (States that signed first, day-dated consent)."""
    day = require(as_of)
    region = countries.region_of(pid)
    med = _medians(day)
    rows = []
    for t in treaties.with_records():
        r = status.row_of(t, pid, day)
        sig = None if r is None or pd.isna(r["signature"]) else r["signature"]
        con = None if r is None or pd.isna(r["consent"]) else r["consent"]
        days = (
            (con - sig).days
            if r is not None and sig is not None and con is not None and r["precision"] == "day"
            else None
        )
        m = med.loc[(t.short, region)] if (t.short, region) in med.index else None
        cov = coverage(t, day)
        rows.append(
            {
                "treaty": t.short,
                "name": t.name,
                # past the treaty's records, a status short of party is the last one known
                "status": text.standing(
                    "none" if r is None else r["status"], day, cov.complete_through
                ),
                "signature": "" if sig is None else str(sig.date()),
                "consent": ""
                if r is None
                else text.consent(con, r["consent_latest"], r["precision"]),
                "action": "" if r is None or not isinstance(r["action"], str) else r["action"],
                "days to consent": "" if days is None else days,
                # the median days for the region's States, with how many States it is taken over
                f"{region}: median days (n)": ""
                if m is None or pd.isna(m["median"])
                else text.median_cell(m["median"], int(m["count"]), unit="days"),
                # a stretch carried past the status table only by a matching headline count is
                # consistent with it, not proven complete (reader review G8)
                "records complete through": text.through(cov, "cell"),
            }
        )
    return pd.DataFrame(rows)


def _names(pid: str) -> list[str]:
    return sorted({known()[pid], *countries.aliases(pid)})


def events_of(pid: str) -> pd.DataFrame:
    """The chronology's events that concern the participant, by its id in the events'
    ``countries`` column (not by its name in the text: a session in Vienna does not concern
    Austria, and Falcone's murder concerns Italy though the row does not name it). Events of
    unconfirmed date are left out."""
    ev = events.load()
    codes = ev["countries"].fillna("").str.split(";")
    return ev[codes.map(lambda cs: pid in cs) & (ev["confidence"] != "unconfirmed")]


# the short forms and adjectives the paper and the curated notes use for a few States
SHORT_FORMS = {
    "GBR": ("UK", "Britain", "British"),
    "USA": ("US", "USA"),
    "ITA": ("Italian",),
    "POL": ("Polish",),
    "RUS": ("Russian",),
    "MEX": ("Mexican",),
    "EGY": ("Egyptian",),
    "TUR": ("Turkish",),
    "CHN": ("Chinese",),
    "JPN": ("Japanese",),
    "FIN": ("Finnish",),
    "ZAF": ("South African",),
}


def name_pattern(pid: str) -> re.Pattern:
    """The participant's names, its short forms and its ISO3 code, as whole words with their
    capitals ("Mali" never matches "formalised", "Niger" never "Nigeria", "US" never "us")."""
    names = sorted({*_names(pid), *SHORT_FORMS.get(pid, ()), pid}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def mentions(pid: str) -> pd.DataFrame:
    """Where the project's curated files speak of the participant: the claims ledger, the
    States the paper names, the people of the who's who from it, the interview notes and the
    chronology (by id, see :func:`events_of`). Names match as whole words with their capitals
    (:func:`name_pattern`)."""
    pat = name_pattern(pid)
    rows = []
    for c in claims.ledger():
        if c.args.get("participant") == pid or pat.search(c.claim):
            rows.append(
                {
                    "where": "claims ledger",
                    "date": str(c.refers_to),
                    "text": c.claim,
                    "source": f"the paper, section \u201c{c.section}\u201d",
                }
            )
    for g in curated.load("paper_states").groups:
        if pid in g.participants:
            rows.append(
                {
                    "where": "the paper names it",
                    "date": "",
                    "text": f"Named by the paper among: {g.label}.",
                    "source": g.source,
                }
            )
    people = curated.load("people")
    from_here = set()
    for r in people.itertuples():
        if isinstance(r.affiliation, str) and pat.search(r.affiliation):
            from_here.add(r.name)
            rows.append(
                {
                    "where": "who's who",
                    "date": "",
                    "text": f"{r.name}: {r.role}",
                    "source": f"the paper, section \u201c{r.section}\u201d",
                }
            )
    for r in curated.load("interviews").itertuples():
        # every note of an interviewee from the State, and any note that names it
        if r.speaker in from_here or pat.search(r.paraphrase) or pat.search(r.role):
            rows.append(
                {
                    "where": "interview note",
                    "date": "",
                    "text": r.paraphrase,
                    "source": f"the paper's note {r.note} ({r.speaker})",
                }
            )
    for r in events_of(pid).itertuples():
        rows.append(
            {
                "where": "chronology",
                "date": str(r.start.date()),
                "text": r.event,
                "source": r.symbol if isinstance(r.symbol, str) and r.symbol else r.confidence,
            }
        )
    return pd.DataFrame(rows, columns=["where", "date", "text", "source"])


def region_chart(pid: str, as_of: dt.date, treaty: str = "UNTOC"):
    import altair as alt

    region = countries.region_of(pid)
    curves = regional_curves(treaty, as_of)
    curves = curves[curves["region"] == region]
    r = status.row_of(treaty, pid, as_of)
    name = known()[pid]
    called = text.treaty_name(treaty)
    marks = []
    if r is not None and r["status"] == "party" and r["precision"] == "day":
        when = r["consent"]
        n = int((curves[curves["date"] <= when]["parties"]).max()) if not curves.empty else 0
        marks = [{"date": when, "parties": n, "label": name}]
    line = coverage_line(
        curves,
        x=alt.X("date:T", title=None),
        y=alt.Y("parties:Q", title=f"parties in {region}"),
        colour=alt.value("#0072B2"),
        tooltip=[alt.Tooltip("date:T"), "parties"],
    )
    layers = [line]
    if marks:
        m = pd.DataFrame(marks)
        layers += [
            alt.Chart(m)
            .mark_point(size=120, filled=True, color="#D55E00")
            .encode(x="date:T", y="parties:Q", tooltip=["label", alt.Tooltip("date:T")]),
            alt.Chart(m)
            .mark_text(align="left", dx=8, color="#D55E00")
            .encode(x="date:T", y="parties:Q", text="label"),
        ]
    return titled(
        alt.layer(*layers),
        f"{called} in {region}",
        subtitle=f"{name} marked where it joined",
        description=f"Step line of the cumulative parties to {text.the(called)} in {region}, with "
        f"{name}'s consent marked.",
        width=520,
        height=260,
    )


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues (country, as_of)."""
    pid = resolve(params["country"])
    day = params["as_of"]
    rec = record(pid, day)
    name = known()[pid]
    party = rec["status"] == "party"
    signed = rec["status"].str.startswith("signatory")
    n_party, n_signatory = int(party.sum()), int(signed.sum())
    # where a treaty's records end before as_of, a status short of party may since have changed
    # (the date each treaty's records reach, from the model, not read back from the table)
    through = {t: complete_through(t) for t in rec["treaty"]}
    late = rec["treaty"].map(through) < day
    open_ = rec[~party & late]
    n = len(rec)
    if open_.empty:
        caveat = f" The records of every treaty it has not joined are complete on {day}."
        parties_text = (
            f"{text.plural(n_party, 'treaty', 'treaties')} of the {n} in the records"
            if n_party
            else f"none of the {n} treaties in the records"
        )
        signatory_text = text.plural(n_signatory, "treaty", "treaties", zero="no")
        if not n_signatory:
            signatory_text = "no treaty"
    else:
        it = "it" if len(open_) == 1 else "them"
        caveat = (
            f" The records of {text.through_dates((t, through[t]) for t in open_['treaty'])} "
            f"end before {day}, so {name} may have joined "
            f"{it} since: the party count is a lower bound and the signatory count an upper one."
        )
        parties_text = f"at least {n_party} of the {n} treaties in the records"
        signatory_text = (
            f"at most {text.plural(n_signatory, 'treaty', 'treaties')}"
            if n_signatory
            else "no treaty"
        )
    return {
        "open_treaties": list(open_["treaty"]),
        "records_caveat": caveat,
        "pid": pid,
        "name": name,
        "region": countries.region_of(pid),
        "as_of": str(day),
        "n_treaties": n,
        "n_party": n_party,
        "n_signatory": n_signatory,
        "parties_text": parties_text,
        "signatory_text": signatory_text,
    }


def heading(facts_: dict) -> str:
    """The profile's first paragraph, in Markdown (the page's heading is the participant's name
    in the book, 'Country profile' in a notebook of one's own)."""
    f = facts_
    return (
        f"**{f['name']}** ({f['pid']}). Region (UN M49): {f['region']}. On {f['as_of']}, "
        f"{f['name']} was a party to {f['parties_text']}, and had signed "
        f"{f['signatory_text']} without becoming a party.{f.get('records_caveat', '')}"
    )


def curated_rows(pid: str) -> pd.DataFrame:
    """The curated treaty actions of the participant (the rows after the raw tables that its
    record above is built from), each with its source."""
    names = known()
    acts = curated.treaty_actions()
    rows = []
    for r in acts.itertuples():
        try:
            if countries.lookup(r.participant, names) != pid:
                continue
        except UsageError:
            continue
        rows.append(
            {
                "treaty": text.treaty_name(r.treaty),
                "action": r.action,
                "date": text.consent(r.earliest, r.latest, r.date_precision),
                "evidence": r.evidence,
                "source": text.readable(r.source),
            }
        )
    return pd.DataFrame(rows, columns=["treaty", "action", "date", "evidence", "source"])


def rows_or_none(pid: str):
    """The participant's curated treaty actions, or a sentence saying there are none."""
    rows = curated_rows(pid)
    name = known()[pid]
    return (
        f"No curated treaty action concerns {name}: its record is the raw tables'."
        if rows.empty
        else rows
    )


def leads_or_none(pid: str):
    """What the project found about the participant and does not count, or a sentence saying
    there is nothing."""
    leads = leads_of(pid)
    return f"The project holds no uncounted lead about {known()[pid]}." if leads.empty else leads


def leads_of(pid: str) -> pd.DataFrame:
    """What the project found about the participant and does not count (leads.csv): each
    fact with how far it can be trusted and its source."""
    names = known()
    leads = curated.load("leads")
    rows = []
    for r in leads.itertuples():
        hit = False
        for who in str(r.participant).split(";"):
            try:
                hit = hit or countries.lookup(who.strip(), names) == pid
            except UsageError:
                continue
        if hit:
            rows.append(
                {
                    "treaty": text.join([text.treaty_name(t) for t in str(r.treaty).split(";")]),
                    "not counted": text.readable(r.fact),
                    "how sure": r.confidence,
                    "source": text.readable(r.source),
                }
            )
    return pd.DataFrame(rows, columns=["treaty", "not counted", "how sure", "source"])


def mentions_or_none(pid: str):
    """The mentions table, or a sentence saying there are none."""
    m = mentions(pid)
    return (
        f"The paper, the claims ledger, the who's who, the interview notes and the chronology do "
        f"not mention {known()[pid]}."
        if m.empty
        else m
    )
