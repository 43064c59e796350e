"""The treaties (palermo.data.treaties): their names, numbers, colours and groups."""

import datetime as dt

import pytest

from palermo.data import treaties, untc
from palermo.errors import UsageError

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


D = dt.date


OFFICIAL_EIF = {
    "UNTOC": D(2003, 9, 29),
    "TIP": D(2003, 12, 25),
    "SOM": D(2004, 1, 28),
    "FIREARMS": D(2005, 7, 3),
    "UNCAC": D(2005, 12, 14),
    "ROME": D(2002, 7, 1),
    "BOMBINGS": D(2001, 5, 23),
    "FINANCING": D(2002, 4, 10),
    "DRUGS1988": D(1990, 11, 11),
}


# entry into force
def test_official_dates_in_treaties_yml_are_the_official_ones():
    assert {t.short: t.official_eif for t in treaties.with_records()} == OFFICIAL_EIF


def test_official_dates_agree_with_the_raw_xml_headers():
    for h in untc.headers().itertuples():
        assert treaties.resolve(h.treaty).official_eif == h.entry_into_force


def test_eu_instrument_not_counted_where_treaty_says_so():
    """UNTOC art. 38(1): REIO instruments do not count. Counting the EU would not move the 40th
    instrument here (it approved in 2004), so check the rule itself on the qualifying set."""
    t = treaties.resolve("UNTOC")
    assert t.eif_rule["reio_counted"] is False


# coverage, ranges, headline counts
def test_unknown_treaty_lists_the_allowed_ids():
    with pytest.raises(UsageError, match="UNTOC .XVIII-12.*FINANCING"):
        treaties.resolve("PALERMO")


def test_treaty_by_untc_number_or_short_id():
    assert treaties.resolve("xviii-12-c").short == "FIREARMS"
    assert treaties.resolve("firearms").number == "XVIII-12-c"


def test_adoption_dates_come_from_the_raw_index():
    assert treaties.index_entry("UNTOC")["adopted"] == D(2000, 11, 15)
    assert treaties.index_entry("FIREARMS")["adopted"] == D(2001, 5, 31)
    assert treaties.index_entry("ROME")["place"] == "Rome"
