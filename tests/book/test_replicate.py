"""The record the repository ships (replication/record.json) matches the built book, and
`palermo export replication` writes it (issue 39, section 3)."""

import json

import pytest
from typer.testing import CliRunner

from palermo import config
from palermo.cli import app
from palermo.pipeline import execute, facts, plan


@pytest.mark.book
def test_export_replication_writes_the_shipped_record_too(tmp_path, monkeypatch):
    from palermo.pipeline import replication

    monkeypatch.setattr(replication, "REPLICATION_MD", tmp_path / "REPLICATION.md")
    r = CliRunner().invoke(app, ["export", "replication"])
    assert r.exit_code == 0, r.output
    assert "replication/record.json is current" in r.output or "==> wrote" in r.output
    assert (tmp_path / "REPLICATION.md").is_file()


@pytest.mark.book
def test_the_shipped_record_matches_the_built_book():
    """replication/record.json is the record of the book built now (`palermo export
    replication` writes it); a fact, row or exhibit planted in it, or a page edited by hand,
    fails here."""
    p = plan.load()
    used = {}
    for run in p.runs:
        if run.output.is_file():
            meta = json.loads(run.output.read_text(encoding="utf-8"))["metadata"]
            used.update(meta.get("palermo", {}).get("records") or {})
    shipped = json.loads(facts.shipped_path(config.ROOT).read_text(encoding="utf-8"))
    if used != (shipped["edition"].get("fetched") or {}):
        pytest.skip(
            "the built book read other fetched records than the shipped record's (a refresh "
            f"build: {', '.join(sorted(used)) or 'none'}); the shipped record describes the "
            "book of the records in the repository"
        )
    assert execute.fetched_records() == used or not used
    current, why = facts.write_shipped(p, check=True)
    assert current, f"replication/record.json is stale ({why}): run palermo export replication"
