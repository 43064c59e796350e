"""The chapter "From Naples to Palermo, and after" (palermo.chapters.chronology): the
eras, the key events and the genesis, from the chronology."""

import datetime as dt

import pytest

from palermo import config
from palermo.chapters import chronology
from palermo.data import curated, events
from palermo.model.params import as_of as read_day
from tests.conftest import paper_text

pytestmark = pytest.mark.unit


PAPER_DATE = dt.date(2020, 12, 23)


def notebook(name: str) -> str:
    return (config.NOTEBOOKS / f"{name}.md").read_text(encoding="utf-8")


# F1: six Crime Congresses before the negotiations, not eight
@pytest.mark.review("reader-2026-12", "F1")
def test_the_genesis_counts_crime_congresses_apart_from_ministerial_meetings():
    p = {"start": dt.date(1970, 1, 1), "end": PAPER_DATE, "categories": ["congress"]}
    f = chronology.facts(p)
    assert (f["n_congresses_before"], f["n_ministerial_before"]) == (6, 2)
    assert "n_ministerial_before" in notebook("chronology")


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
