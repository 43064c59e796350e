"""The Convention document (data/curated/convention.yml): every quote is the paper's, on one line
of its text and of quotable length; every section is one of its headings; the four stumbling
blocks are the paper's; every event is a row of events.csv and every conclusion reference a
conclusion of the document; ids are unique within each list; the States named for terrorism are
named in the paper."""

from collections import Counter

import pytest
import yaml

from palermo import config
from palermo.data import events
from tests.conftest import paper_text

pytestmark = pytest.mark.unit

DOC = config.CURATED / "convention.yml"
LISTS = (
    ("elements",),
    ("review_mechanism", "design"),
    ("review_mechanism", "stumbling_blocks"),
    ("review_mechanism", "reform_ideas"),
    ("conclusions",),
)


def _flat(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    return " ".join(text.replace("\u201d", '"').split())


@pytest.fixture(scope="module")
def doc() -> dict:
    return yaml.safe_load(DOC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def paper() -> str:
    return paper_text()


def _list(doc: dict, keys: tuple) -> list:
    got = doc
    for k in keys:
        got = got[k]
    return got


def _quoted(doc: dict) -> list[tuple[str, dict]]:
    """Every entry that carries a quote and a section, with where it sits."""
    rows = [("terrorism", doc["terrorism"])]
    for keys in LISTS:
        rows += [(f"{'.'.join(keys)}:{e['id']}", e) for e in _list(doc, keys)]
    return rows


def check_quotes(doc: dict, paper: str) -> list[str]:
    flat, lines = _flat(paper), [_flat(line) for line in paper.splitlines()]
    bad = []
    for where, e in _quoted(doc):
        q = _flat(e["quote"])
        if q not in flat:
            bad.append(f"{where}: not in the paper: {e['quote']!r}")
        elif not any(q in line for line in lines):
            bad.append(f"{where}: spans lines of the text: {e['quote']!r}")
        if not 5 <= len(q.split()) <= 40:
            bad.append(f"{where}: {len(q.split())} words")
    return bad


def check_sections(doc: dict, paper: str) -> list[str]:
    return [
        f"{where}: not a heading: {e['section']!r}"
        for where, e in _quoted(doc)
        if f"\n{e['section']}\n" not in paper
    ]


def check_ids(doc: dict) -> list[str]:
    bad = []
    for keys in LISTS:
        ids = Counter(e["id"] for e in _list(doc, keys))
        bad += [f"{'.'.join(keys)}: {i} x{n}" for i, n in ids.items() if n > 1]
    return bad


def check_references(doc: dict, events: set[str]) -> list[str]:
    conclusions = {c["id"] for c in doc["conclusions"]}
    bad = [f"fact: {f['event']}" for f in doc["cybercrime"]["facts"] if f["event"] not in events]
    bad += [
        f"design: {d['id']}: {d['event']}"
        for d in doc["review_mechanism"]["design"]
        if "event" in d and d["event"] not in events
    ]
    bad += [
        f"bearing: {b['conclusion']}"
        for b in doc["cybercrime"]["bearing"]
        if b["conclusion"] not in conclusions
    ]
    return bad


def check_terrorism_names(doc: dict, paper: str) -> list[str]:
    t = doc["terrorism"]
    names = list(t["opposed"]) + list(t.get("advocated_inclusion", []))
    return [n for n in names if n not in paper]


def test_every_quote_is_the_papers_on_one_line(doc, paper):
    assert check_quotes(doc, paper) == []


def test_every_section_is_a_heading_of_the_paper(doc, paper):
    assert check_sections(doc, paper) == []
    # the closing paragraphs have no heading of their own in the text
    assert "\nConclusion\n" not in paper and "\nConclusions\n" not in paper


def test_exactly_the_papers_four_stumbling_blocks(doc, paper):
    blocks = doc["review_mechanism"]["stumbling_blocks"]
    assert len(blocks) == 4
    sentence = _flat(
        "The substantive stumbling blocks were the funding model, the role of civil society, "
        "the nature of the peer review and the primacy of its intergovernmental nature."
    )
    assert sentence in _flat(paper)
    for b in blocks:
        assert _flat(b["block"]) in sentence, b["id"]


def test_events_and_conclusions_are_real(doc):
    ids = set(events.load()["id"])
    assert check_references(doc, ids) == []
    assert {f["event"] for f in doc["cybercrime"]["facts"]} <= {
        i for i in ids if i.startswith("cybercrime-")
    }
    assert 2 <= len(doc["cybercrime"]["bearing"]) <= 4


def test_ids_are_unique_within_each_list(doc):
    assert check_ids(doc) == []


def test_terrorism_names_are_the_papers(doc, paper):
    assert check_terrorism_names(doc, paper) == []
    # the paper names the States that advocated inclusion, and none that opposed it
    assert doc["terrorism"]["opposed"] == []


def test_the_checks_fail_on_bad_input(doc, paper):
    bad = yaml.safe_load(yaml.safe_dump(doc))
    bad["elements"][0]["quote"] = "A sentence the paper never wrote about the Convention."
    bad["elements"][1]["quote"] = "Too short."  # neither the paper's nor long enough
    bad["elements"][2]["section"] = "Conclusion"
    bad["elements"][3]["id"] = bad["elements"][4]["id"]
    bad["cybercrime"]["facts"][0]["event"] = "cybercrime-ratified"
    bad["cybercrime"]["bearing"][0]["conclusion"] = "no-such-conclusion"
    bad["terrorism"]["opposed"] = ["Atlantis"]
    ids = set(events.load()["id"])
    assert len(check_quotes(bad, paper)) == 3
    assert len(check_sections(bad, paper)) == 1
    assert len(check_ids(bad)) == 1
    assert len(check_references(bad, ids)) == 2
    assert check_terrorism_names(bad, paper) == ["Atlantis"]
    # words that are the paper's but run across two of its lines are refused
    lines = [line for line in paper.splitlines() if line.strip()]
    spans = yaml.safe_load(yaml.safe_dump(doc))
    spans["conclusions"][0]["quote"] = " ".join(lines[-2].split()[-4:] + lines[-1].split()[:4])
    assert _flat(spans["conclusions"][0]["quote"]) in _flat(paper)
    assert [b for b in check_quotes(spans, paper) if "spans lines" in b]
