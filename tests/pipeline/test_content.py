"""What the pipeline hands the book's adapter (palermo.pipeline.content): data, not markup, and
frozen, so an adapter cannot change what it was handed."""

import dataclasses
from pathlib import Path

import pytest

from palermo.pipeline import content

pytestmark = pytest.mark.unit


def test_what_the_adapter_is_handed_cannot_be_changed():
    link = content.Download("PDF", "/_build/seminar-pack/handout.pdf")
    page = content.FilesPage("Sheets", (("The handout: ", link),), printed=(("H", Path("h")),))
    line = content.ExhibitLine("Chart", 3, "notebooks/figure1.ipynb", "", "prov-figure1")
    for x, field in ((link, "path"), (page, "title"), (line, "cell")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(x, field, None)


def test_the_data_holds_no_markup():
    """The words the runner hands over are plain: the roles and fences are the adapter's."""
    rerun = content.Rerun(
        "notebooks/figure1.ipynb",
        {"as_of": "2020-12-23"},
        "palermo run notebooks/figure1.ipynb -p as_of 2020-12-23",
        content.Download("this page's notebook and data (zip)", "/_build/downloads/f.zip"),
    )
    words = " ".join(str(v) for v in dataclasses.astuple(rerun))
    assert "{" not in words.replace("{'as_of'", "") and ":::" not in words
