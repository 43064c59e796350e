"""The kept-kernel engine (``pipeline.execute._reusing_engine``) copies the body of papermill's
``PapermillNotebookClient.execute``: a test holds the copy to papermill's method, and the
per-cell timeout papermill takes reaches the cells, as it does in papermill's own engine."""

import ast
import inspect
import time

import nbformat
import pytest

from palermo import config
from palermo.pipeline import execute

pytestmark = pytest.mark.unit


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
