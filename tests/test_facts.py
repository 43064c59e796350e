"""Every value a chapter's prose glues comes from its module's ``facts(params)``: for each
chapter notebook, run facts() with the notebook's own default parameters and check that it
gives every name the prose asks for, and nothing empty."""

import ast
import importlib
import json
import re

import pytest

from palermo import config
from palermo.pipeline import params

pytestmark = pytest.mark.unit

NOTEBOOKS = sorted(config.NOTEBOOKS.glob("*.ipynb"))
GLUE = re.compile(r"\{glue(?::text)?\}`([A-Za-z0-9_]+)(?::[^`]*)?`")


def glued_names(notebook) -> set[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return set(GLUE.findall(text))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_facts_give_every_glued_value(notebook):
    defaults = {k: ast.literal_eval(v) for k, v in params.notebook_parameters(notebook).items()}
    chapter = importlib.import_module(f"palermo.chapters.{notebook.stem}")
    facts = chapter.facts(params.check(**defaults))
    missing = glued_names(notebook) - set(facts)
    assert not missing, f"{notebook.name} glues {sorted(missing)}, which facts() does not give"
    empty = [k for k, v in facts.items() if v is None or v == ""]
    assert not empty, f"facts() of {notebook.stem} gives empty values for {empty}"


def test_the_glue_pattern_finds_names():
    nb = config.NOTEBOOKS / "figure1.ipynb"
    assert {"as_of", "lead_parties", "differ"} <= glued_names(nb)


def test_figure1_facts_at_the_papers_date():
    from palermo.chapters import figure1

    f = figure1.facts(params.check(as_of="2020-12-23", treaties=["UNTOC", "TIP"]))
    assert (f["lead"], f["lead_parties"], f["n_instruments"]) == ("UNTOC", 190, 2)
