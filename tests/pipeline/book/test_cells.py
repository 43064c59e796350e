"""The cells the runner adds to a book page, in MyST (palermo.pipeline.book.cells)."""

import pytest

from palermo.pipeline import content
from palermo.pipeline.book import cells

pytestmark = pytest.mark.unit

ZIP = content.Download("this page's notebook and data (zip)", "/_build/downloads/figure1.zip")


def test_the_rerun_box_names_the_notebook_its_values_and_the_download():
    box = cells.rerun_box(
        content.Rerun(
            "notebooks/figure1.ipynb",
            {"as_of": "2020-12-23", "treaties": ["UNTOC"]},
            "palermo run notebooks/figure1.ipynb -p as_of 2020-12-23",
            ZIP,
        )
    )
    assert box.startswith("::::{only} html\n:::{admonition} Rerun this chapter\n")
    assert 'run with `as_of = "2020-12-23"`, `treaties = ["UNTOC"]`' in box
    assert "```\npalermo run notebooks/figure1.ipynb -p as_of 2020-12-23\n```" in box
    assert "{download}`this page's notebook and data (zip) <" in box
    assert box.endswith(":::\n::::\n")
    empty = cells.rerun_box(content.Rerun("notebooks/x.ipynb", {}, "palermo run x", ZIP))
    assert "run with its default values" in empty


def test_each_exhibit_gets_a_line_in_one_box():
    lines = [
        content.ExhibitLine(
            "Chart “Parties”", 4, "notebooks/figure1.ipynb", "palermo.chapters.figure1.curve_chart",
            "prov-figure1",
        ),
        content.ExhibitLine("Table (A, B)", 4, "notebooks/figure1.ipynb", "", "prov-figure1"),
    ]
    box = cells.exhibit_lines(lines)
    assert box.startswith(":::{container} palermo-provenance\n") and box.endswith("\n:::\n")
    first, second = box.split("\n\n")
    assert "made by cell 4 of `notebooks/figure1.ipynb` (`palermo.chapters.figure1.curve_chart`)" in first
    assert "{palermo-record}`where it comes from <prov-figure1>`" in first
    assert "(`" not in second  # no function, no brackets
