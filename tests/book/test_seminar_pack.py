"""A seminar pack as `palermo seminar` makes it (four groups, seed 7, on the paper's date):
its worksheets, the students' and the teachers' versions, the same files for the same seed,
the printed sheets and the handout; the sheets read on paper, every image says what it shows,
the students' sheets say how far the records reach, and the handout and exercise 4 name their
speakers.

The tests that read the pack are in this one file: `make test` runs each test file whole on one
worker (pytest-xdist, --dist loadfile), so the pack (the `seminar_pack` fixture, about half a
minute) is made once, not once on each worker."""

import json
import re
import shutil

import nbformat
import pytest

from palermo.data import curated
from palermo.model.coverage import count_on
from palermo.teaching import handout, printable, seminar
from tests.teaching.test_printable import DAY, NO_ALT, RESIDUE

# The seminar pack runs papermill on several worksheets (twice): its tests are marked `book`,
# like the pipeline's other slow runs.


@pytest.fixture(scope="module")
def pack(seminar_pack):
    return seminar_pack


@pytest.mark.book
def test_pack_has_a_student_and_a_teacher_worksheet_per_group_and_an_index(pack):
    out, rows = pack
    index = json.loads((out / "index.json").read_text())
    assert len(index) == 4 == len(rows)
    for r in index:
        assert (out / r["student"]).is_file() and (out / r["teacher"]).is_file()
    assert {r["exercise"] for r in index} == {p.stem for p in seminar.exercises()}


@pytest.mark.book
def test_student_versions_have_no_solutions_and_teacher_versions_pass(pack):
    out, _ = pack
    for p in out.glob("*-student.ipynb"):
        nb = nbformat.read(p, as_version=4)
        assert not any("solution" in c.metadata.get("tags", []) for c in nb.cells)
        assert any("student" in c.metadata.get("tags", []) for c in nb.cells)
        assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code")  # not run
    for p in out.glob("*-teacher.ipynb"):
        nb = nbformat.read(p, as_version=4)
        assert not any("student" in c.metadata.get("tags", []) for c in nb.cells)
        outs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        assert not any(o.get("output_type") == "error" for o in outs)
        # both self-checks passed
        from palermo.teaching.printable import _said

        said = [_said(o) for o in outs if "text/plain" in o.get("data", {})]
        # "Correct." where the records are complete on the day, else a hedged agreement
        verdicts = ("Correct.", "Consistent with the records, but not confirmed")
        assert sum(x.startswith(verdicts) for x in said) == 2, p.name


@pytest.mark.book
def test_same_seed_same_files(pack, tmp_path):
    out, rows = pack
    again = tmp_path / "again"
    seminar.build_pack(again, seminar.assign(4, 7, DAY), log=lambda s: None)
    for p in out.iterdir():
        if p.suffix == ".pdf":  # a PDF carries the moment it was printed: compare its text
            assert pdf_text(again / p.name) == pdf_text(p), p.name
        else:
            assert (again / p.name).read_bytes() == p.read_bytes(), p.name


def pdf_text(path) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(path) -> int:
    import re
    import subprocess

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))


@pytest.mark.book
def test_printed_sheets_need_no_python_and_show_the_answers_only_to_the_teacher(pack):
    """Each group's sheets open as HTML and PDF: the data drawn (tables, and charts as
    images), no code and no script; the student's has a space for each answer and no answer,
    the teacher's the worked answers and the checks."""
    import re

    from palermo.teaching import printable

    out, _ = pack
    index = json.loads((out / "index.json").read_text())
    for r in index:
        for kind in ("student", "teacher"):
            files = r[f"{kind}_sheet"]
            assert [f.rsplit(".", 1)[1] for f in files] == ["html", "pdf"], files
            page = (out / files[0]).read_text(encoding="utf-8")
            text = pdf_text(out / files[1])
            assert "<script" not in page and not re.search(r"(src|href)=\"https?:", page)
            assert "answer_1" not in page and "checks." not in page, (r["exercise"], kind)
            assert "palermo-table" in page  # the data to read the answers from
            assert "Question 1." in text
            answers = text.count("Answer:")
            if kind == "student":
                assert text.count("Your answer:") >= 2 and answers == 0, files[1]
                assert printable.CHECKED.strip("*") not in text
                # every "Discuss." prompt has room under it for the student's notes
                assert text.count("Discuss.") >= 1
                assert text.count("Your notes for the discussion:") == text.count("Discuss.")
            else:
                assert answers >= 2 and "Your answer:" not in text, files[1]
                # each check accepts, or, where the records end before the day, says it
                # cannot confirm (records incomplete on a day never confirm an answer)
                flat = " ".join(text.split())
                said = flat.count(printable.CHECKED.strip("*"))
                said += flat.count("Consistent with the records, but not confirmed")
                assert said == 2, files[1]
    weigh = next(r for r in index if r["exercise"] == "ex4_weighing_explanations")
    page = (out / weigh["student_sheet"][0]).read_text(encoding="utf-8")
    assert "data:image/png;base64," in page  # the chart, drawn
    assert "palermo-answer-box" in page  # room for the weighing


