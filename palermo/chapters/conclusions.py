"""The chapter "The paper's conclusions, and after" (notebooks/conclusions.ipynb): the paper's
conclusions and recommendations, each with its own words; the near-universal count they start
from, on a date; and the book's reading, marked as its own, of how the 2024 UN Convention
against Cybercrime bears on them (data/curated/convention.yml, events.csv)."""

from __future__ import annotations

import pandas as pd

from ..data import curated, events, treaties
from ..model.coverage import count_on
from ..model.participation import members_outside
from ..render import text

CYBERCRIME = "CYBERCRIME"


def _doc() -> curated.ConventionDoc:
    return curated.load("convention")


def conclusions() -> pd.DataFrame:
    """The paper's conclusions and recommendations, in its order."""
    return pd.DataFrame(
        [{"conclusion": c.point, "the paper's words": c.quote} for c in _doc().conclusions]
    )


def cybercrime_facts() -> pd.DataFrame:
    """What the chronology holds on the Cybercrime Convention: each row's date and place from
    events.csv, and the fact as the book restates it."""
    rows = []
    for f in _doc().cybercrime.facts:
        ev = events.event(f.event)
        rows.append(
            {
                "when": text.period(ev["start"], ev["end"]),
                "where": ev["place"] or "",
                "what the chronology holds": f.fact,
                "confidence": ev["confidence"],
            }
        )
    return pd.DataFrame(rows)


def cybercrime_bearing() -> list[tuple[str, str]]:
    """(the conclusion's words in the paper, the book's reading) for each bearing point."""
    quotes = {c.id: c.quote for c in _doc().conclusions}
    return [(quotes[b.conclusion], b.point) for b in _doc().cybercrime.bearing]


def bearing_markdown() -> str:
    """Each bearing point under the paper's words it answers (a quote that starts mid-sentence
    is marked so)."""
    out = []
    for quote, reading in cybercrime_bearing():
        lead = "…" if quote[:1].islower() else ""
        out.append(f"> {lead}{quote}\n\n{reading}")
    return "\n\n".join(out)


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues (as_of)."""
    day = params["as_of"]
    c = count_on("UNTOC", day)
    outside, members = members_outside("UNTOC", day)
    cyber = treaties.resolve(CYBERCRIME)
    return {
        "as_of": str(day),
        "untoc_parties": text.parties_text(c),
        "untoc_complete": text.reach(c, "day"),
        "members_outside": text.plural(outside, "UN Member State"),
        "members": str(members),
        "n_conclusions": len(_doc().conclusions),
        "cyber_name": cyber.name,
        "cyber_records": (
            "The project holds its treaty records"
            if treaties.held(cyber)
            else "The project does not hold its treaty records yet, so the book cannot count "
            "its parties or signatories"
        ),
    }
