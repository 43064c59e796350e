"""The seminar inside the book (issue: "Nothing a student could quote is wrong", section 5):
the plan builds the book's own pack and a page offers its sheets for download; each exercise
takes, and each sheet prints, only the parameters its questions use; the seminar page starts
from the argument and asks about the three argument chapters; the handout's first page is full.
"""

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import time

import nbformat
import pytest

from palermo import config
from palermo.errors import BuildError, UsageError
from palermo.model.params import as_of as read_day
from palermo.pipeline import plan
from palermo.teaching import handout, kit, printable, seminar
from tests.conftest import one_line_error, run

DAY = "2020-12-23"
PACK = config.BUILD / "seminar-pack"
SHEETS_PAGE = config.BUILD / "html" / "book" / "seminar-sheets.html"


def _code_outside_setup(exercise: str) -> str:
    """Every cell of an exercise but its parameters cell and the line that checks them."""
    nb = nbformat.read(seminar.EXERCISES / f"{exercise}.ipynb", as_version=4)
    text = []
    for c in nb.cells:
        if "parameters" in c.metadata.get("tags", []):
            continue
        text += [ln for ln in c.source.splitlines() if "params.check(" not in ln]
    return "\n".join(text)


@pytest.mark.unit
@pytest.mark.parametrize("exercise", [p.stem for p in seminar.exercises()])
def test_every_parameter_an_exercise_takes_is_used(exercise):
    taken = seminar.uses(exercise)
    assert "as_of" in taken
    body = _code_outside_setup(exercise)
    for name in taken:
        assert re.search(rf"\b{name}\b", body), f"{exercise} takes {name} but never uses it"


@pytest.mark.unit
def test_a_drawn_group_carries_only_its_exercises_parameters():
    for g in seminar.assign(8, 1, read_day(DAY)):
        assert set(g) - {"group", "exercise"} == set(seminar.uses(g["exercise"])), g


@pytest.mark.unit
def test_an_assignment_with_a_parameter_the_exercise_does_not_take_is_refused():
    rows = [{"exercise": "ex3_one_country", "country": "Mali", "treaty": "UNTOC", "as_of": DAY}]
    with pytest.raises(UsageError, match=r"group #1: ex3_one_country does not take treaty"):
        seminar.from_rows(rows, "g.yml")
    ok = seminar.from_rows([{"exercise": "ex3_one_country", "country": "mali"}], "g.yml")
    assert ok == [{"group": 1, "exercise": "ex3_one_country", "country": "Mali", "as_of": DAY}]


@pytest.mark.unit
def test_the_run_plan_declares_the_books_pack_with_the_argument_first():
    p = plan.load()
    page, library = p.written_pages
    # the pack's page is in the PDF edition too: it prints the sheets (the library is web only)
    assert page.pdf and page.file.name == "seminar-sheets.md"
    assert library.library is not None and not library.pdf
    groups = seminar.from_rows(page.seminar, "runs.yml")
    assert groups[0]["exercise"] == seminar.ARGUMENT
    assert {g["exercise"] for g in groups} == {x.stem for x in seminar.exercises()}


@pytest.mark.unit
def test_a_plan_page_the_build_writes_needs_the_builder(tmp_path):
    from palermo.pipeline.build import build

    book = tmp_path / "book"
    book.mkdir()
    (book / "runs.yml").write_text(
        "root: book/sheets\nparts: [Teaching]\nentries:\n"
        "  - {title: Sheets, part: Teaching, page: book/sheets.md, seminar: "
        "[{exercise: ex3_one_country, country: Mexico}]}\n"
    )
    with pytest.raises(UsageError, match="is written by `palermo build`"):
        build(book / "runs.yml", book=False, write_page=None)
    bad = book / "bad.yml"
    bad.write_text(
        "root: book/x\nparts: [T]\nentries:\n  - {title: X, part: T, notebook: "
        "notebooks/claims.ipynb, output: book/claims.ipynb, seminar: [{exercise: ex3}]}\n"
    )
    with pytest.raises(UsageError, match="'seminar' is for a page the build writes"):
        plan.load(bad, root=tmp_path)


