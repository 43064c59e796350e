"""The run plan, the TOC and the shared parameter validators agree."""

import pytest
import yaml

from palermo import config
from palermo.config import ROOT
from palermo.errors import UsageError
from palermo.model import params
from palermo.model.dates import latest_record_date
from palermo.pipeline import plan
from tests.conftest import one_line_error, run

pytestmark = pytest.mark.unit


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


def toc_entries(toc: dict) -> list[tuple[str, str]]:
    """(file, title) of every titled page in a _toc.yml, sections included."""
    out = []
    for part in toc["parts"]:
        for c in part["chapters"]:
            for item in [c, *c.get("sections", [])]:
                out.append((item["file"], item["title"]))
    return out


def test_toc_and_run_plan_agree():
    toc = toc_files(yaml.safe_load(config.TOC.read_text()))
    p = plan.load()
    outputs = {str(r.output.relative_to(ROOT).with_suffix("")) for r in p.runs}
    # a page the build writes (the seminar sheets) is prose, though a fresh clone lacks it
    written = {str(e.file.relative_to(ROOT).with_suffix("")) for e in p.written_pages}
    prose = {f for f in toc if (ROOT / f).with_suffix(".md").is_file()} | written
    notebook_pages = set(toc) - prose
    assert outputs <= set(toc), f"plan outputs missing from _toc.yml: {outputs - set(toc)}"
    assert notebook_pages == outputs, (
        f"TOC notebook pages without a run: {notebook_pages - outputs}"
    )


def test_one_notebook_runs_twice_in_the_plan():
    fig = [r for r in plan.load().runs if r.notebook.name == "figure1.ipynb"]
    assert len(fig) == 2
    dates = {r.parameters["as_of"] for r in fig}
    assert str(config.PAPER_DATE) in dates
    assert str(latest_record_date()) in dates  # 'latest' is resolved before running


def test_every_source_notebook_has_a_parameters_cell_and_no_outputs():
    import nbformat

    for nb_path in config.NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(nb_path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, nb_path
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), nb_path
        assert set(params.notebook_parameters(nb_path)) <= set(params.VALIDATORS)


def write_plan(tmp_path, text):
    (tmp_path / "book").mkdir(exist_ok=True)
    p = tmp_path / "book" / "runs.yml"
    p.write_text(text)
    return p


NB = str(config.NOTEBOOKS / "figure1.ipynb")
HEAD = "root: book/intro\nparts: [Chapters]\nentries:\n"
RUN = f"title: F, part: Chapters, notebook: {NB}"


@pytest.mark.parametrize(
    "entry,message",
    [
        (
            f"- {{{RUN}, output: book/figure1.ipynb, parameters: {{as_off: '2020-01-01'}}}}",
            "parameter 'as_off' is not in figure1.ipynb; it takes: as_of, treaties",
        ),
        (
            f"- {{{RUN}, output: book/figure1/a.ipynb, parameters: {{as_of: '2020-02-30'}}}}",
            "entry #1 (book/figure1/a.ipynb): as_of '2020-02-30'",
        ),
        (
            f"- {{{RUN}, output: book/figure1.ipynb, parameters: {{treaties: [UNTOC, NOPE]}}}}",
            "unknown treaty 'NOPE'",
        ),
        (f"- {{{RUN}, output: elsewhere/figure1.ipynb}}", "output must be an .ipynb under book/"),
        (f"- {{{RUN}, output: book/a.ipynb}}", "one name per chapter"),
        (
            f"- {{{RUN}, output: book/figure1.ipynb}}\n"
            f"  - {{{RUN.replace('title: F', 'title: G')}, output: book/figure1.ipynb}}",
            "written twice",
        ),
        (
            "- {title: M, part: Chapters, notebook: notebooks/missing.ipynb, "
            "output: book/missing.ipynb}",
            "not found",
        ),
        (f"- {{{RUN}, output: book/figure1.ipynb, params: {{}}}}", "params: Extra inputs"),
        (
            f"- {{title: F, part: Appendix, notebook: {NB}, output: book/figure1.ipynb}}",
            "part 'Appendix' is not under 'parts'",
        ),
        ("- {title: P, part: Chapters, page: book/nowhere.md}", "page book/nowhere.md not found"),
        (f"- {{{RUN}}}", "a run needs both 'notebook' and 'output'"),
    ],
)
def test_bad_plans_name_the_entry(tmp_path, entry, message):
    p = write_plan(tmp_path, HEAD + "  " + entry + "\n")
    with pytest.raises(UsageError) as exc:
        plan.load(p, root=tmp_path)
    assert message in str(exc.value)


def test_a_plan_in_the_old_format_is_refused(tmp_path):
    p = write_plan(tmp_path, f"runs:\n  - {{notebook: {NB}, output: book/figure1.ipynb}}\n")
    with pytest.raises(UsageError, match="runs.yml"):
        plan.load(p, root=tmp_path)


def test_params_normalise():
    assert params.check(treaties="untoc, tip") == {"treaties": ["UNTOC", "TIP"]}
    assert params.check(as_of="latest")["as_of"] == latest_record_date()
    # papermill and the cache key take the plain form: dates as ISO text
    assert params.plain(params.check(as_of="latest")) == {"as_of": str(latest_record_date())}
    with pytest.raises(UsageError, match="unknown parameter 'colour'"):
        params.check(colour="red")
    with pytest.raises(UsageError, match="twice"):
        params.check(treaties=["UNTOC", "XVIII-12"])


# D6: malformed inputs
@pytest.mark.review("reliability-2026-11", "D6")
def test_build_with_a_folder_as_plan_is_one_line(tmp_path):
    assert "cannot read" in one_line_error(run("build", "--plan", str(tmp_path)), 2)


# notes: what --as-of accepts
@pytest.mark.review("reliability-2026-11", "notes")
def test_a_plan_naming_a_missing_notebook_names_the_entry(tmp_path):
    (tmp_path / "book").mkdir()
    plan = tmp_path / "book" / "runs.yml"
    plan.write_text(
        "root: book/intro\nparts: [A]\nentries:\n  - {title: X, part: A, "
        "notebook: notebooks/none.ipynb, output: book/none.ipynb}\n"
    )
    err = one_line_error(run("build", "--plan", str(plan)), 2)
    assert "runs.yml, entry #1 (book/none.ipynb): notebook" in err and "not found" in err
