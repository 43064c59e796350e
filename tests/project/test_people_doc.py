"""The who's who (people.csv), the Naples section (naples.yml) and the paper's text slips
(text_notes.yml): every quote is the paper's, every section its heading, every cross-reference
resolves, and the required people and slips are there."""

import re
import unicodedata

import pandas as pd
import pytest
import yaml

from palermo import config
from palermo.config import CURATED
from palermo.data import vocab
from tests.conftest import paper_text

pytestmark = pytest.mark.unit

PEOPLE_CSV = CURATED / "people.csv"
NAPLES_YML = CURATED / "naples.yml"
TEXT_NOTES_YML = CURATED / "text_notes.yml"
INTERVIEWS_CSV = CURATED / "interviews.csv"
SECTIONS_YML = CURATED / "sections.yml"

COLUMNS = ["id", "name", "role", "affiliation", "group", "section", "quote", "notes", "source"]
GROUPS = set(vocab.PEOPLE_GROUPS)
OPENING = "The opening (no heading)"  # sections.yml's name for the lines before the first heading
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Names people.csv corrects, and the paper's spelling, which its quote carries instead.
PAPER_SPELLING = {"Arlacchi": "Arlachhi", "McClean": "Maclean"}
SLIP_IDS = {"rico-title", "pdd-42", "arlacchi-spelling", "cop-biennial", "polish-pm-president"}