@pytest.mark.book
def test_the_book_pack_is_made_once_and_swapped_in_whole(tmp_path):
    """write_book_page on a small plan: the pack and its page; a second call finds it up to
    date and rewrites nothing; the page links every file of the pack."""
    page = plan.Page(
        file=tmp_path / "book" / "sheets.md",
        title="Seminar sheets",
        part="Teaching",
        seminar=[{"exercise": "ex3_one_country", "country": "Mexico", "as_of": DAY}],
    )
    said = []
    seminar.write_book_page(page, tmp_path, log=said.append)
    pack = tmp_path / "_build" / "seminar-pack"
    made = {p.name: p.stat().st_mtime_ns for p in pack.iterdir()}
    text = page.file.read_text()
    assert text.startswith("# Seminar sheets\n")
    for name in made:
        if name not in ("index.md", "index.json", seminar.PACK_KEY):
            assert f"</_build/seminar-pack/{name}>" in text, name
    assert "treaty" not in text.split("| One country's record |")[1].splitlines()[0]
    said.clear()
    seminar.write_book_page(page, tmp_path, log=said.append)
    assert said and "up to date" in said[0]
    assert {p.name: p.stat().st_mtime_ns for p in pack.iterdir()} == made
    assert not [p for p in (tmp_path / "_build").iterdir() if p.name.startswith(".")]


