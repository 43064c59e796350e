"""The real deposit, packed from the built book, to the data editors' checklist (issue 39,
section 3): no empty file, no duplicate, no archive inside, no path of the machine."""

import hashlib
import json
import re
from collections import Counter

import pytest
from typer.testing import CliRunner

from palermo import __version__
from palermo.cli import app
from palermo.pipeline import crate, plan, replication
from tests.pipeline.test_crate import frictionless_errors, ids
from tests.pipeline.test_crate import outside, roc  # noqa: F401 (fixtures)


@pytest.mark.book
def test_the_real_deposit_passes_the_data_editors_checks():
    assert replication.deposit_faults(replication.contents()) == []


@pytest.fixture
def offline(outside):
    yield
    assert outside == [], f"a test tried to reach an outside host: {outside}"


@pytest.fixture(scope="module")
def unpacked(packed_deposit):
    """The real deposit (packed once for the session, in conftest), unpacked."""
    return packed_deposit[1]


# the real deposit
@pytest.mark.usefixtures("offline")
@pytest.mark.pdf
def test_the_real_deposits_metadata_validates(unpacked, roc):
    names = {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*") if p.is_file()}
    for must in (crate.DATAPACKAGE, crate.ZENODO, crate.PANEL, crate.LEDGER):
        assert must in names, must
    sums = {}
    for line in (unpacked / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        sha, name = line.split("  ", 1)
        sums[name] = sha
    assert set(sums) == names - {"SHA256SUMS", "ro-crate-metadata.json"}
    # the crate: one CreateAction per run of the plan, each result a file of the deposit
    doc = json.loads((unpacked / "ro-crate-metadata.json").read_text(encoding="utf-8"))
    runs = plan.load().runs
    actions = crate.actions(doc)
    assert len(actions) == len(runs)
    for action in actions:
        (result,) = ids(action["result"])
        assert result in sums, result
    passed, issues = roc(unpacked)
    assert passed, issues[:10]
    # the data package: every curated CSV and the derived tables, each passing its schema
    package = json.loads((unpacked / crate.DATAPACKAGE).read_text(encoding="utf-8"))
    paths = {r["path"] for r in package["resources"]}
    curated = {n for n in names if n.startswith("data/curated/") and n.endswith(".csv")}
    derived = {n for n in names if n.startswith(f"{crate.DERIVED}/")}
    assert paths == curated | derived and len(derived) == 4
    assert frictionless_errors(unpacked / crate.DATAPACKAGE) == []
    zenodo = json.loads((unpacked / crate.ZENODO).read_text(encoding="utf-8"))
    assert zenodo["version"] == __version__


PROFILE = "book/country_profile/{slug} (one page per participant)"


def replication_rows(text: str) -> Counter:
    """(page, kind) -> how many figures or tables REPLICATION.md's table lists for it."""
    need = Counter()
    for line in text.splitlines():
        m = re.match(r"^\| (Figure|Table) \d+ \|", line)
        if m:
            for page in line.rstrip(" |").split(" | ")[-1].split("; "):
                need[(page, m.group(1).lower())] += 1
    return need


def page_items(html: str) -> tuple[int, int]:
    charts = html.count('class="palermo-chart"')
    tables = len(re.findall(r'<table class="[^"]*\bpalermo-table\b', html))
    return charts, tables


@pytest.mark.pdf
def test_the_deposit_checks_itself_and_lists_every_figure_and_table(packed_deposit):
    zipped, out = packed_deposit
    # a second run does not overwrite it without --force
    again = CliRunner().invoke(app, ["export", "package", "-o", str(zipped)])
    assert again.exit_code == 2 and "--force" in again.stderr
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    # every file but the two checks is listed in SHA256SUMS with its right hash
    sums = {}
    for line in (out / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        sha, name = line.split("  ", 1)
        sums[name] = sha
    assert set(sums) == files - {"SHA256SUMS", "ro-crate-metadata.json"}
    for name, sha in sums.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha, name
    # the RO-Crate manifest describes the same files with the same hashes
    crate = json.loads((out / "ro-crate-metadata.json").read_text(encoding="utf-8"))
    graph = {e["@id"]: e for e in crate["@graph"]}
    assert graph["ro-crate-metadata.json"]["about"] == {"@id": "./"}
    assert {p["@id"] for p in graph["./"]["hasPart"]} == set(sums)
    assert all(graph[n]["sha256"] == sha for n, sha in sums.items())
    # what a data editor needs is there
    for must in (
        "REPLICATION.md",
        "requirements.lock",
        "Makefile",
        "data/sources.yml",
        "data/curated/treaty_actions.csv",
        "_build/html/index.html",
        "_build/pdf/palermo-companion.pdf",
        "LICENSE",
    ):
        assert must in files, must
    from palermo.data import raw

    for s in raw.registered():
        assert f"raw/{s.path}" in files
    # every figure and table of every built page is in REPLICATION.md's table
    need = replication_rows((out / "REPLICATION.md").read_text(encoding="utf-8"))
    listed = {page for page, _ in need}
    html = out / "_build" / "html"
    seen_profile = False
    for p in sorted(html.glob("book/**/*.html")):
        page = p.relative_to(html).as_posix().removesuffix(".html")
        charts, tables = page_items(p.read_text(encoding="utf-8"))
        if not charts and not tables:
            continue
        key = PROFILE if page.startswith("book/country_profile/") else page
        seen_profile |= key == PROFILE
        assert key in listed, f"{page} shows figures or tables REPLICATION.md does not list"
        assert charts <= need[(key, "figure")], (page, charts, need[(key, "figure")])
        assert tables <= need[(key, "table")], (page, tables, need[(key, "table")])
        if key != PROFILE:  # a profile may say in words that it has nothing to tabulate
            assert (charts, tables) == (need[(key, "figure")], need[(key, "table")]), page
    assert seen_profile
