"""A chapter's parameters checked into their values (palermo.model.params)."""

import pytest

from tests.conftest import one_line_error, run

pytestmark = pytest.mark.unit


# D6: malformed inputs
@pytest.mark.review("reliability-2026-11", "D6")
def test_run_of_something_that_is_not_a_notebook_is_refused(tmp_path):
    assert "is not a notebook" in one_line_error(run("run", "/bin/ls"), 2)
    assert "not found" in one_line_error(run("run", str(tmp_path / "none.ipynb")), 2)


# notes: what --as-of accepts
@pytest.mark.review("reliability-2026-11", "notes")
def test_a_period_that_ends_before_it_starts_is_refused():
    from palermo.errors import UsageError
    from palermo.model import params

    with pytest.raises(UsageError, match="start 2005-01-01 is after end 2001-01-01"):
        params.check(start="2005-01-01", end="2001-01-01")
