"""Self-checks for the exercise worksheets (notebooks/exercises/). They live here, not in the
worksheets, so a student sees a helpful message rather than the answer. A wrong or missing
answer raises :class:`CheckFailed` (a plain ``raise``, so the checks work under ``python -O``,
which strips ``assert``)."""

from __future__ import annotations

import pandas as pd

from ..data import countries
from ..errors import PalermoError
from ..model import status
from ..model.participation import members_outside, resolve, signature_to_consent


class CheckFailed(PalermoError):
    """The answer is missing, of the wrong kind, or not right; the message says how to go on."""


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise CheckFailed(message)


def _need(answer, kind, hint) -> None:
    _require(answer is not None, f"Give an answer first: replace None with your {hint}.")
    if kind is bool:
        ok = isinstance(answer, bool)
    elif kind is float:
        ok = isinstance(answer, (int, float)) and not isinstance(answer, bool)
    else:
        ok = isinstance(answer, kind) and not isinstance(answer, bool)
    _require(ok, f"Your answer should be {hint} (a {kind.__name__}), not {type(answer).__name__}.")


def _verdict(treaties_, as_of) -> str:
    """'Correct.' where the records are complete on as_of for every treaty the answer rests
    on, with the date each is complete through; otherwise what the check can say: the answer
    agrees with the records, which end before the day, so it is not confirmed (records
    incomplete on a day never confirm an answer)."""
    from ..data import treaties
    from ..model.coverage import complete_through
    from ..model.dates import require
    from ..render import text

    day = require(as_of)
    late, held = {}, {}
    for t in treaties_:
        through = complete_through(t)
        (late if through < day else held)[treaties.resolve(t).short] = through
    if not late:
        # the answer key carries the records' coverage date beside every answer
        reach = text.join([f"{t} (complete through {d})" for t, d in held.items()])
        return f"Correct. The records of {reach} reach {day}."
    ends = text.join([f"{t} (complete through {d})" for t, d in late.items()])
    return (
        f"Consistent with the records, but not confirmed: the records of {ends} end before "
        f"{day}, so a later action may change the answer (a count is a lower bound)."
    )


def check_parties(answer, treaty, as_of) -> str:
    _need(answer, int, "number of parties")
    c = status.counts(treaty, as_of)
    _require(
        answer != c["signatories"] or c["signatories"] == c["parties"],
        "That is the number of signatories. A party has ratified, accepted, approved or acceded.",
    )
    _require(
        c["parties"] <= answer <= c["parties_max"],
        "Not quite. Count the participants whose status on that date is 'party' "
        "(status.counts gives it).",
    )
    return _verdict([treaty], as_of)


def check_share_outside(answer, treaty, as_of) -> str:
    _need(answer, float, "share as a decimal between 0 and 1")
    _require(0 <= answer <= 1, "A share lies between 0 and 1 (0.25 means a quarter).")
    outside, members = members_outside(treaty, as_of)
    _require(
        abs(answer - outside / members) < 0.005,
        "Not quite. Count only UN Member States (countries.members_on) and those of them "
        "not party, then divide.",
    )
    return _verdict([treaty], as_of)


def slowest_in_region(region, treaty, as_of) -> pd.DataFrame:
    d = signature_to_consent([treaty], as_of, countries.scheme_of(region))
    return d[d["region"] == region].sort_values("years", ascending=False)


def check_slowest(answer, region, treaty, as_of) -> str:
    _need(answer, str, "State's name or ISO3 code")
    d = slowest_in_region(region, treaty, as_of)
    _require(
        not d.empty,
        f"No State in {region} signed and then ratified {treaty} by {as_of}: the answer is 'none'.",
    )
    top = d.iloc[0]
    _require(
        answer.strip().upper() == top["participant_id"]
        or answer.strip().lower() == top["name"].lower(),
        "Not quite. Keep the States that signed first, compute consent minus signature, "
        "and take the largest.",
    )
    return _verdict([treaty], as_of)


def check_median_years(answer, region, treaty, as_of) -> str:
    _need(answer, float, "number of years (a decimal)")
    d = slowest_in_region(region, treaty, as_of)
    _require(
        abs(answer - d["years"].median()) < 0.1,
        "Not quite: take the median of the years, not the mean.",
    )
    return _verdict([treaty], as_of)


def check_is_party(answer, country, treaty, as_of) -> str:
    _need(answer, bool, "True or False")
    truth = status.is_party(treaty, resolve(country), as_of)
    _require(answer == truth, "Not quite. Look at its status on that date, not today.")
    return _verdict([treaty], as_of)


def treaties_joined(country, as_of) -> int:
    """How many of the book's treaties a country was party to on as_of."""
    from ..data import treaties

    pid = resolve(country)
    return sum(status.is_party(t, pid, as_of) for t in treaties.with_records())


