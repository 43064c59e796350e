"""papermill runs: cache, parallelism, atomic writes, failures that leave the book intact."""
import json

import nbformat
import pytest
from typer.testing import CliRunner

from palermo import run
from palermo.cli import app


def make_notebook(path, body):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('as_of = "2020-12-23"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


BODY = ('if as_of == "2001-01-01":\n'
        '    raise ValueError("boom: as_of 2001-01-01 is refused by this test notebook")\n'
        'print("ran for", as_of)')


@pytest.fixture
def tiny(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "book").mkdir()
    make_notebook(tmp_path / "notebooks" / "tiny.ipynb", BODY)

    def plan(*dates):
        lines = ["runs:"] + [f"  - {{notebook: notebooks/tiny.ipynb, output: book/t{i}.ipynb, parameters: {{as_of: '{d}'}}}}"
                             for i, d in enumerate(dates)]
        p = tmp_path / "book" / "runs.yml"
        p.write_text("\n".join(lines) + "\n")
        return run.load_plan(p, root=tmp_path)

    return tmp_path, plan


def statuses(results):
    return [r.status for r in results]


def test_cache_second_build_runs_nothing_and_one_change_runs_one(tiny):
    root, plan = tiny
    first = run.run_plan(plan("2010-01-01", "2011-01-01", "2012-01-01"), jobs=2, log=lambda s: None)
    assert statuses(first) == ["run", "run", "run"]
    again = run.run_plan(plan("2010-01-01", "2011-01-01", "2012-01-01"), jobs=2, log=lambda s: None)
    assert statuses(again) == ["cached", "cached", "cached"]
    changed = run.run_plan(plan("2010-01-01", "2015-06-30", "2012-01-01"), jobs=2, log=lambda s: None)
    assert statuses(changed) == ["cached", "run", "cached"]
    nb = json.loads((root / "book" / "t1.ipynb").read_text())
    assert nb["metadata"]["palermo"]["parameters"] == {"as_of": "2015-06-30"}
    assert "ran for 2015-06-30" in json.dumps(nb)
    assert not list((root / "book").glob(".*tmp*"))  # no temporary files left


def test_cache_key_covers_notebook_parameters_and_inputs(tiny):
    root, plan = tiny
    r = plan("2010-01-01")[0]
    k = run.cache_key(r, "inputs-a")
    assert run.cache_key(r, "inputs-b") != k
    r.parameters = {"as_of": "2010-01-02"}
    assert run.cache_key(r, "inputs-a") != k
    r.parameters = {"as_of": "2010-01-01"}
    make_notebook(r.notebook, BODY + "\nprint('changed')")
    assert run.cache_key(r, "inputs-a") != k


def test_failing_notebook_stops_and_leaves_outputs_and_book_intact(tiny, monkeypatch):
    root, plan = tiny
    run.run_plan(plan("2010-01-01"), jobs=1, log=lambda s: None)
    good = (root / "book" / "t0.ipynb").read_bytes()
    fake_build = root / "_build"
    (fake_build / "html").mkdir(parents=True)
    (fake_build / "html" / "index.html").write_text("previous book")
    monkeypatch.setattr(run, "BUILD", fake_build)
    # the same output asked for with a failing parameter
    (root / "book" / "runs.yml").write_text(
        "runs:\n  - {notebook: notebooks/tiny.ipynb, output: book/t0.ipynb, parameters: {as_of: '2001-01-01'}}\n")
    r = CliRunner().invoke(app, ["build", "--plan", str(root / "book" / "runs.yml")])
    assert r.exit_code == 1
    assert "FAILED book/t0.ipynb" in r.output
    assert 'raise ValueError("boom' in r.output  # the failing cell's source
    assert "ValueError: boom: as_of 2001-01-01 is refused" in r.output
    assert "previous book are unchanged" in r.stderr
    assert (root / "book" / "t0.ipynb").read_bytes() == good
    assert (fake_build / "html" / "index.html").read_text() == "previous book"
    assert not list((root / "book").glob(".*tmp*"))


def test_summary_table_lists_every_run(tiny):
    root, plan = tiny
    results = run.run_plan(plan("2010-01-01", "2011-01-01"), jobs=2, log=lambda s: None)
    table = run.summary_table(results)
    assert "book/t0.ipynb" in table and "book/t1.ipynb" in table and "2 run" in table


def test_palermo_run_one_chapter(tmp_path):
    out = tmp_path / "fig-2010.ipynb"
    r = CliRunner().invoke(app, ["run", "notebooks/ratification_status.ipynb", "-p", "as_of", "2010-10-18",
                                 "-p", "treaties", "UNTOC", "-o", str(out)])
    assert r.exit_code == 0, r.output
    nb = nbformat.read(out, as_version=4)
    glued = json.dumps([o for c in nb.cells for o in c.get("outputs", [])])
    assert "157" in glued  # UNTOC parties on 2010-10-18, the figure the paper quotes


@pytest.mark.parametrize("args,needle", [
    (["run", "notebooks/ratification_status.ipynb", "-p", "as_off", "2010-10-18"], "parameter 'as_off'"),
    (["run", "notebooks/ratification_status.ipynb", "-p", "as_of"], "needs NAME and VALUE"),
    (["run", "notebooks/nope.ipynb"], "not found"),
])
def test_palermo_run_bad_input_exits_2(args, needle):
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 2 and needle in r.stderr
