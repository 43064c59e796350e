"""Figure 1 as a labelled dot plot: the paper's counts, the records and the UNTC headline count,
each dated, on an axis per instrument narrow enough that one party shows."""

import datetime as dt

import pandas as pd
import pytest

from palermo.chapters import figure1
from palermo.config import PAPER_DATE
from palermo.data import curated, treaties
from palermo.model import claims, params, status
from palermo.model.coverage import count_on
from palermo.model.params import as_of as read_day
from palermo.render import charts

pytestmark = pytest.mark.unit

FIG = ["UNTOC", "TIP", "SOM", "FIREARMS"]
DATES = ["2020-12-23", "latest"]


def drawn(as_of) -> pd.DataFrame:
    """The one table the chart draws, read back from its spec."""
    (df,) = charts.chart_data(charts._spec(figure1.dot_chart(FIG, read_day(as_of))))
    return df


@pytest.mark.parametrize("as_of", DATES)
def test_one_row_per_instrument_and_source(as_of):
    df = drawn(as_of)
    assert not df.duplicated(["instrument", "source"]).any()
    assert list(dict.fromkeys(df["instrument"])) == FIG
    for short in FIG:  # the paper and the records always; a headline count exists for each
        got = set(df.loc[df["instrument"] == short, "source"])
        assert got == {figure1.PAPER, figure1.RECORDS, figure1.HEADLINE}, short


@pytest.mark.parametrize("as_of", DATES)
def test_values_are_the_papers_the_records_and_the_headline_counts(as_of):
    df = drawn(as_of).set_index(["instrument", "source"])
    printed = curated.load("paper_counts").set_index("treaty")["parties"]
    for short in FIG:
        t = treaties.resolve(short)
        assert df.loc[(short, figure1.PAPER), "parties"] == printed[t.number]
        # dated to the day the ledger says the count describes, on every page
        assert df.loc[(short, figure1.PAPER), "date"] == claims.printed_counts()[short].refers_to
        c = count_on(t, read_day(as_of))  # the bounds: at least, at most (None: no bound)
        rec = df.loc[(short, figure1.RECORDS)]
        top = c.parties if c.parties_max is None else c.parties_max
        assert (rec["parties"], rec["parties_max"]) == (c.parties, top)
        hc = status.headline_counts(t)
        h = hc[hc["date"] <= pd.Timestamp(read_day(as_of))].iloc[-1]
        head = df.loc[(short, figure1.HEADLINE)]
        assert head["parties"] == h["parties"] and head["date"] == str(h["date"].date())


@pytest.mark.parametrize("as_of", DATES)
def test_every_label_carries_its_value_and_date(as_of):
    for r in drawn(as_of).itertuples():
        assert str(r.parties) in r.label and f"({r.date}" in r.label, r.label


def test_incomplete_records_are_hollow_and_say_so():
    df = drawn("2020-12-23").set_index(["instrument", "source"])
    untoc, tip = df.loc[("UNTOC", figure1.RECORDS)], df.loc[("TIP", figure1.RECORDS)]
    assert untoc["records_complete"] and "incomplete" not in untoc["label"]
    assert not tip["records_complete"] and "records incomplete" in tip["label"]
    spec = figure1.dot_chart(FIG, read_day("2020-12-23")).to_dict()
    fills = [
        layer["encoding"]["fill"]
        for layer in spec["spec"]["layer"]
        if "fill" in layer.get("encoding", {})
    ]
    assert fills and fills[0]["condition"]["test"] == "datum.records_complete"
    assert fills[0]["value"] == "white"


@pytest.mark.parametrize("as_of", DATES)
def test_each_axis_is_narrow_enough_to_show_one_party(as_of):
    df = drawn(as_of)
    for short, g in df.groupby("instrument"):
        lo, hi = g["x_lo"].iloc[0], g["x_hi"].iloc[0]
        assert (g["x_lo"] == lo).all() and (g["x_hi"] == hi).all()
        assert lo < g["parties"].min() and g["parties_max"].max() < hi, short
        assert hi - lo < 20, (short, lo, hi)
    spec = figure1.dot_chart(FIG, read_day(as_of)).to_dict()
    assert spec["resolve"]["scale"]["x"] == "independent"


