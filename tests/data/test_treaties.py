"""The treaties (palermo.data.treaties): their names, numbers, colours and groups."""

import pytest

pytestmark = pytest.mark.unit


# regional medians say n, and too few States is not a regional figure
@pytest.mark.review("reader-2026-12", "§5")
def test_tip_and_uncac_have_distinct_colours():
    from palermo.data import treaties

    def rgb(t):
        h = treaties.resolve(t).colour.lstrip("#")
        return [int(h[i : i + 2], 16) for i in (0, 2, 4)]

    distance = sum((a - b) ** 2 for a, b in zip(rgb("TIP"), rgb("UNCAC"), strict=True)) ** 0.5
    assert distance > 150
