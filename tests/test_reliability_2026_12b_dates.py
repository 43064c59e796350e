"""Reliability probe 2026-12b, S3, S9 and two items of S13: every date the validators accept
runs every chapter and exercise (or is refused before anything runs, naming the chapter's
earliest date); UN membership is counted by the day of admission, in `palermo status` and in
the seminar's keys alike; `palermo run` says truly what it accepts; a closed pipe exits 0."""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import io
import os
import shutil
import subprocess
import sys

import jupytext
import pytest

from palermo import config
from palermo.chapters import figure1
from palermo.data import countries, treaties
from palermo.errors import UsageError
from palermo.model import params, participation, status
from palermo.teaching import checks

pytestmark = pytest.mark.unit

ADOPTION = dt.date(2000, 11, 15)  # the Convention's adoption (its record in treaties.yml)
NOTEBOOKS = sorted(config.NOTEBOOKS.glob("*.md")) + sorted(
    (config.NOTEBOOKS / "exercises").glob("*.md")
)
DATED = [p for p in NOTEBOOKS if "as_of" in params.notebook_parameters(p.with_suffix(".ipynb"))]


def _earliest(nb) -> dt.date:
    """The earliest as_of the validators accept for this notebook (its defaults otherwise)."""
    rules = getattr(params, "EARLIEST", {})  # none: every date from 1988-01-01
    if nb.stem not in rules:
        return config.MIN_DATE
    defaults = {
        k: ast.literal_eval(v)
        for k, v in params.notebook_parameters(nb.with_suffix(".ipynb")).items()
        if k in params.VALIDATORS and k != "as_of"
    }
    return rules[nb.stem](params.check(**defaults))[0]


def _run_cells(nb, as_of: dt.date, **given) -> None:
    """Every code cell of the notebook in this process, its as_of replaced: the library entry
    points the notebook calls, in its order (output discarded)."""
    ns: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in jupytext.read(nb).cells:
            if cell.cell_type != "code":
                continue
            exec(cell.source, ns)  # noqa: S102 - the project's own notebooks
            if "parameters" in cell.metadata.get("tags", []):
                ns["as_of"] = as_of.isoformat()
                ns.update(given)
            ns["display"] = lambda *a, **k: None


def test_the_dated_notebooks_are_found():
    names = {p.stem for p in DATED}
    assert {"figure1", "peers", "who_joined", "country_profile", "ex2_slow_ratifiers"} <= names


@pytest.mark.parametrize("nb", DATED, ids=lambda p: p.stem)
def test_every_notebook_runs_at_its_earliest_date_the_adoption_and_latest(nb):
    """S3: at its earliest accepted date, on the Convention's adoption and on 'latest', each
    notebook's cells run; a date before its earliest is refused by the validator, before a
    kernel starts, with a message naming as_of and the earliest date."""
    earliest = _earliest(nb)
    latest = params.as_of("latest")
    for day in sorted({earliest, ADOPTION, latest}):
        if day < earliest:
            with pytest.raises(UsageError) as err:
                params.resolve(nb.with_suffix(".ipynb"), {"as_of": day.isoformat()}, "run")
            assert "as_of" in str(err.value) and str(earliest) in str(err.value), nb.stem
            continue
        _run_cells(nb, day)
    if earliest > config.MIN_DATE:  # the day before is refused, the earliest accepted
        before = (earliest - dt.timedelta(days=1)).isoformat()
        with pytest.raises(UsageError, match=f"as_of {before}.*{earliest}"):
            params.resolve(nb.with_suffix(".ipynb"), {"as_of": before}, "palermo run")
        params.resolve(nb.with_suffix(".ipynb"), {"as_of": str(earliest)}, "palermo run")


@pytest.mark.parametrize("country", ["Italy", "Brazil", "Jamaica", "Viet Nam"])
def test_every_profile_runs_in_1988(country):
    nb = config.NOTEBOOKS / "country_profile.md"
    for day in ("1988-01-01", "1988-12-20"):
        params.resolve(nb.with_suffix(".ipynb"), {"as_of": day, "country": country}, "profile")
        _run_cells(nb, params.as_of(day), country=country)


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


def test_a_chapter_refuses_a_date_it_cannot_draw_in_its_own_check():
    with pytest.raises(UsageError, match="as_of 2000-12-12 is before 2001-06-05"):
        params.check(as_of="2000-12-12", treaty="UNTOC", chapter="who_joined")
    assert params.check(as_of="2000-12-12", treaties="UNTOC", chapter="figure1")


