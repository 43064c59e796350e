"""Dated editions (palermo.pipeline.edition): the edition's name, the commit it names and
the editions a book serves."""

import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from typer.testing import CliRunner

from palermo import config
from palermo.cli import app
from palermo.errors import UsageError
from palermo.model import merge
from palermo.pipeline import edition, facts
from tests.conftest import forget_caches
from tests.loopback import TIP_PATH, Server, tip_fixture


def fake_book(folder: Path, pages: list[str]) -> None:
    for page in pages:
        p = folder / page
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"<html><body>{edition.BAR_START}{edition.BAR_END}<p>{page}</p></body></html>")
    (folder / "_static").mkdir(exist_ok=True)
    (folder / "_static" / "style.css").write_text("p {}")


HREF = re.compile(r'href="([^"]+)"')


def links_of(page: Path) -> list[Path]:
    bar = re.search(r'<nav class="palermo-editions".*?</nav>', page.read_text()).group(0)
    return [(page.parent / h).resolve() for h in HREF.findall(bar)]


TINY = (
    "from palermo.render import glue, tables\n"
    "import pandas as pd\n"
    "year = int(as_of[:4])\n"
    'glue.glue_all({"year": year, "verdict": "early" if year < 2015 else "late"})\n'
    'tables.show(pd.DataFrame({"n": range(year - 2008)}), "Table: n")'
)


def tiny_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('as_of = "2020-12-23"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tiny\n\nThe year is {glue:text}`year`."),
        params,
        nbformat.v4.new_code_cell(TINY),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(path))


def small_plan(root: Path, as_of: str) -> Path:
    plan = root / "book" / "runs.yml"
    plan.write_text(
        "root: book/intro\nparts: [Tests]\nentries:\n"
        "  - title: Tiny\n    part: Tests\n    notebook: notebooks/tiny.ipynb\n"
        f"    output: book/tiny.ipynb\n    pdf: false\n    parameters: {{as_of: '{as_of}'}}\n"
        "  - title: What changed in this edition\n    part: Tests\n    page: book/changes.md\n"
    )
    return plan


@pytest.fixture
def small_book(tmp_path):
    root = tmp_path / "small"
    for d in ("notebooks", "book", "_static"):
        (root / d).mkdir(parents=True)
    tiny_notebook(root / "notebooks" / "tiny.ipynb")
    (root / "book" / "intro.md").write_text("# A small book\n\nTwo pages.\n")
    shutil.copyfile(config.BOOK / "changes.md", root / "book" / "changes.md")
    for f in ("_config.yml", "references.bib"):
        shutil.copyfile(config.ROOT / f, root / f)
    for f in ("palermo.js", "palermo.css"):
        shutil.copyfile(config.STATIC / f, root / "_static" / f)
    return root


def build(plan: Path, *args):
    return CliRunner().invoke(app, ["build", "--plan", str(plan), "-j", "1", *args])


REFRESH_PLAN = """\
root: book/intro
parts: [The records]
entries:
  - title: "Figure 1 on the latest records"
    part: The records
    notebook: notebooks/figure1.ipynb
    output: book/figure1/latest.ipynb
    pdf: false
    parameters:
      as_of: latest
      treaties: [UNTOC, TIP]
"""


