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
    listed = [
        (part["caption"], item["title"])
        for part in toc["parts"]
        for c in part["chapters"]
        for item in [c, *c.get("sections", [])]
    ]
    expected = [(part, e.title) for part in p.parts for e in p.entries if e.part == part]
    assert listed == expected and len(listed) == len(p.entries)


def test_a_chapter_at_a_second_date_is_one_topic_in_the_navigation():
    """One entry per topic: the latest-records run of a chapter sits beneath its paper-date run,
    and no two pages share a title (which is also the page's heading)."""
    import yaml

    toc = yaml.safe_load(plan.toc_text(plan.load()))
    top = [c for part in toc["parts"] for c in part["chapters"]]
    for c in top:
        assert not c["file"].endswith("/latest"), f"{c['file']} should sit beneath its chapter"
    nested = {s["file"]: c["file"] for c in top for s in c.get("sections", [])}
    assert nested["book/figure1/latest"] == "book/figure1/paper-date"
    assert len({n.split("/")[1] for n in nested}) >= 4
    titles = [i["title"] for c in top for i in [c, *c.get("sections", [])]]
    assert len(titles) == len(set(titles))
    # the story: the history comes before the records and the ledger
    captions = [part["caption"] for part in toc["parts"]]
    assert captions.index("The history") < captions.index("The records")


def _plan(tmp_path, body: str):
    (tmp_path / "book").mkdir(exist_ok=True)
    (tmp_path / "book" / "intro.md").write_text("# Intro\n")
    (tmp_path / "book" / "other.md").write_text("# Other\n")
    path = tmp_path / "book" / "runs.yml"
    path.write_text(body)
    return path


@pytest.mark.parametrize(
    "entries, message",
    [
        (
            "  - {title: A, part: A, page: book/intro.md}\n"
            "  - {title: A, part: A, page: book/other.md}\n",
            "title 'A' is already used",
        ),
        (
            "  - {title: B, part: A, page: book/other.md, beneath: book/intro.md}\n"
            "  - {title: A, part: A, page: book/intro.md}\n",
            "must name the output or page of an earlier entry",
        ),
        (
            "  - {title: A, part: A, page: book/intro.md}\n"
            "  - {title: B, part: B, page: book/other.md, beneath: book/intro.md}\n",
            "of the part 'B'",
        ),
    ],
)
def test_bad_titles_and_nesting_are_refused(tmp_path, entries, message):
    path = _plan(tmp_path, "root: book/intro\nparts: [A, B]\nentries:\n" + entries)
    with pytest.raises(UsageError, match=message):
        plan.load(path)


def test_a_page_beneath_another_is_a_section_of_it(tmp_path):
    path = _plan(
        tmp_path,
        "root: book/intro\nparts: [A]\nentries:\n"
        "  - {title: A, part: A, page: book/intro.md}\n"
        "  - {title: B, part: A, page: book/other.md, beneath: book/intro.md}\n",
    )
    import yaml

    toc = yaml.safe_load(plan.toc_text(plan.load(path)))
    assert toc["parts"][0]["chapters"] == [
        {"file": "book/intro", "title": "A", "sections": [{"file": "book/other", "title": "B"}]}
    ]


def test_write_toc_rewrites_only_a_stale_file(tmp_path):
    p = plan.load()
    target = tmp_path / "_toc.yml"
    assert plan.write_toc(p, target) is True
    assert plan.write_toc(p, target) is False
    target.write_text(target.read_text().replace("Data and methods", "Data & methods"))
    assert plan.write_toc(p, target) is True
    assert "Data and methods" in target.read_text()


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
