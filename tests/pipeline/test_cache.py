"""The cache of the plan's runs (palermo.pipeline.cache): its key and what it covers."""

import json

import pytest

from palermo.pipeline import cache, execute
from tests.pipeline.conftest import BODY, make_notebook, quiet, statuses


@pytest.mark.integration
def test_cache_second_build_runs_nothing_and_one_change_runs_one(tiny):
    root, runs = tiny
    first = execute.run_plan(runs("2010-01-01", "2011-01-01", "2012-01-01"), jobs=2, log=quiet)
    assert statuses(first) == ["run", "run", "run"]
    again = execute.run_plan(runs("2010-01-01", "2011-01-01", "2012-01-01"), jobs=2, log=quiet)
    assert statuses(again) == ["cached", "cached", "cached"]
    changed = execute.run_plan(runs("2010-01-01", "2015-06-30", "2012-01-01"), jobs=2, log=quiet)
    assert statuses(changed) == ["cached", "run", "cached"]
    nb = json.loads((root / "book" / "tiny" / "t1.ipynb").read_text())
    assert nb["metadata"][cache.META_KEY]["parameters"] == {"as_of": "2015-06-30"}
    assert "ran for 2015-06-30" in json.dumps(nb)
    assert not list((root / "book").rglob(".*tmp*"))  # no temporary files left


@pytest.mark.unit
def test_cache_key_covers_notebook_parameters_and_inputs(tiny):
    root, runs = tiny
    r = runs("2010-01-01")[0]
    k = cache.cache_key(r.notebook, r.parameters, "inputs-a")
    assert cache.cache_key(r.notebook, r.parameters, "inputs-b") != k
    assert cache.cache_key(r.notebook, {"as_of": "2010-01-02"}, "inputs-a") != k
    assert cache.cache_key(r.notebook, {"as_of": "2010-01-01"}, "inputs-a") == k
    make_notebook(r.notebook, BODY + "\nprint('changed')")
    assert cache.cache_key(r.notebook, r.parameters, "inputs-a") != k
