"""Every value a chapter's prose glues comes from its module's ``facts(params)``: for each
chapter notebook, run facts() with the notebook's own default parameters and check that it
gives every name the prose asks for, and nothing empty."""

import ast
import datetime as dt
import importlib
import json
import re

import pytest

from palermo import config
from palermo.chapters import explanations, figure1, ratified_not_used, who_joined
from palermo.model import params
from tests.conftest import SHORT, UNTC_NUMBER

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
    assert {"as_of", "lead_parties_text", "grades"} <= glued_names(nb)


PAPER = dt.date(2020, 12, 23)


def _prose(values: dict) -> str:
    return " ".join(str(v) for v in values.values() if isinstance(v, str))


# treaties
@pytest.mark.review("reader-2026-12b", "§3")
def test_the_chapters_prose_names_treaties():
    four = {"as_of": PAPER, "treaties": ["TIP", "UNTOC", "SOM", "FIREARMS"]}
    said = {
        "figure1": _prose(figure1.facts(four)),
        "ratified_not_used": _prose(ratified_not_used.facts(four)),
        "explanations": _prose(explanations.facts({"treaty": "FIREARMS", "as_of": PAPER})),
        "who_joined": _prose(
            who_joined.facts({"as_of": PAPER, "treaty": "TIP", "region_scheme": "m49_region"})
        ),
    }
    for chapter, prose in said.items():
        assert not SHORT.search(prose), (chapter, SHORT.search(prose))
        assert not UNTC_NUMBER.search(prose), chapter
    assert "the Trafficking Protocol" in said["figure1"]
    assert "Trafficking Protocol 178 on 2020-05-31" in said["figure1"]
    assert "The records of the Trafficking Protocol end before" in said["ratified_not_used"]
