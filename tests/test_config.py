"""Paths, settings and environment variables (palermo.config)."""

import pytest

from palermo import config
from tests.conftest import run

pytestmark = pytest.mark.unit


# R8: ~user for an unknown user
@pytest.mark.review("reliability-2026-12", "R8")
def test_a_data_folder_under_an_unknown_user_is_one_line(monkeypatch):
    monkeypatch.setenv(config.DATA_DIR_ENV, "~nouser-palermo/x")
    r = run("sources", "update", "SOM", "--base-url", "http://127.0.0.1:9")
    assert r.exit_code == 2
    assert "cannot expand ~nouser-palermo" in r.stderr and "Traceback" not in r.output
