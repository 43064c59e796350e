"""No curve is drawn solid past its treaty's complete_through, in the chart data of each chapter
(the built pages: tests/book/test_coverage_charts.py)."""

import pandas as pd
import pytest

from palermo.chapters import chronology, figure1, peers
from palermo.data import treaties
from palermo.model import coverage
from palermo.model.params import as_of as read_day
from palermo.model.participation import regional_curves


def assert_honest(df: pd.DataFrame, treaty_of) -> None:
    assert set(df["records"]) <= {"complete", "incomplete"}
    for key, g in df.groupby(df.apply(treaty_of, axis=1)):
        through = pd.Timestamp(coverage.complete_through(key))
        assert (g.loc[g["records"] == "complete", "date"] <= through).all(), key
        assert (g.loc[g["records"] == "incomplete", "date"] >= through).all(), key
        if (g["date"] > through).any():  # the solid part reaches the end of complete records
            assert (g.loc[g["records"] == "complete", "date"] == through).any(), key


@pytest.mark.unit
@pytest.mark.parametrize("as_of", ["2020-12-23", "latest"])
def test_chapter_curves_are_solid_only_while_the_records_are_complete(as_of):
    as_of = read_day(as_of)
    by_instrument = lambda r: r["instrument"]  # noqa: E731
    assert_honest(figure1.curves(["UNTOC", "TIP", "SOM", "FIREARMS"], as_of), by_instrument)
    assert_honest(peers.aligned(treaties.group("peers"), as_of), by_instrument)
    assert_honest(
        chronology.curves(read_day("1988-01-01"), as_of),
        by_instrument,
    )
    assert_honest(regional_curves("TIP", as_of), lambda r: "TIP")
    incomplete = figure1.curves(["FIREARMS"], read_day("latest"))
    assert (incomplete["records"] == "incomplete").any()  # the case the check is about
