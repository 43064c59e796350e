"""The handout (palermo.teaching.handout): its counts, its caveat and its quotations."""

import datetime as dt

import pytest

pytestmark = pytest.mark.unit


PAPER_DATE = dt.date(2020, 12, 23)


# the seminar: answers past the records are not "accepted"; the argument in every pack
@pytest.mark.review("reader-2026-12", "finding 3")
def test_the_handout_says_at_least_past_the_records():
    from palermo.teaching import handout

    f = handout.facts(PAPER_DATE)
    assert f["counts"]["TIP"].startswith("at least ") and "complete only through" in f["caveat"]
    assert f["counts"]["UNTOC"] == "190"
