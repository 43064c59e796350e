"""The chapter "Country profiles" (notebooks/countries.ipynb): every participant in the records
and every UN Member State, by region, with its standing under the Convention and its Protocols on
a date, each name linked to its profile page."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..data import countries, treaties
from ..model import status
from ..model.coverage import complete_through, coverage
from ..model.participation import known, page_slug
from ..render import text

# the Convention and its Protocols, as the index's columns
PROFILES = "country_profile"  # the folder of the profile pages, beside this page


def profile_href(pid: str) -> str:
    """The address of a participant's profile page, relative to this chapter's page (the plan
    writes the profiles to book/country_profile/<slug>.ipynb)."""
    return f"{PROFILES}/{page_slug(pid)}.html"


def profile_links(idx: pd.DataFrame) -> dict[str, list[str]]:
    """The index's links: each participant's name to its profile page (``tables.show(links=)``)."""
    return {"participant": [profile_href(pid) for pid in idx["ISO code"]]}


def _standing(row, day, through) -> str:
    """'party since 2006-08-02', 'signatory since 2000-12-12', 'none'; past the treaty's
    records, a status short of party with the records' last date (:func:`text.standing`)."""
    if row is None:
        return text.standing("none", day, through)
    st = row["status"]
    if st in ("party", "possibly_party"):
        when = text.consent(row["consent"], row["consent_latest"], row["precision"])
    elif st == "signatory":
        when = text.iso(row["signature"])
    else:
        when = ""
    return text.standing(st, day, through, when)


def index(as_of: dt.date) -> pd.DataFrame:
    """One row per participant: its name, ISO code, region, and its standing under each
    instrument on as_of; sorted by region, then name."""
    group = treaties.group("convention")
    rows = []
    for pid, name in known().items():
        row = {"participant": name, "ISO code": pid, "region": countries.region_of(pid)}
        for t in group:
            through = complete_through(t)
            row[treaties.resolve(t).short] = _standing(status.row_of(t, pid, as_of), as_of, through)
        rows.append(row)
    return pd.DataFrame(rows).sort_values(["region", "participant"], ignore_index=True)


def by_region(idx: pd.DataFrame) -> pd.DataFrame:
    """How many participants each region has, and how many were parties to the Convention."""
    untoc = treaties.resolve("UNTOC").short
    g = idx.groupby("region")
    return pd.DataFrame(
        {
            "participants": g.size(),
            f"parties to {text.treaty_name(untoc)}": g[untoc].apply(
                lambda s: int(s.str.startswith("party").sum())
            ),
        }
    ).reset_index()


def _none(col: pd.Series) -> pd.Series:
    return col.str.startswith("none")


def coverage_lines(as_of: dt.date) -> list[str]:
    """How far each instrument's records reach, for the line above the index: a status short
    of party after that date is only the last one the records know."""
    out = []
    for t in treaties.group("convention"):
        cov = coverage(t, as_of)
        tail = (
            ""
            if cov.complete
            else f"; {as_of} is later, so a status short of party there is the last the "
            "records know (and says so)"
        )
        out.append(f"{text.treaty_name(t)}: {text.through(cov)}{tail}.")
    return out


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues (as_of)."""
    idx = index(params["as_of"])
    untoc = treaties.resolve("UNTOC").short
    n_regions = idx["region"].nunique()
    return {
        "as_of": str(params["as_of"]),
        "n_participants": len(idx),
        "n_regions": n_regions,
        "n_untoc_parties": int(idx[untoc].str.startswith("party").sum()),
        "untoc_parties_text": ("" if coverage(untoc, params["as_of"]).complete else "at least ")
        + str(int(idx[untoc].str.startswith("party").sum())),
        "n_untoc_none": int(_none(idx[untoc]).sum()),
        "untoc_none_names": text.join(idx.loc[_none(idx[untoc]), "participant"].tolist()),
    }
