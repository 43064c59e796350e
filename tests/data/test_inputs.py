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
        "__init__.py",  # the book engine's adapter, pipeline/book/: all of it
        "jupyterbook.py",
        "cells.py",
        "pages.py",
        "sphinx_ext.py",
        "sphinx_nav.py",
        "edition.py",  # the extension fills in the edition from it
        "cite.py",  # and finds its marker by it
        "provenance.py",  # and writes the page of records and each page's zip with it
        "facts.py",  # and lists what changed since the edition before with it
        "sbt-sidebar-nav.html",
    }


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="allowed: records, run, chapters, book, layout"):
        inputs.files("everything")


# --- a run's key: the library's modules its notebook imports, and the runner's ------------


@pytest.fixture(scope="module")
def library_copy(tmp_path_factory):
    """A copy of the library, made once for this module, and the bytes of its files as copied."""
    copy = tmp_path_factory.mktemp("library") / "palermo"
    shutil.copytree(inputs.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy, {p: p.read_bytes() for p in copy.rglob("*.py")}


@pytest.fixture(scope="module")
def keys_before(library_copy):
    """The keys of a chapter's run and of the seminar pack, on the unedited copy."""
    from palermo.teaching import seminar

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(inputs, "PACKAGE", library_copy[0])
        return {"run": _run_key(), "pack": seminar._pack_key([], False)}


@pytest.fixture
def package_copy(library_copy, monkeypatch):
    """A copy of the library that the closure reads instead (never imported); what a test
    edits in it is put back after the test."""
    copy, pristine = library_copy
    monkeypatch.setattr(inputs, "PACKAGE", copy)
    yield copy
    for path, data in pristine.items():
        if path.read_bytes() != data:
            path.write_bytes(data)
    assert {p for p in copy.rglob("*.py")} == set(pristine), "a test added a module"


def test_imports_are_read_wherever_they_are_and_resolved():
    code = (
        "from palermo.render import charts, glue\n"
        "%matplotlib inline\n"
        "def f():\n"
        "    from ..model import status\n"
        "    from . import facts\n"
        "import pandas\n"
    )
    found = inputs.imported(code, "palermo.pipeline.replication")
    assert found == {
        "palermo.render",
        "palermo.render.charts",
        "palermo.render.glue",
        "palermo.model",
        "palermo.model.status",
        "palermo.pipeline",
        "palermo.pipeline.facts",
    }


def _run_key() -> str:
    return inputs.digest("run", notebook=config.NOTEBOOKS / "figure1.ipynb")


@pytest.mark.parametrize(
    "edited, reruns",
    [
        ("cli.py", False),
        ("teaching/seminar.py", False),
        ("chapters/peers.py", False),  # another chapter's module
        ("pipeline/book/sphinx_ext.py", False),  # the book's, not the run's
        ("chapters/figure1.py", True),
        ("model/status.py", True),
        ("render/charts.py", True),
        ("pipeline/execute.py", True),  # the runner writes the output
        ("pipeline/provenance.py", True),  # and its provenance lines
        ("pipeline/book/cells.py", True),  # which the book's adapter words
    ],
)
def test_a_run_reruns_only_when_a_module_it_imports_changes(
    package_copy, keys_before, edited, reruns
):
    before = keys_before["run"]
    f = package_copy / edited
    f.write_text(f.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert (_run_key() != before) is reruns


def test_a_module_a_chapter_starts_to_import_enters_its_key(package_copy):
    peers = package_copy / "chapters" / "peers.py"
    closure = set(inputs.closure({"palermo.chapters.figure1"}))
    assert peers not in closure
    figure1 = package_copy / "chapters" / "figure1.py"
    figure1.write_text(
        figure1.read_text(encoding="utf-8") + "\n\ndef more():\n    from . import peers\n",
        encoding="utf-8",
    )
    assert peers in set(inputs.closure({"palermo.chapters.figure1"}))


def test_a_run_needs_its_notebook():
    with pytest.raises(ValueError, match="give the notebook"):
        inputs.digest("run")


@pytest.mark.parametrize(
    "edited, remade",
    [
        ("cli.py", False),
        ("pipeline/book/sphinx_ext.py", False),
        ("teaching/printable.py", True),  # prints the sheets
        ("chapters/country_profile.py", True),  # an exercise imports it
        ("pipeline/execute.py", True),  # runs the exercises
    ],
)
def test_the_seminar_pack_is_remade_only_when_what_makes_it_changes(
    package_copy, keys_before, edited, remade
):
    from palermo.teaching import seminar

    before = keys_before["pack"]
    f = package_copy / edited
    f.write_text(f.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert (seminar._pack_key([], False) != before) is remade


# --- the curated files a run reads: its code's calls of the curated loader ----------------


def test_reads_of_curated_files_are_found_in_the_code(tmp_path):
    code = tmp_path / "m.py"
    code.write_text(
        "from ..data import curated\n"
        "from palermo.data import curated as c\n"
        'KIT = "seminar_kit"\n'
        "def f():\n"
        '    curated.load("eras")\n'
        "    c.load(KIT, None)\n"
        "    curated.treaty_actions()\n"
        '    curated.entry("naples")  # the manifest only\n',
        encoding="utf-8",
    )
    assert inputs.curated_reads([code]) == {"eras", "seminar_kit", "treaty_actions"}
    code.write_text(
        "from .curated import load as read, party_counts\n"
        "import palermo.data.curated as cur\n"
        'read("naples")\nparty_counts()\ncur.load("eras")\n',
        encoding="utf-8",
    )
    assert inputs.curated_reads([code]) == {"naples", "party_counts", "eras"}
    code.write_text(
        "from ..data import curated\ndef f(name):\n    return curated.load(name)\n",
        encoding="utf-8",
    )
    assert inputs.curated_reads([code]) is None  # a name the code does not spell out


def test_what_a_files_checks_read_counts_as_read():
    """The interviews' themes are checked against the codebook's."""
    assert curated.requires("interviews") == {"interviews", "codebook"}
    assert curated.requires("eras") == {"eras"}


CHAPTERS = ("chronology", "voices", "people", "explanations", "figure1")


@pytest.fixture(scope="module")
def run_files():
    return {c: set(inputs.files("run", notebook=config.NOTEBOOKS / f"{c}.ipynb")) for c in CHAPTERS}


@pytest.mark.parametrize(
    "edited, rerun",
    [
        ("eras.yml", {"chronology"}),  # the chronology's own
        ("naples.yml", {"people"}),
        ("interviews.csv", {"voices", "people", "explanations"}),
        # every chapter checks its parameters, and the model reads these
        ("codebook.yml", set(CHAPTERS)),
        ("treaty_actions.csv", set(CHAPTERS)),
        ("manifest.yml", set(CHAPTERS)),
    ],
)
def test_a_run_holds_only_the_curated_files_its_code_reads(run_files, edited, rerun):
    assert {c for c in CHAPTERS if config.CURATED / edited in run_files[c]} == rerun


def test_an_edit_of_a_curated_file_reruns_only_the_chapters_that_read_it(curated_copy):
    before = {c: inputs.digest("run", notebook=config.NOTEBOOKS / f"{c}.ipynb") for c in CHAPTERS}
    eras = curated_copy / "eras.yml"
    eras.write_text(eras.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after = {c: inputs.digest("run", notebook=config.NOTEBOOKS / f"{c}.ipynb") for c in CHAPTERS}
    assert {c for c in CHAPTERS if after[c] != before[c]} == {"chronology"}


def test_the_manifests_chapter_lists_are_what_the_chapters_read():
    assert inputs.consumers_unlisted(config.NOTEBOOKS.glob("*.ipynb")) == []


def test_a_chapter_reading_a_curated_file_its_list_leaves_out_fails(package_copy):
    voices = package_copy / "chapters" / "voices.py"
    voices.write_text(
        voices.read_text(encoding="utf-8") + '\n\ndef eras():\n    return curated.load("eras")\n',
        encoding="utf-8",
    )
    assert inputs.consumers_unlisted([config.NOTEBOOKS / "voices.ipynb"]) == [
        "manifest.yml: eras is read by chapter voices (palermo/chapters/voices.py or its "
        "notebook) but its chapters: list leaves it out"
    ]


def test_a_list_naming_a_chapter_that_never_reads_the_file_fails(curated_copy):
    manifest = curated_copy / "manifest.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("chapters: [chronology]", "chapters: [chronology, voices]", 1))
    curated.manifest.cache_clear()
    assert inputs.consumers_unlisted([config.NOTEBOOKS / "voices.ipynb"]) == [
        "manifest.yml: eras lists chapter voices, whose code never reads it"
    ]
