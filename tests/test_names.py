"""One display name for each participant and each treaty, everywhere a reader sees it (reader
review 3, ../shared/reports/reader-review-2026-12b.md: C11, D9, G14 and §3): the UN's names for
States ("Saint Lucia", "United States of America"), in the data layer, the curated files and the
profile pages' addresses; each treaty by the name readers know ("Trafficking Protocol", "Rome
Statute"), never its short id or UNTC number, in prose and tables (text.treaty_name, the one
naming); the who's who's groups named to fit their members; the voices' themes by their labels."""

import datetime as dt
import re

import pandas as pd
import pytest
import yaml

from palermo import config
from palermo.chapters import (
    country_profile,
    explanations,
    figure1,
    peers,
    people,
    ratified_not_used,
    voices,
    who_joined,
)
from palermo.data import countries, curated, treaties, vocab
from palermo.errors import UsageError
from palermo.model import merge
from palermo.model.coverage import reach
from palermo.model.participation import known, page_slug
from palermo.render import tables, text

pytestmark = pytest.mark.unit

PAPER = dt.date(2020, 12, 23)

# the short ids a researcher types; a reader never reads them (UNTOC and UNCAC are also the
# acronyms readers of the field use, and the book's names for the two conventions)
SHORT = re.compile(r"\b(?:TIP|SOM|FIREARMS|DRUGS1988|ROME|BOMBINGS|FINANCING|CYBERCRIME)\b")
UNTC_NUMBER = re.compile(r"\b(?:XVIII|VI)-\d+(?:-[a-z])?\b")
# short and informal forms of States' names the UN does not use
NOT_UN = re.compile(
    r"\bSt\. |\bUSA\b|\bUS\b|\bUnited States\b(?! of America)|\bRussia\b|\bSouth Korea\b"
    r"|\bUK\b|\bUnited Kingdom\b(?! of Great Britain)"
)


# --- participants ------------------------------------------------------------------------------


def test_every_participant_is_named_as_the_un_names_it():
    names = known()
    assert not [n for n in names.values() if NOT_UN.search(n)]
    assert names["LCA"] == "Saint Lucia"
    assert names["KNA"] == "Saint Kitts and Nevis"
    assert names["VCT"] == "Saint Vincent and the Grenadines"
    assert names["USA"] == "United States of America"
    assert names["RUS"] == "Russian Federation"
    assert names["KOR"] == "Republic of Korea"
    # the data layer's names are the ones every page shows: the records' own names carry them
    assert merge.load().names["LCA"] == "Saint Lucia"


def test_the_un_names_file_is_what_the_data_layer_returns_and_the_old_names_still_resolve():
    un = curated.load("un_names")
    names = known()
    for r in un.itertuples():
        assert names[r.participant_id] == r.name == countries.un_name(r.participant_id)
        for old in r.former.split(";"):
            # what a researcher types, the records' name or the UN's, finds the one participant
            assert countries.lookup(old, names) == r.participant_id
            assert old in countries.aliases(r.participant_id)
    assert countries.lookup("St. Lucia", names) == "LCA"
    assert countries.lookup("Saint Lucia", names) == "LCA"


def test_profile_pages_are_named_after_the_un_names():
    assert page_slug("LCA") == "saint-lucia"
    assert page_slug("KNA") == "saint-kitts-and-nevis"
    assert page_slug("VCT") == "saint-vincent-and-the-grenadines"
    toc = config.TOC.read_text(encoding="utf-8")
    assert "book/country_profile/saint-lucia" in toc and "title: Saint Lucia" in toc
    assert "st-lucia" not in toc and "St. " not in toc


def test_the_arms_exporters_carry_the_un_names():
    names = known()
    ex = curated.load("arms_exporters")
    for r in ex.itertuples():
        assert r.name == names[r.participant], r
    shown = who_joined.arms_exporters(PAPER)["exporter"]
    assert list(shown) == [names[p] for p in ex["participant"]]
    assert not [n for n in shown if NOT_UN.search(n)]