def _text(html_file) -> str:
    t = html_file.read_text(encoding="utf-8")
    t = re.sub(r"<(style|script)\b.*?</\1>", " ", t, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", t))


@pytest.mark.book
def test_the_built_book_offers_every_sheet_of_its_pack():
    assert SHEETS_PAGE.is_file(), "build the book first (make book)"
    html = SHEETS_PAGE.read_text(encoding="utf-8")
    rows = json.loads((PACK / "index.json").read_text(encoding="utf-8"))
    links = set(re.findall(r'href="\.\./(_downloads/[0-9a-f]+/[^"]+)"', html))
    names = {link.rsplit("/", 1)[1] for link in links}
    for link in links:
        assert (config.BUILD / "html" / link).is_file(), link
    kinds = ["html", "pdf"] if printable.chromium() else ["html"]
    assert {f"handout.{k}" for k in kinds} <= names
    for r in rows:
        for f in r["student_sheet"] + r["teacher_sheet"] + [r["student"], r["teacher"]]:
            assert f in names, f
    assert {r["exercise"] for r in rows} == {x.stem for x in seminar.exercises()}
    assert seminar.ARGUMENT == rows[0]["exercise"]


@pytest.mark.book
def test_no_sheet_prints_a_parameter_its_exercise_does_not_take():
    rows = json.loads((PACK / "index.json").read_text(encoding="utf-8"))
    for r in rows:
        unused = set(seminar.PARAMETERS) - set(seminar.uses(r["exercise"]))
        for kind in ("student", "teacher"):
            html = next(f for f in r[f"{kind}_sheet"] if f.endswith(".html"))
            subtitle = _text(PACK / html).split("sheet.", 1)[1][:120]
            for name in unused:
                assert f"{name} " not in subtitle and f"{name}=" not in subtitle, (html, name)


@pytest.mark.unit
def test_the_seminar_page_starts_from_the_argument_and_asks_about_every_argument_chapter():
    page = (config.ROOT / "book" / "seminar.md").read_text(encoding="utf-8")
    session = page.split("## A session plan", 1)[1].split("## Questions", 1)[0]
    steps = re.findall(r"^\d+\. \*\*(.+?)\*\*", session, flags=re.M)
    assert steps and "argument" in steps[0].lower()
    assert "numbers, checked" not in session.split("1. **", 1)[0]  # the ledger is not first
    questions = page.split("## Questions for each chapter", 1)[1]
    for chapter in (
        "What the Convention is",
        "Who's who, and the Convention and criminals",
        "The paper's conclusions, and after",
    ):
        assert f"**{chapter}.**" in questions, chapter


@pytest.mark.book
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
def test_the_handouts_first_page_is_full(tmp_path):
    """The explanations table starts on page 1 and runs on (it once moved whole to page 2,
    leaving a third of page 1 blank)."""
    if printable.chromium() is None:
        pytest.skip("needs Chromium to print the PDF")
    (pdf,) = [f for f in handout.write(tmp_path, True, read_day(DAY)) if f.suffix == ".pdf"]
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "The explanations to weigh" in first
    assert "9/11 and counter-terrorism" in first


@pytest.mark.book
def test_every_answer_on_a_teacher_sheet_carries_the_records_reach():
    """Confirmed or not, each answer of the book's teacher sheets states how far the records
    it rests on are complete."""
    rows = json.loads((PACK / "index.json").read_text(encoding="utf-8"))
    for r in rows:
        html = next(f for f in r["teacher_sheet"] if f.endswith(".html"))
        text = _text(PACK / html)
        answers = text.count("Answer:")
        reach = text.count("complete through")
        if r["exercise"] != seminar.ARGUMENT:  # its checks are on the chart, not a count
            assert answers and reach >= answers, (html, answers, reach)


@pytest.mark.unit
def test_the_library_has_every_exercise_for_the_convention_and_each_protocol_on_both_dates():
    """Teacher trial 2026-12, section 8 (issue 37, section 2): sheets printed in advance for
    lecturers who cannot install anything."""
    library = next(pg for pg in plan.load().written_pages if pg.library is not None)
    groups, left = seminar.library_groups(library.library, "runs.yml")
    days = {read_day(d).isoformat() for d in library.library["dates"]}
    assert days == {DAY, read_day("latest").isoformat()}
    for exercise in (x.stem for x in seminar.exercises()):
        mine = [g for g in groups if g["exercise"] == exercise]
        if "treaty" in seminar.uses(exercise):
            want = {(t, d) for t in seminar.argument_treaties() for d in days}
            got = {(g["treaty"], g["as_of"]) for g in mine}
            said = {(w.split(" for ")[1].split(" on ")[0], w.split(" on ")[1][:10]) for w in left}
            # each treaty on each date is in the library, or said to be left out
            assert got | {(t, d) for t, d in want if (seminar.treaty_name(t), d) in said} == want
        else:
            assert {g["as_of"] for g in mine} == days
    stems = [seminar.library_naming(g)[0] for g in groups]
    assert len(set(stems)) == len(stems)  # no two sheets share a file


@pytest.mark.unit
def test_a_library_left_without_dates_or_with_unknown_keys_is_refused():
    with pytest.raises(UsageError, match="needs a list of dates"):
        seminar.library_groups({"region": "Africa"}, "runs.yml")
    with pytest.raises(UsageError, match="takes dates, region and country"):
        seminar.library_groups({"dates": [DAY], "treaty": "UNTOC"}, "runs.yml")
    with pytest.raises(UsageError, match="as_of"):
        seminar.library_groups({"dates": ["1900-01-01"]}, "runs.yml")


@pytest.mark.book
def test_the_library_page_offers_every_sheet_and_the_teaching_page_links_to_it():
    library = next(pg for pg in plan.load().written_pages if pg.library is not None)
    groups, _ = seminar.library_groups(library.library, "runs.yml")
    folder = config.BUILD / seminar.LIBRARY
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert len(index) == len(groups)
    html = (config.BUILD / "html" / "book" / "seminar-library.html").read_text(encoding="utf-8")
    for r in index:
        for kind in ("student", "teacher"):
            files = r[f"{kind}_sheet"]
            assert [f.rsplit(".", 1)[1] for f in files] == ["html", "pdf"], files
            for f in files:
                assert (folder / f).stat().st_size > 1000, f
                assert f in html, f  # offered for download
    assert printable.CHECKED.strip("*") not in (folder / index[0]["student_sheet"][0]).read_text()
    teaching = (config.BUILD / "html" / "book" / "seminar.html").read_text(encoding="utf-8")
    assert 'href="seminar-library.html"' in teaching


def _pages(pdf) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M).group(1))


def _pdf_text(pdf) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


