"""The run plan, the TOC and the shared parameter validators agree."""
import pytest
import yaml

from palermo import params, run, status
from palermo.errors import UsageError
from palermo.paths import ROOT


def toc_files(node) -> list[str]:
    out = []
    if isinstance(node, dict):
        if "file" in node:
            out.append(node["file"])
        if "root" in node:
            out.append(node["root"])
        for v in node.values():
            out += toc_files(v)
    elif isinstance(node, list):
        for v in node:
            out += toc_files(v)
    return out


def test_toc_and_run_plan_agree():
    toc = toc_files(yaml.safe_load((ROOT / "_toc.yml").read_text()))
    plan = run.load_plan()
    outputs = {str(r.output.relative_to(ROOT).with_suffix("")) for r in plan}
    notebook_pages = {f for f in toc if (ROOT / f).with_suffix(".md").exists() is False}
    assert outputs <= set(toc), f"plan outputs missing from _toc.yml: {outputs - set(toc)}"
    assert notebook_pages == outputs, f"TOC notebook pages without a run: {notebook_pages - outputs}"
    for f in set(toc) - outputs:
        assert (ROOT / f).with_suffix(".md").is_file(), f"{f} is neither a prose page nor a plan output"


def test_one_notebook_runs_twice_in_the_plan():
    plan = run.load_plan()
    fig = [r for r in plan if r.notebook.name == "ratification_status.ipynb"]
    assert len(fig) == 2
    dates = {r.parameters["as_of"] for r in fig}
    assert str(status.PAPER_DATE) in dates
    assert params.latest_record_date() in dates  # 'latest' is resolved before running


def test_every_source_notebook_has_a_parameters_cell_and_no_outputs():
    import nbformat

    for nb_path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(nb_path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, nb_path
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), nb_path
        assert set(run.notebook_parameters(nb_path)) <= set(params.VALIDATORS)


def write_plan(tmp_path, text):
    (tmp_path / "book").mkdir(exist_ok=True)
    p = tmp_path / "book" / "runs.yml"
    p.write_text(text)
    return p


NB = str(ROOT / "notebooks" / "ratification_status.ipynb")


@pytest.mark.parametrize("entry,message", [
    (f"- {{notebook: {NB}, output: book/a.ipynb, parameters: {{as_off: '2020-01-01'}}}}",
     "parameter 'as_off' is not in ratification_status.ipynb; it takes: as_of, treaties"),
    (f"- {{notebook: {NB}, output: book/a.ipynb, parameters: {{as_of: '2020-02-30'}}}}", "run #1 (book/a.ipynb): as_of '2020-02-30'"),
    (f"- {{notebook: {NB}, output: book/a.ipynb, parameters: {{treaties: [UNTOC, NOPE]}}}}", "unknown treaty 'NOPE'"),
    (f"- {{notebook: {NB}, output: elsewhere/a.ipynb}}", "output must be an .ipynb under book/"),
    (f"- {{notebook: {NB}, output: book/a.ipynb}}\n  - {{notebook: {NB}, output: book/a.ipynb}}", "written twice"),
    ("- {notebook: notebooks/missing.ipynb, output: book/a.ipynb}", "not found"),
    (f"- {{notebook: {NB}, output: book/a.ipynb, params: {{}}}}", "unknown key 'params'"),
])
def test_bad_plans_name_the_entry(tmp_path, entry, message):
    p = write_plan(tmp_path, "runs:\n  " + entry + "\n")
    with pytest.raises(UsageError) as exc:
        run.load_plan(p, root=tmp_path)
    assert message in str(exc.value)


def test_params_normalise():
    assert params.check(treaties="untoc, tip") == {"treaties": ["UNTOC", "TIP"]}
    assert params.check(as_of="latest")["as_of"] == params.latest_record_date()
    with pytest.raises(UsageError, match="unknown parameter 'colour'"):
        params.check(colour="red")
    with pytest.raises(UsageError, match="twice"):
        params.check(treaties=["UNTOC", "XVIII-12"])
