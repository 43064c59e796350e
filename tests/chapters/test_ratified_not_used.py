"""The chapter "Ratified, not used?" (palermo.chapters.ratified_not_used): new parties per year,
signature to consent, the moments from the claims ledger, the holdouts, regional medians."""

import datetime as dt

import pytest

from palermo.chapters import explanations, ratified_not_used
from palermo.chapters import ratified_not_used as ratified
from palermo.data import countries
from palermo.model import claims, participation, status
from palermo.model.coverage import count_on
from palermo.model.params import as_of as read_day
from palermo.render import text

pytestmark = pytest.mark.unit

FIG = ["UNTOC", "TIP", "SOM", "FIREARMS"]
DAY = read_day("2020-12-23")


def test_per_year_adds_up_to_the_count():
    py = ratified.per_year(FIG, DAY)
    for inst, g in py.groupby("instrument"):
        assert g["new_parties"].sum() == count_on(inst, DAY).named
        assert (g["new_parties"] >= 0).all()


def test_burst_then_tail():
    b = ratified.burst(ratified.per_year(FIG, DAY)).set_index("instrument")
    assert b.loc["UNTOC", "peak_year"] <= 2006  # the burst came soon after adoption
    assert 0 < b.loc["UNTOC", "share_first_years"] < 1


def test_signature_to_consent_only_for_signers_with_day_dates():
    d = participation.signature_to_consent(FIG, DAY)
    assert (d["years"] > 0).all()
    assert d["signature"].notna().all() and (d["consent"] > d["signature"]).all()
    med = ratified.median_by_region(d)
    overall = med[(med["instrument"] == "UNTOC") & (med["region"] == "all")].iloc[0]
    assert overall["median_years"] == pytest.approx(
        d[d["instrument"] == "UNTOC"]["years"].median(), abs=0.05
    )


def test_moments_come_from_the_claims_ledger():
    m = ratified.moments().set_index("id")
    assert set(m.index) == set(ratified.MOMENTS)
    ledger = {r.id: r.verdict for r in claims.evaluate_all()}
    assert (m["verdict"] == m.index.map(ledger)).all()
    # the one-third remark is shown at both of its dates, with both verdicts (issue 11)
    assert m.loc["one-third-not-ratified-2007", "verdict"] == "match"
    assert m.loc["one-third-not-ratified-2010", "verdict"] == "differs"
    listed = ratified.moments_list()
    assert "2007-04-01 to 2007-04-30" in listed and "2010-02-24" in listed


def test_holdouts_partition_the_member_states():
    h = ratified.holdouts(["UNTOC"], DAY)
    members = countries.members_on(DAY)
    st = status.status("UNTOC", DAY)
    member_parties = st[
        (st["status"] == "party") & st["participant_id"].isin(members["participant_id"])
    ]
    assert len(h) + len(member_parties) == len(members)
    assert set(h["holdout"]) <= {"signed only", "no action"}
    iran = h[h["participant_id"] == "IRN"].iloc[0]
    assert iran["holdout"] == "signed only"


PAPER_DATE = dt.date(2020, 12, 23)


# regional medians say n, and too few States is not a regional figure
@pytest.mark.review("reader-2026-12", "finding 12")
def test_a_median_over_fewer_than_three_states_says_so():
    assert text.median_cell(10.7, 1) == "1 State: too few for a median"
    assert text.median_cell(3.46, 37) == "3.5 (n=37)"
    from palermo.chapters import ratified_not_used as r
    from palermo.model.participation import signature_to_consent

    m = r.median_by_region(signature_to_consent(["FIREARMS"], PAPER_DATE))
    t = r.median_table(m, ["FIREARMS"]).set_index("region")
    assert t.loc["Oceania", "FIREARMS"].endswith("too few for a median")
    assert t.loc["all", "FIREARMS"].endswith(")") and "n=" in t.loc["all", "FIREARMS"]


@pytest.mark.review("reader-2026-12", "finding 12")
def test_new_parties_per_year_after_the_records_end_are_marked_as_lower_bounds():
    """One definition of new parties per year (model.coverage), with the records' reach; the
    per-year bars of "Ratified, not used?" draw the years past it faint, like the curves."""
    from palermo.model.coverage import complete_through, new_parties_per_year

    d = ratified_not_used.per_year(["UNTOC", "FIREARMS"], PAPER_DATE)
    late = d[(d["instrument"] == "FIREARMS") & (d["year"] > complete_through("FIREARMS").year)]
    assert len(late) and (late["records"] == "incomplete").all()
    assert (d[d["year"] <= 2010]["records"] == "complete").all()
    enc = ratified_not_used.per_year_chart(d).to_dict()["encoding"]
    assert enc["opacity"]["field"] == "records"
    assert explanations.new_parties("UNTOC", PAPER_DATE).equals(
        new_parties_per_year("UNTOC", dt.date(2000, 11, 15), PAPER_DATE)
    )
