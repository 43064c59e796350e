import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from palermo import config
from palermo.data import fetch, registry, treaties
from palermo.errors import DataError
from palermo.files import sha256_of
from tests.conftest import RAW, forget_caches, one_line_error, run
from tests.loopback import raw_tip


@pytest.mark.unit
def test_every_raw_file_is_registered_and_verifies():
    reg = registry.registry()
    on_disk = {
        str(p.relative_to(RAW))
        for p in RAW.rglob("*")
        if p.is_file() and p.suffix in (".csv", ".xml")
    }
    assert {s.path for s in reg} == on_disk
    rows = registry.verify_all()
    assert all(r.ok for r in rows), [r.message for r in rows if not r.ok]


@pytest.mark.unit
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


@pytest.mark.unit
def test_git_blob_ids_match_the_commit_they_came_from():
    """The XML files are the blobs PROVENANCE.md names (git's sha1 of 'blob <size>\\0<bytes>')."""
    for s in registry.registry():
        if s.blob:
            data = registry.read_bytes(s)
            assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == s.blob


@pytest.mark.unit
def test_untc_pages_agree_with_the_raw_index():
    for s in registry.registry():
        if s.format == "untc-csv":
            assert treaties.index_entry(s.treaty)["url"] == s.untc_page


@pytest.mark.unit
def test_env_var_takes_precedence(raw_copy):
    s = registry.get("untc-2014-XVIII-12")
    assert registry.locate(s) == raw_copy / s.path


@pytest.mark.unit
def test_missing_file_names_both_places_and_the_hash(raw_copy):
    s = registry.get("untc-2014-XVIII-12")
    (raw_copy / s.path).unlink()
    with pytest.raises(DataError) as exc:
        registry.locate(s)
    msg = str(exc.value)
    assert s.sha256 in msg and str(raw_copy) in msg and str(config.DEFAULT_RAW_DIR) in msg
    assert "PALERMO_RAW_DIR" in msg


@pytest.mark.unit
def test_hash_mismatch_is_an_error(raw_copy):
    s = registry.get("untc-2018-XVIII-12-c")
    p = raw_copy / s.path
    p.write_bytes(p.read_bytes().replace(b"Mali", b"Malo"))
    with pytest.raises(DataError) as exc:
        registry.locate(s)
    assert s.sha256 in str(exc.value) and "has sha256" in str(exc.value)


@pytest.mark.unit
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


@pytest.mark.unit
@pytest.mark.parametrize(
    "old, new, message",
    [
        # a misspelt field of a source: the file, the entry, the field and the fields allowed
        (
            "    kind: snapshot\n",
            "    kind: snapshot\n    tretay: XVIII-12\n",
            "sources.yml, sources #1 (untc-2014-XVIII-12), field tretay: no such field; "
            "allowed: id, path, origin_path, kind, format, treaty, status_date, last_commit, "
            "blob, repository, untc_page, sha256 (1 error(s) in all)",
        ),
        # a value not allowed
        (
            "format: untc-csv",
            "format: csv",
            "sources.yml, sources #1 (untc-2014-XVIII-12), field format: format 'csv'; "
            "allowed: untc-csv, mtdsg-xml, untc-index-csv (1 error(s) in all)",
        ),
        # a field of a repository, and of the geometry
        (
            "    commit: 003ce1309cc2a27a5a3909f39b7e6634550bf173\n",
            "    commit: 003ce13\n",
            "sources.yml, repositories, zmjones-untreaties, field commit: String should match "
            "pattern '^[0-9a-f]{40}$' (1 error(s) in all)",
        ),
        (
            "    object: countries\n",
            "",
            "sources.yml, geometry #1 (world-atlas-countries-110m), field object: Field "
            "required (no object given) (1 error(s) in all)",
        ),
        # a check across entries
        (
            "id: untc-2014-XVIII-12-a",
            "id: untc-2014-XVIII-12",
            "sources.yml, sources #2 (untc-2014-XVIII-12): the id appears twice "
            "(1 error(s) in all)",
        ),
    ],
    ids=["misspelt", "not-allowed", "repository", "geometry", "twice"],
)
def test_a_planted_bad_field_in_the_registry_is_named_with_what_is_allowed(
    tmp_path, old, new, message
):
    bad = tmp_path / "sources.yml"
    bad.write_text(config.SOURCES_YML.read_text().replace(old, new, 1))
    with pytest.raises(DataError) as exc:
        registry.registry(bad)
    assert str(exc.value) == message


PALERMO = [str(Path(sys.executable).parent / "palermo")]


