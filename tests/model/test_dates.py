"""Reading a date from text (palermo.model.dates): parse_as_of and require."""

import pytest

from palermo.errors import UsageError
from palermo.model.dates import parse_as_of
from tests.conftest import one_line_error, run

pytestmark = pytest.mark.unit


# notes: what --as-of accepts
@pytest.mark.review("reliability-2026-11", "notes")
@pytest.mark.parametrize("value", ["20201223", "2020-W52-3", "2020-12-23T00:00"])
def test_as_of_accepts_only_what_it_promises(value):
    assert "YYYY-MM-DD" in one_line_error(run("status", "UNTOC", "--as-of", value), 2)


# coverage, ranges, headline counts
@pytest.mark.parametrize("value", ["2020-13-01", "yesterday", "1987-12-31", "2999-01-01"])
def test_bad_dates_are_usage_errors(value):
    with pytest.raises(UsageError, match="1988-01-01"):
        parse_as_of(value)
