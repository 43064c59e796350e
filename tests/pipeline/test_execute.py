"""The one papermill runner (palermo.pipeline.execute): parallel runs that stop on a failure and
leave the outputs and the book intact, kernels kept per worker with a clean namespace, kernel
logs, web-only pages, a dead or unreachable kernel, a cell past its timeout, and the copied
engine held to papermill's own."""

import ast
import errno
import inspect
import json
import time
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from palermo import config
from palermo.cli import app
from palermo.errors import BuildError
from palermo.pipeline import execute, export, plan
from tests.conftest import notebook_file
from tests.pipeline.conftest import make_notebook, plan_text, quiet, statuses


@pytest.mark.integration
def test_failing_notebook_stops_and_leaves_outputs_and_book_intact(tiny):
    root, runs = tiny
    execute.run_plan(runs("2010-01-01"), jobs=1, log=quiet)
    good = (root / "book" / "tiny" / "t0.ipynb").read_bytes()
    fake_build = root / "_build"  # the plan's own _build, beside its book/
    (fake_build / "html").mkdir(parents=True)
    (fake_build / "html" / "index.html").write_text("previous book")
    # the same output asked for with a failing parameter
    (root / "book" / "runs.yml").write_text(plan_text("2001-01-01"))
    r = CliRunner().invoke(app, ["build", "--plan", str(root / "book" / "runs.yml")])
    assert r.exit_code == 1
    assert "FAILED book/tiny/t0.ipynb" in r.output
    assert 'raise ValueError("boom' in r.output  # the failing cell's source
    assert "ValueError: boom: as_of 2001-01-01 is refused" in r.output
    assert r.stderr.startswith("error: ") and "previous book are unchanged" in r.stderr
    assert (root / "book" / "tiny" / "t0.ipynb").read_bytes() == good
    assert (fake_build / "html" / "index.html").read_text() == "previous book"
    assert not list((root / "book").rglob(".*tmp*"))


@pytest.mark.integration
def test_summary_table_lists_every_run(tiny):
    root, runs = tiny
    results = execute.run_plan(runs("2010-01-01", "2011-01-01"), jobs=2, log=quiet)
    table = execute.summary_table(results)
    assert "book/tiny/t0.ipynb" in table and "book/tiny/t1.ipynb" in table and "2 run" in table


@pytest.mark.unit
def test_kernel_logs_are_named_after_the_page_and_do_not_pile_up(tmp_path):
    from palermo import config
    from palermo.pipeline import execute

    assert execute._log_name(config.BOOK / "figure1" / "latest.ipynb") == "figure1--latest"
    # runs outside the book (palermo run -o, palermo profile) reuse one log per file name
    assert execute._log_name(tmp_path / "a" / "profile.ipynb") == "profile"
    assert execute._log_name(tmp_path / "b" / "profile.ipynb") == "profile"


@pytest.mark.integration
def test_a_failure_with_runs_still_queued_reports_them_as_skipped(tiny):
    """More runs than workers: the failing one is reported, the queued ones are skipped,
    and no CancelledError escapes (the ordinary case after any library edit)."""
    root, runs = tiny
    results = execute.run_plan(
        runs("2001-01-01", "2010-01-01", "2011-01-01", "2012-01-01"), jobs=1, log=quiet
    )
    assert statuses(results) == ["failed", "skipped", "skipped", "skipped"]
    assert "boom" in execute.failure_report(results)
    assert "1 failed, 3 skipped" in execute.summary_table(results)


def _stream(nb_path) -> str:
    nb = json.loads(nb_path.read_text())
    return "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))


