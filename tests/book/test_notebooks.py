"""The source notebooks run as a reader runs them in JupyterLab ("Run all", `make lab`): as they
are, with nbclient (not papermill, so no injected parameters cell), from their own folder, in
the project's `palermo` kernel that their metadata names; and again, in the same kernel, with a
value changed in the parameters cell, as a reader would type it and run all once more."""

import json
import re
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from palermo import config

pytestmark = pytest.mark.book

NOTEBOOKS = config.ROOT / "notebooks"
SOURCES = sorted(NOTEBOOKS.rglob("*.ipynb"))

# one changed value per notebook: (parameter, the new right-hand side as a reader would type it)
CHANGED = {
    "chronology": ("end", '"2010-12-31"'),
    "claims": ("verdicts", '["differs"]'),
    "conclusions": ("as_of", '"latest"'),
    "convention": ("as_of", '"2010-10-18"'),
    "people": ("groups", '["secretariat", "naples"]'),
    "countries": ("as_of", '"2010-10-18"'),
    "country_profile": ("country", '"Japan"'),
    "data_and_methods": ("as_of", '"2010-10-18"'),
    "ex1_counting_parties": ("treaty", '"TIP"'),
    "ex2_slow_ratifiers": ("region", '"Africa"'),
    "ex3_one_country": ("country", '"Brazil"'),
    "ex4_weighing_explanations": ("treaty", '"TIP"'),
    "explanations": ("treaty", '"TIP"'),
    "figure1": ("as_of", '"2010-10-18"'),
    "peers": ("align", '"calendar"'),
    "ratified_not_used": ("treaties", '["UNTOC", "UNCAC"]'),
    "road_to_review": ("as_of", '"latest"'),
    "voices": ("themes", '["review-mechanism", "uncac"]'),
    "who_joined": ("treaty", '"FIREARMS"'),
}


def _errors(nb: nbformat.NotebookNode) -> list:
    return [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]


def run(*notebooks: nbformat.NotebookNode, folder: Path) -> None:
    """Run every cell of each notebook top to bottom, one after the other in one kernel (the
    one the first names), from `folder`: as a reader runs all, edits a value and runs all
    again."""
    client = NotebookClient(
        notebooks[0], timeout=300, resources={"metadata": {"path": str(folder)}}
    )
    with client.setup_kernel():
        for nb in notebooks:
            client.nb = nb
            for i, cell in enumerate(nb.cells):
                client.execute_cell(cell, i)
            assert not _errors(nb), _errors(nb)


def test_every_source_notebook_names_the_project_kernel_and_the_kernel_is_installed():
    assert SOURCES, "no source notebooks found"
    specs = KernelSpecManager().find_kernel_specs()
    assert "palermo" in specs, "the `palermo` kernel is not installed: run `make venv`"
    for path in SOURCES:
        spec = json.loads(path.read_text())["metadata"]["kernelspec"]
        assert spec["name"] == "palermo", f"{path.name} names kernel {spec['name']!r}"


def test_every_source_notebook_has_a_changed_value_to_try():
    assert set(CHANGED) == {p.stem for p in SOURCES}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_runs_as_is_then_with_a_changed_value_in_its_parameters_cell(path):
    """Run all as the notebook is; then, in the same kernel, as a reader does after typing a
    new value into the parameters cell, run all again."""
    as_is = nbformat.read(path, as_version=4)
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    name, value = CHANGED[path.stem]
    # the assignment may continue over several lines (a list): replace up to the next name
    pattern = re.compile(rf"^{name} = .*?(?=^\w+ = |\Z)", re.M | re.S)
    assert pattern.search(cell.source), f"{path.name}: no `{name} = ...` in its parameters cell"
    cell.source = pattern.sub(f"{name} = {value}\n", cell.source, count=1)
    # a last cell shows the value the notebook ran with: the changed one (a date parameter is
    # read into a datetime.date by params.check, shown here as the ISO text it was given as)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            f"print('ran with', repr(getattr({name}, 'isoformat', lambda: {name})()))"
        )
    )
    run(as_is, nb, folder=path.parent)
    out = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert f"ran with {value!s}".replace('"', "'") in out, out


@pytest.mark.review("reliability-2026-12b", "S3")
def test_the_real_figure1_notebook_runs_on_the_signing_day(tmp_path):
    """S3, the case the report names, through `palermo run` (papermill and a kernel)."""
    from palermo.pipeline.build import run_one

    out = tmp_path / "figure1-run.ipynb"
    run_one(config.NOTEBOOKS / "figure1.ipynb", {"as_of": "2000-12-12"}, out, log=lambda s: s)
    assert "no State had become a party by 2000-12-12" in out.read_text(encoding="utf-8")
