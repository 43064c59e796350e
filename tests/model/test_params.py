"""A chapter's parameters checked into their values (palermo.model.params)."""

import ast
import datetime as dt
import shutil

import pytest

from palermo import config
from palermo.errors import UsageError
from palermo.model import params
from palermo.model.dates import latest_record_date
from tests.conftest import one_line_error, run, run_cells


# D6: malformed inputs
@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "D6")
def test_run_of_something_that_is_not_a_notebook_is_refused(tmp_path):
    assert "is not a notebook" in one_line_error(run("run", "/bin/ls"), 2)
    assert "not found" in one_line_error(run("run", str(tmp_path / "none.ipynb")), 2)


# notes: what --as-of accepts
@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "notes")
def test_a_period_that_ends_before_it_starts_is_refused():
    from palermo.errors import UsageError
    from palermo.model import params

    with pytest.raises(UsageError, match="start 2005-01-01 is after end 2001-01-01"):
        params.check(start="2005-01-01", end="2001-01-01")


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


@pytest.mark.unit
@pytest.mark.review("reliability-2026-12b", "S3")
def test_the_dated_notebooks_are_found():
    names = {p.stem for p in DATED}
    assert {"figure1", "peers", "who_joined", "country_profile", "ex2_slow_ratifiers"} <= names


@pytest.mark.integration
@pytest.mark.review("reliability-2026-12b", "S3")
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
        run_cells(nb, day)
    if earliest > config.MIN_DATE:  # the day before is refused, the earliest accepted
        before = (earliest - dt.timedelta(days=1)).isoformat()
        with pytest.raises(UsageError, match=f"as_of {before}.*{earliest}"):
            params.resolve(nb.with_suffix(".ipynb"), {"as_of": before}, "palermo run")
        params.resolve(nb.with_suffix(".ipynb"), {"as_of": str(earliest)}, "palermo run")


@pytest.mark.unit
@pytest.mark.review("reliability-2026-12b", "S3")
def test_a_chapter_refuses_a_date_it_cannot_draw_in_its_own_check():
    with pytest.raises(UsageError, match="as_of 2000-12-12 is before 2001-06-05"):
        params.check(as_of="2000-12-12", treaty="UNTOC", chapter="who_joined")
    assert params.check(as_of="2000-12-12", treaties="UNTOC", chapter="figure1")


# S13: what `palermo run` accepts; a closed pipe
@pytest.mark.unit
@pytest.mark.review("reliability-2026-12b", "S13")
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


@pytest.mark.unit
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


@pytest.mark.unit
def test_params_normalise():
    assert params.check(treaties="untoc, tip") == {"treaties": ["UNTOC", "TIP"]}
    assert params.check(as_of="latest")["as_of"] == latest_record_date()
    # papermill and the cache key take the plain form: dates as ISO text
    assert params.plain(params.check(as_of="latest")) == {"as_of": str(latest_record_date())}
    with pytest.raises(UsageError, match="unknown parameter 'colour'"):
        params.check(colour="red")
    with pytest.raises(UsageError, match="twice"):
        params.check(treaties=["UNTOC", "XVIII-12"])


@pytest.mark.unit
def test_every_source_notebook_has_a_parameters_cell_and_no_outputs():
    import nbformat

    for nb_path in config.NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(nb_path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, nb_path
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), nb_path
        assert set(params.notebook_parameters(nb_path)) <= set(params.VALIDATORS)
