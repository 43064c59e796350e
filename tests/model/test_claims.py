"""The claims ledger: every verdict is pinned, and each is recomputed from the records."""

import json
import re

import pytest
import yaml
from typer.testing import CliRunner

from palermo.cli import app
from palermo.config import ROOT
from palermo.data import curated, events, vocab
from palermo.errors import DataError
from palermo.model import claims
from palermo.model.params import as_of as read_day
from palermo.pipeline import plan
from tests.conftest import TESTS, edit, one_line_error, paper_text, run

pytestmark = pytest.mark.unit

RESULTS = {r.id: r for r in claims.evaluate_all()}


@pytest.mark.parametrize("claim_id", sorted(RESULTS))
def test_verdict_is_pinned(claim_id):
    r = RESULTS[claim_id]
    assert r.verdict == r.pinned, f"{claim_id}: recomputed {r.recomputed!r} gives {r.verdict!r}"


def test_ledger_is_large_enough_and_explained():
    assert len(RESULTS) >= 15
    for r in RESULTS.values():
        if r.verdict != "match":
            assert len(r.explanation) > 40, r.id
    assert {vocab.verdict_kind(r.verdict) for r in RESULTS.values()} == set(vocab.VERDICTS)


def test_the_issue_list_is_covered():
    wanted = {
        "untoc-parties-190",
        "tip-parties-178",
        "som-parties-149",
        "firearms-parties-118",
        "monaco-first",
        "palau-most-recent",
        "usa-2005",
        "italy-2006",
        "mali-first-firearms",
        "uk-signed-firearms-2002",
        "uk-never-ratified-firearms",
        "usa-never-signed-firearms",
        "eu-party-firearms",
        "parties-157-in-2010",
        "one-third-not-ratified-2007",
        "untoc-eif-2003",
        "adhoc-sessions-12",
        "review-mechanism-2018",
        "review-mechanism-launched-2020",
        "uncac-mechanism-decade",
        "shaped-before-9-11",
    }
    assert wanted <= set(RESULTS)
    # a claim the paper does not make is not in its ledger (issue 11): the paper never says the
    # Protocols entered into force only after 11 September 2001
    assert "protocols-in-force-after-9-11" not in RESULTS


def test_sections_are_the_papers_headings():
    text = paper_text()
    for r in RESULTS.values():
        assert f"\n{r.section}\n" in text, r.section
    order = claims.section_order()
    assert {r.section for r in RESULTS.values()} <= set(order)
    assert order == sorted(order, key=lambda n: text.find(f"\n{n}\n"))  # the paper's order


def test_evidence_pages_are_in_the_book():
    outputs = {str(r.output.relative_to(ROOT / "book").with_suffix("")) for r in plan.load().runs}
    for r in RESULTS.values():
        assert r.evidence in outputs, (r.id, r.evidence)


def test_the_ad_hoc_committee_correction():
    """The paper says 12 sessions to January 2001; the chronology has 13 in all, 11 by then."""
    assert claims.sessions_between("^ahc-[0-9]+$", "1999-01-01", "2001-01-31") == 11
    assert claims.sessions_between("^ahc-[0-9]+$", "1990-01-01", "2030-01-01") == 13


def test_count_comparison_rules():
    lo_hi = {
        "parties": 176,
        "parties_max": 177,
        "named": 175,
        "complete": False,
        "complete_through": "2018-01-15",
    }
    # records incomplete on the day never agree, even when the paper's count lies in the bounds
    assert claims.compare("count", 177, lo_hi)[0] == vocab.NOT_CHECKABLE
    assert claims.compare("count", 176, lo_hi)[0] == vocab.NOT_CHECKABLE
    assert claims.compare("count", 177, {**lo_hi, "complete": True})[0] == "match"
    # above the upper bound a later headline count sets: it differs; with no upper bound, open
    assert claims.compare("count", 178, lo_hi)[0] == "differs"
    assert claims.compare("count", 178, {**lo_hi, "parties_max": None})[0] == vocab.NOT_CHECKABLE
    assert "at least 176, at most 177 (175 named" in claims.compare("count", 176, lo_hi)[1]
    assert claims.compare("count", 170, lo_hi)[0] == "differs"
    assert claims.compare("count", 178, {**lo_hi, "complete": True})[0] == "differs"
    assert claims.compare("fraction", "1/3", {"start": (62, 192)})[0] == "match"
    assert claims.compare("fraction", "1/3", {"start": (40, 192)})[0] == "differs"
    assert claims.compare("causal", "why", None) == (vocab.NOT_TESTABLE, "-")


