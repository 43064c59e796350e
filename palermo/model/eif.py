"""Entry into force recomputed from the records: the date of deposit of the n-th qualifying
instrument plus the treaty's delay (instruments of a regional economic integration
organization left out where the treaty says so), against the official date."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..data import treaties
from ..data.countries import EU_ID
from ..data.vocab import QUALIFYING
from ..errors import DataError
from .status import table


@dataclass(frozen=True)
class EntryIntoForce:
    """A treaty's entry into force recomputed from the records: the ``n``-th qualifying
    instrument (``article`` of the treaty) was deposited on ``nth_date`` by
    ``nth_participants``, which gives ``computed``; ``official`` is the date the depositary
    gives (None: not in force), ``match`` whether the two agree. ``computed`` is None where the
    records hold fewer than ``n`` qualifying instruments dated to the day."""

    treaty: str
    number: str
    article: str
    n: int
    official: dt.date | None
    official_source: str
    computed: dt.date | None
    nth_date: dt.date | None
    nth_participants: tuple[str, ...]

    @property
    def match(self) -> bool:
        return self.computed is not None and self.computed == self.official

    def as_dict(self) -> dict:
        """As ``palermo check --json`` prints it."""
        return {**dataclasses.asdict(self), "match": self.match}

    def computed_date(self) -> dt.date:
        """``computed``, for a reading that needs the date: DataError where the records hold
        too few qualifying instruments to recompute it."""
        if self.computed is None:
            raise DataError(
                f"{self.treaty}: the records hold fewer than {self.n} qualifying instruments "
                "dated to the day, so its entry into force cannot be recomputed"
            )
        return self.computed


def entry_into_force(treaty) -> EntryIntoForce:
    """The one recomputation (see :class:`EntryIntoForce`)."""
    t = treaties.resolve(treaty)
    rule = t.eif_rule
    tab = table(t.number)
    q = tab[tab["action"].isin(QUALIFYING) & (tab["precision"] == "day")]
    if not rule.get("reio_counted", True):
        q = q[q["participant_id"] != EU_ID]
    q = q.sort_values(["consent", "name"], kind="stable")
    n = int(rule["n"])
    # what the treaty gives, whatever the records hold: the answer where they hold too few
    known = EntryIntoForce(
        treaty=t.short,
        number=t.number,
        article=t.eif_article,
        n=n,
        official=t.official_eif,
        official_source=t.official_eif_source,
        computed=None,
        nth_date=None,
        nth_participants=(),
    )
    if len(q) < n:
        return known
    nth = q.iloc[n - 1]["consent"]
    computed = nth + pd.Timedelta(days=int(rule["days"]))
    if rule.get("first_of_month"):
        computed = (computed + pd.offsets.MonthBegin(1)).normalize()
    floor = rule.get("not_before")
    if floor:
        computed = max(computed, pd.Timestamp(entry_into_force(floor).computed))
    return dataclasses.replace(
        known,
        computed=computed.date(),
        nth_date=nth.date(),
        nth_participants=tuple(q[q["consent"] == nth]["name"]),
    )
