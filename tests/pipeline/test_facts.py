"""The record of a built book (palermo.pipeline.facts; issue 39, section 2): every glued fact
and every table's and chart's rows, by page; what changed between two records; when a notebook
is intact; the four levels of a reproduction."""

import copy
import json

import pandas as pd
import pytest

from palermo.pipeline import facts
from palermo.render import tables

pytestmark = pytest.mark.unit


# --- a record, by hand ---------------------------------------------------------------------


def glue_output(name: str, value) -> dict:
    return {
        "output_type": "display_data",
        "data": {"application/papermill.record/text/plain": repr(value)},
        "metadata": {"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}},
    }


def table_output(df: pd.DataFrame, name: str) -> dict:
    return {"output_type": "display_data", "data": tables.mimebundle(df, name), "metadata": {}}


def notebook(facts_: dict, rows: list[int], prose: str = "The count is 3.", title="Table: x"):
    from palermo.pipeline.export import notebook_digest

    outputs = [glue_output(k, v) for k, v in facts_.items()]
    outputs.append(table_output(pd.DataFrame({"x": rows}), title))
    outputs.append(
        {
            "output_type": "display_data",
            "data": {"text/markdown": prose, "text/plain": "<Markdown>"},
            "metadata": {},
        }
    )
    cell = {"cell_type": "code", "source": "...", "metadata": {}, "outputs": outputs}
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}

    nb["metadata"]["palermo"] = {
        "notebook": "notebooks/tiny.ipynb",
        "parameters": {"as_of": "2020-12-23"},
        "content_sha256": notebook_digest(nb),
    }
    return nb


def book_record(**pages) -> dict:
    return {
        "format": facts.FORMAT,
        "edition": {"version": "0.2.0", "commit": "abc1234", "records": {"latest": "2024-05-04"}},
        "pages": {name: facts.page_record(nb) for name, nb in pages.items()},
    }


def test_a_page_record_holds_the_glued_facts_the_rows_and_the_prose():
    nb = notebook({"parties": 190, "verdict": "match"}, [1, 2, 3])
    rec = facts.page_record(nb)
    assert rec["facts"] == {"parties": "190", "verdict": "match"}  # as printed: no quotes
    (ex,) = rec["exhibits"]
    assert ex["kind"] == "table" and ex["name"] == "Table: x"
    (csv,) = ex["csv"]
    assert csv["rows"] == 3 and csv["csv"] == "X\n1\n2\n3\n" and len(csv["sha256"]) == 64
    assert rec["prose"]["count"] == 1 and rec["prose"]["texts"] == ["The count is 3."]
    assert rec["intact"] is True and rec["errors"] == []
    # the shipped form keeps digests and counts, and no commit
    small = facts.shipped(book_record(p=nb))
    assert "csv" not in small["pages"]["p"]["exhibits"][0]["csv"][0]
    assert "texts" not in small["pages"]["p"]["prose"] and "commit" not in small["edition"]


def test_a_record_is_deterministic_json_with_sorted_keys():
    rec = book_record(b=notebook({"z": 1, "a": 2}, [1]), a=notebook({"n": 3}, [2]))
    text = facts.dumps(rec)
    assert text == facts.dumps(json.loads(text)) and text.endswith("}\n")
    assert list(json.loads(text)["pages"]) == ["a", "b"]
    assert text.index('"a": "2"') < text.index('"z": "1"')


def test_the_diff_lists_facts_rows_and_pages_changed_by_page():
    before = book_record(
        p=notebook({"parties": 190, "gone": 1}, [1, 2, 3]), q=notebook({"n": 1}, [1])
    )
    after = book_record(
        p=notebook({"parties": 191, "new": 2}, [1, 2, 4, 5]), r=notebook({"n": 1}, [1])
    )
    d = facts.diff(before, after)
    p = d["pages"]["p"]
    assert p["facts"] == {
        "changed": {"parties": ["190", "191"]},
        "added": {"new": "2"},
        "removed": {"gone": "1"},
    }
    (ex,) = p["exhibits"]
    (c,) = ex["csv"]
    assert (c["rows_before"], c["rows_after"], c["added"], c["removed"]) == (3, 4, 2, 1)
    assert c["added_rows"] == ["4", "5"] and c["removed_rows"] == ["3"]
    assert d["pages"]["q"] == {"change": "removed", "severity": "major"}
    assert d["pages"]["r"]["change"] == "added"
    assert d["counts"]["facts"] == 3 and p["severity"] == "major"
    words = facts.text(d, ("A", "B"))
    assert "`parties`: 190 → 191" in words and "the page was removed" in words
    assert "(2 added, 1 removed)" in words and "a row added: 4" in words
    # a shipped record (digests only) against a full one: counted, not shown
    d2 = facts.diff(facts.shipped(before), after)
    (c2,) = d2["pages"]["p"]["exhibits"][0]["csv"]
    assert "added" not in c2 and (c2["rows_before"], c2["rows_after"]) == (3, 4)
    assert facts.diff(after, copy.deepcopy(after))["pages"] == {}


def test_a_retitled_table_and_reworded_prose_with_the_same_numbers_are_minor():
    before = book_record(p=notebook({"n": 3}, [1, 2], prose="There are 3 parties."))
    after = book_record(
        p=notebook({"n": 3}, [1, 2], prose="Three: 3 parties.", title="Table: the x")
    )
    d = facts.diff(before, after)
    p = d["pages"]["p"]
    assert p["severity"] == "minor", p
    assert p["exhibits"][0]["change"] == "renamed" and not p["prose"]["numbers_changed"]
    assert facts.verdict([d])[0] == facts.MINOR
    worse = book_record(p=notebook({"n": 3}, [1, 2], prose="There are 4 parties."))
    assert facts.diff(before, worse)["pages"]["p"]["severity"] == "major"


def test_a_notebook_edited_after_palermo_wrote_it_is_not_intact():
    nb = notebook({"parties": 190}, [1, 2])
    nb["cells"][0]["outputs"][0]["data"]["application/papermill.record/text/plain"] = "191"
    rec = facts.page_record(nb)
    assert rec["intact"] is False and rec["facts"]["parties"] == "191"
    good = book_record(p=notebook({"parties": 190}, [1, 2]))
    d = facts.diff(good, {**good, "pages": {"p": rec}})
    assert d["pages"]["p"]["edited"] == ["after"] and d["pages"]["p"]["severity"] == "major"


@pytest.mark.parametrize(
    "diffs_major,pages,level",
    [(0, 10, facts.FULL), (1, 10, facts.PARTIAL), (5, 10, facts.PARTIAL), (6, 10, facts.NOT)],
)
def test_the_four_levels(diffs_major, pages, level):
    d = {"pages": {}, "counts": {"major": diffs_major, "minor": 0, "compared": pages}}
    assert facts.verdict([d])[0] == level
    assert facts.verdict([d], failure="1 notebook run(s) failed")[0] == facts.NOT
    assert list(facts.LEVELS) == [facts.NOT, facts.PARTIAL, facts.MINOR, facts.FULL]
