"""The history chapters' data: the chronology, the road to review, the peers, the voices."""

import datetime as dt

import pandas as pd
import pytest

from palermo.chapters import chronology, peers, road_to_review, voices
from palermo.config import ROOT
from palermo.data import curated, events, treaties, vocab
from palermo.errors import UsageError
from palermo.model import params
from palermo.model.coverage import complete_through
from palermo.model.params import as_of as read_day
from palermo.render import tables
from tests.conftest import SHORT, UNTC_NUMBER, paper_text

pytestmark = pytest.mark.unit


def test_events_schema_sources_and_dates():
    ev = events.load()
    assert len(ev) > 80
    assert ev["source"].str.len().gt(10).all()
    assert (ev["start"] <= ev["end"]).all()
    assert set(ev["category"]) <= set(vocab.CATEGORIES)
    assert set(ev["confidence"]) == set(vocab.CONFIDENCE)
    day = ev[ev["precision"] == "day"]
    assert (day["start"] == day["end"]).all()


def test_the_chronology_has_every_session_and_cop():
    ids = set(events.load()["id"])
    assert {f"ahc-{i:02d}" for i in range(1, 14)} <= ids
    assert {f"cop{i}" for i in range(1, 13)} <= ids


def test_years_to_review_from_the_records():
    """UNTOC: entry into force 2003, mechanism 2018; UNCAC: 2005, 2009 (the paper and the
    chronology)."""
    ytr = road_to_review.years_to_review().set_index("instrument")
    assert ytr.loc["UNTOC", "years"] == 15 and ytr.loc["UNCAC", "years"] == 4
    assert ytr.loc["UNTOC", "entry into force"] == "2003-09-29"
    assert ytr.loc["UNTOC", "exact years"] > 3 * ytr.loc["UNCAC", "exact years"]


def test_eras_run_in_order_and_meet_at_9_11():
    era = chronology.eras()
    assert (era["start"] < era["end"]).all()
    assert era.loc[0, "end"] == era.loc[1, "start"] == events.event("sept-11")["start"]


def test_corrections_name_existing_events_and_paper_sections():
    text = paper_text()
    ids = set(events.load()["id"])
    for c in chronology.corrections():
        assert set(c["events"]) <= ids, c["id"]
        assert all(f"\n{s.strip()}\n" in text for s in c["section"].split(";")), c["section"]
    assert {c["id"] for c in chronology.corrections()} == {
        "ministerial-1991",
        "ahc-sessions",
        "unodc",
        "unsc-2010",
    }


def test_every_interview_note_is_coded_and_every_theme_defined():
    iv = voices.interviews()
    assert iv["note"].tolist() == list(range(1, 37))
    cb = voices.codebook()
    used = {t for ts in iv["themes"] for t in ts.split(";")}
    assert used <= set(cb.themes)
    assert all(len(d.split()) > 5 for d in cb.themes.values())
    assert set(iv["stance"]) <= set(cb.stances)


def test_interview_sections_are_the_papers():
    text = paper_text()
    for s in voices.interviews()["section"].unique():
        assert f"\n{s}\n" in text, s


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


def test_history_parameters_are_validated():
    assert params.check(categories="negotiation, adoption") == {
        "categories": ["negotiation", "adoption"]
    }
    with pytest.raises(UsageError, match="categories"):
        params.check(categories=["battles"])
    with pytest.raises(UsageError, match="align"):
        params.check(align="sideways")
    with pytest.raises(UsageError, match="out of range"):
        params.check(start="1900-01-01")
    assert params.check(start="1970-08-17")["start"] == dt.date(1970, 8, 17)


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


def test_a_treaty_without_records_is_a_clear_refusal_not_a_guess():
    from typer.testing import CliRunner

    from palermo.cli import app

    r = CliRunner().invoke(app, ["status", "CYBERCRIME"])
    assert (
        r.exit_code == 2 and "are not held" in r.stderr and "sources update CYBERCRIME" in r.stderr
    )


