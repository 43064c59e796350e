"""The printed sheets of a seminar pack read on paper: every image says what it shows, the
students' sheets say how far the records reach, and the handout and exercise 4 name their
speakers."""

import json
import re
import shutil

import pytest

from palermo.data import curated
from palermo.model.coverage import count_on
from palermo.teaching import handout, printable, seminar
from tests.teaching.test_printable import DAY, NO_ALT, RESIDUE


def _text(page: str) -> str:
    import html as html_lib

    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'src="data:[^"]*"', "", page)
    return html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


@pytest.fixture(scope="module")
def built(seminar_pack):
    if not printable.chromium():
        pytest.skip("no Chromium to print the sheets")
    out, _ = seminar_pack
    return out, json.loads((out / "index.json").read_text())


def _pdf_text(path) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


# over a built pack: 4 groups cover the four exercises
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
