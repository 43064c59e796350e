"""The who's who (palermo.chapters.people): its groups and the names of the States in its
affiliations."""

import re

import pytest

from palermo.chapters import people
from palermo.data import countries, curated, vocab
from palermo.errors import UsageError
from palermo.model.participation import known
from tests.conftest import NOT_UN

pytestmark = pytest.mark.unit


def _places(affiliation: str) -> list[str]:
    """The parts of an affiliation that may be a State's name: split at ';' and ',', and the
    words in brackets apart."""
    parts = []
    for piece in re.split(r"[;,]", affiliation):
        parts += [p.strip() for p in re.split(r"[()]", piece) if p.strip()]
    return parts


# participants
@pytest.mark.review("reader-2026-12b", "D9")
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


# the who's who's groups
@pytest.mark.review("reader-2026-12b", "G14")
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
