"""The argument map (data/curated/explanations.yml) and its chapter: every quote is the paper's,
every section one of its headings, every note and event one the project holds; the records'
numbers are recounted independently."""

import re

import pandas as pd
import pytest

from palermo.chapters import explanations
from palermo.chapters import explanations as chapter
from palermo.data import curated, events
from palermo.model import status
from palermo.model.coverage import count_on
from palermo.model.params import as_of as read_day
from tests.conftest import paper_text

pytestmark = pytest.mark.unit


def _flat(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    return " ".join(text.replace("\u201d", '"').split())


def test_every_quote_is_the_papers_and_every_section_its_heading():
    paper = paper_text()
    flat = _flat(paper)
    for e in curated.load("explanations").explanations:
        assert _flat(e.quote) in flat, (e.id, e.quote)
        assert f"\n{e.section}\n" in paper, (e.id, e.section)


def test_notes_and_events_are_the_projects():
    notes = set(curated.load("interviews")["note"].astype(int))
    ids = set(events.load()["id"])
    for e in curated.load("explanations").explanations:
        assert set(e.notes) <= notes, e.id
        assert set(e.events) <= ids, e.id


def test_the_map_has_the_four_stumbling_blocks_and_the_rivals_the_paper_gives():
    ids = {e.id for e in curated.load("explanations").explanations}
    assert {"terrorism-9-11", "uncac-attention", "uk-budget-cop-2012"} <= ids
    blocks = next(
        e for e in curated.load("explanations").explanations if e.id == "review-stumbling-blocks"
    )
    for block in ("funding", "civil society", "peer review", "intergovernmental"):
        assert block in blocks.claim.lower() or block in blocks.for_.lower(), block


def test_notes_are_named_with_their_speakers():
    assert chapter.notes_text([]) == "none"
    iv = curated.load("interviews").set_index("note")
    assert chapter.notes_text([22]) == f"22 ({iv.loc[22, 'speaker']})"


def test_around_recounts_parties_either_side_of_a_date():
    rows = chapter.around("UNTOC", read_day("2020-12-23")).set_index("explanation")
    cop = rows.loc["UK-led budget objection at the 2012 COP"]
    assert cop["date"] == "2012-10-15"
    on = count_on("UNTOC", read_day("2012-10-15")).named
    assert cop["parties on the date"] == on
    assert cop["new in the 3 years before"] == on - count_on("UNTOC", read_day("2009-10-15")).named
    assert cop["new in the 3 years after"] == count_on("UNTOC", read_day("2015-10-15")).named - on
    # a window before the treaty was adopted is not counted (no invented zero)
    nine_eleven = rows.loc["9/11 and counter-terrorism"]
    assert nine_eleven["new in the 3 years before"] is None or (
        nine_eleven["new in the 3 years before"] != nine_eleven["new in the 3 years before"]
    )


def test_the_chart_numbers_each_dated_explanation_without_overlap():
    from palermo.render.charts import chart_data

    spec = chapter.pace_chart("UNTOC", read_day("2020-12-23")).to_dict()
    frames = chart_data(spec)
    labels = next(f for f in frames if "level" in f.columns)
    assert sorted(labels["n"]) == sorted(chapter.dates()["n"])
    for _, g in labels.groupby("level"):
        xs = sorted(g["x"])
        assert all(b - a >= 0.8 for a, b in zip(xs, xs[1:], strict=False)), xs
    assert re.search(r"numbered", spec["description"])


def test_facts_match_the_records():
    f = chapter.facts({"treaty": "UNTOC", "as_of": read_day("2020-12-23")})
    y = chapter.new_parties("UNTOC", read_day("2020-12-23"))
    assert f["peak_new"] == str(y["new_parties"].max()) and f["peak_year"] in set(y["year"])
    assert f["n_explanations"] == len(curated.load("explanations").explanations)


def test_the_peak_year_has_one_definition_and_says_when_it_is_a_lower_bound(monkeypatch):
    import datetime as dt

    from palermo.model import coverage
    from palermo.teaching import checks

    day = dt.date(2020, 12, 23)
    p = coverage.peak_year("UNTOC", day)
    yearly = status.series("UNTOC", dt.date(2000, 12, 12), day, "Y")
    assert p.new_parties == yearly["new_parties"].max() > 0
    assert p.year == int(yearly.loc[yearly["new_parties"].idxmax(), "year"])
    assert p.complete and chapter.peak_new_text(p) == str(p.new_parties)
    # complete exactly as the per-year table marks that year
    per_year = coverage.new_parties_per_year("UNTOC", dt.date(2000, 12, 12), day)
    assert per_year.set_index("year").loc[p.year, "records"] == "complete"
    assert checks.peak_year("UNTOC", day) == p.year
    # records that ended before the peak year: its count is a lower bound, and the page says so
    ended = dt.date(p.year - 1, 6, 30)
    monkeypatch.setattr(coverage, "complete_through", lambda t: ended)
    assert not coverage.peak_year("UNTOC", day).complete
    said = chapter.peak_new_text(coverage.peak_year("UNTOC", day))
    assert said.startswith(f"at least {p.new_parties} ") and f"only through {ended}" in said


# F6: UNCAC's pull is drawn at its adoption, the event Laborde's account turns on
@pytest.mark.review("reader-2026-12", "F6")
def test_the_uncac_explanation_is_drawn_at_uncacs_adoption():
    d = explanations.dates().set_index("explanation")
    assert d.loc["UNCAC drew political attention away", "date"] == pd.Timestamp("2003-10-31")


# C10: the UK-budget card says what note 27 is
@pytest.mark.review("reader-2026-12", "C10")
def test_the_uk_budget_card_explains_the_note_it_lists():
    e = explanations.table().set_index("id").loc["uk-budget-cop-2012"]
    assert 27 in e["notes"] and "27" in e["for"]
