"""The chapter "What the Convention is" (notebooks/convention.ipynb): the Convention's main
elements as the paper lists them, why terrorism stayed out, and the instruments' parties on a
date (data/curated/convention.yml; the records)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..data import curated, treaties
from ..model.coverage import count_on
from ..render import text


def _doc() -> curated.ConventionDoc:
    return curated.load("convention")


def elements() -> pd.DataFrame:
    """The main elements, in the order the paper's text gives them, each explained and quoted.
    An element the paper says the Convention leaves out is labelled "Not covered"."""
    return pd.DataFrame(
        [
            {
                "element": e.element,
                "what it means": e.explained,
                "the paper's words": e.quote,
                "the paper's section": e.section,
            }
            for e in _doc().elements
        ]
    )


def instruments_on(as_of: dt.date) -> pd.DataFrame:
    """The Convention and its Protocols: adoption, entry into force and parties on as_of, as
    the records give them: one number or, where an action is dated only to a year, a range
    where the records are complete; the bounds where they are not, with the parties the records
    name (a range too where an action is dated only to a year)."""
    rows = []
    for short in treaties.group("convention"):
        t = treaties.resolve(short)
        c = count_on(t, as_of)
        rows.append(
            {
                "instrument": t.name,
                "adopted": str(treaties.adopted(t)),
                f"parties on {as_of}": text.parties_text(c)
                .replace(" parties", "")
                .replace(" party", ""),
                "the records": text.reach(c, "cell"),
            }
        )
    return pd.DataFrame(rows)


# the paper's section where its own numbered list of what the Convention does stands
BACKGROUND = "Background to the Convention"


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues (as_of)."""
    doc = _doc()
    t = doc.terrorism
    opposed = t.opposed
    return {
        "as_of": str(params["as_of"]),
        "n_elements": len(doc.elements),
        "n_not_covered": sum(e.element.startswith("Not covered") for e in doc.elements),
        "n_background": sum(e.section == BACKGROUND for e in doc.elements),
        "n_sections": len({e.section for e in doc.elements}),
        "terrorism_quote": t.quote,
        "advocates": text.join(t.advocated_inclusion) if t.advocated_inclusion else "none",
        "opposed": (
            f"It names, as opposing inclusion, {text.join(opposed)}."
            if opposed
            else "It names no State that opposed inclusion, and gives no reason for the outcome."
        ),
    }