@pytest.mark.book
def test_the_class_sets_join_the_sheets_a_teacher_prints_and_keep_the_answers_apart():
    """The teacher's walk from the book to a printed class set: two files to print (one copy
    per student, one for the teacher) and each group's worksheet; the students' set holds
    every sheet for students and no answer, the teacher's every key."""
    if not shutil.which("pdfinfo"):
        pytest.fail("pdfinfo is missing: install poppler-utils (see .ci/run)")
    students, teacher = PACK / "class-set-students.pdf", PACK / "class-set-teacher.pdf"
    kit_rows = json.loads((PACK / "index.json").read_text(encoding="utf-8"))
    from palermo.teaching import kit

    sheets = kit.written(PACK)
    for_students = [PACK / "handout.pdf"] + [
        PACK / f
        for k in sheets
        if k["audience"] == "student" and k["stem"] not in seminar.ONE_PER_CLASS
        for f in k["files"]
        if ".pdf" in f
    ]
    for_teacher = [PACK / f for r in kit_rows for f in r["teacher_sheet"] if f.endswith(".pdf")]
    for_teacher += [
        PACK / f for k in sheets if k["audience"] == "teacher" for f in k["files"] if ".pdf" in f
    ]
    assert _pages(students) == sum(_pages(p) for p in for_students)
    assert _pages(teacher) == sum(_pages(p) for p in for_teacher)
    said, keys = _pdf_text(students), _pdf_text(teacher)
    assert "Answer:" not in said and printable.CHECKED.strip("*") not in said
    assert "Glossary" in said and "Timeline" in said
    assert "Your camp:" not in said  # the role cards: one set for the class, not one each
    assert keys.count("Answer:") >= 8 and "how each stand-off ended" in keys.lower()
    page = SHEETS_PAGE.read_text(encoding="utf-8")
    assert "class-set-students.pdf" in page and "class-set-teacher.pdf" in page


PAPER_DATE = dt.date(2020, 12, 23)


# the seminar: answers past the records are not "accepted"; the argument in every pack
@pytest.mark.unit
@pytest.mark.review("reader-2026-12", "finding 5", "C9")
@pytest.mark.parametrize("groups", [1, 3])
def test_every_default_pack_has_the_argument_exercise(groups):
    from palermo.teaching import seminar

    drawn = {g["exercise"] for g in seminar.assign(groups, 1, PAPER_DATE)}
    assert seminar.ARGUMENT in drawn


# D6: malformed inputs
@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "D6")
def test_an_assignment_file_that_is_missing_or_malformed_is_one_line(tmp_path):
    err = one_line_error(
        run(
            "seminar",
            "--groups",
            "1",
            "--assign",
            str(tmp_path / "no.yml"),
            "-o",
            str(tmp_path / "x"),
        ),
        2,
    )
    assert "not found" in err
    bad = tmp_path / "bad.yml"
    bad.write_text("groups:\n  - just text\n")
    err = one_line_error(
        run("seminar", "--groups", "1", "--assign", str(bad), "-o", str(tmp_path / "x")), 2
    )
    assert "group #1: expected an exercise and its parameters" in err


# D8: seminar dates
@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "D8")
@pytest.mark.parametrize("day", ["2003-06-01", "2005-01-01"])
def test_seminar_draws_only_answerable_groups(day):
    from palermo.teaching import seminar

    rows = seminar.assign(6, 3, read_day(day))
    regional = [r for r in rows if "region" in r]  # the exercises that take a region
    assert regional and all(
        seminar.workable(r["treaty"], r["region"], read_day(r["as_of"])) for r in regional
    )


@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "D8")
@pytest.mark.parametrize("day", ["1988-01-01", "2001-01-01"])
def test_seminar_refuses_a_date_before_any_answerable_group(tmp_path, day):
    err = one_line_error(
        run("seminar", "--groups", "3", "--as-of", day, "-o", str(tmp_path / "s")), 2
    )
    assert "choose a later date" in err and not (tmp_path / "s").exists()


@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "D8")
def test_seminar_assignment_for_an_unanswerable_group_is_refused(tmp_path):
    plan = tmp_path / "g.yml"
    plan.write_text(
        "groups:\n  - {exercise: ex2_slow_ratifiers, treaty: UNTOC, region: Europe, "
        "as_of: '1990-01-01'}\n"
    )
    err = one_line_error(
        run("seminar", "--groups", "1", "--assign", str(plan), "-o", str(tmp_path / "s")), 2
    )
    # refused before anything runs, with the first day the exercise can draw for that region
    from palermo.model import params

    first, _ = params.EARLIEST["ex2_slow_ratifiers"]({"treaty": "UNTOC", "region": "Europe"})
    assert f"group #1: as_of 1990-01-01 is before {first}" in err
    assert f"allowed for ex2_slow_ratifiers: {first} to" in err
    assert not (tmp_path / "s").exists()


