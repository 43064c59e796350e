"""What the tests of the runner and its cache share (tests/pipeline/test_cache.py,
test_execute.py): a tiny notebook that fails on one date, a plan of its runs, and the words for
what each run did."""

import pytest

from palermo.pipeline import plan
from tests.conftest import notebook_file


def make_notebook(path, body):
    notebook_file(path, body)


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
