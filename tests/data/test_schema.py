"""The one check of a YAML document against its pydantic model (palermo.data.schema): the
error is one line naming the file, the entry, the field and what is allowed."""

from typing import Literal

import pydantic
import pytest

from palermo.data import schema
from palermo.errors import DataError

pytestmark = pytest.mark.unit


class _Entry(schema.Strict):
    id: str
    kind: Literal["snapshot", "header"]
    size: int = pydantic.Field(ge=0)


class _Doc(schema.Strict):
    files: list[_Entry]


DOC = {"files": [{"id": "a", "kind": "snapshot", "size": 1}, {"id": "b", "kind": "header"}]}


def _message(doc, **kw) -> str:
    with pytest.raises(DataError) as exc:
        schema.validate(_Doc, doc, "manifest.yml", **kw)
    return str(exc.value)


def test_a_good_document_is_its_frozen_model():
    got = schema.validate(_Doc, {"files": [{"id": "a", "kind": "header", "size": 0}]}, "m.yml")
    assert got.files[0].kind == "header"
    with pytest.raises(pydantic.ValidationError):
        got.files[0].size = 3  # type: ignore[misc]


def test_a_misspelt_field_lists_the_fields_allowed():
    doc = {"files": [{"id": "a", "kind": "snapshot", "size": 1, "sise": 2}]}
    assert _message(doc) == (
        "manifest.yml, files #1 (a), field sise: no such field; allowed: id, kind, size "
        "(1 error(s) in all)"
    )


def test_a_missing_field_says_which_and_entries_can_be_named():
    doc = {"files": [{"id": "a", "size": 1}]}
    assert _message(doc, entries={"files": "entry"}) == (
        "manifest.yml, entry 1 (a), field kind: Field required (no kind given) (1 error(s) in all)"
    )


def test_every_error_is_counted_and_the_first_named():
    doc = {"files": [{"id": "a", "kind": "snapshots", "size": -1}]}
    said = _message(doc)
    assert said.startswith("manifest.yml, files #1 (a), field kind: ")
    assert said.endswith("(2 error(s) in all)")