# R9: the seminar pack goes through the same output rule
@pytest.mark.unit
@pytest.mark.review("reliability-2026-12", "R9")
def test_a_pack_folder_palermo_filled_may_be_filled_again(tmp_path):
    from palermo.teaching import seminar

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "index.json").write_text('[{"group": 1, "teacher": "x.ipynb"}]')
    assert seminar.pack_folder(pack) == pack.resolve()


@pytest.mark.review("reliability-2026-12b", "S4")
@pytest.mark.unit
def test_a_chromium_that_cannot_run_is_refused_before_any_notebook_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("PALERMO_CHROMIUM", "/bin/false")
    ran = []
    monkeypatch.setattr(seminar, "_write_groups", lambda *a, **k: ran.append(1) or [])
    out = tmp_path / "pack"
    groups = [
        {"group": 1, "exercise": "ex3_one_country", "country": "Mexico", "as_of": "2020-12-23"}
    ]
    with pytest.raises(BuildError, match=r"/bin/false.*does not run"):
        seminar.build_pack(out, groups, log=lambda s: None)
    assert not ran and not out.exists()
    monkeypatch.setenv("PALERMO_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(BuildError, match="cannot run"):
        seminar.build_pack(out, groups, log=lambda s: None)


@pytest.mark.review("reliability-2026-12b", "S4")
def test_a_pack_cut_short_leaves_nothing_and_is_remade_without_force(tmp_path, monkeypatch):
    out = tmp_path / "pack"
    groups = [
        {"group": 1, "exercise": "ex3_one_country", "country": "Mexico", "as_of": "2020-12-23"}
    ]

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(kit, "write", interrupted)  # Ctrl-C after the group's sheets are written
        with pytest.raises(KeyboardInterrupt):
            seminar.build_pack(out, groups, log=lambda s: None, pdf=False)
    assert not out.exists(), "an interrupted pack left files in its folder"
    assert not list(tmp_path.glob(".pack.partial-*"))
    # a run killed outright (SIGKILL) leaves its unfinished pack beside: the next run sweeps it
    dead = tmp_path / ".pack.partial-999999999-abc"
    dead.mkdir()
    (dead / "group-01-ex3_one_country-student.ipynb").write_text("{}")
    said = []
    index = seminar.build_pack(out, groups, log=said.append, pdf=False)  # no --force needed
    assert index.is_file() and seminar.is_pack(out)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~umask  # readable as any folder, not private
    assert not dead.exists() and any("unfinished pack" in s for s in said)
    # and a pack of palermo's is remade in place without --force, too
    assert seminar.build_pack(out, groups, log=lambda s: None, pdf=False).is_file()


# S13, S12: an alias bomb, a date an exercise cannot draw, no TeX
@pytest.mark.review("reliability-2026-12b", "S13")
@pytest.mark.unit
def test_an_assignment_built_of_yaml_aliases_is_refused_before_it_expands(tmp_path):
    """A 300-byte --assign of nested aliases took 1 GB and printed a 225 MB error message."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    lines += ["groups: [*a8]"]
    bomb = tmp_path / "groups.yml"
    bomb.write_text("\n".join(lines) + "\n")
    assert bomb.stat().st_size < 600
    start = time.monotonic()
    with pytest.raises(UsageError) as caught:
        seminar.from_plan(bomb)
    assert time.monotonic() - start < 2
    said = str(caught.value)
    assert "groups.yml, line 2" in said and "alias (*a0)" in said and len(said) < 300


@pytest.mark.review("reliability-2026-12b", "S13")
@pytest.mark.unit
def test_a_group_whose_date_its_exercise_cannot_draw_is_refused_before_any_group_runs():
    """--assign with as_of 1995-01-01 ran group 1 and printed its PDFs before it failed."""
    rows = [
        {"exercise": "ex3_one_country", "country": "Mexico", "as_of": "2020-12-23"},
        {"exercise": "ex4_weighing_explanations", "treaty": "UNTOC", "as_of": "1995-01-01"},
    ]
    with pytest.raises(UsageError, match=r"group #2: as_of 1995-01-01 is before 2000-11-15"):
        seminar.from_rows(rows, "groups.yml")
    with pytest.raises(UsageError) as caught:
        seminar.from_rows([list(range(10_000))], "groups.yml")
    assert len(str(caught.value)) < 200  # a bad group is quoted, not printed whole