def test_claims_cli():
    r = CliRunner().invoke(app, ["claims", "--json"])
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert {x["id"] for x in rows} == set(RESULTS)
    r = CliRunner().invoke(app, ["claims"])
    assert r.exit_code == 0 and f"{len(RESULTS)} claims:" in r.output


def test_bad_ledger_entries_are_errors(tmp_path, monkeypatch):
    bad = tmp_path / "claims.yml"
    bad.write_text(
        "sections: [s]\n"
        "claims:\n  - {id: x, claim: c, section: s, refers_to: 2020, computation: nope,"
        " compare: equal, paper_value: 1, verdict: match, evidence: claims}\n"
    )
    load = curated.load
    monkeypatch.setattr(
        curated, "load", lambda name, path=None: load(name, bad if name == "claims" else path)
    )
    claims.ledger.cache_clear()
    try:
        with pytest.raises(DataError, match="unknown computation 'nope'"):
            claims.ledger()
    finally:
        claims.ledger.cache_clear()


# --- the complete ledger --------------------------------------------------------------------


def test_ledger_covers_the_papers_checkable_statements():
    assert len(RESULTS) >= 45
    wanted = {
        # dated statements checked against the chronology
        "ccpcj-first-session-vienna-april-1992",
        "falcone-murdered-may-1992",
        "falcone-one-month-after-ccpcj",
        "naples-1994",
        "poland-unga-24-september-1996",
        "warsaw-experts-february-1998",
        "ahc-formalised-december-1998",
        "ahc-first-session-january-1999",
        "convention-text-july-2000",
        "protocols-text-october-2000",
        "firearms-text-february-2001",
        "congress-kyoto-1970",
        "congress-geneva-1975",
        "congress-milan-1985",
        "congress-havana-1990",
        "congress-cairo-1995",
        "rome-statute-1998",
        # the paper's slips and the folded corrections
        "ccpcj-established-by-general-assembly",
        "usa-never-signed-convention",
        "ministerial-1991-versailles",
        "merged-office-undcp",
        "unsc-briefing-2010",
        "one-third-not-ratified-2010",
        # causal claims
        "momentum-slowed-after-2003",
        "review-mechanism-took-15-years",
    }
    assert wanted <= set(RESULTS), sorted(wanted - set(RESULTS))


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("event_when", ("congress-05", "year"), "1975"),
        ("event_when", ("ahc-established", "month"), "1998-12"),
        ("event_when", ("odccp-1997", "month"), None),  # dated only to a year: no month
        ("event_date", ("capaci-1992",), "1992-05-23"),
        ("event_date", ("unsc-2010",), "2010-02-24"),
        ("event_date", ("poland-1996",), "1996-09-24"),  # the day sourced (UN press briefing)
        ("event_date", ("ahc-12",), None),  # "likely": the days are not sourced
        ("event_month", ("1992-ccpcj-1st-session-judge",), "1992-04"),
        ("event_month", ("ahc-10",), "2000-07"),
        ("event_month", ("1998-informal-preparatory-meeting-of",), None),  # unconfirmed
        ("event_place", ("naples-1994",), "Naples"),
        ("event_place", ("uncac-merida",), "Mérida"),
        ("event_place", ("ministerial-1991",), None),  # Paris or Versailles: two places
        ("place_and_when", ("ahc-01", "month"), "Vienna, 1999-01"),
        ("place_and_when", ("congress-04", "year"), "Kyoto, 1970"),
        ("months_between", ("1992-ccpcj-1st-session-judge", "capaci-1992"), 1),
        ("years_between", ("rome-adopted", "uncac-adopted"), 5),
        ("years_between", ("poland-1996", "untoc-adopted"), 4),
        ("established_by", ("1992-ecosoc-res-19921-sets",), "ECOSOC"),
        ("established_by", ("ahc-established",), "General Assembly"),
        ("established_by", ("1991-unga-res-46152-approves",), "General Assembly"),
        ("organ_of", ("unsc-2010",), "Security Council"),
        ("organ_of", ("capaci-1992",), None),  # no symbol
        ("organ_and_when", ("ahc-established", "month"), "General Assembly, 1998-12"),
        ("body_acronym", ("odccp-1997",), "ODCCP"),
        ("body_acronym", ("unodc-2002",), "UNODC"),
        # a meeting the sources place in two ways matches either name, and says both otherwise
        ("place_among", ("ministerial-1991", "Versailles"), "Versailles"),
        ("place_among", ("ministerial-1991", "Paris"), "Paris"),
        ("place_among", ("ministerial-1991", "Rome"), "Paris or Versailles"),
        ("place_among", ("naples-1994", "Naples"), "Naples"),
        # how the organ decided: a recorded vote, without a vote, or not said
        ("organ_and_vote", ("cybercrime-ahc-established",), "General Assembly, by vote"),
        ("organ_and_vote", ("firearms-adopted",), "General Assembly, without a vote"),
        ("organ_and_vote", ("ahc-established",), None),
    ],
)
def test_chronology_computations(name, args, expected):
    assert claims.COMPUTATIONS[name](*args) == expected


