"""The seminar inside the built book (issue: "Nothing a student could quote is wrong",
section 5): the book's own pack is made once and swapped in whole, the built book offers
every sheet of it, each sheet prints only its exercise's parameters and the records' reach,
and the handout's first page is full."""

import json
import re
import shutil
import subprocess

import pytest

from palermo import config
from palermo.model.params import as_of as read_day
from palermo.pipeline import plan
from palermo.teaching import handout, kit, printable, seminar

DAY = "2020-12-23"


PACK = config.BUILD / "seminar-pack"


SHEETS_PAGE = config.BUILD / "html" / "book" / "seminar-sheets.html"


def _text(html_file) -> str:
    t = html_file.read_text(encoding="utf-8")
    t = re.sub(r"<(style|script)\b.*?</\1>", " ", t, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", t))


def _pages(pdf) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M).group(1))


def _pdf_text(pdf) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


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


@pytest.mark.book
def test_the_book_pack_is_made_once_and_swapped_in_whole(tmp_path):
    """sheets_page on a small plan: the pack and its page; a second call finds it up to date
    and rewrites nothing; the page links every file of the pack."""
    from palermo.pipeline.book.pages import files_page

    page = plan.Page(
        file=tmp_path / "book" / "sheets.md",
        title="Seminar sheets",
        part="Teaching",
        seminar=[{"exercise": "ex3_one_country", "country": "Mexico", "as_of": DAY}],
    )
    said = []
    shown = seminar.sheets_page(page, tmp_path, log=said.append)
    pack = tmp_path / "_build" / "seminar-pack"
    made = {p.name: p.stat().st_mtime_ns for p in pack.iterdir()}
    text = files_page(shown, tmp_path)
    assert text.startswith("# Seminar sheets\n")
    for name in made:
        if name not in ("index.md", "index.json", seminar.PACK_KEY):
            assert f"</_build/seminar-pack/{name}>" in text, name
    assert "treaty" not in text.split("| One country's record |")[1].splitlines()[0]
    said.clear()
    assert seminar.sheets_page(page, tmp_path, log=said.append) == shown
    assert said and "up to date" in said[0]
    assert {p.name: p.stat().st_mtime_ns for p in pack.iterdir()} == made
    assert not [p for p in (tmp_path / "_build").iterdir() if p.name.startswith(".")]


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
def test_the_class_sets_join_the_sheets_a_teacher_prints_and_keep_the_answers_apart():
    """The teacher's walk from the book to a printed class set: two files to print (one copy
    per student, one for the teacher) and each group's worksheet; the students' set holds
    every sheet for students and no answer, the teacher's every key."""
    if not shutil.which("pdfinfo"):
        pytest.fail("pdfinfo is missing: install poppler-utils (see .ci/run)")
    students, teacher = PACK / "class-set-students.pdf", PACK / "class-set-teacher.pdf"
    kit_rows = json.loads((PACK / "index.json").read_text(encoding="utf-8"))

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
