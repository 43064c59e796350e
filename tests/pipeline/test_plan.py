"""The run plan (palermo.pipeline.plan): its entries checked and named in errors, one template per
participant, and the _toc.yml it writes, committed and never stale."""

import pytest
import yaml

from palermo import config
from palermo.config import ROOT
from palermo.errors import UsageError
from palermo.model.dates import latest_record_date
from palermo.model.participation import known, page_slug
from palermo.pipeline import plan
from tests.conftest import one_line_error, run

pytestmark = pytest.mark.unit


def toc_files(node) -> list[str]:
    out = []
    if isinstance(node, dict):
        if "file" in node:
            out.append(node["file"])
        if "root" in node:
            out.append(node["root"])
        for v in node.values():
            out += toc_files(v)
    elif isinstance(node, list):
        for v in node:
            out += toc_files(v)
    return out


def test_toc_and_run_plan_agree():
    toc = toc_files(yaml.safe_load(config.TOC.read_text()))
    p = plan.load()
    outputs = {str(r.output.relative_to(ROOT).with_suffix("")) for r in p.runs}
    # a page the build writes (the seminar sheets) is prose, though a fresh clone lacks it
    written = {str(e.file.relative_to(ROOT).with_suffix("")) for e in p.written_pages}
    prose = {f for f in toc if (ROOT / f).with_suffix(".md").is_file()} | written
    notebook_pages = set(toc) - prose
    assert outputs <= set(toc), f"plan outputs missing from _toc.yml: {outputs - set(toc)}"
    assert notebook_pages == outputs, (
        f"TOC notebook pages without a run: {notebook_pages - outputs}"
    )


def test_one_notebook_runs_twice_in_the_plan():
    fig = [r for r in plan.load().runs if r.notebook.name == "figure1.ipynb"]
    assert len(fig) == 2
    dates = {r.parameters["as_of"] for r in fig}
    assert str(config.PAPER_DATE) in dates
    assert str(latest_record_date()) in dates  # 'latest' is resolved before running


def write_plan(tmp_path, text):
    (tmp_path / "book").mkdir(exist_ok=True)
    p = tmp_path / "book" / "runs.yml"
    p.write_text(text)
    return p


NB = str(config.NOTEBOOKS / "figure1.ipynb")
HEAD = "root: book/intro\nparts: [Chapters]\nentries:\n"
RUN = f"title: F, part: Chapters, notebook: {NB}"


@pytest.mark.parametrize(
    "entry,message",
    [
        (
            f"- {{{RUN}, output: book/figure1.ipynb, parameters: {{as_off: '2020-01-01'}}}}",
            "parameter 'as_off' is not in figure1.ipynb; it takes: as_of, treaties",
        ),
        (
            f"- {{{RUN}, output: book/figure1/a.ipynb, parameters: {{as_of: '2020-02-30'}}}}",
            "entry #1 (book/figure1/a.ipynb): as_of '2020-02-30'",
        ),
        (
            f"- {{{RUN}, output: book/figure1.ipynb, parameters: {{treaties: [UNTOC, NOPE]}}}}",
            "unknown treaty 'NOPE'",
        ),
        (f"- {{{RUN}, output: elsewhere/figure1.ipynb}}", "output must be an .ipynb under book/"),
        (f"- {{{RUN}, output: book/a.ipynb}}", "one name per chapter"),
        (
            f"- {{{RUN}, output: book/figure1.ipynb}}\n"
            f"  - {{{RUN.replace('title: F', 'title: G')}, output: book/figure1.ipynb}}",
            "written twice",
        ),
        (
            "- {title: M, part: Chapters, notebook: notebooks/missing.ipynb, "
            "output: book/missing.ipynb}",
            "not found",
        ),
        (f"- {{{RUN}, output: book/figure1.ipynb, params: {{}}}}", "params: Extra inputs"),
        (
            f"- {{title: F, part: Appendix, notebook: {NB}, output: book/figure1.ipynb}}",
            "part 'Appendix' is not under 'parts'",
        ),
        ("- {title: P, part: Chapters, page: book/nowhere.md}", "page book/nowhere.md not found"),
        (f"- {{{RUN}}}", "a run needs both 'notebook' and 'output'"),
    ],
)
def test_bad_plans_name_the_entry(tmp_path, entry, message):
    p = write_plan(tmp_path, HEAD + "  " + entry + "\n")
    with pytest.raises(UsageError) as exc:
        plan.load(p, root=tmp_path)
    assert message in str(exc.value)


