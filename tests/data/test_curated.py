"""Every curated file is in the manifest, passes its schema, and a bad value is an error that
names the file, the row and the column."""

import re
import shutil

import pandas as pd
import pytest
import yaml

from palermo import config
from palermo.data import curated
from palermo.errors import DataError
from tests.conftest import edit, one_line_error, run

pytestmark = pytest.mark.unit

CHAPTERS = {p.stem for p in (config.ROOT / "palermo" / "chapters").glob("*.py")} - {"__init__"}


def test_the_manifest_lists_every_curated_file_and_only_those():
    on_disk = {p.name for p in config.CURATED.iterdir() if p.name != "manifest.yml"}
    assert {f.path.name for f in curated.manifest().values()} == on_disk


@pytest.mark.parametrize("name", sorted(curated.manifest()))
def test_each_file_passes_its_schema_and_names_real_chapters(name):
    f = curated.entry(name)
    got = curated.load(name)
    # a table with rows, or a document (its validated model) with something in every field
    assert len(got) > 0 if isinstance(got, pd.DataFrame) else all(got.model_dump().values())
    assert f.source and f.licence
    assert f.chapters or f.pages, f"{name}: read by no chapter and no page"
    assert set(f.chapters) <= CHAPTERS, f"{name}: unknown chapters"
    assert all((config.ROOT / page).is_file() for page in f.pages), f"{name}: {f.pages}"


def _copy(tmp_path, name):
    dst = tmp_path / curated.entry(name).path.name
    shutil.copy(curated.entry(name).path, dst)
    return dst


def test_a_bad_csv_value_names_file_row_and_column(tmp_path):
    path = _copy(tmp_path, "events")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[4, "confidence"] = "certain"
    df.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"events\.csv, row 6, column confidence: 'certain'"):
        curated.load("events", path)


def test_a_bad_csv_date_names_file_row_and_column(tmp_path):
    path = _copy(tmp_path, "party_counts")
    text = path.read_text().splitlines()
    text[2] = text[2].replace("2018-01-15", "15/01/2018", 1)
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(DataError, match=r"party_counts\.csv, row 3, column date: '15/01/2018'"):
        curated.load("party_counts", path)


def test_a_bad_yaml_entry_names_file_entry_and_field(tmp_path):
    path = _copy(tmp_path, "claims")
    text = path.read_text()
    assert "    paper_value: 190\n    verdict: match" in text
    path.write_text(
        text.replace(
            "    paper_value: 190\n    verdict: match", "    paper_value: 190\n    verdict: fine"
        )
    )
    with pytest.raises(
        DataError,
        match=r"claims\.yml, claims #\d+ \(untoc-parties-190\), field verdict",
    ):
        curated.load("claims", path)


def test_an_interview_theme_outside_the_codebook_is_refused(tmp_path):
    path = _copy(tmp_path, "interviews")
    path.write_text(path.read_text().replace("genesis;geopolitics", "genesis;astrology", 1))
    with pytest.raises(DataError, match=r"interviews\.csv, row \d+, column themes"):
        curated.load("interviews", path)


def test_a_group_naming_an_unknown_treaty_is_refused(tmp_path):
    path = _copy(tmp_path, "treaties")
    path.write_text(
        path.read_text().replace(
            "terrorism: [BOMBINGS, FINANCING]", "terrorism: [BOMBINGS, ANARCHY]"
        )
    )
    with pytest.raises(DataError, match="unknown treaties"):
        curated.load("treaties", path)


def test_claims_sections_are_in_the_papers_order():
    paper = config.ROOT.parent / "shared" / "paper"
    body = next(paper.glob("*.txt")).read_text(encoding="utf-8")
    sections = curated.load("claims").sections
    where = [body.find("\n" + s + "\n") for s in sections]
    assert -1 not in where and where == sorted(where)


def test_whos_who_argument_map_and_glossary_rows_each_carry_a_source():
    """Issue 11: these files pass their schemas (above) and every row names its source."""
    people = curated.load("people")
    assert people["source"].str.contains(r"Tennant \(2021\)").all()
    for e in curated.load("explanations").explanations:  # the paper: its words and section
        assert e.quote and e.section, e.id
    for t in curated.load("glossary").terms:
        assert len(t.source) >= 5, t.id


def test_a_glossary_term_twice_or_a_bad_pattern_is_refused(tmp_path):
    path = _copy(tmp_path, "glossary")
    text = path.read_text()
    path.write_text(text.replace("    term: succession\n", "    term: accession\n", 1))
    with pytest.raises(
        DataError, match=r"glossary\.yml.*glossary terms used twice: \['accession'\]"
    ):
        curated.load("glossary", path)
    path.write_text(text.replace(r"['\bUNTC\b']", r"['\bUNTC(\b']", 1))
    with pytest.raises(
        DataError, match=r"glossary\.yml, terms #\d+ \(untc\), field match: .*not a regular"
    ):
        curated.load("glossary", path)


