"""The chronology (palermo.data.events; events.csv): its schema, sources and dates, every session
and COP; a profile's events chosen by the participant ids in the ``countries`` column, not by
a name in the text; a code that is not a known participant refused, naming the row, the event
and the code."""

import csv

import pytest

from palermo.chapters import country_profile as profile
from palermo.data import curated, events, vocab
from palermo.errors import DataError

pytestmark = pytest.mark.unit


def _ids(pid: str) -> set[str]:
    return set(profile.events_of(pid)["id"])


def test_italy_has_falcone_capaci_and_via_d_amelio():
    # none of the three rows names Italy ("Italian delegation", "Capaci", "Palermo")
    want = {"1992-ccpcj-1st-session-judge", "capaci-1992", "1992-paolo-borsellino-and-five"}
    assert want <= _ids("ITA")
    m = profile.mentions("ITA")
    shown = set(m[m["where"] == "chronology"]["text"])
    assert {events.event(i)["event"] for i in want} <= shown
    assert {"naples-1994", "palermo-signing"} <= _ids("ITA")


def test_the_united_states_has_clintons_un_addresses_and_pdd_42():
    ids = _ids("USA")
    assert {"1993-clintons-first-unga-address", "1995-clinton-addresses-the-unga", "pdd-42"} <= ids
    # the 1994 address is confirmed now (reader review 2026-12b, G17): on the page, like the
    # others; what he said there is what the ledger cannot check
    assert events.event("1994-clintons-address-to-the")["countries"] == "USA"
    assert "1994-clintons-address-to-the" in ids


def test_pdd_42_cites_the_paper_and_the_research_for_its_date():
    e = events.event("pdd-42")
    assert str(e["start"].date()) == "1995-10-21" and e["confidence"] == "likely"
    assert "Tennant (2021)" in e["source"] and "chronology-research.md" in e["source"]
    assert "NCS-42" in e["note"]


def test_a_session_in_vienna_does_not_concern_austria():
    ev = events.load()
    ahc = set(ev.loc[ev["id"].str.fullmatch(r"ahc-\d\d"), "id"])
    assert len(ahc) == 13
    assert not ahc & _ids("AUT")
    assert not ev.loc[ev["id"].isin(ahc), "countries"].notna().any()


def test_the_poles_at_palermo():
    assert "palermo-signing" in _ids("POL") and "poland-1996" in _ids("POL")


def _copy_with(tmp_path, event_id: str, codes: str):
    """A copy of events.csv with one event's countries replaced; its spreadsheet row."""
    src = curated.entry("events").path
    with src.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("countries")
    (line,) = [n for n, r in enumerate(rows, start=1) if r[0] == event_id]
    rows[line - 1][col] = codes
    # a folder per copy: the loader caches by path
    folder = tmp_path / codes.replace(";", "-")
    folder.mkdir()
    dst = folder / "events.csv"
    with dst.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return dst, line


def test_an_unknown_code_is_refused_naming_row_event_and_code(tmp_path):
    path, line = _copy_with(tmp_path, "capaci-1992", "ITA;XYZ")
    with pytest.raises(
        DataError,
        match=rf"events\.csv, row {line} \(id capaci-1992\), column countries: 'XYZ' is not a "
        r"known participant; allowed: .*ISO 3166-1 alpha-3.*EUU",
    ):
        events.load(path)


def test_a_malformed_or_repeated_code_is_refused(tmp_path):
    path, line = _copy_with(tmp_path, "capaci-1992", "ita")
    with pytest.raises(DataError, match=rf"events\.csv, row {line}, column countries: 'ita'"):
        events.load(path)
    path, line = _copy_with(tmp_path, "capaci-1992", "ITA;ITA")
    with pytest.raises(DataError, match=rf"row {line} \(id capaci-1992\).*ITA given twice"):
        events.load(path)


def test_a_participant_that_is_not_a_un_member_is_allowed(tmp_path):
    # the State of Palestine and the EU are participants in the records, not UN Member States
    path, _ = _copy_with(tmp_path, "capaci-1992", "ITA;PSE;EUU")
    assert events.load(path).set_index("id").loc["capaci-1992", "countries"] == "ITA;PSE;EUU"


# F3: the General Assembly adopted the Torture Declaration
@pytest.mark.review("reader-2026-12", "F3")
def test_the_fifth_congress_did_not_adopt_the_torture_declaration():
    ev = events.load().set_index("id")
    row = ev.loc["congress-05", "event"]
    assert "Adopted the Declaration against Torture" not in row
    assert "General Assembly adopted" in row and "3452" in row


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


def test_events_file_validates_and_keeps_confidence():
    ev = events.load()
    assert set(ev["confidence"]) <= set(vocab.CONFIDENCE)
    assert ev["id"].is_unique