@pytest.fixture
def refresh_root(tmp_path, monkeypatch):
    root = tmp_path / "book-root"
    (root / "notebooks").mkdir(parents=True)
    (root / "book").mkdir()
    shutil.copyfile(config.NOTEBOOKS / "figure1.ipynb", root / "notebooks" / "figure1.ipynb")
    (root / "book" / "runs.yml").write_text(REFRESH_PLAN)
    data = tmp_path / "data"
    monkeypatch.setenv(config.DATA_DIR_ENV, str(data))
    monkeypatch.setattr(merge, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(config, "SNAPSHOT_RECORDS", tmp_path / "snapshots")
    forget_caches()
    server = Server()
    yield root, server, tmp_path
    server.close()
    monkeypatch.undo()
    forget_caches()


# edition names, the switcher
@pytest.mark.unit
def test_an_edition_name_is_a_plain_slug_and_not_kept_twice(tmp_path):
    for bad in ("", "Records", "a/b", "..", "-x", "a..b", "current", "x" * 65, "a b"):
        with pytest.raises(UsageError, match="--edition"):
            edition.check_name(bad, tmp_path)
    day = edition.records_dates()["latest"]
    assert edition.check_name("records-{records}", tmp_path) == f"records-{day}"
    (tmp_path / "_build" / "editions" / "first").mkdir(parents=True)
    with pytest.raises(UsageError, match="first: an edition of that name is kept already"):
        edition.check_name("first", tmp_path)
    assert edition.check_name("first", tmp_path, force=True) == "first"


@pytest.mark.unit
def test_the_book_serves_earlier_editions_and_every_bar_links_relatively(tmp_path):
    root = tmp_path
    rec = {"edition": {"version": "0.3.0", "commit": "def5678"}, "pages": {"x": {}}}
    for name, pages in (
        ("old", ["index.html", "book/a.html"]),
        ("mid", ["index.html", "book/a.html", "book/b/c.html"]),
    ):
        built = tmp_path / "built" / name
        fake_book(built, pages)
        text = facts.dumps({"format": 1, "edition": {"version": "0.2.0"}, "pages": {name: {}}})
        edition.keep(root, name, text, built, log=lambda s: None)
    html = tmp_path / "html"
    fake_book(html, ["index.html", "book/a.html", "book/b/c.html", "book/changes.html"])
    served = edition.serve(html, root, rec)
    assert [k.name for k in served] == ["old", "mid"]
    page = html / "book" / "b" / "c.html"
    text = page.read_text()
    assert "Edition 0.3.0 · commit def5678" in text and "2 earlier editions" in text
    assert "what changed since the edition before" in text
    for target in links_of(page):  # every link resolves, from the page's own folder
        assert target.is_file(), target
    assert html / "editions" / "mid" / "book" / "b" / "c.html" in links_of(page)
    assert html / "editions" / "old" / "index.html" in links_of(page)  # it has no such page
    assert all(not h.startswith(("/", "http")) for h in HREF.findall(text))
    # an earlier edition's page says so and links the current page and the other edition
    old = html / "editions" / "old" / "book" / "a.html"
    assert "Edition old:" in old.read_text() and "an earlier edition" in old.read_text()
    assert html / "book" / "a.html" in links_of(old)
    assert html / "editions" / "mid" / "book" / "a.html" in links_of(old)
    # served files are hard links, but a filled page never writes into the kept edition
    css = html / "editions" / "old" / "_static" / "style.css"
    assert css.stat().st_nlink == 2
    kept_page = root / "_build" / "editions" / "old" / "html" / "book" / "a.html"
    assert "Edition old" not in kept_page.read_text()


# builds of small plans
@pytest.mark.integration
def test_build_edition_keeps_the_book_and_the_next_one_serves_it(small_book):
    root = small_book
    plan = small_plan(root, "2010-06-30")
    r = build(plan, "--edition", "first")
    assert r.exit_code == 0, r.output
    kept = root / "_build" / "editions" / "first"
    info = json.loads((kept / "edition.json").read_text())
    assert info["name"] == "first" and info["html"] is True and info["records"]["latest"]
    assert (kept / "html" / "book" / "tiny.html").is_file()
    assert facts.load(kept / "record.json")["pages"]["tiny"]["facts"]["verdict"] == "early"
    page = (root / "_build" / "html" / "book" / "changes.html").read_text()
    assert "This is the first edition kept" in page and "Edition first:" in page
    # the same name again is refused, naming it, before anything runs
    again = build(plan, "--edition", "first")
    assert again.exit_code == 2 and "--edition first: an edition of that name is kept" in (
        again.stderr
    )
    # a later edition: a changed fact, served beside the first
    small_plan(root, "2016-06-30")
    r = build(plan, "--edition", "second")
    assert r.exit_code == 0, r.output
    html = root / "_build" / "html"
    tiny = html / "book" / "tiny.html"
    assert "Edition second:" in tiny.read_text() and "1 earlier edition" in tiny.read_text()
    assert html / "editions" / "first" / "book" / "tiny.html" in links_of(tiny)
    changes = re.sub(r"<[^>]+>", "", (html / "book" / "changes.html").read_text())
    assert "against the one kept before it, edition first: version" in changes
    assert "verdict: early → late" in changes and "year: 2010 → 2016" in changes
    old = html / "editions" / "first" / "book" / "tiny.html"
    assert "an earlier edition" in old.read_text() and tiny.resolve() in links_of(old)
    d = CliRunner().invoke(app, ["diff", "first", "second", "--plan", str(plan)])
    assert d.exit_code == 0 and "`verdict`: early → late" in d.output
    js = CliRunner().invoke(app, ["diff", "first", "current", "--plan", str(plan), "--json"])
    assert json.loads(js.output)["pages"]["tiny"]["facts"]["changed"]["year"] == ["2010", "2016"]
    gone = CliRunner().invoke(app, ["diff", "first", "third", "--plan", str(plan)])
    assert gone.exit_code == 2 and "no edition 'third'" in gone.stderr
    assert "(kept: first, second)" in gone.stderr


# the refresh workflow, end to end against a loopback UNTC
@pytest.mark.integration
def test_the_refresh_steps_keep_an_edition_whose_changes_list_the_planted_later_action(
    refresh_root,
):
    """What .github/workflows/refresh.yml does, against a loopback UNTC serving the TIP
    Protocol's XML with a later accession planted in it: an edition before the update, the
    update, the record of the fetch, an edition after it, and `palermo diff previous current`
    in the pull request's description."""
    root, untc, tmp = refresh_root
    plan = root / "book" / "runs.yml"
    runner = CliRunner()
    before = edition.records_dates()["latest"]
    r = build(plan, "--no-book", "--edition", "records-{records}")
    assert r.exit_code == 0, r.output
    assert (root / "_build" / "editions" / f"records-{before}" / "record.json").is_file()
    # the update finds a later action: South Sudan's accession to the Trafficking Protocol
    untc.serve(TIP_PATH, tip_fixture(extra_rows=[("South Sudan", "", "9 Apr 2025 a")]))
    r = runner.invoke(app, ["sources", "update", "TIP", "--base-url", untc.base])
    assert r.exit_code == 0, r.output
    forget_caches()
    changes = tmp / "changes.md"
    r = runner.invoke(app, ["sources", "record", "-o", str(changes)])
    assert r.exit_code == 0 and changes.is_file(), r.output
    after = edition.records_dates()["latest"]
    assert after > before
    r = build(plan, "--no-book", "--edition", "records-{records}-run2")
    assert r.exit_code == 0, r.output
    d = runner.invoke(app, ["diff", "previous", "current", "--plan", str(plan)])
    assert d.exit_code == 0, d.output
    changes.write_text(changes.read_text() + "\n" + d.output)
    body = changes.read_text()
    assert f"records-{before}" in body and "### figure1/latest" in body
    assert f"`as_of`: {before} → {after}" in body  # a glued fact, changed
    tip_rows = [ln for ln in body.splitlines() if "Trafficking" in ln and "added" in ln]
    assert tip_rows, body  # the Protocol's row of the counts table, changed
    # the page "What changed in this edition" lists the same
    from palermo.pipeline.book.pages import changes_page

    page = changes_page(root)
    assert f"records-{before}" in page and f"`as_of`: {before} → {after}" in page
    assert os.environ[config.DATA_DIR_ENV] == str(tmp / "data")


@pytest.mark.unit
def test_the_refresh_workflow_keeps_editions_and_lists_the_changed_facts():
    doc = yaml.safe_load((config.ROOT / ".github" / "workflows" / "refresh.yml").read_text())
    job = doc["jobs"]["refresh"]
    steps = job["steps"]
    runs = [s.get("run", "") for s in steps]
    cache = [s for s in steps if "actions/cache" in s.get("uses", "")]
    assert any(s["with"]["path"] == "main/_build/editions" for s in cache)
    order = [
        next(i for i, r in enumerate(runs) if needle in r)
        for needle in (
            "--edition 'records-{records}'",
            "palermo sources update",
            "palermo sources record",
            "bash .ci/run",
            '--edition "records-{records}-run',
            "palermo diff previous current",
        )
    ]
    assert order == sorted(order), order
    listing = runs[order[-1]]
    assert '>> "$RUNNER_TEMP/changes.md"' in listing  # the pull request's description
    pr = next(s for s in steps if "create-pull-request" in s.get("uses", ""))
    assert pr["with"]["body-path"].endswith("/changes.md")
    assert pr["with"]["add-paths"] == "data/snapshots/*.yml"  # never an edition or a raw file


@pytest.mark.unit
def test_the_deposit_leaves_the_earlier_editions_out(tmp_path, monkeypatch):
    from palermo.pipeline import replication

    fake_book(tmp_path, ["index.html", "editions/old/index.html", "book/a.html"])
    monkeypatch.setattr(replication, "HTML", tmp_path)
    packed = [name for name, _ in replication._built_html()]
    assert "_build/html/book/a.html" in packed and not any("editions" in n for n in packed)


@pytest.mark.unit
def test_the_edition_names_the_commit_or_says_it_is_not_recorded(tmp_path):
    here = edition.current()
    assert here.label.startswith(f"edition {here.version}")
    if here.commit:
        assert re.fullmatch(r"[0-9a-f]{7}", here.commit)
    # outside a checkout (a deposit's copy) the label says so rather than inventing one
    assert edition.current(tmp_path).label.endswith("(commit not recorded)")