def _places(affiliation: str) -> list[str]:
    """The parts of an affiliation that may be a State's name: split at ';' and ',', and the
    words in brackets apart."""
    parts = []
    for piece in re.split(r"[;,]", affiliation):
        parts += [p.strip() for p in re.split(r"[()]", piece) if p.strip()]
    return parts


def test_peoples_affiliations_name_states_as_the_un_does():
    names = known()
    p = curated.load("people")
    seen = set()
    for r in p.itertuples():
        if not isinstance(r.affiliation, str):
            continue
        assert not NOT_UN.search(r.affiliation), (r.name, r.affiliation)
        for place in _places(r.affiliation):
            try:
                pid = countries.lookup(place, names)
            except UsageError:
                continue  # not a State: an office, a party, a court
            assert place == names[pid], (r.name, place, names[pid])
            seen.add(pid)
    assert {"USA", "RUS", "POL", "ITA"} <= seen
    shown = " ".join(people.people(list(people.GROUP_LABELS))["name"])
    assert "Bill Clinton (United States of America)" in shown
    assert "Boris Yeltsin (Russian Federation)" in shown


# --- the who's who's groups -----------------------------------------------------------------------


def test_each_group_name_fits_all_its_members():
    """G14: 'Leaders and heads of the UN crime office' held two Presidents, the UN
    Secretary-General and the FBI's Director: the name says what each of them heads."""
    office = {  # a word of the role -> the words of the group's name that cover it
        "President": "Heads of State",
        "Secretary-General": "of the UN",
        "UNODC": "crime office",
        "FBI": "FBI",
    }
    p = curated.load("people")
    label = people.GROUP_LABELS["leaders"]
    for r in p[p["group"] == "leaders"].itertuples():
        covered = [words for key, words in office.items() if key in r.role]
        assert covered and all(w in label for w in covered), (r.name, label)
    assert set(people.GROUP_LABELS) == set(vocab.PEOPLE_GROUPS)


# --- treaties ------------------------------------------------------------------------------------


def test_every_treaty_has_one_name_for_readers():
    every = treaties.all_treaties()
    names = [text.treaty_name(t) for t in every]
    assert len(set(names)) == len(names)
    for t in every:
        name = text.treaty_name(t)
        # any way of naming it gives the same name, and the name finds the treaty again
        assert text.treaty_name(t.short) == text.treaty_name(t.number) == name == t.label
        assert treaties.resolve(name) == t
        assert not SHORT.search(name) and not UNTC_NUMBER.search(name)
    assert text.treaty_name("BOMBINGS") == "Terrorist Bombings Convention"
    assert text.treaty_name("FINANCING") == "Terrorist Financing Convention"
    assert text.treaty_name("XVIII-12-b") == "Smuggling Protocol"
    assert text.the_treaty("ROME") == "the Rome Statute" and text.the_treaty("UNTOC") == "UNTOC"


def test_a_table_names_its_treaties_and_leaves_other_codes_alone():
    df = pd.DataFrame(
        {
            "treaty": ["XVIII-12-b", "VI-19;XVIII-11", ""],
            "participant": ["Republic of Moldova", "Palau", "Somalia"],
            "ISO code": ["MDA", "PLW", "SOM"],
            "FIREARMS": ["party", "none", "none"],
        }
    )
    shown = tables.for_readers(df)
    assert list(shown.columns) == ["Treaty", "Participant", "ISO code", "Firearms Protocol"]
    assert list(shown["Treaty"]) == [
        "Smuggling Protocol",
        "1988 Drugs Convention and Terrorist Financing Convention",
        "",
    ]
    assert list(shown["ISO code"]) == ["MDA", "PLW", "SOM"]  # Somalia's code is not a treaty
    # a column of treaties that holds anything else is left as it is
    odd = tables.for_readers(pd.DataFrame({"treaty": ["TIP", "not a treaty"]}))
    assert list(odd["Treaty"]) == ["TIP", "not a treaty"]


def test_the_coverage_notes_name_each_treaty():
    for t in treaties.with_records():
        note = text.coverage_note(*reach(t.short, PAPER))
        assert note.startswith(f"The records of {text.the_treaty(t)} ")
        assert not SHORT.search(note) and not UNTC_NUMBER.search(note), note