def test_a_plan_in_the_old_format_is_refused(tmp_path):
    p = write_plan(tmp_path, f"runs:\n  - {{notebook: {NB}, output: book/figure1.ipynb}}\n")
    with pytest.raises(UsageError, match="runs.yml"):
        plan.load(p, root=tmp_path)


# D6: malformed inputs
@pytest.mark.review("reliability-2026-11", "D6")
def test_build_with_a_folder_as_plan_is_one_line(tmp_path):
    assert "cannot read" in one_line_error(run("build", "--plan", str(tmp_path)), 2)


# notes: what --as-of accepts
@pytest.mark.review("reliability-2026-11", "notes")
def test_a_plan_naming_a_missing_notebook_names_the_entry(tmp_path):
    (tmp_path / "book").mkdir()
    plan = tmp_path / "book" / "runs.yml"
    plan.write_text(
        "root: book/intro\nparts: [A]\nentries:\n  - {title: X, part: A, "
        "notebook: notebooks/none.ipynb, output: book/none.ipynb}\n"
    )
    err = one_line_error(run("build", "--plan", str(plan)), 2)
    assert "runs.yml, entry #1 (book/none.ipynb): notebook" in err and "not found" in err


def _plan(tmp_path, body: str):
    (tmp_path / "book").mkdir(exist_ok=True)
    (tmp_path / "book" / "intro.md").write_text("# Intro\n")
    (tmp_path / "book" / "other.md").write_text("# Other\n")
    path = tmp_path / "book" / "runs.yml"
    path.write_text(body)
    return path


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


def test_the_plan_runs_one_profile_per_participant_beneath_the_index():
    p = plan.load()
    profiles = [r for r in p.runs if r.notebook.name == "country_profile.ipynb"]
    names = known()
    assert len(profiles) == len(names) > 190
    assert {r.title for r in profiles} == set(names.values())
    assert {r.parameters["country"] for r in profiles} == set(names)
    for r in profiles:
        assert r.output.name == page_slug(r.parameters["country"]) + ".ipynb"
        assert r.beneath is not None and r.beneath.name == "countries.ipynb"
        assert not r.pdf
    assert all(r.pdf for r in p.runs if r.notebook.name != "country_profile.ipynb")


def test_a_for_each_template_names_only_what_it_can_fill(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "notebooks").mkdir()
    from palermo import config

    (tmp_path / "notebooks" / "country_profile.ipynb").write_bytes(
        (config.NOTEBOOKS / "country_profile.ipynb").read_bytes()
    )
    p = tmp_path / "book" / "runs.yml"
    p.write_text(
        "root: book/intro\nparts: [T]\nentries:\n"
        "  - title: '{country}'\n    part: T\n    for_each: participant\n"
        "    notebook: notebooks/country_profile.ipynb\n"
        "    output: book/country_profile/{slug}.ipynb\n"
        "    parameters: {country: '{id}'}\n"
    )
    with pytest.raises(UsageError, match=r"only \{id\}, \{name\} and \{slug\}"):
        plan.load(p, root=tmp_path)
    p.write_text(p.read_text().replace("{slug}", "all"))
    with pytest.raises(UsageError, match=r"must contain \{slug\} or \{id\}"):
        plan.load(p, root=tmp_path)
