"""The one output rule (palermo.pipeline.export): no write over an existing file without
--force, none over a device, pipe or folder, none among the sources, a missing folder
named."""

import pytest

from tests.conftest import one_line_error, run

pytestmark = pytest.mark.unit


# D6: malformed inputs
@pytest.mark.review("reliability-2026-11", "D6")
def test_seminar_output_onto_a_file_is_refused(tmp_path):
    f = tmp_path / "f.txt"
    f.write_text("hi")
    err = one_line_error(run("seminar", "--groups", "1", "-o", str(f)), 2)
    assert "that is a file" in err and f.read_text() == "hi"


@pytest.mark.review("reliability-2026-11", "D6")
def test_profile_output_onto_a_folder_is_refused_and_leaves_nothing(tmp_path):
    err = one_line_error(run("profile", "Italy", "-o", str(tmp_path)), 2)
    assert "that is a folder" in err and list(tmp_path.iterdir()) == []


@pytest.mark.review("reliability-2026-11", "D6")
def test_output_into_a_missing_folder_creates_no_folder(tmp_path):
    target = tmp_path / "no" / "such" / "x.ipynb"
    err = one_line_error(run("run", "notebooks/voices.ipynb", "-o", str(target)), 2)
    assert "does not exist" in err and not (tmp_path / "no").exists()