# peer treaties brought forward from 2014
@pytest.mark.review("reader-2026-12", "finding 1")
def test_every_peer_row_carries_a_source_and_no_tertiary_host():
    rows = curated.treaty_actions()
    peers = rows[rows["treaty"].isin(["XVIII-14", "XVIII-10", "VI-19", "XVIII-9", "XVIII-11"])]
    assert len(peers) >= 15
    assert peers["source"].str.len().min() > 20 and peers["url"].str.startswith("http").all()
    assert not peers["url"].str.contains("wiki|blogspot", case=False).any()


# the seminar: answers past the records are not "accepted"; the argument in every pack
@pytest.mark.review("reader-2026-12", "finding 10")
def test_curated_text_is_in_scripts_the_pdf_can_set():
    """The PDF is set by pdfLaTeX: a title quoted in Japanese or Arabic stops the whole build.
    Curated rows give such titles in English with the language named."""
    other = re.compile(r"[\u0400-\u04ff\u0590-\u08ff\u3000-\u9fff\uff00-\uffef]")
    for f in sorted(config.CURATED.glob("*")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1):
            assert not other.search(line), f"{f.name}, line {n}: {other.search(line).group(0)!r}"


# G9: "party" against the Vienna Convention it cites
@pytest.mark.review("reader-2026-12b", "G9")
def test_the_glossary_says_where_the_books_party_departs_from_the_vienna_convention():
    party = next(t for t in curated.load("glossary").terms if t.id == "party")
    d = " ".join(party.definition.split())
    assert "for which the treaty is in force" in d and '"contracting State"' in d
    assert "departs from that definition" in d and "deposited" in d
    assert "UNODC" in d  # why the book's count can be above UNODC's on a day
    assert "art. 2(1)(f) and (g)" in party.source and "Data and methods" in party.source


# D6: malformed inputs
@pytest.mark.review("reliability-2026-11", "D6")
@pytest.mark.parametrize("name,line", [("events.csv", 3), ("party_counts.csv", 2)])
def test_a_csv_row_with_an_extra_field_names_the_row(data_copy, name, line):
    path = data_copy / "curated" / name
    rows = path.read_text().splitlines()
    rows[line - 1] += ",oops"
    path.write_text("\n".join(rows) + "\n")
    err = one_line_error(
        run("claims" if name == "events.csv" else "status", "UNTOC")
        if name != "events.csv"
        else run("claims"),
        1,
    )
    assert f"{name}, row {line}:" in err and "fields" in err


# D9: a curated row from the future
@pytest.mark.review("reliability-2026-11", "D9")
def test_a_future_dated_curated_row_is_refused_where_it_is(data_copy):
    path = data_copy / "curated" / "treaty_actions.csv"
    path.write_text(
        path.read_text() + "XVIII-12,Tuvalu,accession,day,2099-01-01,2099-01-01,"
        'stated,"made up source",,\n'
    )
    rows = len(path.read_text().splitlines())
    err = one_line_error(run("status", "UNTOC", "--as-of", "latest"), 1)
    assert f"treaty_actions.csv, row {rows}, column earliest: 2099-01-01 is after today" in err


# D13: an empty ledger
@pytest.mark.review("reliability-2026-11", "D13")
def test_a_misspelt_ledger_key_fails_rather_than_pass_empty(data_copy):
    edit(data_copy / "curated" / "claims.yml", "\nclaims:\n", "\nclaimz:\n")
    err = one_line_error(run("claims"), 1)
    assert "claims.yml, claims: Field required" in err


# the count statements (issue 35): a bad row names its file and row
def test_an_ordinal_without_its_participant_is_refused(data_copy):
    path = data_copy / "curated" / "count_statements.csv"
    path.write_text(
        path.read_text() + 'XVIII-14,2019-01-01,185,ordinal,,"a made-up release of UNODC",,\n'
    )
    err = one_line_error(run("status", "UNCAC", "--as-of", "2020-12-23"), 1)
    assert "count_statements.csv" in err and "an ordinal names its participant" in err


# the voices' themes
@pytest.mark.review("reader-2026-12b", "§3")
def test_a_codebook_theme_without_a_label_is_refused(tmp_path):
    doc = yaml.safe_load((config.CURATED / "codebook.yml").read_text(encoding="utf-8"))
    del doc["labels"]["genesis"]
    bad = tmp_path / "codebook.yml"
    bad.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(Exception, match="genesis"):
        curated.read_yaml(bad, curated.CodebookDoc)