def test_the_key_events_numbered_on_the_chronology_exist_and_are_numbered_in_date_order():
    from palermo.chapters import chronology

    ids = set(events.load()["id"])
    assert set(chronology.KEY_EVENTS) <= ids, set(chronology.KEY_EVENTS) - ids
    tl = chronology.timeline("1988-01-01", "2020-12-23", sorted(events.load()["category"].unique()))
    key = chronology.key_events(tl)
    assert list(key["number"]) == list(range(1, len(key) + 1)) and len(key) >= 10
    starts = tl.set_index("id").loc[key["id"], "start"]
    assert starts.is_monotonic_increasing
    assert "cybercrime-adopted" not in set(key["id"])  # after `end`: not shown, not numbered
    spec = chronology.timeline_chart(
        tl,
        chronology.eras(),
        chronology.curves(read_day("1988-01-01"), read_day("2020-12-23")),
        "1988-01-01",
        "2020-12-23",
    ).to_dict()
    # the eras' names in a strip of their own above the events, each on its own line
    strip = [layer for layer in spec["vconcat"][0]["layer"] if layer["mark"].get("type") == "text"]
    assert strip and strip[0]["encoding"]["text"]["field"] == "label"
    era_lines = [d["line"] for d in spec["datasets"][strip[0]["data"]["name"]]]
    assert len(set(era_lines)) == len(era_lines) == len(chronology.eras())
    texts = [layer for layer in spec["vconcat"][1]["layer"] if layer["mark"].get("type") == "text"]
    assert any(t["encoding"].get("text", {}).get("field") == "number" for t in texts)


def test_the_eras_table_prints_no_build_date_and_says_where_each_boundary_comes_from():
    from palermo import config
    from palermo.chapters import chronology

    table = chronology.eras_table(chronology.eras())
    assert str(config.today()) not in set(table["to"])
    assert (table["to"] == "open (no end)").sum() == 1  # the era after 2008 has no end
    assert table["where the boundaries come from"].str.len().gt(10).all()
    assert table["where the boundaries come from"].str.contains("interview note").any()


def test_the_eras_table_says_whose_era_each_is_and_names_real_notes():
    """Issue 11: say which eras are the paper's and which come from an interviewee."""
    era = chronology.eras()
    table = chronology.eras_table(era)
    whose = table["whose era (and the paper's section)"]
    assert whose.str.match(r"^(The paper's own|An interviewee's)").all()
    assert whose.str.startswith("An interviewee's").any()
    assert all(s in w for s, w in zip(era["section"], whose, strict=True))
    interviews = curated.load("interviews").set_index("note")
    for e in era.itertuples():
        assert e.notes, e.id
        for n in e.notes:  # each note named is one the project holds, and is quoted as its speaker
            speaker = interviews.loc[n, "speaker"]
            if "not named" not in speaker:
                assert speaker.split()[-1] in e.voice, (e.id, n, speaker)


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


def test_the_review_mechanisms_row_is_named_from_the_chronology():
    ev = events.load().set_index("id")
    named = chronology.review_cops()
    # the sessions whose business was the review mechanism: decision 4/1 (COP4), res. 5/5
    # (COP5), no consensus (COP6), res. 7/1 (COP7), the 2016 resolution (COP8), res. 9/1
    # (COP9) and the launch of the review process (COP10) (reader review 2026-12b, G12, D6)
    for cop in ("cop4", "cop5", "cop6", "cop7", "cop8", "cop9", "cop10"):
        assert ev.loc[cop, "category"] == "review mechanism"
        assert cop.upper() in named
    for cop in ("cop1", "cop2", "cop3", "cop11"):
        assert ev.loc[cop, "category"] == "conference of the parties"
        assert cop.upper() not in named.replace("COP10", "").replace("COP12", "")
    # the timeline's row names only the sessions the chart shows
    assert "COP12" not in chronology.review_cops("1988-01-01", "2020-12-23")


def test_the_review_pages_agree_on_which_sessions_concerned_review():
    """The road to review's "On review" column and the chronology's review row pick the same
    sessions, and nothing outside review (the IACA agreement) sits in that column."""
    c = road_to_review.cops()
    on_review = set(c.loc[c["on review"] != road_to_review.NO_REVIEW_ENTRY, "session"])
    cops = events.sessions("cop")
    filed = set(cops.loc[cops["category"] == "review mechanism", "session"])
    assert on_review == filed
    assert not c["on review"].str.contains("Anti-Corruption Academy").any()
    iaca = events.event("iaca-2008")
    assert "INTERPOL and UNODC" in iaca["event"] and "2 Sep 2010" in iaca["event"]


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
