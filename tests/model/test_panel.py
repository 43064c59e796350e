"""Research exports: the participant x treaty x period panel and the merged actions."""

import datetime as dt

import pandas as pd
import pytest
from typer.testing import CliRunner

from palermo.cli import app
from palermo.data import countries
from palermo.model import coverage, merge, panel, status
from palermo.model.coverage import count_on
from palermo.model.params import as_of as read_day

pytestmark = pytest.mark.unit


def test_the_panel_agrees_with_status_on_every_period_end():
    p = panel.panel(["UNTOC", "TIP"], "year", read_day("2000-01-01"), read_day("2020-12-23"))
    ends = sorted(p["period_end"].unique())
    assert ends[0] == pd.Timestamp("2000-12-31") and ends[-1] == pd.Timestamp("2020-12-23")
    for short in ("UNTOC", "TIP"):
        for day in (pd.Timestamp("2006-12-31"), pd.Timestamp("2020-12-23")):
            rows = p[(p["treaty"] == short) & (p["period_end"] == day)].set_index("participant_id")
            st = status.status(short, day).set_index("participant_id")
            assert (rows.loc[st.index, "status"] == st["status"]).all()
            assert (rows.drop(st.index)["status"] == "none").all()  # members outside the records
            assert int((rows["status"] == "party").sum()) == count_on(short, day).named


def test_the_panel_holds_every_participant_and_member_once_per_period():
    p = panel.panel(["UNTOC"], "month", read_day("2019-01-01"), read_day("2019-12-31"))
    ids = set(merge.load().treaty_actions("XVIII-12")["participant_id"]) | set(
        countries.members()["participant_id"]
    )
    assert p.groupby("period_end")["participant_id"].nunique().eq(len(ids)).all()
    assert (
        p["period_end"].nunique() == 12 and not p.duplicated(["participant_id", "period_end"]).any()
    )


def test_dates_appear_only_once_they_are_known():
    p = panel.panel(["UNTOC"], "year", read_day("2004-01-01"), read_day("2007-12-31"))
    ita = p[p["participant_id"] == "ITA"].set_index("period_end")
    assert ita.loc[pd.Timestamp("2005-12-31"), "status"] == "signatory"
    assert pd.isna(ita.loc[pd.Timestamp("2005-12-31"), "consent"])
    assert ita.loc[pd.Timestamp("2006-12-31"), "consent"] == pd.Timestamp("2006-08-02")


def test_records_complete_follows_coverage():
    p = panel.panel(["SOM"], "year", read_day("2015-01-01"), read_day("latest"))
    through = pd.Timestamp(coverage.complete_through("SOM"))
    flags = p.groupby("period_end")["records_complete"].first()
    assert (flags == (flags.index <= through)).all() and flags.any() and not flags.all()


def test_export_panel_and_actions_from_the_cli(tmp_path):
    out = tmp_path / "panel.csv"
    r = CliRunner().invoke(app, ["export", "panel", "--treaties", "UNTOC FIREARMS", "-o", str(out)])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out)
    assert set(df["treaty"]) == {"UNTOC", "FIREARMS"} and set(df.columns) == set(panel.COLUMNS)
    dictionary = pd.read_csv(tmp_path / "panel.dictionary.csv")
    assert list(dictionary["column"]) == panel.COLUMNS
    again = CliRunner().invoke(app, ["export", "panel", "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.stderr
    acts = tmp_path / "actions.csv"
    assert CliRunner().invoke(app, ["export", "actions", "-o", str(acts)]).exit_code == 0
    a = pd.read_csv(acts)
    assert len(a) == len(merge.load().actions) and a["source"].notna().all()


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--freq", "week"], "--freq 'week'"),
        (["--format", "xlsx"], "--format 'xlsx'"),
        (["--start", "2020-01-01", "--end", "2019-01-01"], "before --start"),
    ],
)
def test_export_bad_input_is_one_line(tmp_path, args, needle):
    r = CliRunner().invoke(app, ["export", "panel", "-o", str(tmp_path / "p.csv"), *args])
    assert r.exit_code == 2 and needle in r.stderr and r.stderr.count("\n") == 1


# S9: membership by the day of admission
@pytest.mark.review("reliability-2026-12b", "S9")
def test_the_panel_counts_members_by_the_day():
    from palermo.model import panel

    df = panel.panel(["UNTOC"], "month", dt.date(2011, 6, 1), dt.date(2011, 7, 31))
    by_end = df.groupby(df["period_end"].dt.date)["un_member"].sum()
    for end, n in by_end.items():
        assert n == len(countries.members_on(end))
    assert by_end.iloc[-1] - by_end.iloc[0] == 1  # South Sudan, admitted on 14 July