# D6: malformed inputs
@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "D6")
def test_an_empty_registry_is_one_line(data_copy):
    (data_copy / "sources.yml").write_text("\n")
    assert "no snapshot" in one_line_error(run("status", "UNTOC"), 1).lower()


@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "D6")
def test_a_registry_that_is_not_a_mapping_is_one_line(data_copy):
    (data_copy / "sources.yml").write_text("- just\n- a list\n")
    assert "expected a mapping" in one_line_error(run("status", "UNTOC"), 1)


# D12: a wrong PALERMO_RAW_DIR
@pytest.mark.integration
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


DAY = "2026-01-15"


TIP = "XVIII-12-a"


TIP_FILE = "XVIII-12-a.en.xml"


def held_fetch(data, day=DAY, entry=None, doc=None):
    """A fetch folder in ``data`` holding the 2018 TIP XML and its manifest (``entry``
    updates its one entry, ``doc`` replaces the whole manifest's text)."""
    folder = data / "untc" / day
    folder.mkdir(parents=True)
    body = raw_tip()
    (folder / TIP_FILE).write_bytes(body)
    e = {
        "treaty": TIP,
        "file": TIP_FILE,
        "url": "http://127.0.0.1:9/x.xml",
        "fetched_at": f"{day}T10:00:00+00:00",
        "last_modified": None,
        "sha256": sha256_of(body),
        "size": len(body),
        "signatories": 117,
        "parties": 173,
        **(entry or {}),
    }
    text = doc if doc is not None else yaml.safe_dump({"fetched_on": day, "files": [e]})
    (folder / "manifest.yml").write_text(text, encoding="utf-8")
    forget_caches()
    return folder


MALFORMED = {
    "no-file": ("files:\n- treaty: XVIII-12-a\n  sha256: " + "0" * 64 + "\n", "no file"),
    "not-a-date": ("fetched_on: soon\nfiles: []\n", "fetched_on is 'soon'"),
    "files-a-string": ("fetched_on: 2026-01-15\nfiles: oops\n", "files must be a list"),
    "a-list": ("- a\n- b\n", "expected a mapping"),
    "bad-yaml": ("files: [\n  - {a: \n", "not valid YAML"),
    "bad-sha": (None, "sha256 must be 64 hex digits"),
    "parties-text": (None, "parties must be a whole number"),
    "bad-treaty": (None, "is not a UNTC number like XVIII-12-a"),
}


ENTRY_FAULTS = {
    "bad-sha": {"sha256": "xyz"},
    "parties-text": {"parties": "many"},
    "bad-treaty": {"treaty": "../XVIII-12-a"},
}


@pytest.fixture(params=sorted(MALFORMED))
def malformed(request, data_dir):
    text, needle = MALFORMED[request.param]
    folder = held_fetch(data_dir, doc=text, entry=ENTRY_FAULTS.get(request.param))
    return folder / "manifest.yml", needle


@pytest.mark.parametrize(
    "entry, needle",
    [
        # a misspelt field: named, with the fields a manifest entry has
        (
            {"last_modifed": "x"},
            "entry 1 (XVIII-12-a), field last_modifed: no such field; allowed: treaty, file, "
            "url, fetched_at, last_modified, sha256, size, signatories, parties",
        ),
        # a value of the wrong kind: the field and what it must be
        ({"size": -3}, "entry 1 (XVIII-12-a), field size: size must be a whole number, got -3"),
        # a field given as nothing
        ({"url": None}, "entry 1 (XVIII-12-a), field url: url must be the address"),
    ],
    ids=["misspelt", "negative", "no-url"],
)
def test_a_planted_bad_field_in_a_manifest_is_named_with_what_is_allowed(
    data_dir,  # noqa: F811
    entry,
    needle,
):
    folder = held_fetch(data_dir, entry=entry)
    manifest = folder / "manifest.yml"
    with pytest.raises(fetch.DataError) as exc:
        fetch.read_manifest(manifest)
    assert str(exc.value).startswith(f"fetch manifest {manifest}: {needle}")
    assert str(exc.value).endswith(
        f"`palermo sources forget {DAY}` (or delete {folder}) and fetch again"
    )
    one_line_error(run("sources"), says=(f"fetch manifest {manifest}: {needle}",))


def stray_folders(data, with_fetch=True):
    """Folders under untc/ that are not fetches (their names are not dates), beside a fetch
    (of the 2018 TIP file, which the curated rows after it contradict: not for `status`)."""
    if with_fetch:
        held_fetch(data)
    notes = data / "untc" / "notes"
    notes.mkdir(parents=True)
    (notes / "manifest.yml").write_text("fetched_on: soon\nmy notes: [unfinished\n")
    (data / "untc" / "2026-13-45").mkdir()
    (data / "untc" / "2026-13-45" / "manifest.yml").write_text("x: 1\n", encoding="utf-8")
    forget_caches()


