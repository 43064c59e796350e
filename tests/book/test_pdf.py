"""The PDF edition (`make pdf`, run by `make test` before pytest): every page of the book is in
it, with its figures as images. Checked with poppler's pdftotext and pdfimages."""

import html
import json
import re
import shutil
import subprocess

import pytest
import yaml

from palermo.config import BUILD, ROOT, TOC
from palermo.pipeline.book.jupyterbook import PDF_NAME

pytestmark = pytest.mark.pdf

PDF = BUILD / "pdf" / PDF_NAME


def _norm(text: str) -> str:
    text = (
        text.replace("’", "'")
        .replace("‘", "'")
        .replace("“", '"')
        .replace("”", '"')
        .replace("\u00ad", "")
    )
    return " ".join(re.sub(r"-\s*\n\s*", "-", text).split()).lower()


@pytest.fixture(scope="module")
def pdf_text():
    if not PDF.is_file():
        pytest.fail(f"no PDF at {PDF}: run `make pdf` (TeX Live is needed; .ci/run installs it)")
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: install poppler-utils (see .ci/run)")
    return _norm(
        subprocess.run(
            ["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True
        ).stdout
    )


def pdf_toc() -> dict:
    """The PDF edition's table of contents: the web book's, less its pages marked pdf: false."""
    from palermo.pipeline import plan

    return yaml.safe_load(plan.toc_text(plan.load(), pdf=True))


def page_titles() -> list[str]:
    """The first heading of every page in the PDF edition's TOC (notebook outputs or Markdown
    pages)."""
    from tests.pipeline.test_plan import toc_files

    titles = []
    for f in toc_files(pdf_toc()):
        path = (ROOT / f).with_suffix(".ipynb")
        if path.is_file():
            first = next(
                c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown"
            )
            src = "".join(first["source"])
        else:
            src = (ROOT / f).with_suffix(".md").read_text()
        titles.append(next(line[2:] for line in src.splitlines() if line.startswith("# ")))
    return titles


def test_every_page_is_in_the_pdf(pdf_text):
    for title in page_titles():
        t = _norm(re.sub(r"\{cite[^}]*\}`[^`]*`", "", title))
        assert t in pdf_text, f"page {title!r} not found in the PDF"


def test_the_web_books_country_profiles_are_not_printed(pdf_text):
    """The ~200 profile pages are the web book's (pdf: false in the plan); the PDF prints their
    index, not the pages: no profile's own section heading appears in it."""
    from tests.pipeline.test_plan import toc_files

    web = set(toc_files(yaml.safe_load(TOC.read_text())))
    printed = set(toc_files(pdf_toc()))
    left_out = web - printed
    # the profiles, and the page that offers the library of sheets for download (the pack's
    # page is printed: it prints the students' sheets)
    assert len(left_out) > 150
    assert "book/seminar-sheets" in printed
    assert all(f.startswith("book/country_profile/") for f in left_out - {"book/seminar-library"})
    assert "book/countries" in printed
    assert "where the records speak of it" not in pdf_text
    assert "every participant, by region" in pdf_text or "every participant" in pdf_text


def test_figures_are_in_the_pdf_as_images(pdf_text):
    charts = 0
    for nb in (ROOT / "book").rglob("*.ipynb"):
        for c in json.loads(nb.read_text())["cells"]:
            charts += sum("image/png" in o.get("data", {}) for o in c.get("outputs", []))
    listing = subprocess.run(
        ["pdfimages", "-list", str(PDF)], capture_output=True, text=True, check=True
    ).stdout
    images = len(listing.strip().splitlines()) - 2
    assert charts > 10 and images >= charts, (images, charts)


def test_the_bibliography_is_in_the_pdf(pdf_text):
    assert "fulfilling the promise of palermo" in pdf_text and "stadler" in pdf_text


@pytest.mark.pdf
def test_the_pdf_prints_tables_not_their_source_and_no_code(pdf_text):
    """Tables are typeset (MyST list-tables parsed, with widths that wrap), and the cells'
    code is left out of print."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True, check=True
    ).stdout
    leaks = re.findall(r":header-rows:|^\s*\* - |\.show\(|glue\(|display\(", text, re.M)
    assert leaks == [], leaks[:5]
    # the ledger's rows are there, as a table (whose narrow columns may hyphenate a word)
    assert re.search(r"untoc has 190 par-?ties", pdf_text), "the ledger's first row"


def _layout_text() -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_pdf_is_a_book_on_a4_paper():
    info = subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True, check=True)
    assert "(A4)" in info.stdout, info.stdout


def test_each_topic_is_one_chapter_and_the_bibliography_is_printed_once():
    """The contents list every chapter title once (a chapter's run at the latest records is a
    section of it, not a second chapter of the same name), and one bibliography."""
    text = _layout_text()
    contents = text[: text.index("\f", text.index("Bibliography"))]
    # a chapter's line has no dot leaders: "10 Who joined, and when      61"
    chapters = re.findall(r"^\s*\d+\s+([^\d\s.][^.]*?)\s{2,}\d+\s*$", contents, re.M)
    assert len(chapters) >= 12, chapters
    # the landing page's headings are not chapters (they printed as chapters 1-3 once)
    assert not {"How to read this book", "How to rerun it", "How to cite it"} & set(chapters)
    assert len(chapters) == len(set(chapters)), f"a chapter title twice: {chapters}"
    assert "Bibliography" not in chapters  # it is the book's closing list, not a chapter
    assert len(re.findall(r"^\s*Bibliography\s{2,}\d+\s*$", contents, re.M)) == 1
    latest = [t for t in re.findall(r"^\s*\d+\.\d+\s+(.+?)[\s.]*\d+\s*$", contents, re.M)]
    assert "Figure 1 on the latest records" in latest, latest
    # the list itself is printed once, at the end
    assert len(re.findall(r"^\s*BIBLIOGRAPHY\s*$", text, re.M)) <= 2  # running heads of its pages


def test_the_pdf_has_the_web_books_parts_and_calls_its_contents_contents():
    """Each part of the plan is a numbered part of the printed book, in the plan's order, and
    the contents page is "Contents" (Sphinx would name it after the first part)."""
    from palermo.pipeline import plan

    front = subprocess.run(
        ["pdftotext", "-l", "6", str(PDF), "-"], capture_output=True, text=True, check=True
    ).stdout
    # the contents page is headed "Contents", before the first part's name in it
    upper = front.upper()
    assert "CONTENTS" in upper and upper.index("CONTENTS") < upper.index("THE HISTORY")
    flat = " ".join(front.split())
    numerals = ["I", "II", "III", "IV", "V", "VI"]
    p = plan.load()
    parts = [c for c in p.parts if any(e.pdf and e.part == c for e in p.entries)]
    assert len(parts) >= 3
    at = 0
    for n, caption in zip(numerals, parts, strict=False):
        found = flat.find(f"{n} {caption}", at)
        assert found >= 0, f"part {n} {caption!r} is not in the contents"
        at = found


@pytest.mark.pdf
def test_the_pdf_gives_no_instruction_only_a_screen_can_follow():
    """Hovering, filtering, folded code, a chart's menu and the rerun boxes are the web book's;
    the printed book leaves them out (Sphinx's `only` directive)."""
    text = _norm(
        subprocess.run(
            ["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    for phrase in (
        "hover over",
        "type in the filter",
        "code cells are folded",
        "chart's menu",
        "rerun this chapter",
    ):
        assert phrase not in text, phrase


def _layout_text() -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_pdf_never_breaks_a_date_and_keeps_codes_in_their_columns(pdf_text):
    """The review read "2020-/12-23", "177-/178" and "DZAAfrica" (an ISO code run into the
    region column) in the PDF's tables."""
    sheets = _sheet_pages()  # the seminar's sheets, printed by the browser, have their own tests
    laid_out = "\f".join(p for n, p in enumerate(_layout_text().split("\f"), 1) if n not in sheets)
    broken = re.findall(r"\b(?:19|20)\d\d-(?=\s|$)", laid_out, flags=re.M)
    assert not broken, f"{len(broken)} dates broken at a line's end, e.g. {broken[:3]}"
    assert not re.search(r"\b[A-Z]{3}(?:Africa|Americas|Asia|Europe|Oceania)\b", laid_out)


def _words_by_page() -> list[tuple[float, list[tuple[float, float, float, str]]]]:
    """Each page's width and its words as pdftotext -bbox places them: (xMin, xMax, yMax,
    text)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(PDF), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        words = [
            (float(x0), float(x1), float(y1), html.unescape(t))
            for x0, x1, y1, t in re.findall(
                r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                page,
            )
        ]
        pages.append((width, words))
    return pages


def test_no_table_cell_runs_into_its_neighbour_or_off_the_page():
    """The review saw clipped cells: a date under the next column's fill ("2004-06·"), a
    document symbol cut ("CTOC/COP/20"), checksums running off the page. A word wider than its
    column overlaps the next word on its line, or ends beyond the text block (1 in margins)."""
    beyond, overlaps = [], []
    sheets = _sheet_pages()  # A4 sheets with the browser's margins: see tests/teaching/test_kit.py
    for n, (width, words) in enumerate(_words_by_page(), 1):
        if n in sheets:
            continue
        right = width - 72 + 2  # the text block's right edge, and 2 pt for rounding
        beyond += [(n, t) for x0, x1, y1, t in words if x1 > right]
        lines: dict[int, list[tuple[float, float, str]]] = {}
        for x0, x1, y1, t in words:
            if t.strip("˓→↩"):  # not a code line's continuation marks
                lines.setdefault(round(y1), []).append((x0, x1, t))
        for line in lines.values():
            line.sort()
            overlaps += [
                (n, a[2], b[2]) for a, b in zip(line, line[1:], strict=False) if a[1] > b[0] + 0.5
            ]
    assert not beyond, f"{len(beyond)} words run off the page, e.g. {beyond[:5]}"
    assert not overlaps, f"{len(overlaps)} words run into the next, e.g. {overlaps[:5]}"


def _outside_the_rerun_appendix(text: str) -> str:
    """The PDF's text less its appendix "Rerunning the book", the one place commands belong
    (from its first sentence to the glossary's)."""
    start = text.index(_norm("Every page of this book with numbers on it is a notebook"))
    end = text.index(_norm("The words of treaty law, of the UN's crime programme"), start)
    return text[:start] + text[end:]


def test_the_pdf_prints_no_sentence_only_the_web_book_can_keep(pdf_text):
    """Tooltips, a filter box, download buttons, drawing in a browser, command lines and the
    book's configuration are the web book's (or the repository's): print leaves them out,
    except the command lines of the appendix on rerunning the book, which is where the intro's
    went (reader review 2026-12b, §6.4)."""
    assert ".venv/bin/palermo" in pdf_text  # the appendix keeps them
    pdf_text = _outside_the_rerun_appendix(pdf_text)
    for phrase in (
        "tooltip",
        "typing part of",
        "download button",
        "drawn in your browser",
        "jupyter-lab",
        ".venv/bin",
        "_config.yml",
    ):
        assert phrase not in pdf_text, phrase


def test_nothing_runs_into_the_page_foot():
    """A table set as one box (a tabular) cannot break across pages: one taller than the rest
    of its page ran into the running foot (the intro's table of the paper's sections). TeX
    reports it as an overfull vertical box; the PDF build leaves none."""
    log = BUILD / "pdf-stage" / "_build" / "latex" / PDF.with_suffix(".log").name
    assert log.is_file(), log
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Overfull \\vbox" not in text, re.findall(r"Overfull \\vbox.*", text)[:3]


SHEETS_INTRO = "The sheets follow as they print on A4"


def _printed_sheets() -> list[tuple[str, str]]:
    """The sheets the PDF edition prints, as the build wrote them into its page."""
    page = (ROOT / "book" / "seminar-sheets.md").read_text(encoding="utf-8")
    return re.findall(r"addtotoc=\{1,section,1,(.*?),sheet:[^}]*\}\]\{([^}]+)\}", page)


def _sheet_pages() -> set[int]:
    """The PDF's pages that are the seminar's sheets, page for page (1-based): after the page
    that introduces them, as many as the sheets' own PDFs have."""
    from palermo.pipeline.book.jupyterbook import latex_dir

    total = 0
    for _, path in _printed_sheets():
        info = subprocess.run(
            ["pdfinfo", str(latex_dir() / path)], capture_output=True, text=True, check=True
        ).stdout
        total += int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    pages = subprocess.run(
        ["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    first = next(n for n, p in enumerate(pages, 1) if _norm(SHEETS_INTRO) in _norm(p))
    return set(range(first + 1, first + 1 + total))


def test_the_pdf_edition_prints_the_students_sheets_and_keeps_the_answers_back(pdf_text):
    """Teacher trial 2026-12, section 8.5: the PDF edition gives the sheets. The handout, each
    exercise's student's sheet and the kit's sheets for students are printed page for page,
    each listed in the contents; the teacher's sheets (the answers) are not."""
    from palermo.teaching import printable

    printed = _printed_sheets()
    names = [n for n, _ in printed]
    assert names[0] == "The session's handout" and len(printed) >= 10, names
    assert all("student" in p or "kit-" in p or "handout" in p for _, p in printed)
    assert not any("teacher" in p for _, p in printed)
    contents = _layout_text().split("\f")[:12]
    for name in names:  # each sheet is a line of the contents
        assert _norm(name.replace("{,}", ",")) in _norm("\f".join(contents)), name
    assert pdf_text.count("your answer:") >= 8  # the students' answer lines, printed
    assert _norm(printable.CHECKED.strip("*")) not in pdf_text  # no key
    assert len(_sheet_pages()) >= len(printed)
