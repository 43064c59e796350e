"""Gluing facts into the prose (palermo.render.glue): each fact under its name, a date as
YYYY-MM-DD and a curated file's reference in words, never shown where it is glued."""

import datetime as dt

import pytest

from palermo.render import glue

pytestmark = pytest.mark.unit


def test_each_fact_is_glued_under_its_name_as_a_reader_reads_it(monkeypatch):
    from palermo.render import myst

    glued = []
    monkeypatch.setattr(myst, "glue", lambda name, value: glued.append((name, value)))
    glue.glue_all(
        {
            "as_of": dt.date(2020, 12, 23),
            "parties": 190,
            "source": "events.csv, cop5",
            "plain": "no file named here",
        }
    )
    assert glued == [
        ("as_of", "2020-12-23"),
        ("parties", 190),
        ("source", "the chronology"),
        ("plain", "no file named here"),
    ]
