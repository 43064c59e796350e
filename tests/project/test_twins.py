"""Every source notebook has a MyST Markdown twin (jupytext), and the two say the same: same
cells, same sources, same tags. `make twins` (or saving in JupyterLab) brings them into step."""

import jupytext
import pytest
from jupytext.compare import compare_notebooks

from palermo import config

pytestmark = pytest.mark.unit

NOTEBOOKS = config.ROOT / "notebooks"
PAIRS = sorted(NOTEBOOKS.rglob("*.ipynb"))


def test_every_notebook_has_a_twin_and_every_twin_a_notebook():
    assert PAIRS
    twins = {p.with_suffix("") for p in NOTEBOOKS.rglob("*.md")}
    books = {p.with_suffix("") for p in PAIRS}
    assert books - twins == set(), f"notebooks without a twin (`make twins`): {books - twins}"
    assert twins - books == set(), f".md files without a notebook: {twins - books}"


def test_the_pairing_is_configured_for_jupyterlab():
    cfg = (NOTEBOOKS / "jupytext.toml").read_text()
    assert 'formats = "ipynb,md:myst"' in cfg


@pytest.mark.parametrize("path", PAIRS, ids=lambda p: p.stem)
def test_twin_is_in_step(path):
    nb = jupytext.read(path)
    twin = jupytext.read(path.with_suffix(".md"))
    try:
        compare_notebooks(twin, nb, fmt="md:myst")
    except Exception as exc:  # jupytext raises its own NotebookDifference
        where = path.relative_to(config.ROOT)
        pytest.fail(f"{where} and its .md twin differ (`make twins`): {exc}")


def test_a_difference_is_caught(tmp_path):
    """The check above can fail: a twin with one word changed is out of step."""
    path = PAIRS[0]
    nb = jupytext.read(path)
    text = path.with_suffix(".md").read_text()
    changed = jupytext.reads(text.replace("#", "# (edited)", 1), fmt="md:myst")
    with pytest.raises(Exception, match="(?i)differ|cell"):
        compare_notebooks(changed, nb, fmt="md:myst")
