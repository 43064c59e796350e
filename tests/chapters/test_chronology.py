"""The chapter "From Naples to Palermo, and after" (palermo.chapters.chronology): the
eras, the key events and the genesis, from the chronology."""

import datetime as dt

import pytest

from palermo import config
from palermo.chapters import chronology

pytestmark = pytest.mark.unit


PAPER_DATE = dt.date(2020, 12, 23)


def notebook(name: str) -> str:
    return (config.NOTEBOOKS / f"{name}.md").read_text(encoding="utf-8")


# F1: six Crime Congresses before the negotiations, not eight
@pytest.mark.review("reader-2026-12", "F1")
def test_the_genesis_counts_crime_congresses_apart_from_ministerial_meetings():
    p = {"start": dt.date(1970, 1, 1), "end": PAPER_DATE, "categories": ["congress"]}
    f = chronology.facts(p)
    assert (f["n_congresses_before"], f["n_ministerial_before"]) == (6, 2)
    assert "n_ministerial_before" in notebook("chronology")
