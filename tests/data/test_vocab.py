"""The project's vocabularies (palermo.data.vocab): the actions, the statuses and the verdicts
every stage reads, in one place."""

import pytest

from palermo.data import vocab

pytestmark = pytest.mark.unit


def test_a_partial_match_is_its_own_kind_of_verdict():
    assert vocab.verdict_kind("match: year only") == vocab.PARTIAL_MATCH
    assert vocab.verdict_kind("match") == "match"
    assert vocab.verdict_kind("differs") == "differs"
    assert vocab.verdict_kind(vocab.NOT_CHECKABLE) == vocab.NOT_CHECKABLE
    assert {vocab.verdict_kind(v) for v in vocab.VERDICTS} == set(vocab.VERDICTS)


def test_a_withdrawal_is_curated_never_read_from_a_table():
    """The depositary's tables hold signatures and consents; a withdrawal comes only from a
    cited curated row, and it is no consent."""
    assert vocab.WITHDRAWAL not in vocab.ACTIONS and vocab.WITHDRAWAL in vocab.CURATED_ACTIONS
    assert set(vocab.ACTIONS) == {vocab.SIGNATURE, *vocab.CONSENT_ACTIONS}
    assert vocab.WITHDRAWAL not in vocab.CONSENT_ACTIONS


def test_only_the_instruments_the_final_clauses_name_count_towards_entry_into_force():
    assert set(vocab.QUALIFYING) == {"ratification", "acceptance", "approval", "accession"}
    assert set(vocab.QUALIFYING) < set(vocab.CONSENT_ACTIONS)
    # those that need a signature before them
    assert set(vocab.RATIFY_LIKE) == set(vocab.QUALIFYING) - {"accession"}


def test_every_status_the_rule_gives_is_listed_with_withdrawn_apart_from_party():
    assert vocab.STATUSES[0] == "party" and vocab.STATUSES[-1] == "none"
    assert {"withdrawn", "possibly_party", "signatory"} <= set(vocab.STATUSES)
    assert len(set(vocab.STATUSES)) == len(vocab.STATUSES)
