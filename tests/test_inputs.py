"""One hash of what each output depends on (``data.inputs``): its file lists are derived from
the manifest and the registry, so a curated file added to the manifest is in every key."""

import shutil

import pytest

from palermo import config
from palermo.data import curated, inputs

pytestmark = pytest.mark.unit


@pytest.fixture
def curated_copy(tmp_path, monkeypatch):
    """A copy of data/curated the library reads instead (the manifest's cache cleared)."""
    copy = tmp_path / "curated"
    shutil.copytree(config.CURATED, copy)
    monkeypatch.setattr(config, "CURATED", copy)
    monkeypatch.setattr(config, "MANIFEST_YML", copy / "manifest.yml")
    curated.manifest.cache_clear()
    yield copy
    curated.manifest.cache_clear()


def _add_file(copy, name="new_terms.yml"):
    """A new curated file, registered in the manifest as a contributor would add one."""
    (copy / name).write_text("terms: []\n", encoding="utf-8")
    manifest = copy / "manifest.yml"
    text = manifest.read_text(encoding="utf-8")
    entry = (
        f"  {name}:\n    records: New terms\n    schema: glossary\n    source: a test\n"
        "    licence: CC BY 4.0\n"
        "    chapters: []\n"
    )
    manifest.write_text(text.replace("files:\n", "files:\n" + entry, 1), encoding="utf-8")
    curated.manifest.cache_clear()


@pytest.mark.parametrize("kind", ["records", "chapters", "book"])
def test_a_curated_file_added_to_the_manifest_changes_every_key(curated_copy, kind):
    before = inputs.digest(kind)
    _add_file(curated_copy)
    assert curated_copy / "new_terms.yml" in inputs.files(kind)
    assert inputs.digest(kind) != before


@pytest.mark.parametrize("kind", ["records", "chapters", "book"])
def test_an_edit_of_any_curated_file_changes_every_key(curated_copy, kind):
    """glossary.yml, which the book's hand-kept list once left out, among them."""
    for name in ("glossary.yml", "events.csv"):
        before = inputs.digest(kind)
        f = curated_copy / name
        f.write_text(f.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert inputs.digest(kind) != before, name


def test_every_listed_curated_file_is_in_every_key():
    listed = {f.path for f in curated.manifest().values()} | {config.MANIFEST_YML}
    for kind in ("records", "chapters", "book"):
        assert listed <= set(inputs.files(kind)), kind


def test_the_layout_is_the_toc_the_configuration_and_the_extension():
    names = {p.name for p in inputs.files("layout")}
    assert names == {
        "_toc.yml",
        "_config.yml",
        "sphinx_ext.py",
        "sphinx_nav.py",
        "edition.py",  # the extension fills in the edition from it
        "cite.py",  # and finds its marker by it
        "provenance.py",  # and writes the page of records and each page's zip with it
        "facts.py",  # and lists what changed since the edition before with it
        "sbt-sidebar-nav.html",
    }


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="allowed: records, chapters, book, layout"):
        inputs.files("everything")
