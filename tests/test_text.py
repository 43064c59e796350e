"""The text helpers: one spelling of a consent bracket, counts glued to their nouns."""

import pandas as pd
import pytest

from palermo.render import text

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "n,word,expected",
    [
        (0, "party", "0 parties"),
        (1, "party", "1 party"),
        (2, "party", "2 parties"),
        (1, "treaty", "1 treaty"),
        (3, "treaty", "3 treaties"),
        (2, "day", "2 days"),
        (2, "match", "2 matches"),
        (1, "State", "1 State"),
        (2, "State", "2 States"),
    ],
)
def test_plural(n, word, expected):
    assert text.plural(n, word) == expected


def test_parties_span():
    assert text.parties_span(1, 1) == "1 party"
    assert text.parties_span(2, 2) == "2 parties"
    assert text.parties_span(1, 2) == "1-2 parties"


def test_consent_is_a_day_or_a_bracket_with_one_spelling():
    day, end = pd.Timestamp("2020-01-01"), pd.Timestamp("2020-12-31")
    assert text.consent(day, day, "day") == "2020-01-01"
    assert text.consent(day, end, "year") == "2020-01-01 to 2020-12-31"
    assert text.consent(day, end, "range") == "2020-01-01 to 2020-12-31"
    assert text.consent(None) == "" and text.consent(pd.NaT) == ""
    assert text.consent("2019-05-13", None, None) == "2019-05-13"


def test_a_one_party_gap_is_written_in_the_singular():
    note = text.coverage_note("ROME", "2020-12-23")
    assert "has 1 party the records cannot attribute" in note and "1 parties" not in note


def test_join_names_as_prose():
    assert text.join(["Europe"]) == "Europe"
    assert text.join(["Americas", "Europe"]) == "Americas and Europe"
    assert text.join(["A", "B", "C"]) == "A, B and C"
