import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from palermo import config
from palermo.data import registry, treaties
from palermo.errors import DataError
from tests.conftest import RAW, one_line_error, run

pytestmark = pytest.mark.unit


def test_every_raw_file_is_registered_and_verifies():
    reg = registry.registry()
    on_disk = {
        str(p.relative_to(RAW))
        for p in RAW.rglob("*")
        if p.is_file() and p.suffix in (".csv", ".xml")
    }
    assert {s.path for s in reg} == on_disk
    rows = registry.verify_all()
    assert all(r["ok"] for r in rows), [r["message"] for r in rows if not r["ok"]]


def test_registry_fields():
    reg = registry.registry()
    assert len({s.id for s in reg}) == len(reg)
    for s in reg:
        assert s.repository_url.startswith("https://github.com/")
        assert len(s.commit) == 40 and len(s.last_commit) == 40
        assert s.licence
        assert s.untc_page.startswith(("http://treaties.un.org/", "https://treaties.un.org/"))
    snaps = {s.treaty for s in reg if s.kind == "snapshot"}
    assert snaps == {t.number for t in treaties.all_treaties() if t.records_expected}


def test_git_blob_ids_match_the_commit_they_came_from():
    """The XML files are the blobs PROVENANCE.md names (git's sha1 of 'blob <size>\\0<bytes>')."""
    for s in registry.registry():
        if s.blob:
            data = registry.read_bytes(s)
            assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == s.blob


def test_untc_pages_agree_with_the_raw_index():
    for s in registry.registry():
        if s.format == "untc-csv":
            assert treaties.index_entry(s.treaty)["url"] == s.untc_page


def test_env_var_takes_precedence(raw_copy):
    s = registry.get("untc-2014-XVIII-12")
    assert registry.locate(s) == raw_copy / s.path


def test_missing_file_names_both_places_and_the_hash(raw_copy):
    s = registry.get("untc-2014-XVIII-12")
    (raw_copy / s.path).unlink()
    with pytest.raises(DataError) as exc:
        registry.locate(s)
    msg = str(exc.value)
    assert s.sha256 in msg and str(raw_copy) in msg and str(config.DEFAULT_RAW_DIR) in msg
    assert "PALERMO_RAW_DIR" in msg


def test_hash_mismatch_is_an_error(raw_copy):
    s = registry.get("untc-2018-XVIII-12-c")
    p = raw_copy / s.path
    p.write_bytes(p.read_bytes().replace(b"Mali", b"Malo"))
    with pytest.raises(DataError) as exc:
        registry.locate(s)
    assert s.sha256 in str(exc.value) and "has sha256" in str(exc.value)


def test_bad_registry_entries_are_errors(tmp_path):
    base = config.SOURCES_YML.read_text()
    bad = tmp_path / "sources.yml"
    bad.write_text(base.replace("kind: header", "kind: headr", 1))
    with pytest.raises(DataError, match="kind 'headr'"):
        registry.registry(bad)
    bad2 = tmp_path / "sources2.yml"
    bad2.write_text(base.replace("status_date: 2014-01-27", "status_date: Jan 2014", 1))
    with pytest.raises(DataError, match="status_date"):
        registry.registry(bad2)


PALERMO = [str(Path(sys.executable).parent / "palermo")]


# D6: malformed inputs
@pytest.mark.review("reliability-2026-11", "D6")
def test_an_empty_registry_is_one_line(data_copy):
    (data_copy / "sources.yml").write_text("\n")
    assert "no snapshot" in one_line_error(run("status", "UNTOC"), 1).lower()


@pytest.mark.review("reliability-2026-11", "D6")
def test_a_registry_that_is_not_a_mapping_is_one_line(data_copy):
    (data_copy / "sources.yml").write_text("- just\n- a list\n")
    assert "expected a mapping" in one_line_error(run("status", "UNTOC"), 1)


# D12: a wrong PALERMO_RAW_DIR
@pytest.mark.review("reliability-2026-11", "D12")
def test_a_raw_dir_that_is_not_a_folder_is_refused(monkeypatch, tmp_path):
    from palermo.data import registry

    monkeypatch.setenv(config.RAW_DIR_ENV, str(tmp_path / "nonexistent"))
    registry._verified.clear()
    with pytest.raises(Exception, match="PALERMO_RAW_DIR is .* not a folder"):
        registry.raw_dirs()
    r = subprocess.run(
        PALERMO + ["status", "UNTOC"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, config.RAW_DIR_ENV: "/nonexistent/dir"},
    )
    err = one_line_error(r, 1)
    assert "is '/nonexistent/dir', which is not a folder" in err