def test_event_when_refuses_an_unknown_precision():
    with pytest.raises(DataError, match="precision"):
        claims.event_when("capaci-1992", "week")


def test_the_papers_slips_differ():
    ccpcj = RESULTS["ccpcj-established-by-general-assembly"]
    assert ccpcj.verdict == "differs"
    assert ccpcj.recomputed == "ECOSOC" and ccpcj.paper == "General Assembly"
    assert "E/RES/1992/1" in ccpcj.explanation and "46/152" in ccpcj.explanation
    assert RESULTS["ccpcj-established-1992"].verdict == "match"  # the year is right

    usa = RESULTS["usa-never-signed-convention"]
    assert usa.verdict == "differs" and usa.recomputed == "party"
    assert "Firearms Protocol" in usa.explanation
    assert claims.signature_year("UNTOC", "USA") == 2000
    assert claims.consent_year("UNTOC", "USA") == 2005
    # the sentence is the paper's own
    text = " ".join(paper_text().split())
    assert "the USA has never signed the Convention" in text
    # the Firearms reading is the book's, and says so
    firearms = RESULTS["usa-never-signed-firearms"]
    assert firearms.verdict == "match"
    assert firearms.claim.startswith("The book's reading")
    assert "checked as written" in firearms.reasoning


def test_one_third_is_read_at_both_dates():
    a, b = RESULTS["one-third-not-ratified-2007"], RESULTS["one-third-not-ratified-2010"]
    assert a.verdict == "match" and b.verdict == "differs"
    assert a.refers_to.startswith("2007-04") and b.refers_to == "2010-02-24"
    assert "Security Council briefing of 24 February 2010" in a.explanation
    assert "Commission's session of April 2007" in b.explanation
    # about a fifth of Member States were outside at the 2010 Security Council briefing
    share = claims.share_of_members_not_party(
        "UNTOC", read_day("2010-02-24"), read_day("2010-02-24")
    )
    assert claims.compare("fraction", "1/5", share)[0] == "match"
    assert claims.compare("fraction", "1/3", share)[0] == "differs"


def test_corrections_are_folded_into_the_ledger():
    """Each correction of the paper is graded by a claim checked against one of its chronology
    rows (the link is the data, not a file name in the reader's text)."""
    cited = claims.cited_events()
    for c in curated.load("corrections").corrections:
        assert set(c.events) & cited, f"no claim is checked against the rows of {c.id}"
    sessions = RESULTS["adhoc-sessions-12"]
    assert sessions.verdict == "differs"
    # twelve is right for the negotiation; the 13th session came in 2004, on the COP's rules
    assert "Twelve sessions is the right count" in sessions.explanation
    assert "13th" in sessions.explanation and "2004" in sessions.explanation


def test_explanations_name_no_files_or_ids():
    """Reasoning and explanations are printed for readers (reader review 2026-12b, §5)."""
    ids = {c.id for c in claims.ledger()} | set(events.load()["id"])
    for r in RESULTS.values():
        for text in (r.reasoning, r.explanation):
            assert not re.search(r"\.(?:md|yml|csv)\b", text), r.id
            words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", text))
            assert not words & ids, (r.id, words & ids)


def test_partial_matches_say_what_is_not_confirmed():
    partial = [r for r in RESULTS.values() if vocab.verdict_kind(r.verdict) == vocab.PARTIAL_MATCH]
    assert {
        "organized-crime-discussed-from-1975",
        "congress-kyoto-1970",
        "cops-2014-2016",
    } <= {r.id for r in partial}
    for r in partial:
        assert "unchecked" in r.explanation or "not confirmed" in r.explanation, r.id
    # the explanation no longer repeats itself (reader review 2026-12b, §5.1, row 23)
    assert RESULTS["cops-2014-2016"].explanation.count("not in the records") <= 1


