"""The chapter "The paper's conclusions, and after" (palermo.chapters.conclusions): the paper's
conclusions in its words, the count they start from on the day, and the book's reading, marked
as its own, of how the Cybercrime Convention bears on them."""

import pytest

from palermo.chapters import conclusions
from palermo.data import curated
from palermo.model import params

pytestmark = pytest.mark.unit


def test_the_facts_at_the_papers_date():
    f = conclusions.facts(params.check(as_of="2020-12-23"))
    assert f["untoc_parties"] == "190 parties"
    assert f["untoc_complete"] == "the records are complete on that day"
    assert (f["members_outside"], f["members"]) == ("8 UN Member States", "193")
    assert f["n_conclusions"] == len(curated.load("convention").conclusions)
    # a treaty registered before its records are held: described, never counted
    assert f["cyber_records"].startswith("The project does not hold its treaty records yet")


def test_each_conclusion_is_in_the_papers_words_in_its_order():
    t = conclusions.conclusions()
    doc = curated.load("convention").conclusions
    assert list(t["the paper's words"]) == [c.quote for c in doc]
    assert list(t["conclusion"]) == [c.point for c in doc]


def test_the_books_reading_answers_a_conclusion_in_the_papers_words():
    quotes = {c.quote for c in curated.load("convention").conclusions}
    bearing = conclusions.cybercrime_bearing()
    assert bearing and all(quote in quotes for quote, _ in bearing)
    md = conclusions.bearing_markdown()
    for quote, reading in bearing:
        lead = "…" if quote[:1].islower() else ""  # a quote from mid-sentence says so
        assert f"> {lead}{quote}\n\n{reading}" in md