@pytest.mark.book
def test_the_real_figure1_notebook_runs_on_the_signing_day(tmp_path):
    """S3, the case the report names, through `palermo run` (papermill and a kernel)."""
    from palermo.pipeline.build import run_one

    out = tmp_path / "figure1-run.ipynb"
    run_one(config.NOTEBOOKS / "figure1.ipynb", {"as_of": "2000-12-12"}, out, log=lambda s: s)
    assert "no State had become a party by 2000-12-12" in out.read_text(encoding="utf-8")


# --- S9: membership by the day of admission --------------------------------------------------


def test_membership_changes_on_the_day_of_admission():
    m = countries.members()
    dated = m.dropna(subset=["admitted_on"])
    assert set(dated["participant_id"]) == set(
        m.loc[m["admitted"] >= config.MIN_DATE.year, "participant_id"]
    )
    assert dated["admitted_source"].str.contains("member-states").all()
    for r in dated.itertuples():
        assert r.participant_id in set(countries.members_on(r.admitted_on)["participant_id"])
        if r.admitted_on > config.MIN_DATE:
            before = countries.members_on(r.admitted_on - dt.timedelta(days=1))
            assert r.participant_id not in set(before["participant_id"]), r.participant_id


def test_south_sudan_is_not_a_member_on_2011_03_01():
    day = dt.date(2011, 3, 1)
    on = set(countries.members_on(day)["participant_id"])
    after = set(countries.members_on(dt.date(2011, 7, 14))["participant_id"])
    assert "SSD" not in on and after - on == {"SSD"}
    assert len(on) == len(countries.members()) - 1  # everyone else was admitted by then


def test_status_and_the_seminar_key_agree_on_the_members_of_the_day():
    day = dt.date(2011, 3, 1)
    members = set(countries.members_on(day)["participant_id"])
    later = {"SSD"}  # South Sudan, admitted on 2011-07-14, the one State admitted after the day
    assert members == set(countries.members()["participant_id"]) - later
    s = participation.summary("UNTOC", day)
    listed = {p.id for p in s.participants}
    assert not (listed & later)  # no State admitted after the day is listed as "none"
    parties = {p.id for p in s.participants if p.row.status == "party"}
    share = checks.share_outside("UNTOC", day)
    assert share.members == len(members)
    assert share.outside == len(members - parties)
    table = checks.parties_by_region("UNTOC", day).set_index("region")
    assert table.loc["all regions", "UN Member States"] == len(members)
    regions = {countries.region_of(p) for p in members}
    for region in regions:
        n = sum(countries.region_of(p) == region for p in members)
        assert table.loc[region, "UN Member States"] == n


def test_the_panel_counts_members_by_the_day():
    from palermo.model import panel

    df = panel.panel(["UNTOC"], "month", dt.date(2011, 6, 1), dt.date(2011, 7, 31))
    by_end = df.groupby(df["period_end"].dt.date)["un_member"].sum()
    for end, n in by_end.items():
        assert n == len(countries.members_on(end))
    assert by_end.iloc[-1] - by_end.iloc[0] == 1  # South Sudan, admitted on 14 July


# --- S13: what `palermo run` accepts; a closed pipe ---------------------------------------------


def test_run_says_what_it_accepts_and_runs_what_it_says(tmp_path):
    """The message names the rule that holds: any .ipynb with a 'parameters' cell (a copy
    outside notebooks/ is checked and run like the original)."""
    txt = tmp_path / "notes.txt"
    txt.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError) as err:
        params.notebook_parameters(txt)
    said = str(err.value)
    assert "'parameters'" in said and ".ipynb" in said and "from notebooks/" not in said
    copy = tmp_path / "figure1.ipynb"
    shutil.copy(config.NOTEBOOKS / "figure1.ipynb", copy)
    assert params.resolve(copy, {"as_of": "2010-01-01"}, "palermo run") == {"as_of": "2010-01-01"}


def _palermo(*args, stdout):
    """The command line of the tree under test (its main(), as the console script calls it)."""
    code = "import sys; from palermo.cli import main; sys.argv[0] = 'palermo'; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        cwd=config.ROOT,
        env=os.environ | {"PYTHONPATH": str(config.ROOT)},
    )


def test_a_closed_pipe_exits_0_quietly():
    """`palermo status UNTOC | head -3`: the reader closes the pipe early, every time."""
    for _ in range(3):  # the reader reads a line, then goes away
        p = _palermo("status", "UNTOC", stdout=subprocess.PIPE)
        p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read().decode()
        assert p.wait(timeout=120) == 0, err
        assert "Traceback" not in err and "Exception ignored" not in err, err
    r, w = os.pipe()  # the reader is gone before the first write
    os.close(r)
    p = _palermo("status", "UNTOC", stdout=w)
    os.close(w)
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "Exception ignored" not in err, err
