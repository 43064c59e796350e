"""The map's geometry (palermo.data.geometry): pinned, installed and refused when altered."""

import re

import pytest

from palermo import config
from palermo.config import ROOT
from palermo.data import countries, geometry, registry
from palermo.errors import DataError

pytestmark = pytest.mark.unit


def test_geometry_is_pinned_and_installed_as_the_makefile_says():
    g = registry.geometry()
    make = (ROOT / "Makefile").read_text()
    assert f"{g.package}@{g.version}" in make
    assert re.fullmatch(r"[0-9a-f]{64}", g.sha256) and g.licence
    ids = geometry.ids_on_map()
    assert "250" in ids and len(ids) > 150  # France's numeric code
    assert countries.numeric_id("FRA") == "250" and countries.numeric_id("EUU") is None


def test_missing_or_altered_geometry_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv(config.GEO_DIR_ENV, raising=False)
    monkeypatch.setattr(config, "DEFAULT_GEO_DIR", tmp_path / "none")
    with pytest.raises(DataError, match="make book"):
        registry.locate_geometry()
    bad = tmp_path / "geo"
    target = bad / registry.geometry().path
    target.parent.mkdir(parents=True)
    target.write_text("{}")
    monkeypatch.setenv(config.GEO_DIR_ENV, str(bad))
    with pytest.raises(DataError, match="has sha256"):
        registry.locate_geometry()
