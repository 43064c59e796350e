"""The ledger as a scholar cites it (reader review 2026-12b, §5 and §6.1): a partial match says
what it confirms and is counted apart, statements left ungraded say why, every claim has a
fixed name, an anchor and a citation form with the edition, and print gives every verdict's
grounds."""

from __future__ import annotations

import re

import pytest
import yaml

from palermo import config
from palermo.chapters import claims as chapter
from palermo.config import ROOT
from palermo.data import curated, events, vocab
from palermo.errors import DataError
from palermo.model import claims
from palermo.render import cite
from tests.conftest import TESTS

# Every claim id the ledger has published: a claim may be added, never renamed or dropped,
# for a citation of it must keep finding it (the page's anchor is #claim-<id>).
PUBLISHED = TESTS / "schemas" / "claim_ids.txt"


@pytest.mark.unit
def test_a_published_claim_keeps_its_name():
    published = PUBLISHED.read_text().split()
    ids = [c.id for c in claims.ledger()]
    assert len(ids) == len(set(ids))
    assert not set(published) - set(ids), "a published claim id is gone"
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


@pytest.mark.unit
@pytest.mark.parametrize(
    "verdict, ok",
    [
        ("match", True),
        ("match: year only", True),
        ("match: place and year only", True),
        ("partial match", False),  # the kind, not a verdict: say what is confirmed
        ("match: ", False),
        ("matches", False),
        ("differs", True),
    ],
)
def test_a_partial_match_must_say_what_it_confirms(tmp_path, verdict, ok):
    doc = yaml.safe_load((ROOT / "data" / "curated" / "claims.yml").read_text())
    doc["claims"] = [
        {
            **doc["claims"][0],
            "verdict": verdict,
            "explanation": "The records confirm the year; the rest of the claim is not checked.",
        }
    ]
    path = tmp_path / "claims.yml"
    path.write_text(yaml.safe_dump(doc))
    if ok:
        assert curated.load("claims", path).claims[0].verdict == verdict
    else:
        with pytest.raises(DataError, match="match: <what it confirms>"):
            curated.load("claims", path)


@pytest.mark.unit
def test_a_partial_match_keeps_its_scope_only_while_the_records_match():
    assert claims._scoped("match", "match: year only") == "match: year only"
    assert claims._scoped("differs", "match: year only") == "differs"
    assert claims._scoped("match", "match") == "match"
    assert vocab.verdict_kind("match: year only") == vocab.PARTIAL_MATCH
    assert vocab.verdict_kind(vocab.NOT_CHECKABLE) == vocab.NOT_CHECKABLE


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
def test_no_python_value_reaches_the_ledger():
    """'True | True' was printed for a yes-or-no claim."""
    for r in claims.evaluate_all():
        assert r.paper not in {"True", "False"} and r.recomputed not in {"True", "False"}, r.id


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
