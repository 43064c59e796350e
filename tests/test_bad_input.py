"""The reliability review's bad inputs (../shared/reports/reliability-2026-11.md, D6, D8, D9,
D11-D13, D18 and its notes), replayed through the real command line on copies of the data:
each gives one line naming the file, row or parameter and what is allowed, never a traceback."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from palermo import config
from palermo.model.params import as_of as read_day
from palermo.render import charts
from tests.conftest import edit, one_line_error, run

pytestmark = pytest.mark.unit

PALERMO = [str(Path(sys.executable).parent / "palermo")]


# --- D6: malformed inputs ------------------------------------------------------------------------


def test_a_yaml_syntax_error_names_the_file_and_line(data_copy):
    claims = data_copy / "curated" / "claims.yml"
    claims.write_text(claims.read_text() + "  - id: [unclosed\n")
    err = one_line_error(run("claims"), 1)
    assert "claims.yml, line" in err and "not valid YAML" in err


def test_an_impossible_unquoted_date_in_yaml_is_one_line(data_copy):
    edit(data_copy / "curated" / "claims.yml", "as_of: 2020-12-23}", "as_of: 2020-13-23}")
    assert "claims.yml: a value is not valid" in one_line_error(run("claims"), 1)


def test_an_empty_registry_is_one_line(data_copy):
    (data_copy / "sources.yml").write_text("\n")
    assert "no snapshot" in one_line_error(run("status", "UNTOC"), 1).lower()


def test_a_registry_that_is_not_a_mapping_is_one_line(data_copy):
    (data_copy / "sources.yml").write_text("- just\n- a list\n")
    assert "expected a mapping" in one_line_error(run("status", "UNTOC"), 1)


@pytest.mark.parametrize("name,line", [("events.csv", 3), ("party_counts.csv", 2)])
def test_a_csv_row_with_an_extra_field_names_the_row(data_copy, name, line):
    path = data_copy / "curated" / name
    rows = path.read_text().splitlines()
    rows[line - 1] += ",oops"
    path.write_text("\n".join(rows) + "\n")
    err = one_line_error(
        run("claims" if name == "events.csv" else "status", "UNTOC")
        if name != "events.csv"
        else run("claims"),
        1,
    )
    assert f"{name}, row {line}:" in err and "fields" in err


def test_a_claim_with_an_unknown_argument_names_the_claim(data_copy):
    edit(
        data_copy / "curated" / "claims.yml",
        "args: {treaty: UNTOC, as_of: 2020-12-23}",
        "args: {treaty: UNTOC, as_of: 2020-12-23, colour: red}",
    )
    err = one_line_error(run("claims"), 1)
    assert re.search(r"claim #\d+ \(untoc-parties-190\): the arguments do not fit parties_on", err)


def test_an_assignment_file_that_is_missing_or_malformed_is_one_line(tmp_path):
    err = one_line_error(
        run(
            "seminar",
            "--groups",
            "1",
            "--assign",
            str(tmp_path / "no.yml"),
            "-o",
            str(tmp_path / "x"),
        ),
        2,
    )
    assert "not found" in err
    bad = tmp_path / "bad.yml"
    bad.write_text("groups:\n  - just text\n")
    err = one_line_error(
        run("seminar", "--groups", "1", "--assign", str(bad), "-o", str(tmp_path / "x")), 2
    )
    assert "group #1: expected an exercise and its parameters" in err


def test_seminar_output_onto_a_file_is_refused(tmp_path):
    f = tmp_path / "f.txt"
    f.write_text("hi")
    err = one_line_error(run("seminar", "--groups", "1", "-o", str(f)), 2)
    assert "that is a file" in err and f.read_text() == "hi"


def test_profile_output_onto_a_folder_is_refused_and_leaves_nothing(tmp_path):
    err = one_line_error(run("profile", "Italy", "-o", str(tmp_path)), 2)
    assert "that is a folder" in err and list(tmp_path.iterdir()) == []


def test_run_of_something_that_is_not_a_notebook_is_refused(tmp_path):
    assert "is not a notebook" in one_line_error(run("run", "/bin/ls"), 2)
    assert "not found" in one_line_error(run("run", str(tmp_path / "none.ipynb")), 2)


def test_build_with_a_folder_as_plan_is_one_line(tmp_path):
    assert "cannot read" in one_line_error(run("build", "--plan", str(tmp_path)), 2)


def test_output_into_a_missing_folder_creates_no_folder(tmp_path):
    target = tmp_path / "no" / "such" / "x.ipynb"
    err = one_line_error(run("run", "notebooks/voices.ipynb", "-o", str(target)), 2)
    assert "does not exist" in err and not (tmp_path / "no").exists()


# --- D8: seminar dates ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2003-06-01", "2005-01-01"])
def test_seminar_draws_only_answerable_groups(day):
    from palermo.teaching import seminar

    rows = seminar.assign(6, 3, read_day(day))
    regional = [r for r in rows if "region" in r]  # the exercises that take a region
    assert regional and all(
        seminar.workable(r["treaty"], r["region"], read_day(r["as_of"])) for r in regional
    )


@pytest.mark.parametrize("day", ["1988-01-01", "2001-01-01"])
def test_seminar_refuses_a_date_before_any_answerable_group(tmp_path, day):
    err = one_line_error(
        run("seminar", "--groups", "3", "--as-of", day, "-o", str(tmp_path / "s")), 2
    )
    assert "choose a later date" in err and not (tmp_path / "s").exists()


def test_seminar_assignment_for_an_unanswerable_group_is_refused(tmp_path):
    plan = tmp_path / "g.yml"
    plan.write_text(
        "groups:\n  - {exercise: ex2_slow_ratifiers, treaty: UNTOC, region: Europe, "
        "as_of: '1990-01-01'}\n"
    )
    err = one_line_error(
        run("seminar", "--groups", "1", "--assign", str(plan), "-o", str(tmp_path / "s")), 2
    )
    # refused before anything runs, with the first day the exercise can draw for that region
    from palermo.model import params

    first, _ = params.EARLIEST["ex2_slow_ratifiers"]({"treaty": "UNTOC", "region": "Europe"})
    assert f"group #1: as_of 1990-01-01 is before {first}" in err
    assert f"allowed for ex2_slow_ratifiers: {first} to" in err
    assert not (tmp_path / "s").exists()


def test_seminar_groups_have_an_upper_bound(tmp_path):
    r = run("seminar", "--groups", "1000", "-o", str(tmp_path / "s"))
    assert r.exit_code == 2 and "less than or equal to 60" in r.output
    assert not (tmp_path / "s").exists()


# --- D9: a curated row from the future -----------------------------------------------------------


def test_a_future_dated_curated_row_is_refused_where_it_is(data_copy):
    path = data_copy / "curated" / "treaty_actions.csv"
    path.write_text(
        path.read_text() + "XVIII-12,Tuvalu,accession,day,2099-01-01,2099-01-01,"
        'stated,"made up source",,\n'
    )
    rows = len(path.read_text().splitlines())
    err = one_line_error(run("status", "UNTOC", "--as-of", "latest"), 1)
    assert f"treaty_actions.csv, row {rows}, column earliest: 2099-01-01 is after today" in err


# --- D11: no script from data --------------------------------------------------------------------


def test_script_in_chart_data_cannot_close_the_charts_script():
    import altair as alt
    import pandas as pd

    evil = "Gino</script><script>document.title=`pwned`</script><!--"
    chart = (
        alt.Chart(pd.DataFrame({"speaker": [evil], "n": [1]}))
        .mark_bar()
        .encode(x="n:Q", y="speaker:N")
    )
    html = charts.to_html(charts.titled(chart, "t", description="d"))
    assert "</script><script>" not in html and "<!--" not in html
    assert html.count("</script>") == html.count("<script")  # only the snippet's own tags
    assert "\\u003c/script>\\u003cscript>document.title=`pwned`\\u003c/script>\\u003c!--" in html


# --- D12: a wrong PALERMO_RAW_DIR ----------------------------------------------------------------


def test_a_raw_dir_that_is_not_a_folder_is_refused(monkeypatch, tmp_path):
    from palermo.data import registry

    monkeypatch.setenv(config.RAW_DIR_ENV, str(tmp_path / "nonexistent"))
    registry._verified.clear()
    with pytest.raises(Exception, match="PALERMO_RAW_DIR is .* not a folder"):
        registry.raw_dirs()
    r = subprocess.run(
        PALERMO + ["status", "UNTOC"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, config.RAW_DIR_ENV: "/nonexistent/dir"},
    )
    err = one_line_error(r, 1)
    assert "is '/nonexistent/dir', which is not a folder" in err


# --- D13: an empty ledger ------------------------------------------------------------------------


def test_a_misspelt_ledger_key_fails_rather_than_pass_empty(data_copy):
    edit(data_copy / "curated" / "claims.yml", "\nclaims:\n", "\nclaimz:\n")
    err = one_line_error(run("claims"), 1)
    assert "claims.yml, claims: Field required" in err


# --- D18: participant names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query,needle",
    [
        ("Korea", "could be Democratic People's Republic of Korea (PRK), Republic of Korea (KOR)"),
        ("not Italy at all", "is not a participant's name; did you mean Italy (ITA)?"),
        ("Italy; DROP TABLE", "did you mean Italy (ITA)?"),
    ],
)
def test_loose_participant_names_are_refused_with_candidates(query, needle):
    assert needle in one_line_error(run("participant", query), 2)


@pytest.mark.parametrize(
    "query,pid",
    [
        ("United States", "USA"),
        ("Russia", "RUS"),
        ("Czech Republic", "CZE"),
        ("Vietnam", "VNM"),
        ("Republic of Korea", "KOR"),
        ("Democratic Republic of the Congo", "COD"),
        ("ita", "ITA"),
    ],
)
def test_names_that_fit_one_participant_are_read_as_it(query, pid):
    r = run("participant", query, "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["id"] == pid


# --- notes: what --as-of accepts -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["20201223", "2020-W52-3", "2020-12-23T00:00"])
def test_as_of_accepts_only_what_it_promises(value):
    assert "YYYY-MM-DD" in one_line_error(run("status", "UNTOC", "--as-of", value), 2)


def test_as_of_latest_works_in_the_cli():
    r = run("status", "UNTOC", "--as-of", "latest", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["as_of"] >= "2024-05-04"


def test_a_period_that_ends_before_it_starts_is_refused():
    from palermo.errors import UsageError
    from palermo.model import params

    with pytest.raises(UsageError, match="start 2005-01-01 is after end 2001-01-01"):
        params.check(start="2005-01-01", end="2001-01-01")


def test_a_plan_naming_a_missing_notebook_names_the_entry(tmp_path):
    (tmp_path / "book").mkdir()
    plan = tmp_path / "book" / "runs.yml"
    plan.write_text(
        "root: book/intro\nparts: [A]\nentries:\n  - {title: X, part: A, "
        "notebook: notebooks/none.ipynb, output: book/none.ipynb}\n"
    )
    err = one_line_error(run("build", "--plan", str(plan)), 2)
    assert "runs.yml, entry #1 (book/none.ipynb): notebook" in err and "not found" in err


# --- the count statements (issue 35): a bad row names its file and row -------------------------


def test_a_count_statement_naming_an_unknown_participant_is_refused_where_it_is(data_copy):
    path = data_copy / "curated" / "count_statements.csv"
    path.write_text(
        path.read_text() + "XVIII-14,2019-01-01,185,ordinal,Narnia,"
        '"a made-up release of the UN Office on Drugs and Crime",,\n'
    )
    rows = len(path.read_text().splitlines())
    err = one_line_error(run("status", "UNCAC", "--as-of", "2020-12-23"), 1)
    assert f"count_statements.csv, row {rows}: participant 'Narnia'" in err


def test_an_ordinal_without_its_participant_is_refused(data_copy):
    path = data_copy / "curated" / "count_statements.csv"
    path.write_text(
        path.read_text() + 'XVIII-14,2019-01-01,185,ordinal,,"a made-up release of UNODC",,\n'
    )
    err = one_line_error(run("status", "UNCAC", "--as-of", "2020-12-23"), 1)
    assert "count_statements.csv" in err and "an ordinal names its participant" in err
