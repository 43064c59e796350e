"""`palermo replicate` and the shipped record (issue 39, section 3): the record the repository
ships (replication/record.json) matches the built book, a fact planted in it is caught, and a
rebuild compared with it and with the book as found catches an executed notebook edited by
hand, with a verdict below full reproduction."""

import json
import shutil

import nbformat
import pytest
from typer.testing import CliRunner

from palermo import config
from palermo.cli import app
from palermo.pipeline import facts, plan
from palermo.pipeline.build import replicate
from tests.pipeline.test_edition import tiny_notebook

PLAN = """\
root: book/intro
parts: [Tests]
entries:
"""


def quiet(_):
    return None


@pytest.fixture(scope="module")
def built_tiny(tmp_path_factory):
    """A built plan of three tiny runs (each glues a year and a verdict and shows a table) and
    its shipped record, made once."""
    root = tmp_path_factory.mktemp("replicate") / "tiny"
    (root / "notebooks").mkdir(parents=True)
    (root / "book").mkdir()
    tiny_notebook(root / "notebooks" / "tiny.ipynb")
    text = PLAN
    for i, day in enumerate(("2010-06-30", "2016-06-30", "2020-12-23")):
        text += (
            f"  - title: Tiny {i}\n    part: Tests\n    notebook: notebooks/tiny.ipynb\n"
            f"    output: book/tiny/t{i}.ipynb\n    pdf: false\n"
            f"    parameters: {{as_of: '{day}'}}\n"
        )
    path = root / "book" / "runs.yml"
    path.write_text(text)
    r = CliRunner().invoke(app, ["build", "--plan", str(path), "--no-book", "-j", "1"])
    assert r.exit_code == 0, r.output
    p = plan.load(path)
    assert facts.write_shipped(p) == (False, "")  # written
    assert facts.write_shipped(p, check=True) == (True, "")
    return root


@pytest.fixture
def tiny_book(built_tiny, tmp_path):
    """A copy of the built tiny plan, for a test to change."""
    root = tmp_path / "tiny"
    shutil.copytree(built_tiny, root)
    return plan.load(root / "book" / "runs.yml")


def set_fact(nb_path, name: str, value: str) -> None:
    nb = json.loads(nb_path.read_text())
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            if (o.get("metadata") or {}).get("scrapbook", {}).get("name") == name:
                o["data"]["application/papermill.record/text/plain"] = value
    nb_path.write_text(json.dumps(nb, indent=1))


@pytest.mark.integration
def test_a_fact_planted_in_the_shipped_record_is_caught(tiny_book):
    shipped = facts.shipped_path(tiny_book.base)
    rec = json.loads(shipped.read_text())
    assert rec["pages"]["tiny/t0"]["facts"]["year"] == "2010"
    rec["pages"]["tiny/t0"]["facts"]["year"] = "2011"
    shipped.write_text(facts.dumps(rec))
    current, why = facts.write_shipped(tiny_book, check=True)
    assert not current and "tiny/t0" in why and "`year`: 2011 → 2010" in why
    result = replicate(tiny_book.path, book=False, log=quiet)
    assert result.level == facts.PARTIAL, result.text()
    assert "1 of 3 pages differ" in result.why
    assert "`year`: 2011 → 2010" in result.text()


@pytest.mark.integration
def test_a_tampered_output_is_caught_by_replicate_with_a_verdict_below_full(tiny_book):
    runner = CliRunner()
    plan_args = ["--plan", str(tiny_book.path), "--no-book", "-j", "1"]
    r = runner.invoke(app, ["replicate", *plan_args])
    assert r.exit_code == 0, r.output
    assert "reproduction verdict: full reproduction (all 3 pages" in r.output
    t1 = tiny_book.base / "book" / "tiny" / "t1.ipynb"
    set_fact(t1, "year", "2017")  # a number edited by hand in an executed notebook
    assert facts.page_record(json.loads(t1.read_text()))["intact"] is False
    r = runner.invoke(app, ["replicate", *plan_args])
    assert r.exit_code == 1, r.output
    assert "reproduction verdict: partial reproduction (1 of 3 pages" in r.output
    assert "Compared with the book as found before the rebuild" in r.output
    assert "`year`: 2017 → 2016" in r.output and "was edited after palermo wrote it" in r.output
    assert "- not reproduced: " in r.output  # the four levels are printed with the verdict
    # the rebuild put the page right
    assert facts.page_record(json.loads(t1.read_text()))["facts"]["year"] == "2016"


@pytest.mark.integration
def test_replicate_needs_a_shipped_record_and_says_where(tiny_book):
    facts.shipped_path(tiny_book.base).unlink()
    r = CliRunner().invoke(app, ["replicate", "--plan", str(tiny_book.path), "--no-book"])
    assert r.exit_code == 2 and "replication/record.json: no such record" in r.stderr
    assert "palermo export replication" in r.stderr


@pytest.mark.integration
def test_a_failed_run_is_not_reproduced(tiny_book):
    nb = tiny_book.base / "notebooks" / "tiny.ipynb"
    nb.write_text(nb.read_text().replace("year = int(as_of[:4])", "year = 1 / 0"))
    result = replicate(tiny_book.path, book=False, log=quiet)
    assert result.level == facts.NOT and "notebook run(s) failed" in result.why


@pytest.mark.unit
def test_the_readme_gives_the_four_levels_as_the_code_decides_them():
    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    for level, when in facts.LEVELS.items():
        assert f"| {level} | {when} |" in readme, level
    assert "make replicate" in readme
    makefile = (config.ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nreplicate: " in makefile and "palermo replicate" in makefile


FIGURE1 = "notebooks/figure1.ipynb"


@pytest.mark.integration
def test_palermo_run_one_chapter(tmp_path):
    out = tmp_path / "fig-2010.ipynb"
    r = CliRunner().invoke(
        app,
        ["run", FIGURE1, "-p", "as_of", "2010-10-18", "-p", "treaties", "UNTOC", "-o", str(out)],
    )
    assert r.exit_code == 0, r.output
    nb = nbformat.read(out, as_version=4)
    glued = json.dumps([o for c in nb.cells for o in c.get("outputs", [])])
    assert "157" in glued  # UNTOC parties on 2010-10-18, the figure the paper quotes


@pytest.mark.unit
@pytest.mark.parametrize(
    "args,needle",
    [
        (["run", FIGURE1, "-p", "as_off", "2010-10-18"], "parameter 'as_off'"),
        (["run", FIGURE1, "-p", "as_of"], "needs NAME and VALUE"),
        (["run", "notebooks/nope.ipynb"], "not found"),
    ],
)
def test_palermo_run_bad_input_exits_2(args, needle):
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 2 and needle in r.stderr
