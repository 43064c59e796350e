"""The chapter "Who joined, and when" (palermo.chapters.who_joined): the map, the status
table and the States the paper names."""

import datetime as dt

import pytest

pytestmark = pytest.mark.unit


PAPER_DATE = dt.date(2020, 12, 23)


# profiles: whole-word names; the countries and people the paper names
@pytest.mark.review("reader-2026-12", "§5")
def test_who_joined_keeps_to_the_states_named_for_joining():
    from palermo.chapters import who_joined

    ps = who_joined.paper_states("UNTOC", PAPER_DATE)
    assert "Mexico" not in set(ps["name"]) and "Monaco" in set(ps["name"])
