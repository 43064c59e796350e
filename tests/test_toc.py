"""_toc.yml is generated from the run plan and committed: it must not be stale."""

import pytest

from palermo import config
from palermo.errors import UsageError
from palermo.pipeline import plan

pytestmark = pytest.mark.unit


def test_committed_toc_is_the_one_the_plan_generates():
    p = plan.load()
    assert config.TOC.read_text(encoding="utf-8") == plan.toc_text(p), (
        "_toc.yml is stale: run `palermo build` (or `make book`) and commit it"
    )


def test_toc_lists_every_entry_in_plan_order_within_its_part():
    import yaml

    p = plan.load()
    toc = yaml.safe_load(plan.toc_text(p))
    assert toc["root"] == p.root
    listed = [(part["caption"], c["title"]) for part in toc["parts"] for c in part["chapters"]]
    expected = [(part, e.title) for part in p.parts for e in p.entries if e.part == part]
    assert listed == expected and len(listed) == len(p.entries)


def test_write_toc_rewrites_only_a_stale_file(tmp_path):
    p = plan.load()
    target = tmp_path / "_toc.yml"
    assert plan.write_toc(p, target) is True
    assert plan.write_toc(p, target) is False
    target.write_text(target.read_text().replace("Data and methods", "Data & methods"))
    assert plan.write_toc(p, target) is True
    assert "Data and methods" in target.read_text()


def _plan(tmp_path, body: str):
    (tmp_path / "book").mkdir(exist_ok=True)
    (tmp_path / "book" / "intro.md").write_text("# Intro\n")
    path = tmp_path / "book" / "runs.yml"
    path.write_text(body)
    return path


def test_an_entry_in_an_unknown_part_is_refused(tmp_path):
    path = _plan(
        tmp_path,
        "root: book/intro\nparts: [A]\nentries:\n"
        "  - {title: Intro again, part: B, page: book/intro.md}\n",
    )
    with pytest.raises(UsageError, match="part 'B' is not under 'parts'"):
        plan.load(path)


def test_an_entry_without_a_title_is_refused(tmp_path):
    path = _plan(
        tmp_path, "root: book/intro\nparts: [A]\nentries:\n  - {part: A, page: book/intro.md}\n"
    )
    with pytest.raises(UsageError, match="title"):
        plan.load(path)


def test_an_output_named_for_another_chapter_is_refused(tmp_path):
    nb = config.NOTEBOOKS / "voices.ipynb"
    path = _plan(
        tmp_path,
        f"root: book/intro\nparts: [A]\nentries:\n"
        f"  - {{title: V, part: A, notebook: {nb}, output: book/people.ipynb}}\n",
    )
    with pytest.raises(UsageError, match="one name per chapter"):
        plan.load(path)


def test_a_key_given_twice_in_an_entry_is_refused(tmp_path):
    path = _plan(
        tmp_path,
        "root: book/intro\nparts: [A, B]\nentries:\n"
        "  - title: Intro again\n    part: A\n    part: B\n    page: book/intro.md\n",
    )
    with pytest.raises(UsageError, match="'part' appears twice"):
        plan.load(path)