def test_the_reader_reviews_statements_are_graded_or_left_ungraded():
    """§5.2 of reader review 2026-12b: each statement is graded, or ungraded with a reason."""
    graded = {
        "convention-first-suggested-over-30-years",
        "lauriola-assembly-2000",
        "costa-criticising-by-2006",
        "costa-term-ended-2010",
        "unga-consultation-march-1997",
        "warsaw-stolen-vehicles-december-1996",
        "workshops-buenos-aires-dakar-manila",
        "mueller-falcone-anniversary-2012",
        "cybercrime-non-consensus",
        "cairo-international-instruments-resolution",
        "ahc-resolution-named-chairman",
        "first-binding-framework-of-crime-programme",
    }
    assert graded <= set(RESULTS)
    assert RESULTS["cybercrime-non-consensus"].verdict == "match"
    assert RESULTS["poland-unga-24-september-1996"].verdict == "match"
    assert RESULTS["ministerial-1991-versailles"].verdict == "match"
    reasons = " ".join(u.reason for u in claims.ungraded())
    assert "Reported, not adjudicated" in reasons
    quoted = " ".join(s for u in claims.ungraded() for s in u.statements)
    for words in ("Dell'Utri", "Euro", "Yeltsin", "ENACT", "fully operational"):
        assert words in quoted, words


def test_causal_claims_say_what_would_test_them():
    causal = [r for r in RESULTS.values() if r.verdict == vocab.NOT_TESTABLE]
    assert len(causal) >= 2
    assert {"momentum-slowed-after-2003", "review-mechanism-took-15-years"} <= {
        r.id for r in causal
    }
    for c in claims.ledger():
        if c.compare == "causal":
            assert c.computation == "none", c.id
            assert len(" ".join(str(c.would_test or "").split())) > 40, c.id
            assert len(" ".join(str(c.explanation or "").split())) > 40, c.id


def test_a_causal_claim_without_would_test_is_refused(tmp_path):
    bad = tmp_path / "claims.yml"
    bad.write_text(
        "sections: [s]\n"
        "claims:\n  - {id: x, claim: c, section: s, refers_to: 2020, computation: none,"
        " compare: causal, paper_value: why, verdict: not testable with treaty records,"
        " explanation: e, evidence: claims}\n"
    )
    with pytest.raises(DataError, match="would_test"):
        curated.load("claims", bad)


def test_every_claim_sits_under_a_listed_heading():
    order = claims.section_order()
    assert len(order) == len(set(order))
    for c in claims.ledger():
        assert c.section in order, (c.id, c.section)
    # and every listed heading is used
    assert set(order) == {c.section for c in claims.ledger()}


# D6: malformed inputs
@pytest.mark.review("reliability-2026-11", "D6")
def test_a_claim_with_an_unknown_argument_names_the_claim(data_copy):
    edit(
        data_copy / "curated" / "claims.yml",
        "args: {treaty: UNTOC, as_of: 2020-12-23}",
        "args: {treaty: UNTOC, as_of: 2020-12-23, colour: red}",
    )
    err = one_line_error(run("claims"), 1)
    assert re.search(r"claim #\d+ \(untoc-parties-190\): the arguments do not fit parties_on", err)


# Every claim id the ledger has published: a claim may be added, never renamed or dropped,
# for a citation of it must keep finding it (the page's anchor is #claim-<id>).
PUBLISHED = TESTS / "schemas" / "claim_ids.txt"


def test_a_published_claim_keeps_its_name():
    published = PUBLISHED.read_text().split()
    ids = [c.id for c in claims.ledger()]
    assert len(ids) == len(set(ids))
    assert not set(published) - set(ids), "a published claim id is gone"
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


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


def test_a_partial_match_keeps_its_scope_only_while_the_records_match():
    assert claims._scoped("match", "match: year only") == "match: year only"
    assert claims._scoped("differs", "match: year only") == "differs"
    assert claims._scoped("match", "match") == "match"
    assert vocab.verdict_kind("match: year only") == vocab.PARTIAL_MATCH
    assert vocab.verdict_kind(vocab.NOT_CHECKABLE) == vocab.NOT_CHECKABLE


def test_no_python_value_reaches_the_ledger():
    """'True | True' was printed for a yes-or-no claim."""
    for r in claims.evaluate_all():
        assert r.paper not in {"True", "False"} and r.recomputed not in {"True", "False"}, r.id
