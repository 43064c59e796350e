"""What a notebook's outputs carry for the book engine (palermo.render.myst): the glue record,
written as myst-nb writes it without importing myst-nb."""

import json

import pytest

pytestmark = pytest.mark.unit


GLUE_BOTH = """
import json
import IPython.display
import myst_nb.ext.glue as theirs
from palermo.render import myst

calls = []
def record(*args, **kwargs):
    calls.append([args, kwargs])
theirs.ipy_display = IPython.display.display = record
for value in ("190", "177-178 (at least 177)", "it's", 3, None):
    theirs.glue("n", value, display=False)
    myst.glue("n", value)
print(json.dumps(calls))
"""


def test_a_fact_is_glued_as_myst_nb_glues_it():
    """render.myst writes myst-nb's glue record without importing myst-nb: the same display
    call, value for value, as ``myst_nb.glue(name, value, display=False)`` (in a process of its
    own: formatting a value starts IPython's shell)."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", GLUE_BOTH], capture_output=True, text=True, check=True
    ).stdout
    calls = json.loads(out)
    assert len(calls) == 10
    assert calls[0::2] == calls[1::2]
    (data,), kwargs = calls[1]
    assert data == {"application/papermill.record/text/plain": "'190'"}
    assert kwargs == {
        "raw": True,
        "metadata": {"scrapbook": {"name": "n", "mime_prefix": "application/papermill.record/"}},
    }