def test_chart_has_title_description_legend_and_renders():
    chart = figure1.dot_chart(FIG, read_day("2020-12-23"))
    spec = charts._spec(chart)
    assert "2020-12-23" in charts._title(spec) and "Dot plot" in spec["description"]
    dots = [la for la in spec["spec"]["layer"] if la["mark"]["type"] == "point"]
    enc = dots[0]["encoding"]
    assert enc["color"]["field"] == enc["shape"]["field"] == "source"
    assert enc["color"]["legend"] is not None
    assert charts.to_png(chart)[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.review("reliability-2026-12b", "S3")
def test_figure1_says_plainly_that_no_state_had_become_a_party_yet():
    """S3: on the signing day, 2000-12-12, the table of first and latest parties says there
    was none yet, and that the Firearms Protocol was not yet adopted, instead of failing."""
    day = dt.date(2000, 12, 12)
    shown = ["UNTOC", "TIP", "SOM", "FIREARMS"]
    t = figure1.first_and_latest(shown, day)
    assert set(t["instrument"]) == set(shown)
    for short in shown:
        rows = t[t["instrument"] == short]
        if treaties.adopted(short) > day:
            assert rows["participant"].str.contains("not yet adopted").all()
        elif status.parties(short, day).empty:
            assert rows["participant"].str.contains(f"no State had become a party by {day}").all()
    later = figure1.first_and_latest(shown, params.as_of("2004-01-01"))
    assert not later["participant"].str.contains("none yet").any()


def test_figure1_charts_stay_small():
    """Chart data are aggregated: the curves keep only the days a count changes."""
    fig = treaties.group("convention")
    curves = figure1.curves(fig, PAPER_DATE)
    assert len(curves) < 1000
    daily = sum(len(status.series(t, read_day("2000-11-15"), PAPER_DATE)) for t in fig)
    assert len(curves) < daily / 10
    spec = figure1.curve_chart(fig, PAPER_DATE).to_dict()
    assert spec["description"] and spec["title"]


def test_figure1_facts_at_the_papers_date():
    from palermo.chapters import figure1

    f = figure1.facts(params.check(as_of="2020-12-23", treaties=["UNTOC", "TIP"]))
    assert (f["lead"], f["lead_parties"], f["n_instruments"]) == ("UNTOC", 190, 2)


@pytest.mark.parametrize("as_of", ["2020-12-23", "2024-06-30", "2010-01-01"])
def test_figure1_grades_the_papers_counts_as_the_ledger_does_whatever_the_date(as_of):
    """One verdict for each printed count on every page: the ledger's, on the claim's own day
    (issue 11: the latest page graded the paper's 2020 counts against 2024 records)."""
    from palermo.chapters import figure1
    from palermo.model import claims
    from palermo.render import text

    f = figure1.facts(params.check(as_of=as_of, treaties=["UNTOC", "TIP", "SOM", "FIREARMS"]))
    ledger = {r.id: r for r in claims.evaluate_all()}
    for claim_id, short in [
        ("untoc-parties-190", "UNTOC"),
        ("tip-parties-178", "TIP"),
        ("som-parties-149", "SOM"),
        ("firearms-parties-118", "FIREARMS"),
    ]:
        r = ledger[claim_id]
        named = text.treaty_name(short)  # the instrument by its name, never its short id
        assert f"{named} {r.paper} on {r.refers_to}: {r.verdict}" in f["grades"]
    # records incomplete on the Protocols' day: no Protocol count is graded a match
    assert "Trafficking Protocol 178 on 2020-05-31: match" not in f["grades"]
    assert "TIP" not in f["grades"]
    assert "FIREARMS 118 on 2020-05-31: match" not in f["grades"]
