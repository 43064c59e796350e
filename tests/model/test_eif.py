"""Entry into force recomputed from the records (palermo.model.eif)."""

import datetime as dt

import pandas as pd
import pytest

from palermo import config
from palermo.data import vocab
from palermo.model import status
from palermo.model.eif import entry_into_force

pytestmark = pytest.mark.unit


D = dt.date


# entry into force
@pytest.mark.parametrize(
    "short", ["UNTOC", "TIP", "SOM", "FIREARMS", "UNCAC", "ROME", "BOMBINGS", "FINANCING"]
)
def test_entry_into_force_matches_official(short):
    e = entry_into_force(short)
    assert e.computed == e.official, e


def test_1988_convention_is_a_known_limitation_not_patched():
    """The 20th listed instrument is 20 Aug 1990, so the records give 18 Nov 1990, not the
    official 11 Nov 1990: a predecessor state's instrument is likely missing from the table."""
    e = entry_into_force("DRUGS1988")
    assert not e.match
    assert e.nth_date == D(1990, 8, 20)
    assert e.computed == D(1990, 8, 20) + dt.timedelta(days=90)
    # On the day the official date implies for the 20th instrument (13 Aug 1990), the table
    # lists only 19: exactly one earlier instrument is missing.
    tab = status.status("DRUGS1988", config.today())
    implied = pd.Timestamp(e.official - dt.timedelta(days=90))
    listed = (tab["action"].isin(vocab.QUALIFYING) & (tab["consent"] <= implied)).sum()
    assert listed == e.n - 1
