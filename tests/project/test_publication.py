"""Publication: citation file, licences, bibliography."""

import hashlib
import json
import re

import jsonschema
import pytest
import yaml

from palermo import config
from palermo.chapters import data_and_methods
from palermo.config import ROOT

pytestmark = pytest.mark.unit

SCHEMA = ROOT / "tests" / "schemas" / "citation-file-format-1.2.0.schema.json"


def test_citation_cff_validates_against_the_cff_schema():
    assert (
        hashlib.sha256(SCHEMA.read_bytes()).hexdigest()
        == "0b8d22140da702d766df318dcff3a91af2f39521298dcf36d76315fd99cc169b"
    )
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # dates as ISO strings, as the CFF schema expects
    cff = json.loads(json.dumps(cff, default=str))
    jsonschema.validate(cff, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert cff["cff-version"] == "1.2.0" and set(cff["license"]) == {"MIT", "CC-BY-4.0"}


def test_bad_citation_is_rejected():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    cff = json.loads(json.dumps(cff, default=str))
    del cff["authors"]
    try:
        jsonschema.validate(cff, json.loads(SCHEMA.read_text(encoding="utf-8")))
    except jsonschema.ValidationError as exc:
        assert "authors" in str(exc)
    else:
        raise AssertionError("a CITATION.cff without authors validated")


def test_licences_for_code_text_and_every_source():
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert "CC BY 4.0" in (ROOT / "LICENSE-TEXT.md").read_text()
    lic = data_and_methods.licences()
    assert lic["licence"].str.len().gt(10).all()
    assert {"this book: code", "this book: text"} <= set(lic["what"])
    assert any("world-atlas" in w for w in lic["what"])


def test_every_citation_key_is_in_the_bibliography():
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    cited = set()
    for p in list((ROOT / "notebooks").rglob("*.ipynb")) + list((ROOT / "book").glob("*.md")):
        for group in re.findall(r"\{cite(?::t)?\}`([^`]+)`", p.read_text(encoding="utf-8")):
            cited |= {k.strip() for k in group.split(",")}
    assert cited, "no chapter cites anything"
    assert cited <= keys, cited - keys
    assert "tennant2021" in cited


def test_works_the_issue_names_have_full_entries_with_protected_capitals():
    """Boister 2016 and Rose 2020 are full references, not placeholders; the proper nouns of
    their titles are braced so the rendered bibliography keeps the capitals."""
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    entries = dict(re.findall(r"@\w+\{([^,]+),(.*?)\n\}", bib, re.S))
    boister, rose = entries["boister2016a"], entries["rose2020"]
    assert "International Criminal Law Review" in boister and "volume  = {16}" in boister
    assert "American Journal of International Law" in rose
    assert "10.1017/ajil.2019.71" in rose and "number  = {1}" in rose
    for e in (boister, rose):
        assert "{UN}" in e and "Full reference" not in e
    # a work not traced says so in its title, never passes for a full reference
    for key, e in entries.items():
        if "reference list" in e:
            assert "Not traced by this project" in e, key
    # every title keeps the capitals it was published with (double braces)
    titles = re.findall(r"^\s*title\s*=\s*(.*)$", bib, re.M)
    assert titles and all(t.startswith("{{") for t in titles), titles


def test_the_works_the_chapters_lean_on_are_full_entries_and_cited():
    """Vlassis 2002, McClean 2007, the Legislative Guides and the travaux préparatoires: in
    the bibliography with publisher and year, and cited where the book points readers to them."""
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    entries = dict(re.findall(r"@\w+\{([^,]+),(.*?)\n\}", bib, re.S))
    chapter = (ROOT / "notebooks" / "convention.md").read_text(encoding="utf-8")
    for key, words in [
        ("vlassis2002", "Berdal"),
        ("mcclean2007", "Oxford University Press"),
        ("unodc2004", "Legislative Guides"),
        ("unodc2006", "Travaux"),
    ]:
        assert words in entries[key] and "year" in entries[key], key
        assert "publisher" in entries[key], key
        assert f"{{cite}}`{key}`" in chapter, key


def test_one_version_everywhere():
    """The version is written once (palermo/__init__.py); pyproject reads it, CITATION.cff
    and the installed package's metadata agree with it."""
    import importlib.metadata
    import tomllib

    import palermo

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(cff["version"]) == palermo.__version__
    assert importlib.metadata.version("palermo") == palermo.__version__


def page(name: str) -> str:
    return (config.BOOK / f"{name}.md").read_text(encoding="utf-8")


# G22: Adal is traced, with what could not be checked said plainly
@pytest.mark.review("reader-2026-12b", "G22")
def test_adal_2018_is_the_enact_observer_piece_with_its_caveat():
    bib = (config.ROOT / "references.bib").read_text(encoding="utf-8")
    adal = re.search(r"@misc\{adal2018,(.*?)\n\}", bib, re.S)[1]
    assert "Not traced" not in adal
    assert "Weak laws make tackling organised crime harder" in adal
    assert "8 November}" in adal and "year         = {2018}" in adal
    assert "url          = {https://enactafrica.org/enact-observer/" in adal
    assert "probable, not confirmed" in adal
    assert "Not traced" not in page("bibliography")
