"""The one reading of a date parameter (``as_of``, ``start``, ``end``).

:func:`parse_as_of` turns a parameter's text into a ``datetime.date`` at the boundary (the CLI
and :mod:`palermo.model.params`); past it the model takes dates only, and :func:`require`
refuses anything else with a message that says where text is read."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from .. import config
from ..data import curated, registry
from ..errors import UsageError

LATEST = "latest"


def latest_record_date() -> dt.date:
    """The latest date any record speaks for: the newest raw status date, headline count or
    curated action (read from the registry and the curated files, without parsing raw files)."""
    dates = [s.status_date for s in registry.registry()]
    dates.append(curated.party_counts()["date"].max().date())
    dates.append(curated.treaty_actions()["latest"].max().date())
    return max(dates)


def parse_as_of(
    value: str | dt.date | pd.Timestamp | None,
    name: str = "as_of",
    earliest: dt.date = config.MIN_DATE,
) -> dt.date:
    """An ISO date between ``earliest`` (1988-01-01) and today, or ``latest`` (the latest date
    the records speak for); None gives the paper's submission date, 2020-12-23."""
    if value is None:
        return config.PAPER_DATE
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        text = str(value).strip()
        if text.lower() == LATEST:
            value = latest_record_date()
            if not earliest <= value <= config.today():
                raise UsageError(
                    f"{name} 'latest' resolves to {value}, outside {earliest} to "
                    f"{config.today()}; check the newest dates in data/"
                )
            return value
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(text)
            value = dt.date.fromisoformat(text)
        except ValueError:
            raise UsageError(
                f"{name} {value!r} is not a date; give an ISO date YYYY-MM-DD between "
                f"{earliest} and {config.today()}, or '{LATEST}'"
            ) from None
    if not earliest <= value <= config.today():
        raise UsageError(
            f"{name} {value} is out of range; allowed: {earliest} to "
            f"{config.today()} (today), or '{LATEST}'"
        )
    return value


def require(value: dt.date | pd.Timestamp, name: str = "as_of") -> dt.date:
    """``value`` as a ``datetime.date``: the model's functions take dates, not text (a
    caller with text reads it once with :func:`palermo.model.params.as_of`)."""
    if isinstance(value, dt.datetime):  # pd.Timestamp is one
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(
        f"{name} {value!r}: the model takes a datetime.date; read an ISO date or "
        f"'{LATEST}' with palermo.model.params.as_of({value!r}) first"
    )
