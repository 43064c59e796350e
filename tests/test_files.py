"""The one way to write a file (palermo.files): atomic writes, the lock and reading YAML."""

import pytest

from tests.conftest import edit, one_line_error, run

pytestmark = pytest.mark.unit


# D6: malformed inputs
@pytest.mark.review("reliability-2026-11", "D6")
def test_a_yaml_syntax_error_names_the_file_and_line(data_copy):
    claims = data_copy / "curated" / "claims.yml"
    claims.write_text(claims.read_text() + "  - id: [unclosed\n")
    err = one_line_error(run("claims"), 1)
    assert "claims.yml, line" in err and "not valid YAML" in err


@pytest.mark.review("reliability-2026-11", "D6")
def test_an_impossible_unquoted_date_in_yaml_is_one_line(data_copy):
    edit(data_copy / "curated" / "claims.yml", "as_of: 2020-12-23}", "as_of: 2020-13-23}")
    assert "claims.yml: a value is not valid" in one_line_error(run("claims"), 1)