@pytest.fixture
def victim(tmp_path):
    v = tmp_path / "victim.txt"
    v.write_bytes(b"a file of the user's, outside the data folder\n")
    return v


def outward(data, victim, how):
    """A fetch whose one entry leads to ``victim``: by ``..``, by an absolute path, or by a
    symbolic link in the fetch folder."""
    sha = sha256_of(victim.read_bytes())
    if how == "dotdot":
        return held_fetch(data, entry={"file": "../../../victim.txt", "sha256": sha})
    if how == "absolute":
        return held_fetch(data, entry={"file": str(victim), "sha256": sha})
    folder = held_fetch(data, entry={"sha256": sha})
    (folder / TIP_FILE).unlink()
    (folder / TIP_FILE).symlink_to(victim)
    return folder


# S6: a malformed fetch manifest is one line naming it
@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S6")
@pytest.mark.parametrize(
    "command",
    [
        ["sources"],
        ["sources", "--verify"],
        ["sources", "fetch"],
        ["sources", "update", "TIP", "--base-url", "http://127.0.0.1:9"],
        ["sources", "record"],
    ],
    ids=" ".join,
)
def test_a_malformed_manifest_is_one_line_naming_it(malformed, command):
    manifest, needle = malformed
    r = run(*command)
    assert r.exit_code == 1
    one_line_error(r, says=(f"fetch manifest {manifest}", needle, f"sources forget {DAY}"))


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S6")
def test_status_names_a_malformed_manifest(malformed):
    manifest, needle = malformed
    r = run("status", "UNTOC")
    one_line_error(r, says=(f"fetch manifest {manifest}", needle))


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S6")
def test_a_malformed_fetch_can_be_forgotten_whole(malformed, data_dir):
    manifest, _ = malformed
    r = run("sources", "forget", DAY, "TIP")  # one treaty: the manifest must be read
    one_line_error(r, says=(str(manifest), f"`palermo sources forget {DAY}`"))
    r = run("sources", "forget", DAY)
    assert r.exit_code == 0, r.output
    assert not manifest.parent.exists()
    assert run("sources").exit_code == 0


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S6")
def test_a_folder_under_untc_that_is_not_a_date_is_skipped(data_dir):
    stray_folders(data_dir)
    assert [f.name for f, _, _ in fetch.fetches()] == [DAY]
    assert fetch.latest_fetch()[0] == dt.date.fromisoformat(DAY)  # not 'notes', sorted last


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S6")
@pytest.mark.parametrize("command", [["sources"], ["status", "UNTOC"]], ids=" ".join)
def test_every_command_skips_a_folder_under_untc_that_is_not_a_date(data_dir, command):
    stray_folders(data_dir, with_fetch=command == ["sources"])
    r = run(*command)
    assert r.exit_code == 0, r.output


# S7: no manifest entry reaches outside the data folder
@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S7")
@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_no_entry_makes_a_command_reach_outside_the_data_folder(
    data_dir,
    victim,
    how,
):
    folder = outward(data_dir, victim, how)
    before = victim.read_bytes()
    for command in (
        ["sources", "--verify"],
        ["sources", "fetch"],
        ["sources", "update", "TIP", "--base-url", "http://127.0.0.1:9"],
        ["sources", "record"],
        ["sources", "forget", DAY, "TIP"],
    ):
        r = run(*command)
        assert r.exit_code == 1, (command, r.output)
        one_line_error(r, says=(folder / "manifest.yml", "entry 1 (XVIII-12-a)"))
        assert victim.read_bytes() == before, command
    r = run("sources", "forget", DAY)  # the way out: the folder goes, never what it names
    assert r.exit_code == 0, r.output
    assert not folder.exists() and victim.read_bytes() == before


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S7")
def test_a_fetch_folder_that_is_a_symlink_is_refused_and_forgotten_as_a_link(
    data_dir,
    tmp_path,
):
    elsewhere = held_fetch(tmp_path / "elsewhere")
    (data_dir / "untc").mkdir(parents=True)
    (data_dir / "untc" / DAY).symlink_to(elsewhere)
    forget_caches()
    one_line_error(run("sources", "--verify"), says=("is a symbolic link", "remove the link"))
    r = run("sources", "forget", DAY)
    assert r.exit_code == 0, r.output
    assert not (data_dir / "untc" / DAY).is_symlink()
    assert (elsewhere / TIP_FILE).is_file() and (elsewhere / "manifest.yml").is_file()
