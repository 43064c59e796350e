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
    return "Correct."


def check_share_outside(answer, treaty, as_of) -> str:
    _need(answer, float, "share as a decimal between 0 and 1")
    _require(0 <= answer <= 1, "A share lies between 0 and 1 (0.25 means a quarter).")
    outside, members = members_outside(treaty, as_of)
    _require(
        abs(answer - outside / members) < 0.005,
        "Not quite. Count only UN Member States (countries.members_on) and those of them "
        "not party, then divide.",
    )
    return "Correct."


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
    return "Correct."


def check_median_years(answer, region, treaty, as_of) -> str:
    _need(answer, float, "number of years (a decimal)")
    d = slowest_in_region(region, treaty, as_of)
    _require(
        abs(answer - d["years"].median()) < 0.1,
        "Not quite: take the median of the years, not the mean.",
    )
    return "Correct."


def check_is_party(answer, country, treaty, as_of) -> str:
    _need(answer, bool, "True or False")
    st = status.status(treaty, as_of)
    pid = resolve(country)
    truth = bool(((st["participant_id"] == pid) & (st["status"] == "party")).any())
    _require(answer == truth, "Not quite. Look at its status on that date, not today.")
    return "Correct."


def treaties_joined(country, as_of) -> int:
    """How many of the book's treaties a country was party to on as_of."""
    from ..data import treaties

    pid = resolve(country)
    return sum(
        bool(((st["participant_id"] == pid) & (st["status"] == "party")).any())
        for st in (status.status(t, as_of) for t in treaties.with_records())
    )


def check_treaties_joined(answer, country, as_of) -> str:
    _need(answer, int, "number of treaties")
    _require(
        answer == treaties_joined(country, as_of),
        "Not quite. Count the treaties whose status is 'party' on that date.",
    )
    return "Correct."