def _flat(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    return " ".join(text.replace("\u201d", '"').split())


def _fold(text: str) -> str:
    """Loose name comparison: no accents, no case."""
    text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _surname(name: str) -> str:
    return name.split()[-1]


@pytest.fixture(scope="module")
def paper() -> str:
    return paper_text()


@pytest.fixture(scope="module")
def lines(paper) -> list[tuple[str, str]]:
    """Each line of the paper, flattened, with the heading it falls under."""
    headings = {s["section"] for s in yaml.safe_load(SECTIONS_YML.read_text("utf-8"))["sections"]}
    current, out = OPENING, []
    for line in paper.splitlines():
        if line in headings:
            current = line
        out.append((current, _flat(line)))
    return out


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return pd.read_csv(PEOPLE_CSV, keep_default_na=False, dtype=str)


@pytest.fixture(scope="module")
def interviews() -> pd.DataFrame:
    return pd.read_csv(INTERVIEWS_CSV, keep_default_na=False, dtype=str)


@pytest.fixture(scope="module")
def naples() -> list[dict]:
    return yaml.safe_load(NAPLES_YML.read_text("utf-8"))["statements"]


@pytest.fixture(scope="module")
def text_notes() -> list[dict]:
    return yaml.safe_load(TEXT_NOTES_YML.read_text("utf-8"))["notes"]


def _check_quote(quote, section, paper, lines, words, where):
    """The quote is verbatim within one line of the paper, under ``section``, which is a heading
    line of the paper (or the opening, before the first heading)."""
    if section != OPENING:
        assert f"\n{section}\n" in paper, (where, section)
    flat = _flat(quote)
    assert words[0] <= len(flat.split()) <= words[1], (where, len(flat.split()), quote)
    homes = {sec for sec, line in lines if flat in line}
    assert homes, (where, "not verbatim within one line of the paper", quote)
    assert section in homes, (where, f"quote is under {sorted(homes)}, not {section!r}")


# people.csv


def test_people_columns_ids_and_groups(people):
    assert list(people.columns) == COLUMNS
    assert people["id"].is_unique, people["id"][people["id"].duplicated()].tolist()
    for _, p in people.iterrows():
        assert KEBAB.match(p["id"]), p["id"]
        assert p["group"] in GROUPS, (p["id"], p["group"])
        for col in ("name", "role", "section", "quote", "source"):
            assert p[col].strip(), (p["id"], col)
        assert p["source"].startswith("Tennant (2021)"), p["id"]
        if "chronology-research.md" in p["source"]:
            assert "chronology-research.md" in p["role"], (p["id"], "say what the note gave")


def test_people_quotes_are_the_papers_and_name_the_person(people, paper, lines):
    for _, p in people.iterrows():
        _check_quote(p["quote"], p["section"], paper, lines, (4, 30), p["id"])
        surname = _surname(p["name"])
        spelt = PAPER_SPELLING.get(surname, surname)
        assert _fold(spelt) in _fold(p["quote"]), (p["id"], "quote does not name them")


def test_corrected_names_are_documented_as_slips(people, text_notes):
    slips = " ".join(_flat(n["paper_text"]) for n in text_notes)
    for right, wrong in PAPER_SPELLING.items():
        assert any(_surname(n) == right for n in people["name"]), right
        assert wrong in slips, (right, wrong)


def test_people_notes_are_interviews_by_that_person(people, interviews):
    speaker = dict(zip(interviews["note"], interviews["speaker"], strict=True))
    for _, p in people.iterrows():
        if not p["notes"]:
            continue
        for n in p["notes"].split(";"):
            assert n in speaker, (p["id"], n)
            same = _fold(_surname(p["name"])) == _fold(_surname(speaker[n]))
            assert same, (p["id"], n, speaker[n])


def test_every_named_interviewee_is_in_people_with_all_their_notes(people, interviews):
    named = interviews[~interviews["speaker"].str.contains("not named")]
    assert len(named) >= 25
    for speaker, notes in named.groupby("speaker")["note"]:
        surname = _fold(_surname(speaker))
        hits = people[people["name"].map(lambda n, s=surname: _fold(_surname(n)) == s)]
        assert len(hits) == 1, speaker
        assert set(hits.iloc[0]["notes"].split(";")) == set(notes), speaker


def test_the_required_people_are_present(people):
    def group_of(surname):
        hit = people[people["name"].map(lambda n: _fold(_surname(n)) == _fold(surname))]
        assert len(hit) == 1, surname
        return hit.iloc[0]["group"]

    for s in ("Cimoszewicz", "Kubicki", "Rosati", "Kwasniewski"):
        assert group_of(s) == "polish-actors", s
    assert group_of("Lauriola") == "chair"
    for s in ("Vetere", "Vlassis", "Laborde", "Ram"):
        assert group_of(s) == "secretariat", s
    assert group_of("Sabbatini") == "review-brokers"
    for s in ("Falcone", "Berlusconi", "Dell'Utri", "Arlacchi"):
        assert group_of(s) == "naples", s
    for s in ("Costa", "Fedotov", "Ki-moon", "Clinton"):
        assert group_of(s) == "leaders", s


def test_unknown_roles_say_so(people):
    for _, p in people.iterrows():
        assert "?" not in p["role"], p["id"]
        if p["role"].lower().startswith("not given"):
            assert p["role"] == "not given in the paper", p["id"]


# naples.yml


def test_naples_statements_are_the_sections_own(naples, paper, lines, people, interviews):
    ids = [s["id"] for s in naples]
    assert len(ids) == len(set(ids)), ids
    person_ids = set(people["id"])
    notes = dict(zip(interviews["note"], interviews["section"], strict=True))
    for s in naples:
        assert KEBAB.match(s["id"]), s["id"]
        assert len(s["statement"].split()) >= 8, s["id"]
        _check_quote(s["quote"], "The Convention and Criminals", paper, lines, (5, 40), s["id"])
        assert set(s["people"]) <= person_ids, (s["id"], set(s["people"]) - person_ids)
        cites = s["cites"]
        if cites.startswith("note "):
            assert notes.get(cites.split()[1]) == "The Convention and Criminals", s["id"]
        elif cites:
            assert re.fullmatch(r"\([^()]+ \d{4}[a-z]?\)", cites), (s["id"], cites)
            assert cites in _flat(s["quote"]), (s["id"], "the quote carries the citation")


def test_naples_covers_every_citation_and_person_of_the_section(naples, paper):
    start = paper.index("\nThe Convention and Criminals\n")
    end = paper.index("\nEvaluating the Genesis of the Convention\n")
    section = _flat(paper[start:end])
    cited = set(re.findall(r"\([A-Z][^()]*? \d{4}[a-z]?\)", section))
    given = {s["cites"] for s in naples}
    assert cited <= given, cited - given
    named = {p for s in naples for p in s["people"]}
    assert {"berlusconi", "dell-utri", "arlacchi", "falcone", "polimeni"} <= named


def test_naples_keeps_the_papers_hedges(naples):
    hedges = re.compile(r"alleg|claim|accord|report|in the paper's|the paper (says|reads|calls)")
    for s in naples:
        q = _flat(s["quote"]).lower()
        if any(w in q for w in ("allegation", "claim", "according", "reportedly")):
            assert hedges.search(s["statement"].lower()), s["id"]
    alleged = [s for s in naples if "allegations" in _flat(s["quote"])]
    assert alleged and all("allegation" in s["statement"] for s in alleged)


# text_notes.yml


def test_text_notes_are_verbatim_and_sourced(text_notes, paper, lines):
    ids = [n["id"] for n in text_notes]
    assert len(ids) == len(set(ids)), ids
    assert SLIP_IDS <= set(ids), SLIP_IDS - set(ids)
    for n in text_notes:
        assert KEBAB.match(n["id"]), n["id"]
        _check_quote(n["paper_text"], n["section"], paper, lines, (1, 60), n["id"])
        assert len(n["note"].split()) >= 8, n["id"]
        assert n["source"].strip() and "http" not in n["source"], n["id"]


def test_the_named_slips_say_what_they_should(text_notes):
    by_id = {n["id"]: n for n in text_notes}
    assert "Racketeer Influenced and Corrupt Organizations Act" in by_id["rico-title"]["note"]
    assert "PDD-42" in by_id["pdd-42"]["note"]
    assert "chronology-research.md" in by_id["pdd-42"]["source"]
    assert "Arlacchi" in by_id["arlacchi-spelling"]["note"]
    assert "biennial" in by_id["cop-biennial"]["note"]
    both = by_id["polish-pm-president"]
    assert "Cimoszewicz" in both["note"] and "Kwaśniewski" in both["note"]
    assert "paper's own text" in both["source"]


# F8, C4: Falcone was killed at Capaci
@pytest.mark.review("reader-2026-12", "F8", "C4")
def test_falcone_was_killed_at_capaci():
    people = (config.CURATED / "people.csv").read_text()
    assert "in Palermo in May 1992" not in people and "at Capaci" in people
