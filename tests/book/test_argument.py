"""The paper's argument, whole and consistent (issue 11), read from the built book: every page
that grades a claim shows the ledger's verdict, on the claim's own day; the ledger page shows
each claim's recomputed verdict; the glossary is linked on first use; the new history chapters
carry their curated files. `make test` builds the book first."""

import re

import pytest
from bs4 import BeautifulSoup

from palermo.data import curated
from palermo.model import claims
from palermo.pipeline import edition
from palermo.render import cite
from palermo.render.text import treaty_name
from tests.browser import HTML

pytestmark = pytest.mark.book


def flat(text: str) -> str:
    """Text as the tests compare it: typographic quotes made straight, spaces collapsed."""
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.split())


def soup(page: str) -> BeautifulSoup:
    path = HTML / page
    assert path.is_file(), f"{page} was not built"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def table_rows(s: BeautifulSoup, caption_words: str) -> list[dict]:
    """The rows of the first table whose accessible name contains ``caption_words``."""
    for box in s.select("[aria-label]"):
        if caption_words in box["aria-label"] and box.find("table"):
            t = box.find("table")
            head = [th.get_text(" ", strip=True).lower() for th in t.select("thead th")]
            return [
                dict(
                    zip(
                        head,
                        [td.get_text(" ", strip=True) for td in tr.find_all("td")],
                        strict=False,
                    )
                )
                for tr in t.select("tbody tr")
            ]
    raise AssertionError(f"no table named {caption_words!r}")


@pytest.mark.parametrize("page", ["figure1/paper-date.html", "figure1/latest.html"])
def test_figure1_pages_show_the_ledgers_verdict_on_the_claims_own_day(page):
    s = soup(f"book/{page}")
    # the table and the prose name each instrument as readers know it, never by its short id
    graded = {treaty_name(short): g for short, g in claims.printed_counts().items()}
    rows = table_rows(s, "graded")
    assert {r["instrument"] for r in rows} == set(graded)
    for r in rows:
        g = graded[r["instrument"]]
        assert (r["the paper"], r["refers to"], r["verdict"]) == (
            g.paper,
            g.refers_to,
            g.verdict,
        ), r
    text = s.get_text(" ", strip=True)
    assert "agree with it for" not in text  # the old grading against the page's own date
    for name, g in graded.items():
        assert f"{name} {g.paper} on {g.refers_to}: {g.verdict}" in text


def test_the_ledger_page_shows_every_claims_recomputed_verdict():
    s = soup("book/claims.html")
    results = claims.evaluate_all()
    assert len(results) >= 45
    for r in results:
        row = s.find("tr", id=f"claim-{r.id}")
        assert row is not None, r.id
        badge = row.find("span", class_="verdict")
        assert badge.get_text(strip=True) == r.verdict == r.pinned, r.id
    assert s.find("span", class_="verdict-not-testable") is not None


def test_notes_on_the_text_are_on_the_ledger_page():
    text = soup("book/claims.html").get_text(" ", strip=True)
    for n in curated.load("text_notes").notes:
        assert " ".join(n.note.split())[:60] in text, n.id


def test_the_glossary_lists_every_term_and_chapters_link_their_first_use():
    g = soup("book/glossary.html")
    terms = curated.load("glossary").terms
    dts = [dt.get_text(" ", strip=True).rstrip("#¶ ") for dt in g.select("dl.glossary dt")]
    assert dts == [t.term for t in terms]
    linked = 0
    for page in ["book/claims.html", "book/figure1/paper-date.html", "book/chronology.html"]:
        links = [
            a
            for a in soup(page).select("a[href*='glossary.html#term-']")
            if not a.find_parent(["nav", "header", "footer"])
        ]
        hrefs = [a["href"] for a in links]
        assert hrefs, f"{page} links no glossary term"
        assert len(hrefs) == len(set(hrefs)), f"{page} links a term twice: only the first use"
        linked += len(hrefs)
    assert linked >= 15


def test_the_new_history_chapters_are_built_from_their_files():
    conv = flat(soup("book/convention.html").get_text(" ", strip=True))
    doc = curated.load("convention")
    for e in doc.elements:
        assert flat(e.element) in conv, e.id
    assert flat(doc.terrorism.quote) in conv
    road = flat(soup("book/road_to_review.html").get_text(" ", strip=True))
    for b in doc.review_mechanism.stumbling_blocks:
        assert b.block in road, b.id
    people = flat(soup("book/people.html").get_text(" ", strip=True))
    for name in curated.load("people")["name"]:
        assert flat(name) in people, name
    for st in curated.load("naples").statements:
        assert flat(st.quote)[:40] in people, st.id
    ends = flat(soup("book/conclusions.html").get_text(" ", strip=True))
    assert "The book's reading, not the paper's" in ends
    for c in doc.conclusions:
        assert flat(c.quote)[:40] in ends, c.id


def test_the_built_ledger_names_this_edition():
    from palermo.config import BUILD

    page = (BUILD / "html" / "book" / "claims.html").read_text(encoding="utf-8")
    label = edition.current().label
    assert page.count(label) >= len(claims.ledger())
    words = re.sub(r"<[^>]+>", "", page).replace("this edition prints", "")
    # the page "What changed in this edition" is named in every page's navigation
    assert cite.UNFILLED not in words.replace("What changed in this edition", "")