@pytest.mark.integration
def test_a_worker_reuses_its_kernel_for_one_notebook_with_a_clean_namespace(tmp_path):
    """Runs of one notebook on one worker share a kernel (the same process), but a run sees
    nothing an earlier run defined, and its cells count from 1 as in a fresh kernel."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "book").mkdir()
    make_notebook(
        tmp_path / "notebooks" / "tiny.ipynb",
        "import os\n"
        "print('pid', os.getpid())\n"
        "print('leaked', 'left_behind' in globals())\n"
        "left_behind = as_of",
    )
    p = tmp_path / "book" / "runs.yml"
    p.write_text(plan_text("2010-01-01", "2011-01-01", "2012-01-01"))
    results = execute.run_plan(plan.load(p, root=tmp_path).runs, jobs=1, log=quiet)
    assert statuses(results) == ["run", "run", "run"]
    outs = [_stream(tmp_path / "book" / "tiny" / f"t{i}.ipynb") for i in range(3)]
    pids = {line for o in outs for line in o.splitlines() if line.startswith("pid")}
    assert len(pids) == 1, outs  # one kernel for the three runs
    assert all("leaked False" in o for o in outs), outs
    for i in range(3):
        nb = json.loads((tmp_path / "book" / "tiny" / f"t{i}.ipynb").read_text())
        counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
        assert counts == list(range(1, len(counts) + 1)), counts


@pytest.mark.integration
def test_a_kernel_kept_between_runs_gives_the_page_a_fresh_kernel_gives():
    """A country profile run after another in a kept kernel has the outputs of the same
    profile run in a fresh kernel (the library's caches change no result)."""
    import tempfile

    from palermo import config

    nb = config.NOTEBOOKS / "country_profile.ipynb"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        runs = [
            plan.Run(nb, tmp / f"{c}.ipynb", {"country": c, "as_of": "2020-12-23"}, label=c)
            for c in ("POL", "ITA")
        ]
        kept = execute.WorkerKernel("test-kept")
        try:
            for r in runs:
                execute.execute(r, "k", reuse=kept)
        finally:
            kept.close()
        fresh = plan.Run(nb, tmp / "fresh.ipynb", runs[1].parameters, label="fresh")
        execute.execute(fresh, "k")

        def outputs(path):
            cells = nbformat.read(str(path), as_version=4).cells
            return [c.get("outputs") for c in cells if c.cell_type == "code"]

        assert outputs(tmp / "ITA.ipynb") == outputs(tmp / "fresh.ipynb")


@pytest.mark.integration
def test_a_page_left_out_of_the_pdf_draws_its_charts_for_the_web_only(tmp_path):
    """A web-only run's kernel is told before the run that no print copy is wanted, so its
    charts draw no PNG at all (the executor used to draw one, then drop it); a kept kernel
    is told afresh for each run."""
    from palermo import config

    nb = tmp_path / "flag.ipynb"
    make_notebook(
        nb,
        "import os\nfrom palermo.render import charts\nimport altair as alt\nimport pandas as pd\n"
        "c = alt.Chart(pd.DataFrame({'x': [1]})).mark_point().encode(x='x').properties(\n"
        "    title='t', description='d')\n"
        f"flag, kinds = os.environ.get({config.CHART_PNG_ENV!r}), sorted(charts.mimebundle(c))\n"
        "print(f'{flag} {kinds}')",
    )
    kept = execute.WorkerKernel("flag")
    try:
        for print_copy, expected in [(False, "0"), (True, "1"), (False, "0")]:
            out = tmp_path / f"out-{print_copy}.ipynb"
            execute.run_notebook(
                nb, out, {}, log=tmp_path / "k.log", reuse=kept, print_copy=print_copy
            )
            # The kernel may flush one print in pieces (a stream message per flush), so
            # read every stream output of the cell, not just the first.
            cell = nbformat.read(out, as_version=4).cells[-1]
            printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            assert printed.split()[0] == expected
            assert ("'image/png'" in printed) is print_copy
    finally:
        kept.close()


# S11: deposit hygiene
@pytest.mark.integration
@pytest.mark.review("reliability-2026-12b", "S11")
def test_an_executed_notebook_holds_no_path_of_the_machine(tmp_path):
    source = notebook_file(
        tmp_path / "nb.ipynb",
        "import palermo; print(palermo.__file__)",
        "import warnings; warnings.warn(__import__('os').getcwd())",
    )
    out = tmp_path / "out.ipynb"
    run = execute.Run(notebook=source, output=out, parameters={}, label="nb")
    res = execute.execute_one(run, "key")
    assert res.status == "run", res.error
    text = out.read_text(encoding="utf-8")
    assert str(config.ROOT) not in text and str(tmp_path) not in text
    assert "ipykernel_" not in text  # the kernel's temporary file of a cell, in the warning
    meta = json.loads(text)["metadata"]
    assert meta["papermill"]["input_path"] == "nb.ipynb"
    assert meta["papermill"]["output_path"] == "out.ipynb"  # not its temporary name
    assert "palermo/__init__.py" in text  # the path, relative to the repository
    # palermo knows it as its own, until someone edits it
    assert export.written_by_palermo(out)
    nb = json.loads(text)
    nb["cells"][1]["source"] = "# my own notes"
    out.write_text(json.dumps(nb), encoding="utf-8")
    assert not export.written_by_palermo(out)


# S12: the kernel
@pytest.mark.integration
@pytest.mark.review("reliability-2026-12b", "S12")
def test_a_dead_kernel_is_one_error_naming_the_notebook(tmp_path):
    source = notebook_file(
        tmp_path / "dies.ipynb", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
    )
    with pytest.raises(BuildError, match="died") as e:
        execute.run_notebook(source, tmp_path / "out.ipynb", {}, log=tmp_path / "k.log")
    assert "dies.ipynb" in str(e.value)


@pytest.mark.unit
@pytest.mark.review("reliability-2026-12b", "S12")
def test_a_loopback_that_is_down_is_said_at_once(tmp_path, monkeypatch):
    import socket

    def down(*a, **k):
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    monkeypatch.setattr(execute, "_loopback_ok", False, raising=False)
    monkeypatch.setattr(socket, "create_connection", down)
    source = notebook_file(tmp_path / "nb.ipynb", "1")
    start = time.monotonic()
    with pytest.raises(BuildError, match="loopback") as e:
        execute.run_notebook(source, tmp_path / "out.ipynb", {}, log=tmp_path / "k.log")
    assert "nb.ipynb" in str(e.value) and time.monotonic() - start < 10


def _self_calls(fn: ast.AST) -> list[str]:
    """The methods of ``self`` (or its kernel client) a function calls, in the order written."""
    out: list[str] = []

    class Calls(ast.NodeVisitor):
        def visit_Call(self, node: ast.Call) -> None:
            f = node.func
            if isinstance(f, ast.Attribute):
                owner = f.value
                if isinstance(owner, ast.Name) and owner.id in ("self", "kc"):
                    out.append(f.attr)
                elif isinstance(owner, ast.Attribute) and owner.attr == "kc":
                    out.append(f.attr)
            self.generic_visit(node)

    Calls().visit(fn)
    return out


def _subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(x in it for x in small)


@pytest.mark.unit
def test_the_copied_execute_keeps_every_step_of_papermills_in_its_order():
    from papermill.clientwrap import PapermillNotebookClient

    theirs = _self_calls(ast.parse(inspect.getsource(PapermillNotebookClient.execute).strip()))
    theirs = [c for c in theirs if c != "info"]  # a log line
    tree = ast.parse((config.ROOT / "palermo" / "pipeline" / "execute.py").read_text())
    client = next(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == "Client")
    ours = _self_calls(next(n for n in client.body if getattr(n, "name", "") == "execute"))
    assert theirs == [
        "reset_execution_trackers",
        "setup_kernel",
        "papermill_execute_cells",
        "wait_for_reply",
        "kernel_info",
        "set_widgets_metadata",
    ], "papermill's execute changed: read it again and bring Client.execute into step"
    assert _subsequence(theirs, ours), (theirs, ours)


@pytest.mark.integration
def test_a_cell_past_its_timeout_stops_the_run(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import time\ntime.sleep(60)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    source = tmp_path / "slow.ipynb"
    nbformat.write(nb, str(source))
    start = time.monotonic()
    with pytest.raises(Exception, match="(?i)timed? ?out|timeout"):
        execute.run_notebook(
            source, tmp_path / "out.ipynb", {}, log=tmp_path / "k.log", execution_timeout=2
        )
    assert time.monotonic() - start < 30
