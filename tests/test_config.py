"""Paths, settings and environment variables (palermo.config)."""

import pytest

from palermo import config
from tests.conftest import forget_caches, one_line_error, run

pytestmark = pytest.mark.unit


# R8: ~user for an unknown user
@pytest.mark.review("reliability-2026-12", "R8")
def test_a_data_folder_under_an_unknown_user_is_one_line(monkeypatch):
    monkeypatch.setenv(config.DATA_DIR_ENV, "~nouser-palermo/x")
    r = run("sources", "update", "SOM", "--base-url", "http://127.0.0.1:9")
    assert r.exit_code == 2
    assert "cannot expand ~nouser-palermo" in r.stderr and "Traceback" not in r.output


DAY = "2026-01-15"


@pytest.fixture(params=["file", "dangling", "loop", "under-a-file"])
def odd_data_dir(request, bare, tmp_path, monkeypatch):
    kind = request.param
    p = tmp_path / "odd"
    if kind == "file":
        p.write_text("not a folder\n")
        needle = "that is a file, not a folder"
    elif kind == "dangling":
        p.symlink_to(tmp_path / "nowhere")
        needle = "which does not exist"
    elif kind == "loop":
        p.symlink_to(tmp_path / "odd2")
        (tmp_path / "odd2").symlink_to(p)
        needle = "symbolic link loop"
    else:
        (tmp_path / "f").write_text("x")
        p = tmp_path / "f" / "data"
        needle = "a part of that path is a file"
    monkeypatch.setenv(config.DATA_DIR_ENV, str(p))
    forget_caches()
    return p, needle


# S13: empty or spaced base URLs, odd data folders, stray temporary files
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S13")
@pytest.mark.parametrize(
    "command",
    [
        ["sources", "fetch", "--base-url", "http://127.0.0.1:9"],
        ["sources", "update", "TIP", "--base-url", "http://127.0.0.1:9"],
        ["sources", "forget", DAY],
    ],
    ids=lambda c: c[1],
)
def test_a_data_folder_that_is_not_a_folder_is_named(odd_data_dir, command):
    path, needle = odd_data_dir
    r = run(*command)
    assert r.exit_code == 1
    one_line_error(r, says=(f"${config.DATA_DIR_ENV} is '{path}'", needle))


@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S13")
def test_read_commands_answer_as_with_an_empty_data_folder(odd_data_dir):
    r = run("sources")
    assert r.exit_code == 0, r.output
    assert "untc-fetched" not in r.stdout
