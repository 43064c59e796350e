"""The chapter "Peers" (palermo.chapters.peers): the Convention beside the other treaties of its
kind, the 9/11 test and its Fisher exact test, age against age within complete records, and a
treaty described, not drawn, where its records are not held."""

import datetime as dt

import pandas as pd
import pytest

from palermo.chapters import peers
from palermo.config import ROOT
from palermo.data import treaties
from palermo.model.coverage import complete_through
from palermo.model.params import as_of as read_day
from palermo.render import tables
from tests.conftest import SHORT, UNTC_NUMBER

pytestmark = pytest.mark.unit


def test_fisher_exact_known_values():
    assert peers.fisher_exact(1, 9, 11, 3) == pytest.approx(0.00276, abs=1e-4)
    assert peers.fisher_exact(3, 1, 1, 3) == pytest.approx(0.4857, abs=1e-3)


def test_nine_eleven_test_counts_match_the_records():
    """Recount the deposits straight from the merged records (not through the chapter's code)
    and pin the counts and the p-value to them (D14)."""
    from palermo.data import treaties
    from palermo.data.vocab import SIGNATURE
    from palermo.model import merge

    t = peers.nine_eleven_test()
    acts = merge.load().actions
    attack = pd.Timestamp("2001-09-11")
    before = (attack - pd.Timedelta(days=365), attack - pd.Timedelta(days=1))
    after = (attack, attack + pd.Timedelta(days=364))

    def count(shorts, lo, hi):
        numbers = [treaties.resolve(s).number for s in shorts]
        a = acts[
            acts["treaty"].isin(numbers)
            & (acts["action"] != SIGNATURE)
            & (acts["precision"] == "day")
        ]
        return int(((a["date"] >= lo) & (a["date"] <= hi)).sum())

    terror = ["BOMBINGS", "FINANCING"]
    expected = {
        "terrorism_before": count(terror, *before),
        "terrorism_after": count(terror, *after),
        "untoc_before": count(["UNTOC"], *before),
        "untoc_after": count(["UNTOC"], *after),
    }
    assert {k: t[k] for k in expected} == expected
    assert expected["terrorism_after"] > expected["terrorism_before"] > 0
    assert t["p_value"] == pytest.approx(
        peers.fisher_exact(
            expected["terrorism_before"],
            expected["untoc_before"],
            expected["terrorism_after"],
            expected["untoc_after"],
        )
    )


def test_fisher_exact_against_a_published_value():
    # R: fisher.test(matrix(c(1, 11, 9, 3), 2))$p.value == 0.002759
    assert peers.fisher_exact(1, 9, 11, 3) == pytest.approx(0.002759, abs=5e-6)
    assert peers.fisher_exact(5, 5, 5, 5) == pytest.approx(1.0)


def test_uncac_runs_ahead_of_untoc_by_age_within_complete_records():
    o = peers.overtaking(as_of=read_day("2020-12-23"))
    assert o["compared_to_day"] == str(min(complete_through("UNCAC"), complete_through("UNTOC")))
    # UNCAC ran ahead by age for years; whether it stayed ahead is read as far as both are
    # complete: 'never' (None) means UNTOC had caught up again by then
    assert o["age_years"] is None or o["age_years"] < o["compared_to_age"]


def test_adoption_to_force_days():
    a = peers.adoption_to_force(["UNTOC"]).iloc[0]
    assert a["days"] == (pd.Timestamp("2003-09-29") - pd.Timestamp("2000-11-15")).days


def test_the_cybercrime_convention_is_described_not_drawn_without_its_records():
    from palermo.data import treaties

    instruments = treaties.group("peers")
    assert "CYBERCRIME" in instruments and not treaties.held("CYBERCRIME")
    assert "CYBERCRIME" not in set(peers.aligned(instruments, read_day("latest"))["instrument"])
    assert "CYBERCRIME" not in set(peers.adoption_to_force(instruments)["instrument"])
    note = peers.not_held_note(instruments)
    # by its name, with no UNTC number in the prose (reader review 3, §3)
    assert "UN Convention against Cybercrime**, adopted on 2024-12-24" in note
    assert "XVIII-16" not in note
    assert "2025-10-25 to 2025-10-26" in note and "not drawn and not counted" in note


@pytest.mark.parametrize(
    "t_change, u_change",
    [(3, 2), (3, -1), (-1, 4), (0, 0)],
)
def test_the_9_11_reading_never_claims_deposits_test_attention(t_change, u_change):
    """Issue 11: the paper's 9/11 claim is about attention, money and implementation; deposits
    cannot test it, and resolution 1373 called for the terrorism conventions' deposits."""
    reading = peers.nine_eleven_reading({"terrorism_change": t_change, "untoc_change": u_change})
    assert "as the paper's argument expects" not in reading
    if t_change > 0:
        assert "1373" in reading
    assert "attention" in reading or "why" in reading or "no more" in reading


def test_the_peers_page_sets_out_what_deposits_cannot_show():
    md = (ROOT / "notebooks" / "peers.md").read_text(encoding="utf-8")
    assert "## 9/11: what deposits can and cannot show" in md
    assert "S/RES/1373 (2001)" in md and "The 9/11 test" not in md


PAPER = dt.date(2020, 12, 23)


# treaties
@pytest.mark.review("reader-2026-12b", "§3")
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


def test_a_peer_not_in_force_has_a_row_with_no_days(monkeypatch):
    """The Cybercrime Convention is not in force (treaties.yml: official null): once its
    records are fetched, the peers' table says so instead of failing on the missing date."""
    from types import SimpleNamespace

    from palermo.chapters import peers

    monkeypatch.setattr(peers, "held", lambda instruments: list(instruments))
    monkeypatch.setattr(
        peers,
        "entry_into_force",
        lambda short: SimpleNamespace(official=None, computed=None, match=False),
    )
    row = peers.adoption_to_force(["CYBERCRIME"]).iloc[0]
    assert row["entry into force (official)"] == "not in force"
    assert row["days"] is None and row["records agree"] is None