@pytest.mark.book
def test_the_handout_is_two_printed_pages_with_the_argument_figure_and_questions(pack):
    out, _ = pack
    assert (out / "handout.html").is_file() and pdf_pages(out / "handout.pdf") <= 2
    text = " ".join(pdf_text(out / "handout.pdf").split())
    parties = count_on("UNTOC", DAY).parties
    assert f"show {parties} parties to the Convention" in text
    for t in ("TIP", "SOM", "FIREARMS"):  # past the records: the lower bound, as such
        c = count_on(t, DAY)
        assert not c.complete and f"at least {c.parties} " in text, t
    assert "The key figure" in text and "Questions" in text
    for e in curated.load("explanations").explanations:
        assert e.label[:20] in text, e.label
    page = (out / "handout.html").read_text(encoding="utf-8")
    assert "<script" not in page and "data:image/png;base64," in page


# The sheets read on paper (the pack has 4 groups, one for each exercise)
def _text(page: str) -> str:
    import html as html_lib

    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'src="data:[^"]*"', "", page)
    return html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def _pdf_text(path) -> str:
    """The PDF's text in reading order (pdftotext without -layout)."""
    import subprocess

    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def built(seminar_pack):
    if not printable.chromium():
        pytest.skip("no Chromium to print the sheets")
    out, _ = seminar_pack
    return out, json.loads((out / "index.json").read_text())


@pytest.mark.book
def test_the_handout_and_ex4_name_their_speakers_and_their_lines(built):
    out, index = built
    page = _text((out / "handout.html").read_text(encoding="utf-8"))
    for e in curated.load("explanations").explanations:
        assert f"\u201c{e.quote}\u201d \u2014 {handout.voice(e.id)}" in page, e.id
    flat = " ".join(_pdf_text(out / "handout.pdf").split())
    assert "in many ways a product" in flat and "in Tennant's own words" in flat
    weigh = next(r for r in index if r["exercise"] == "ex4_weighing_explanations")
    flat = " ".join(_pdf_text(out / weigh["student_sheet"][1]).split())
    assert "this book's dating" in flat and "No line" in flat


@pytest.mark.book
def test_the_printed_sheets_read_on_paper_and_every_image_says_what_it_shows(built):
    out, index = built
    assert {r["exercise"] for r in index} == {p.stem for p in seminar.exercises()}
    sheets = [out / f for r in index for k in ("student", "teacher") for f in r[f"{k}_sheet"]]
    assert shutil.which("pdftotext")
    for f in sheets:
        text = _text(f.read_text(encoding="utf-8")) if f.suffix == ".html" else _pdf_text(f)
        flat = " ".join(text.split())
        assert not RESIDUE.search(flat), (f.name, RESIDUE.search(flat).group(0))
        if f.suffix == ".pdf":  # a download link is for the screen: paper cannot follow it
            assert "Download this table" not in flat, f.name
    for f in [p for p in sheets if p.suffix == ".html"] + [out / "handout.html"]:
        page = f.read_text(encoding="utf-8")
        imgs = re.findall(r"<img\b[^>]*>", page)
        for img in imgs:
            alt = re.search(r'\balt="([^"]*)"', img)
            assert alt and alt.group(1).strip() and NO_ALT not in alt.group(1), f.name
            # the alt text gives numbers, not only a kind of chart
            assert re.search(r"\d{2,}", alt.group(1)), (f.name, alt.group(1)[:80])
    weigh = next(r for r in index if r["exercise"] == "ex4_weighing_explanations")
    assert "<img" in (out / weigh["student_sheet"][0]).read_text(encoding="utf-8")


@pytest.mark.book
def test_the_students_sheets_say_how_far_the_records_reach(built):
    out, index = built
    for r in index:
        if r["exercise"] not in ("ex1_counting_parties", "ex2_slow_ratifiers"):
            continue
        flat = " ".join(_pdf_text(out / r["student_sheet"][1]).split())
        assert "How far the records reach" in flat and "complete through" in flat, r["exercise"]
        c = count_on(r["treaty"], DAY)
        if r["exercise"] == "ex1_counting_parties" and not c.complete:
            assert f"at least {c.parties}" in flat
