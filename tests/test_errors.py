"""The kinds of error (palermo.errors): what each is, and the one line and exit code the
command line turns each into."""

import pytest

from palermo.errors import BuildError, DataError, PalermoError, UsageError
from tests.conftest import one_line_error, run

pytestmark = pytest.mark.unit


def test_every_kind_is_a_palermo_error_and_only_a_usage_error_is_a_value_error():
    for kind in (DataError, UsageError, BuildError):
        assert issubclass(kind, PalermoError)
    # a bad parameter is a ValueError too, so a caller outside the CLI may catch it as one
    assert issubclass(UsageError, ValueError)
    assert not issubclass(DataError, ValueError) and not issubclass(BuildError, ValueError)


@pytest.mark.parametrize("kind, code", [(DataError, 1), (BuildError, 1), (UsageError, 2)])
def test_each_kind_is_one_line_with_its_exit_code(monkeypatch, kind, code):
    from palermo.model import claims

    def fail():
        raise kind("claims.yml, row 3: a planted fault")

    monkeypatch.setattr(claims, "evaluate_all", fail)
    err = one_line_error(run("claims"), code)
    assert err == "error: claims.yml, row 3: a planted fault\n"