def check_treaties_joined(answer, country, as_of) -> str:
    from ..data import treaties

    _need(answer, int, "number of treaties")
    _require(
        answer == treaties_joined(country, as_of),
        "Not quite. Count the treaties whose status is 'party' on that date.",
    )
    return _verdict([t.short for t in treaties.with_records()], as_of)


# --- for the printed worksheets: the data a student reads the answers from, and the answers ---


def answer(value):
    """The worked answer, shown under a solution cell (and in the teacher's printed sheet)."""
    from IPython.display import Markdown

    shown = f"{value:.3f}" if isinstance(value, float) else str(value)
    return Markdown(f"**Answer:** {shown}")


def parties_by_region(treaty, as_of) -> pd.DataFrame:
    """Exercise 1 on paper: for each region, the participants that were parties, the UN
    Member States, and the Member States that were parties, on as_of (with a total row)."""
    st = status.status(treaty, as_of)
    parties = set(st.loc[st["status"] == "party", "participant_id"])
    members = set(countries.members_on(as_of)["participant_id"])
    ids = sorted(set(st["participant_id"]) | members)
    d = pd.DataFrame({"participant_id": ids})
    d["region"] = [countries.region_of(p) for p in ids]
    d["party"] = d["participant_id"].isin(parties)
    d["member"] = d["participant_id"].isin(members)
    d["member_party"] = d["party"] & d["member"]
    g = d.groupby("region")
    out = pd.DataFrame(
        {
            "parties (all participants)": g["party"].sum(),
            "UN Member States": g["member"].sum(),
            "Member States that were parties": g["member_party"].sum(),
        }
    ).astype(int)
    out.loc["all regions"] = out.sum()
    return out.reset_index()


def region_delays(region, treaty, as_of) -> pd.DataFrame:
    """Exercise 2 on paper: the region's States that signed and then ratified, by name."""
    d = slowest_in_region(region, treaty, as_of).sort_values("name")
    d = d.assign(
        signature=d["signature"].dt.date.astype(str), consent=d["consent"].dt.date.astype(str)
    )
    return d[["name", "signature", "consent", "years"]].round({"years": 2})


def peak_year(treaty, as_of) -> int:
    """The calendar year in which the treaty gained most new parties (the earliest, on a tie)."""
    from ..model.coverage import peak_year as peak

    return peak(treaty, as_of).year


def check_peak_year(answer, treaty, as_of) -> str:
    _need(answer, int, "year, as a whole number")
    _require(
        answer == peak_year(treaty, as_of),
        "Not quite. Find the tallest bar in the chart of new parties per year.",
    )
    return "Correct."


# the three calendar years either side of the 2012 Conference of the Parties (exercise 4)
BEFORE_2012, AFTER_2012 = (2010, 2011, 2012), (2013, 2014, 2015)


def after_2012(treaty, as_of) -> str:
    """'more', 'fewer' or 'the same' new parties in 2013-2015 than in 2010-2012; 'cannot say'
    when the treaty was not open all those years or the date falls before the end of 2015."""
    from ..chapters import explanations

    d = explanations.new_parties(treaty, as_of).set_index("year")
    years = BEFORE_2012 + AFTER_2012
    day = pd.Timestamp(str(as_of))
    if not set(years) <= set(d.index) or day < pd.Timestamp(AFTER_2012[-1], 12, 31):
        return "cannot say"
    if (d.loc[list(years), "records"] != "complete").any():
        return "cannot say"
    before = int(d.loc[list(BEFORE_2012), "new_parties"].sum())
    after = int(d.loc[list(AFTER_2012), "new_parties"].sum())
    return "more" if after > before else "fewer" if after < before else "the same"


def check_after_2012(answer, treaty, as_of) -> str:
    _need(answer, str, "answer as text: 'more', 'fewer', 'the same' or 'cannot say'")
    allowed = ("more", "fewer", "the same", "cannot say")
    given = " ".join(answer.strip().lower().split())
    _require(given in allowed, f"Answer with one of: {', '.join(allowed)}.")
    _require(
        given == after_2012(treaty, as_of),
        "Not quite. Add up the bars for 2010, 2011 and 2012, then those for 2013, 2014 and "
        "2015. If your date comes before the end of 2015, your treaty was not open in 2010, "
        "or some of those bars are pale (records incomplete), the records cannot say.",
    )
    return "Correct."


def weighing() -> pd.DataFrame:
    """Exercise 4's worked answer: for each explanation, what the paper offers for and against
    it and what treaty records can show."""
    from ..chapters import explanations

    m = explanations.argument_map()[["n", "explanation", "for", "against"]]
    return m.merge(explanations.what_would_test()[["n", "what treaty records can show"]], on="n")
