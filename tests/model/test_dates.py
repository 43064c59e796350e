"""Reading a date from text (palermo.model.dates): parse_as_of and require."""

import pytest

from tests.conftest import one_line_error, run

pytestmark = pytest.mark.unit


# notes: what --as-of accepts
@pytest.mark.review("reliability-2026-11", "notes")
@pytest.mark.parametrize("value", ["20201223", "2020-W52-3", "2020-12-23T00:00"])
def test_as_of_accepts_only_what_it_promises(value):
    assert "YYYY-MM-DD" in one_line_error(run("status", "UNTOC", "--as-of", value), 2)
