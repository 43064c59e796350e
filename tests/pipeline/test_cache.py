"""The cache of the plan's runs (palermo.pipeline.cache): its key and what it covers."""

import json

import nbformat
import pytest

from palermo.pipeline import cache, execute, plan


def make_notebook(path, body):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('as_of = "2020-12-23"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


BODY = (
    'if as_of == "2001-01-01":\n'
    '    raise ValueError("boom: as_of 2001-01-01 is refused by this test notebook")\n'
    'print("ran for", as_of)'
)


def plan_text(*dates) -> str:
    """A run plan in book/runs.yml's format: one run of notebooks/tiny.ipynb per date, each
    into book/tiny/t<i>.ipynb."""
    lines = ["root: book/intro", "parts: [Tests]", "entries:"]
    for i, d in enumerate(dates):
        lines += [
            f"  - title: Tiny {i}",
            "    part: Tests",
            "    notebook: notebooks/tiny.ipynb",
            f"    output: book/tiny/t{i}.ipynb",
            f"    parameters: {{as_of: '{d}'}}",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def tiny(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "book").mkdir()
    make_notebook(tmp_path / "notebooks" / "tiny.ipynb", BODY)

    def runs(*dates):
        p = tmp_path / "book" / "runs.yml"
        p.write_text(plan_text(*dates))
        return plan.load(p, root=tmp_path).runs

    return tmp_path, runs


def statuses(results):
    return [r.status for r in results]


def quiet(_):
    return None


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
