"""The seminar kit (issue "a seminar a lecturer can teach tomorrow"): the curated kit loads and
its schema refuses unsourced lines; each kit sheet is a whole A4 page holding what it should;
the seminar-sheets page lists every sheet; the plan on "Using this book in a seminar" takes
exactly 120 minutes with a break and a report from each of four groups, and links every chapter
it names; `make seminar` works before `_build` exists."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from palermo import config
from palermo.data import curated, vocab
from palermo.errors import DataError, UsageError
from palermo.model import claims
from palermo.pipeline.book.pages import files_page
from palermo.teaching import kit, printable, seminar
from tests.book.test_no_internals import _Visible, faults
from tests.conftest import TESTS

FIXTURE = TESTS / "fixtures" / "seminar_kit.yml"
SEMINAR_MD = config.ROOT / "book" / "seminar.md"
GROUPS = 4


def fixture() -> curated.SeminarKitDoc:
    return kit.load(FIXTURE)


def visible(page: str) -> str:
    p = _Visible()
    p.feed(page)
    return " ".join("".join(p.out).split())


def _bad_kit(tmp_path, change) -> Path:
    doc = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "seminar_kit.yml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


# --- the curated kit ---------------------------------------------------------------------------


@pytest.mark.unit
def test_the_kit_loads_and_sends_readers_only_to_pages_that_exist():
    if not curated.entry(kit.KIT).path.is_file():
        pytest.skip("the curated seminar kit is not written yet")
    k = kit.load()
    for where in (
        [r.where for r in k.pre_reading]
        + [q.where for q in k.quiz]
        + [d.where for d in k.discussion_notes]
    ):
        kit.where_words(where)  # a page of the book, or the paper
    assert all(r.pages for r in k.pre_reading if r.where == "paper")
    for d in k.discussion_notes:  # each note answers a question the book asks
        assert kit.full_question(d.prompt), d.prompt
    for sheet in kit.SHEETS:  # and its sheets name no file, id or tool
        text = visible(sheet.make(k))
        assert not faults(text), (sheet.stem, faults(text))


@pytest.mark.unit
def test_every_reading_cited_by_key_is_in_the_bibliography():
    if not curated.entry(kit.KIT).path.is_file():
        pytest.skip("the curated seminar kit is not written yet")
    from pybtex.database import parse_file

    keys = set(parse_file(str(config.ROOT / "references.bib")).entries)
    k = kit.load()
    cited = {r.cite for r in k.reading.core + k.reading.advanced if r.cite}
    assert cited <= keys, sorted(cited - keys)


@pytest.mark.unit
def test_the_fixture_loads():
    k = fixture()
    assert len(k.role_cards) == 2 and k.role_cards[0].camps[0].lines[1].quote


@pytest.mark.unit
def test_a_role_card_line_without_a_source_is_refused(tmp_path):
    def drop(doc):
        del doc["role_cards"][0]["camps"][1]["lines"][0]["source"]

    with pytest.raises(
        DataError, match=r"seminar_kit\.yml, role_cards #1 \(budget-2012\).*source: Field required"
    ):
        curated.load(kit.KIT, _bad_kit(tmp_path, drop))

    def empty(doc):
        doc["role_cards"][1]["camps"][0]["lines"][0]["source"] = ""

    with pytest.raises(DataError, match=r"role_cards #2 \(civil-society-2014\).*source"):
        curated.load(kit.KIT, _bad_kit(tmp_path, empty))


@pytest.mark.unit
def test_a_paper_reading_without_pages_and_an_unknown_explanation_are_refused(tmp_path):
    def no_pages(doc):
        del doc["pre_reading"][0]["pages"]

    with pytest.raises(DataError, match="pre_reading.*gives its pages"):
        curated.load(kit.KIT, _bad_kit(tmp_path, no_pages))

    def unknown(doc):
        doc["outside_evidence"][0]["explanation"] = "astrology"

    with pytest.raises(DataError, match=r"explanations \['astrology'\]"):
        curated.load(kit.KIT, _bad_kit(tmp_path, unknown))


# --- the sheets --------------------------------------------------------------------------------


def _a4(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert "@page { size: A4" in page and "<script" not in page


@pytest.mark.unit
@pytest.mark.parametrize("sheet", kit.SHEETS, ids=lambda s: s.stem)
def test_each_sheet_is_an_a4_page_with_its_title_and_no_internals(sheet):
    page = sheet.make(fixture())
    _a4(page)
    text = visible(page)
    assert text.startswith(sheet.title.split(":")[0]), text[:80]
    kind = "Teacher's sheet" if sheet.audience == "teacher" else "Student's sheet"
    assert kind in text
    assert not faults(text), faults(text)


@pytest.mark.unit
def test_the_timeline_runs_from_1990_with_every_turn_of_the_story_dated_and_with_its_symbol():
    page = kit.timeline_html()
    text = visible(page)
    tl = kit.timeline_events()
    assert tl["start"].min().year == 1990 and tl["start"].is_monotonic_increasing
    for needed in (
        "naples-1994",
        "poland-1996",
        "ahc-established",
        "untoc-adopted",
        "palermo-signing",
        "eif-untoc",
        "uncac-adopted",
        "cop4",
        "cop6",
        "cop7",
        "cop9",
        "cop10",
        "cybercrime-adopted",
        "congress-08",
        "congress-14",
    ):
        assert needed in set(tl["id"]), needed
    for words in (
        "COP4",
        "COP6",
        "COP7",
        "COP9",
        "COP10",
        "Cybercrime",
        "Naples",
        "53/111",
        "Kwaśniewski",
        "UNTOC enters into force",
        "Corruption",
        "Congress",
    ):
        assert words in text, words
    rows = re.findall(r"<tr><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td></tr>", page)
    assert len(rows) == len(tl)
    assert all(re.search(r"\d{4}", when) and what and symbol for when, what, symbol in rows)
    assert "A/RES/55/25" in text and "CTOC/COP res. 9/1" in text
    # an event the chronology knows only as scheduled is not printed as if it happened
    for (_, r), (_, what, _) in zip(tl.iterrows(), rows, strict=True):
        if "(scheduled)" in r["event"]:
            assert "confirms that it was held" in what, what


@pytest.mark.unit
def test_the_claim_check_has_one_claim_of_each_verdict_and_a_note_chosen_by_rule():
    rows = kit.claim_check_rows()
    assert [vocab.verdict_kind(r.verdict) for r in rows] == list(vocab.VERDICTS)
    order = claims.section_order()
    for r in rows:  # the first of its kind in the paper's order: none of that kind before it
        earlier = [
            c
            for c in claims.evaluate_all()
            if order.index(c.section) < order.index(r.section)
            and vocab.verdict_kind(c.verdict) == vocab.verdict_kind(r.verdict)
        ]
        assert not earlier, (r.id, earlier[0].id)
    text = visible(kit.claim_check_html())
    for kind in vocab.VERDICTS:
        assert len(re.findall(rf"Verdict: {kind}[ :]", text)) == 1, kind
    # the partial match says what the records confirm
    assert re.search(r"Verdict: partial match: [a-z]", text)
    assert "A note on the text" in text and kit.claim_check_note().paper_text[:30] in text
    assert text.count("What source would settle it?") == len(vocab.VERDICTS) + 1
    assert text.count("The evidence: the book's chapter") == len(vocab.VERDICTS) + 1
    assert "The book's grounds" not in text
    key = visible(kit.claim_grounds_html())
    assert key.count("The book's grounds") == len(vocab.VERDICTS)
    assert "What source would settle it?" not in key


@pytest.mark.unit
def test_role_cards_give_a_card_to_each_camp_and_keep_the_outcome_for_the_teacher():
    k = fixture()
    page = kit.role_cards_html(k)
    text = visible(page)
    camps = [c for card in k.role_cards for c in card.camps]
    assert page.count('class="palermo-kit-card"') == len(camps)
    for c in camps:
        assert f"Your camp: {c.name}" in text
        for line in c.lines:
            assert " ".join(line.source.split()) in text
    assert "\u201cFunding proved unbridgeable.\u201d" in text  # a quote, marked as one
    teacher = visible(kit.role_outcomes_html(k))
    for card in k.role_cards:
        assert card.outcome not in text and card.outcome in teacher
        assert card.outcome_source in teacher


@pytest.mark.unit
def test_the_glossary_sheet_holds_every_term_in_two_columns():
    page = kit.glossary_html()
    text = visible(page)
    assert 'class="palermo-kit-two"' in page and "column-count: 2" in page
    for t in curated.load("glossary").terms:
        assert t.term in text, t.term


@pytest.mark.unit
def test_sources_and_reading_list_print_each_item_with_its_reference():
    k = fixture()
    text = visible(kit.sources_html(k))
    for s in k.primary_sources:
        assert s.symbol in text and s.excerpt.split()[1] in text
    assert "15 November 2000" in text
    reading = visible(kit.reading_html(k))
    assert "Core reading" in reading and "Advanced reading" in reading
    for r in k.reading.core + k.reading.advanced:
        assert r.annotation in reading


@pytest.mark.unit
def test_the_kit_has_the_articles_and_texts_online_the_teacher_trial_asked_for():
    """Teacher trial 2026-12, section 8.2: articles 2, 3, 5, 16, 18, 32 and 37 in the packet;
    the Convention's text, the Legislative Guide, the travaux, SHERLOC and E4J's module 14
    linked from the reading list."""
    k = kit.load()
    ids = {s.id for s in k.primary_sources}
    for art in (2, 3, 5, 16, 18, 32, 37):
        assert f"untoc-art-{art}" in ids, art
    online = " ".join(r.text for r in k.reading.online + k.reading.advanced)
    for named in ("Legislative Guide", "SHERLOC", "Travaux", "Module 14", "Protocols"):
        assert named in online, named
    reading = visible(kit.reading_html(k))
    assert "Texts and tools online" in reading
    assert all(r.annotation in reading and r.url in reading for r in k.reading.online)


@pytest.mark.unit
def test_assessment_sheets_keep_the_answers_for_the_teacher():
    k = fixture()
    quiz, key = visible(kit.quiz_html(k)), visible(kit.quiz_key_html(k))
    for q in k.quiz:
        assert q.question in quiz and q.question in key
        assert q.answer not in quiz and q.answer in key
    assert quiz.count("Your answer:") == len(k.quiz)
    assert "the book's chapter \u201cFrom Naples to Palermo, and after\u201d" in key
    essays = visible(kit.essays_html(k))
    assert all(e in essays for e in k.essays)
    sides = visible(kit.both_sides_html(k))
    assert "Who is not heard" in sides and k.not_heard[0].who in sides
    assert "UK-led budget objection at the 2012 COP" in sides  # the explanation by its label
    assert "Looked for, not found:" in sides
    notes = visible(kit.discussion_html(k))
    # the whole question of the seminar page, from the words the kit gives of it
    assert "Which two would you set against each other, and what evidence" in notes
    assert k.discussion_notes[0].note in notes


@pytest.mark.unit
def test_outcomes_and_pre_reading_name_the_pages():
    text = visible(kit.outline_html(fixture()))
    assert "the paper, pp. 53\u201358" in text
    assert "the book's opening page" in text
    assert "\u201cWhy the momentum went: the rival explanations\u201d" in text
    with pytest.raises(DataError, match="not a page of the book"):
        kit.where_words("book/no_such_page")


@pytest.mark.unit
def test_every_kit_sheet_is_written_and_listed_on_the_seminar_sheets_page(tmp_path):
    rows = kit.write(tmp_path, pdf=False, kit=fixture())
    assert [r["stem"] for r in rows] == [s.stem for s in kit.SHEETS]
    assert kit.written(tmp_path) == rows
    page = files_page(
        seminar.book_page("Seminar sheets to download", [], ["handout.html"], "/pack", rows),
        config.ROOT,
    )
    for s in kit.SHEETS:
        assert f"</pack/{s.stem}.html>" in page, s.stem
        assert f"| {s.title} |" in page, s.title
    assert "## The seminar kit" in page
    # the page without the kit is the page as before
    assert "seminar kit" not in files_page(
        seminar.book_page("T", [], ["handout.html"], "/pack"), config.ROOT
    )


# --- the plan -------------------------------------------------------------------------------


def _plan() -> str:
    page = SEMINAR_MD.read_text(encoding="utf-8")
    return page.split("## A session plan", 1)[1].split("## Questions for each chapter", 1)[0]


def _segments() -> list[tuple[int, int, str, str]]:
    """(start, end, heading, text) of each numbered segment of the plan."""
    parts = re.split(r"^(?=\d+\. \*\*)", _plan(), flags=re.M)[1:]
    out = []
    for p in parts:
        m = re.match(r"\d+\. \*\*(\d+)\u2013(\d+) minutes: (.+?)\*\*", p)
        assert m, p[:60]
        out.append((int(m.group(1)), int(m.group(2)), m.group(3), " ".join(p.split())))
    return out


@pytest.mark.unit
def test_the_plan_takes_120_minutes_with_a_break_and_a_report_from_every_group():
    seg = _segments()
    assert seg[0][0] == 0 and seg[-1][1] == 120
    assert all(a[1] == b[0] for a, b in zip(seg, seg[1:], strict=False)), "gaps or overlaps"
    assert sum(end - start for start, end, _, _ in seg) == 120
    breaks = [s for s in seg if s[2].lower().startswith("break")]
    assert len(breaks) == 1 and breaks[0][1] - breaks[0][0] == 10
    reports = re.findall(r"Group (\d) reports", " ".join(s[3] for s in seg))
    assert sorted(reports) == [str(g) for g in range(1, GROUPS + 1)], reports


@pytest.mark.unit
def test_each_segment_names_the_sheets_it_uses():
    titles = [s.title for s in kit.SHEETS]
    for _start, _end, heading, text in _segments():
        if heading.lower().startswith("break"):
            continue
        assert "Sheets:" in text, heading
        sheets = text.split("Sheets:", 1)[1]
        assert any(f'"{t}"' in sheets for t in titles) or "sheets" in sheets, heading
    named = set(re.findall(r'"([^"]+)"', " ".join(_plan().split())))
    assert set(titles) <= named, set(titles) - named  # the plan uses every sheet


def _outside_print(text: str) -> str:
    """The plan as the web edition reads it: without its print-only block."""
    return re.sub(r"```\{only\} latex.*?```", "", text, flags=re.S)


@pytest.mark.unit
def test_every_chapter_the_plan_names_is_a_link_to_a_page_of_the_book():
    plan = _outside_print(_plan())
    links = re.findall(r"\[([^\]]+)\]\(([^)]+)\)", plan)
    assert links
    pages = kit.page_titles()
    for _words, target in links:
        page = (SEMINAR_MD.parent / target).resolve().relative_to(config.ROOT)
        assert page.with_suffix("").as_posix() in pages, target
    unlinked = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", "", plan)
    for title in pages.values():
        short = title.split(":")[0]
        if len(short) > 12:  # a chapter's name, not a country's
            assert short not in unlinked, f"{short!r} is named but not linked"
    # the pre-reading names the paper's pages
    assert re.search(r"the paper \(pages \d+\u2013\d+\)", plan)


@pytest.mark.unit
def test_the_print_edition_says_where_the_sheets_are():
    page = SEMINAR_MD.read_text(encoding="utf-8")
    latex = re.findall(r"```\{only\} latex\n(.*?)```", page, flags=re.S)
    assert latex and "web edition" in latex[0] and "Seminar sheets" in " ".join(latex[0].split())


# --- make seminar on a fresh clone -------------------------------------------------------------


@pytest.mark.unit
def test_a_pack_folder_in_a_build_folder_not_yet_made_is_made(tmp_path, monkeypatch):
    """make seminar on a fresh clone: _build does not exist yet."""
    monkeypatch.setattr(config, "BUILD", tmp_path / "_build")
    out = tmp_path / "_build" / "seminar"
    assert seminar.pack_folder(out) == out.resolve()
    assert out.parent.is_dir() and not out.exists()


@pytest.mark.unit
def test_a_pack_folder_elsewhere_with_a_missing_parent_is_refused(tmp_path):
    """A mistyped path is never made (reliability review 2026-12)."""
    with pytest.raises(UsageError, match="does not exist"):
        seminar.pack_folder(tmp_path / "missing" / "pack")
    assert not (tmp_path / "missing").exists()


@pytest.mark.unit
def test_a_pack_folder_among_the_sources_is_refused_and_nothing_is_made():
    out = config.NOTEBOOKS / "no-such-folder" / "pack"
    with pytest.raises(UsageError, match="notebooks"):
        seminar.pack_folder(out)
    assert not out.parent.exists()


@pytest.mark.unit
def test_make_seminar_writes_into_build_through_the_command_that_makes_its_folder():
    make = (config.ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = make.split("\nseminar:", 1)[1].split("\n\n", 1)[0]
    assert "palermo seminar" in recipe and "-o _build/seminar" in recipe


# --- printed ----------------------------------------------------------------------------------


@pytest.mark.skipif(
    not (shutil.which("pdfinfo") and shutil.which("pdftotext")), reason="needs poppler-utils"
)
def test_each_kit_sheet_prints_on_a4_with_no_word_outside_the_page(tmp_path):
    if printable.chromium() is None:
        pytest.skip("needs Chromium to print the PDFs")
    k = kit.load() if curated.entry(kit.KIT).path.is_file() else fixture()
    with printable.Printer() as printer:
        rows = kit.write(tmp_path, pdf=True, printer=printer, kit=k)
    for r in rows:
        pdf = tmp_path / next(f for f in r["files"] if f.endswith(".pdf"))
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        assert "(A4)" in info.stdout, (pdf.name, info.stdout)
        box = subprocess.run(
            ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        for page in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', box, re.S):
            w, h = float(page[0]), float(page[1])
            for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">'
                r"(.*?)</word>",
                page[2],
            ):
                assert 0 <= float(x0) and float(x1) <= w and 0 <= float(y0) and float(y1) <= h, (
                    pdf.name,
                    word,
                )
        if r["stem"] == "kit-timeline":
            assert re.search(r"Pages:\s+1\b", info.stdout), "the timeline is one page"
