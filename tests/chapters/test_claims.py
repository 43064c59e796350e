"""The ledger's chapter (palermo.chapters.claims) as a scholar cites it (reader review 2026-12b,
§5 and §6.1): partial matches counted apart, statements left ungraded say why, every claim has
an anchor and a citation form with the edition, print gives every verdict's grounds, and the
ledger prints only the events its claims rest on."""

from __future__ import annotations

import pytest

from palermo import config
from palermo.chapters import claims as chapter
from palermo.data import events, vocab
from palermo.model import claims
from palermo.render import cite


@pytest.mark.unit
def test_the_summary_counts_partial_matches_apart():
    rows = claims.evaluate_all()
    facts = chapter.facts({"verdicts": list(vocab.VERDICTS)})
    kinds = [vocab.verdict_kind(r.verdict) for r in rows]
    assert facts["n_partial"] == kinds.count(vocab.PARTIAL_MATCH) > 0
    assert facts["n_match"] == kinds.count("match")
    assert sum(facts[k] for k in ("n_match", "n_partial", "n_differs")) + facts[
        "n_unchecked"
    ] + facts["n_untestable"] == len(rows)
    # a filter on the kind keeps the partial matches with their scope
    shown = chapter.shown({"verdicts": [vocab.PARTIAL_MATCH]})
    assert shown and all(r.verdict.startswith("match: ") for r in shown)


@pytest.mark.unit
def test_print_gives_every_verdict_its_grounds_and_citation():
    rows = claims.evaluate_all()
    text = chapter.print_ledger(rows)
    blocks = [b for b in text.split("\n- ")[1:]]
    assert len(blocks) == len(rows)
    for r, block in zip(chapter._ordered(rows), blocks, strict=True):
        assert "*Grounds.* Refers to" in block, r.id
        assert f"claim `{r.id}`, {{{cite.ROLE}}}`" in block, r.id
        assert f"Verdict: **{chapter._md(r.verdict)}**" in block, r.id
        if r.would_test:
            assert "What would test it:" in block, r.id
    # the evidence is named by the chapter's title (a MyST doc reference), not its file
    assert "{doc}`chronology`" in text and ".html" not in text


@pytest.mark.unit
def test_the_web_ledger_gives_each_claim_an_anchor_and_a_citation():
    rows = claims.evaluate_all()
    page = chapter.html_table(rows)
    for r in rows:
        assert f'id="claim-{r.id}"' in page
        assert f'<a href="#claim-{r.id}">Cite</a>' in page
    assert page.count('class="palermo-edition"') == len(rows)


@pytest.mark.unit
def test_statements_left_ungraded_say_why():
    df = chapter.ungraded()
    assert len(df) >= 1
    assert df["why they are not graded"].str.len().min() > 20


def notebook(name: str) -> str:
    return (config.NOTEBOOKS / f"{name}.md").read_text(encoding="utf-8")


# regional medians say n, and too few States is not a regional figure
@pytest.mark.unit
@pytest.mark.review("reader-2026-12", "finding 10")
def test_the_ledger_prints_only_the_events_its_claims_rest_on():
    """The 92-row event table was printed twice (chronology and ledger); the ledger now holds
    the rows its claims are checked against, each of them, and names the chapter for the rest."""
    from palermo.chapters import claims as chapter
    from palermo.model import claims

    shown = set(chapter.events_table()["id"])
    assert shown == claims.cited_events()
    assert {"naples-1994", "poland-1996", "congress-05"} <= shown
    assert len(shown) < len(events.load())
    assert 'chapter "From Naples to Palermo, and after" lists every event' in " ".join(
        notebook("claims").split()
    )