def _prose(values: dict) -> str:
    return " ".join(str(v) for v in values.values() if isinstance(v, str))


def test_the_chapters_prose_names_treaties():
    four = {"as_of": PAPER, "treaties": ["TIP", "UNTOC", "SOM", "FIREARMS"]}
    said = {
        "figure1": _prose(figure1.facts(four)),
        "ratified_not_used": _prose(ratified_not_used.facts(four)),
        "explanations": _prose(explanations.facts({"treaty": "FIREARMS", "as_of": PAPER})),
        "who_joined": _prose(
            who_joined.facts({"as_of": PAPER, "treaty": "TIP", "region_scheme": "m49_region"})
        ),
    }
    for chapter, prose in said.items():
        assert not SHORT.search(prose), (chapter, SHORT.search(prose))
        assert not UNTC_NUMBER.search(prose), chapter
    assert "the Trafficking Protocol" in said["figure1"]
    assert "Trafficking Protocol 178 on 2020-05-31" in said["figure1"]
    assert "The records of the Trafficking Protocol end before" in said["ratified_not_used"]


def test_the_peers_page_names_its_treaties():
    f = peers.facts({"as_of": PAPER, "treaties": treaties.group("peers"), "align": "adoption"})
    assert f["fastest"] == "the 1988 Drugs Convention"
    note = peers.not_held_note(treaties.group("peers"))
    assert "UN Convention against Cybercrime**, adopted" in note
    assert not UNTC_NUMBER.search(note)
    # the tables carry short ids for the code; what a reader reads is the names
    shown = tables.for_readers(peers.adoption_to_force(treaties.group("peers")))
    assert not [v for v in shown["Instrument"] if SHORT.search(v)]
    by_year = peers.deposits_by_year(peers.nine_eleven_instruments(), 1999, 2002)
    wide = by_year.pivot(index="year", columns="instrument", values="deposits").reset_index()
    assert "Terrorist Bombings Convention" in tables.for_readers(wide).columns


def test_a_profile_names_its_treaties_in_its_headline_table_and_chart():
    f = country_profile.facts({"country": "JPN", "as_of": PAPER})
    head = country_profile.heading(f)
    assert "the Firearms Protocol (complete through" in head and not SHORT.search(head)
    shown = tables.for_readers(country_profile.record("JPN", PAPER).drop(columns=["name"]))
    assert list(shown["Treaty"]) == [text.treaty_name(t) for t in treaties.with_records()]
    chart = country_profile.region_chart("JPN", PAPER, "TIP").to_dict()
    assert chart["title"]["text"] == "Trafficking Protocol in Asia"


def test_the_disagreements_table_names_the_treaty():
    d = merge.load().disagreements
    shown = tables.for_readers(d[["treaty", "participant", "fact"]])
    moldova = shown[shown["Participant"] == "Republic of Moldova"]
    assert list(moldova["Treaty"]) == ["Smuggling Protocol"]


# --- the voices' themes --------------------------------------------------------------------------


def test_the_voices_show_theme_labels_not_codes():
    cb = voices.codebook()
    assert set(cb.labels) == set(cb.themes)
    shown = voices.notes_table(voices.interviews())
    codes = set(cb.themes)
    for cell in shown["themes"]:
        parts = cell.split("; ")
        assert parts and not set(parts) & codes, cell
        assert set(parts) <= set(cb.labels.values()), cell
    assert set(voices.codebook_table()["theme"]) == set(cb.labels.values())
    m = voices.theme_matrix(voices.interviews(), ["genesis", "terrorism-9-11"])
    assert set(m["theme"]) == {"Genesis of the Convention", "Terrorism and 9/11"}


def test_a_codebook_theme_without_a_label_is_refused(tmp_path):
    doc = yaml.safe_load((config.CURATED / "codebook.yml").read_text(encoding="utf-8"))
    del doc["labels"]["genesis"]
    bad = tmp_path / "codebook.yml"
    bad.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(Exception, match="genesis"):
        curated.read_yaml(bad, curated.CodebookDoc)
