"""The seminar kit: the printable A4 sheets the session plan (the page "Using this book in a
seminar") leans on, beside the handout and the groups' worksheets. One function per sheet, each
giving a whole HTML page that needs no script (printed to PDF by :mod:`printable`, as the
handout is):

- from the records: a one-page timeline drawn from the chronology, a claim-check sheet whose
  five claims and one note on the text are chosen by rule from the claims ledger, and the
  glossary;
- from the curated seminar kit (``seminar_kit.yml``): learning outcomes and pre-reading, role
  cards for the stand-offs (one card per camp, every line with its source) and the teacher's
  note on how each ended, the primary-source packet, the annotated reading list, the quiz (a
  student's sheet and the teacher's key), the essay questions, the voices the paper does not
  hear beside evidence from outside it, and the teacher's discussion notes.

Every sheet names where its words come from; none names a file, an id or a tool."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import config
from ..chapters import chronology
from ..chapters import claims as ledger
from ..data import curated, events, vocab
from ..errors import DataError
from ..model import claims
from ..render import tables, text
from ..render.page import page
from . import printable

KIT = "seminar_kit"
SESSION = "Fulfilling the promise of Palermo?"

KIT_CSS = """
body { font-size: 10pt; margin-top: 0; margin-bottom: 0; }
h1 { font-size: 1.35em; } h2 { font-size: 1.1em; margin: 0.9em 0 0.3em; }
p.palermo-kit-source, span.palermo-kit-source, li .palermo-kit-source { font-size: 0.8em;
       color: #444; }
.palermo-kit-source, .palermo-kit-url { overflow-wrap: anywhere; }
.palermo-kit-url { font-size: 0.8em; }
div.palermo-kit-card { border: 1.5px dashed #333; padding: 0.5em 0.8em; margin: 0 0 0.9em;
       break-inside: avoid; }
div.palermo-kit-card h2 { margin-top: 0.1em; }
div.palermo-kit-card p { margin: 0.3em 0; }
div.palermo-kit-box { border: 1px solid #333; padding: 0.4em 0.8em; margin: 0.6em 0;
       break-inside: avoid; }
div.palermo-kit-item { break-inside: avoid; margin-bottom: 0.6em; }
div.palermo-kit-two { column-count: 2; column-gap: 1.4em; font-size: 0.88em; }
div.palermo-kit-two div.palermo-kit-item { break-inside: avoid; }
blockquote { margin: 0.3em 0 0.3em 1em; padding-left: 0.6em; border-left: 3px solid #999; }
table.palermo-kit-timeline { font-size: 8pt; line-height: 1.3; width: 100%;
       border-collapse: collapse; }
table.palermo-kit-timeline td, table.palermo-kit-timeline th { padding: 1.5px 4px;
       vertical-align: top; }
table.palermo-kit-timeline td:first-child { white-space: nowrap; }
table.palermo-kit-timeline td:last-child { overflow-wrap: anywhere; width: 24%; }
@page { size: A4; margin: 14mm 13mm; }
"""


def load(path: Path | None = None) -> curated.SeminarKitDoc:
    """The curated seminar kit, validated (``path``: another file under the same schema)."""
    return curated.load(KIT, path)


def _esc(value) -> str:
    return html.escape(" ".join(str(text.readable(value)).split()), quote=False)


def _url(url: str | None) -> str:
    if not url:
        return ""
    u = html.escape(url, quote=True)
    return f' <a class="palermo-kit-url" href="{u}">{html.escape(url, quote=False)}</a>'


def _source(words: str, url: str | None = None, lead: str = "Source: ") -> str:
    return f'<span class="palermo-kit-source">{lead}{_esc(words)}{_url(url)}</span>'


def _sheet(title: str, audience: str, body: str) -> str:
    """One printable page: its title, whom it is for, the body and where it comes from."""
    kind = "Teacher's sheet" if audience == "teacher" else "Student's sheet"
    head = (
        f"<h1>{html.escape(title, quote=False)}</h1>"
        f'<p class="palermo-sheet-kind">{kind}. Seminar kit: {html.escape(SESSION)}</p>'
    )
    foot = (
        '<p class="palermo-kit-source">From the seminar kit of the Palermo companion, which '
        "reproduces Tennant, I. (2021), Journal of Illicit Economies and Development 2(1), "
        "53&ndash;71, doi:10.31389/jied.90.</p>"
    )
    return page(
        f"{title}: seminar kit",
        head + body + foot,
        after=printable.PRINT_CSS + KIT_CSS,
        generator="palermo-seminar",
    )


# --- where a kit entry sends the reader ----------------------------------------------------------


@lru_cache(maxsize=1)
def page_titles() -> dict[str, str]:
    """The book's pages by their path without suffix ("book/claims"), with their titles."""
    from ..pipeline import plan

    p = plan.load()
    out = {}
    for e in p.entries:
        f = plan.file_of(e)
        try:
            out[f.relative_to(config.ROOT).with_suffix("").as_posix()] = e.title
        except ValueError:
            continue
    out.setdefault(p.root, "The Palermo companion: the paper's argument in brief")
    return out


def where_words(where: str, pages: str | None = None) -> str:
    """A kit entry's page in words: the paper with its pages, or a page of the book by title."""
    if where == "paper":
        span = (pages or "").replace("-", "\u2013")
        return f"the paper, {'pp.' if re.search(r'[-,–]', span) else 'p.'} {span}"
    titles = page_titles()
    if where not in titles:
        raise DataError(
            f"the seminar kit sends the reader to {where!r}, which is not a page of the book; "
            f"give 'paper' or one of: {', '.join(sorted(titles))}"
        )
    if where == "book/intro":
        return "the book's opening page"
    return f"the book's chapter \u201c{html.unescape(titles[where])}\u201d"


# --- the timeline ------------------------------------------------------------------------------

TIMELINE_FROM = dt.date(1990, 1, 1)
# the Conferences of the Parties at which the review mechanism turned: first asked for (COP4,
# 2008), blocked (COP6, 2012; COP7, 2014), agreed (COP9, 2018) and launched (COP10, 2020)
REVIEW_TURNS = ("cop4", "cop6", "cop7", "cop9", "cop10")
# the Cybercrime Convention's signing beside its adoption (a numbered event)
ALSO = ("cybercrime-signing",)
EVENT_WORDS = 110


def timeline_events() -> pd.DataFrame:
    """The timeline's rows, in date order, chosen by rule from the chronology from 1990: the
    UN Crime Congresses, the events the chronology numbers on its chart (Naples 1994, Poland
    1996, the Ad Hoc Committee, adoption and signing, 9/11, entry into force, UNCAC, COP1, the
    Security Council in 2010, COP9, the Cybercrime Convention), the Conferences of the Parties
    at which the review mechanism turned and the Cybercrime Convention's signing."""
    ev = events.load()
    tl = ev[ev["start"] >= pd.Timestamp(TIMELINE_FROM)]
    chosen = (
        chronology.crime_congresses(tl)
        | tl["id"].isin(chronology.KEY_EVENTS)
        | tl["id"].isin(REVIEW_TURNS + ALSO)
    )
    return tl[chosen].sort_values(["start", "id"]).reset_index(drop=True)


def _when(row) -> str:
    start, end = pd.Timestamp(row["start"]), pd.Timestamp(row["end"])
    if row["precision"] == "year":
        return f"{start:%Y}"
    if row["precision"] == "month":
        return f"{start:%b %Y}"
    if row["precision"] == "range" and end != start:
        if start.year != end.year:
            return f"{start.day} {start:%b %Y} \u2013 {end.day} {end:%b %Y}"
        if start.month != end.month:
            return f"{start.day} {start:%b} \u2013 {end.day} {end:%b %Y}"
        return f"{start.day}\u2013{end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y}"


def _first_sentence(words: str, limit: int = EVENT_WORDS) -> str:
    """An event's first sentence, shortened at a word to ``limit`` characters."""
    words = " ".join(str(words).split())
    first = re.split(r"(?<=[a-z\)\]\u201d\"'])\.\s+(?=[A-Z\"\u201c])", words, maxsplit=1)[0]
    first = first.rstrip(".")
    if len(first) > limit:
        first = first[: first.rfind(" ", 0, limit)].rstrip(",;:") + " \u2026"
    return first + ("." if not first.endswith("\u2026") else "")


SCHEDULED = "(scheduled)"


def _held(first: str) -> str:
    """An event the chronology records only as scheduled says so, and that no source of the
    book confirms it was held (the timeline is printed after its date)."""
    return first.replace(
        SCHEDULED, "(scheduled; none of the book\u2019s sources confirms that it was held)"
    )


def _symbol(symbol) -> str:
    """An event's UN symbol, short: its first sentence, without the asides in parentheses
    (one that says the symbol is not verified is kept); a dash where there is none."""
    if not isinstance(symbol, str) or not symbol.strip():
        return "\u2014"
    first = re.split(r"\.\s+(?=[A-Z])", " ".join(symbol.split()), maxsplit=1)[0]
    first = re.sub(r"\s*\((?![^)]*verif)[^)]*\)", "", first).rstrip(". ")
    return text.readable(first)


def timeline_html() -> str:
    """One A4 page: the timeline from 1990, each row with its date and its UN symbol."""
    tl = timeline_events()
    rows = [
        [
            _when(r),
            text.readable(_held(_first_sentence(r["event"]))),
            _symbol(r["symbol"]),
        ]
        for _, r in tl.iterrows()
    ]
    last = int(tl["start"].max().year)
    body = (
        tables.html_table(
            ["When", "What happened", "UN symbol"], rows, classes="palermo-kit-timeline", wide=[1]
        )
        + '<p class="palermo-kit-source">Chosen by rule from the book\'s sourced chronology '
        "(its chapter \u201cFrom Naples to Palermo, and after\u201d gives every event with its "
        "source and how sure it is): the UN Crime Congresses, the events the chronology numbers "
        "on its chart, and the Conferences of the Parties at which the review mechanism was "
        "asked for, blocked, agreed and launched. A dash: the chronology records no UN "
        "document symbol for the event.</p>"
    )
    return _sheet(f"Timeline, 1990\u2013{last}", "student", body)


# --- role cards ------------------------------------------------------------------------------


def role_cards_html(kit: curated.SeminarKitDoc | None = None) -> str:
    """One card per camp of each stand-off, to cut out: the setting, the camp and its members,
    and each line it argues from with that line's source (how each ended is on the teacher's
    sheet, :func:`role_outcomes_html`)."""
    kit = kit or load()
    cards = []
    for card in kit.role_cards:
        for camp in card.camps:
            lines = "".join(
                "<li>"
                + (f"&ldquo;{_esc(ln.text)}&rdquo;" if ln.quote else _esc(ln.text))
                + "<br>"
                + _source(ln.source, ln.url)
                + "</li>"
                for ln in camp.lines
            )
            cards.append(
                '<div class="palermo-kit-card">'
                f"<h2>{_esc(card.title)}</h2>"
                f"<p><strong>Your camp: {_esc(camp.name)}</strong> ({_esc(camp.members)})</p>"
                f"<p>{_esc(card.setting)}</p>"
                f"<p>Argue from these lines:</p><ul>{lines}</ul>"
                f"<p>{_source(card.source, lead='The setting: ')}</p>"
                "</div>"
            )
    body = (
        "<p>One card per camp: cut along the dashed lines and give each card to the students "
        "who argue that camp. Words in quotation marks are the source's own; the others "
        "paraphrase it.</p>" + "".join(cards)
    )
    return _sheet("Role cards", "student", body)


def role_outcomes_html(kit: curated.SeminarKitDoc | None = None) -> str:
    """The teacher's note on each stand-off: its camps and how it ended, with the source."""
    kit = kit or load()
    items = "".join(
        '<div class="palermo-kit-item">'
        f"<h2>{_esc(card.title)}</h2>"
        f"<p>Camps: {_esc('; '.join(f'{c.name} ({c.members})' for c in card.camps))}.</p>"
        f"<p><strong>How it ended.</strong> {_esc(card.outcome)}</p>"
        f"<p>{_source(card.outcome_source)}</p></div>"
        for card in kit.role_cards
    )
    body = (
        "<p>For the debrief after the role-play: keep this sheet from the students until both "
        "camps have argued.</p>" + items
    )
    return _sheet("Role cards: how each stand-off ended", "teacher", body)


# --- the claim check ---------------------------------------------------------------------------


def claim_check_rows() -> list[claims.ClaimResult]:
    """One claim of each kind of verdict, chosen by rule: the first of its kind in the paper's
    order (the ledger's sections in the paper's order, and within a section the ledger's)."""
    order = claims.section_order()
    ranked = sorted(claims.evaluate_all(), key=lambda r: order.index(r.section))
    out = []
    for kind in vocab.VERDICTS:
        hit = next((r for r in ranked if vocab.verdict_kind(r.verdict) == kind), None)
        if hit is None:
            raise DataError(f"the claims ledger holds no claim with the verdict {kind!r}")
        out.append(hit)
    return out


def claim_check_note():
    """The note on the text the sheet takes: the first of the notes on the text."""
    return curated.load("text_notes").notes[0]


CLAIMS_PAGE = "book/claims"


def _evidence_words(evidence: str) -> str:
    return where_words(f"book/{evidence}")


ASK = "What source would settle it?"
BOX = '<div class="palermo-answer-line">' + ASK + "</div>"


def _records_said(r: claims.ClaimResult) -> str:
    if r.recomputed.strip() in ("", "-", "\u2014"):
        kind = vocab.verdict_kind(r.verdict)
        return (
            "no treaty record could test it"
            if kind == vocab.NOT_TESTABLE
            else "nothing to compare: they do not hold it"
        )
    return r.recomputed


def _grounds(r: claims.ClaimResult) -> str:
    return f"<p><strong>The book's grounds.</strong> {_esc(ledger.grounds(r))}</p>"


def _claim_items(teacher: bool) -> str:
    items = []
    for n, r in enumerate(claim_check_rows(), start=1):
        kind = vocab.verdict_kind(r.verdict)
        items.append(
            '<div class="palermo-kit-item">'
            # a partial match says what it confirms ("partial match: year only")
            + f"<h2>{n}. Verdict: {_esc(kind)}"
            + (
                f": {_esc(r.verdict.removeprefix(vocab.PARTIAL_PREFIX))}"
                if kind != r.verdict
                else ""
            )
            + "</h2>"
            f"<p><strong>The paper:</strong> {_esc(r.claim)} "
            f'<span class="palermo-kit-source">(its section &ldquo;{_esc(r.section)}'
            "&rdquo;)</span></p>"
            f"<p><strong>The paper's value:</strong> {_esc(r.paper)}. "
            f"<strong>The records:</strong> {_esc(_records_said(r))}.</p>"
            # the grounds as the ledger words them (one wording for the page, print and sheet)
            + (
                f"<p><strong>The book's grounds.</strong> {_esc(ledger.grounds(r))}</p>"
                if teacher
                else ""
            )
            + f"<p>{_source(_evidence_words(r.evidence), lead='The evidence: ')}</p>"
            + ("" if teacher else BOX)
            + "</div>"
        )
    note = claim_check_note()
    items.append(
        '<div class="palermo-kit-item">'
        "<h2>6. A note on the text</h2>"
        f"<p><strong>The paper:</strong> &ldquo;{_esc(note.paper_text)}&rdquo; "
        f'<span class="palermo-kit-source">(its section &ldquo;{_esc(note.section)}'
        "&rdquo;)</span></p>"
        f"<p><strong>The book's note:</strong> {_esc(note.note)}</p>"
        + (f"<p>{_source(note.source, lead=NOTE_SOURCE)}</p>" if teacher else "")
        + f"<p>{_source(where_words(CLAIMS_PAGE), lead='The evidence: ')}</p>"
        + ("" if teacher else BOX)
        + "</div>"
    )
    return "".join(items)


NOTE_SOURCE = "The book's source: "
RULE = (
    "They are chosen by rule, not by hand: the first claim of each verdict in the paper's "
    "order, and the first of the book's notes on the paper's text."
)


def claim_check_html() -> str:
    """Five claims of the paper, one of each kind of verdict, and one note on the text: each
    with what the paper and the records say, the page that holds its evidence and room for
    the question "what source would settle it?"."""
    body = (
        "<p>Five of the paper's claims, one of each verdict the book gives, and one note on "
        f"the paper's text. {RULE} For each, read what the records show and answer: what kind "
        "of source would settle it?</p>" + _claim_items(teacher=False)
    )
    return _sheet("Five claims and a note, checked", "student", body)


def claim_grounds_html() -> str:
    """The teacher's side of the claim check: the same claims and note, with the book's
    grounds for each verdict, what would test a causal claim, and the note's source."""
    body = (
        f"<p>The claims and the note of the students' sheet. {RULE} Each with the grounds the "
        "book gives for its verdict.</p>" + _claim_items(teacher=True)
    )
    return _sheet("Five claims and a note: the book's grounds", "teacher", body)


# --- the glossary ------------------------------------------------------------------------------


def glossary_html() -> str:
    """Every term of the book's glossary, in two columns."""
    terms = curated.load("glossary").terms
    items = "".join(
        '<div class="palermo-kit-item">'
        f"<strong>{_esc(t.term)}</strong>: {_esc(t.definition)} "
        f"{_source(t.source)}</div>"
        for t in terms
    )
    return _sheet("Glossary", "student", f'<div class="palermo-kit-two">{items}</div>')


# --- from the kit: outcomes, sources, reading, assessment ----------------------------------------


def outline_html(kit: curated.SeminarKitDoc | None = None) -> str:
    """The session's learning outcomes and the reading before it."""
    kit = kit or load()
    outcomes = "".join(f"<li>{_esc(o)}</li>" for o in kit.outcomes)
    reading = "".join(
        f"<li>{_esc(r.what)}: <em>{_esc(where_words(r.where, r.pages))}</em></li>"
        for r in kit.pre_reading
    )
    body = (
        "<h2>By the end of the seminar you should be able to</h2>"
        f"<ol>{outcomes}</ol>"
        f"<h2>Before the seminar, read</h2><ul>{reading}</ul>"
    )
    return _sheet("Learning outcomes and pre-reading", "student", body)


def sources_html(kit: curated.SeminarKitDoc | None = None) -> str:
    """The primary-source packet: each excerpt with its title, UN symbol, date and address."""
    kit = kit or load()
    items = "".join(
        '<div class="palermo-kit-item">'
        f"<h2>{_esc(s.title)}</h2>"
        f'<p class="palermo-kit-source">{_esc(s.symbol)}, {s.date.day} {s.date:%B %Y}'
        f"{_url(s.url)}</p>"
        f"<blockquote>{_esc(s.excerpt)}</blockquote>"
        + (f"<p>{_esc(s.note)}</p>" if s.note else "")
        + "</div>"
        for s in kit.primary_sources
    )
    return _sheet("Primary sources", "student", items)


def reading_html(kit: curated.SeminarKitDoc | None = None) -> str:
    """The annotated reading list: core, then advanced, then the texts and tools online."""
    kit = kit or load()

    def part(name: str, items) -> str:
        if not items:
            return ""
        rows = "".join(
            f"<li>{_esc(i.text)}{_url(i.url)}<br><em>{_esc(i.annotation)}</em></li>" for i in items
        )
        return f"<h2>{name}</h2><ul>{rows}</ul>"

    body = (
        part("Core reading", kit.reading.core)
        + part("Advanced reading", kit.reading.advanced)
        + part("Texts and tools online", kit.reading.online)
    )
    return _sheet("Reading list", "student", body)


def quiz_html(kit: curated.SeminarKitDoc | None = None) -> str:
    """The quiz for students: the questions, a line for each answer, no answers."""
    kit = kit or load()
    qs = "".join(f"<li>{_esc(q.question)}{printable.ANSWER_LINE}</li>" for q in kit.quiz)
    return _sheet("Quiz", "student", f"<ol>{qs}</ol>")


def quiz_key_html(kit: curated.SeminarKitDoc | None = None) -> str:
    """The quiz's key for the teacher: each answer and the page that gives it."""
    kit = kit or load()
    qs = "".join(
        f"<li>{_esc(q.question)}<br><strong>Answer:</strong> {_esc(q.answer)} "
        f"{_source(where_words(q.where), lead='Where: ')}</li>"
        for q in kit.quiz
    )
    return _sheet("Quiz: the answers", "teacher", f"<ol>{qs}</ol>")


def essays_html(kit: curated.SeminarKitDoc | None = None) -> str:
    """The essay questions."""
    kit = kit or load()
    qs = "".join(f"<li>{_esc(e)}</li>" for e in kit.essays)
    return _sheet("Essay questions", "student", f"<ol>{qs}</ol>")


def both_sides_html(kit: curated.SeminarKitDoc | None = None) -> str:
    """Who the paper does not hear, and evidence from outside the paper on its explanations
    (where it was looked for and not found, that too)."""
    kit = kit or load()
    labels = {e.id: e.label for e in curated.load("explanations").explanations}
    heard = "".join(
        f"<li><strong>{_esc(n.who)}.</strong> {_esc(n.why_it_matters)} {_source(n.source)}</li>"
        for n in kit.not_heard
    )
    outside = "".join(
        '<div class="palermo-kit-item">'
        f"<p><strong>{_esc(labels[o.explanation])}.</strong> "
        + ("" if o.found else "<em>Looked for, not found:</em> ")
        + f"{_esc(o.evidence)} {_source(o.source, o.url)}</p></div>"
        for o in kit.outside_evidence
    )
    body = (
        '<div class="palermo-kit-box"><h2>Who is not heard</h2>'
        f"<ul>{heard}</ul></div>"
        "<h2>Evidence from outside the paper</h2>"
        "<p>For the explanations of the drift where the paper gives no evidence of its own, what "
        "other sources say.</p>" + outside
    )
    return _sheet("Who is not heard, and evidence from outside the paper", "student", body)


SEMINAR_PAGE = config.ROOT / "book" / "seminar.md"


def _sentences(markdown: str) -> list[list[str]]:
    """Markdown as the sentences a reader reads, block by block (a paragraph, a list item):
    links by their text, no emphasis, no code."""
    t = re.sub(r"^(`{3,}).*?^\1", "", markdown, flags=re.S | re.M)
    t = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", t)
    t = re.sub(r"\{[a-z]+\}`([^`<]*?)\s*(?:<[^>]*>)?`", r"\1", t)
    t = t.replace("**", "").replace("*", "")
    blocks = re.split(r"\n\s*\n|\n\s*(?:[-+]|\d+\.)\s+", "\n" + t)
    out = []
    for b in blocks:
        b = " ".join(re.sub(r"^\s*(?:[-+]|\d+\.|#+)\s+", "", b).split())
        if b:
            out.append(re.split(r"(?<=[.?!])\s+(?=[A-Z\"\u201c'(])", b))
    return out


@lru_cache(maxsize=1)
def _question_texts() -> tuple[list[list[str]], ...]:
    """The texts a discussion prompt is taken from: the seminar page (its plan and its
    questions for each chapter) and the exercises' worksheets."""
    found = [SEMINAR_PAGE, *sorted((config.NOTEBOOKS / "exercises").glob("*.md"))]
    return tuple(_sentences(p.read_text(encoding="utf-8")) for p in found if p.is_file())


def full_question(prompt: str) -> str | None:
    """A discussion prompt as a whole question: the kit names a prompt by words of it, and the
    sheet prints the sentences of the seminar page (or of a worksheet) that hold them; None
    where no page holds them."""
    words = " ".join(prompt.split())
    for text_ in _question_texts():
        for sentences in text_:
            for i in range(len(sentences) - 1, -1, -1):
                for j in range(i, len(sentences)):
                    if words.casefold() in " ".join(sentences[i : j + 1]).casefold():
                        return " ".join(sentences[i : j + 1])
    return None


def discussion_html(kit: curated.SeminarKitDoc | None = None) -> str:
    """The teacher's notes on the discussion questions, each with the page to go to."""
    kit = kit or load()
    items = "".join(
        '<div class="palermo-kit-item">'
        f"<h2>{_esc(full_question(d.prompt) or d.prompt)}</h2><p>{_esc(d.note)}</p>"
        f"<p>{_source(where_words(d.where), lead='In the book: ')}</p></div>"
        for d in kit.discussion_notes
    )
    body = (
        "<p>Notes for the questions the page &ldquo;Using this book in a seminar&rdquo; asks "
        "of each chapter.</p>" + items
    )
    return _sheet("Discussion notes", "teacher", body)


# --- the kit as a whole -------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    stem: str  # the file name, without suffix, in the pack
    title: str  # as the book's page and the plan name it
    audience: str  # student or teacher
    make: Callable[[curated.SeminarKitDoc], str]


SHEETS = (
    Sheet("kit-outcomes", "Learning outcomes and pre-reading", "student", outline_html),
    Sheet("kit-timeline", "Timeline", "student", lambda kit: timeline_html()),
    Sheet("kit-role-cards", "Role cards", "student", role_cards_html),
    Sheet(
        "kit-role-cards-teacher",
        "Role cards: how each stand-off ended",
        "teacher",
        role_outcomes_html,
    ),
    Sheet(
        "kit-claim-check",
        "Five claims and a note, checked",
        "student",
        lambda kit: claim_check_html(),
    ),
    Sheet(
        "kit-claim-check-teacher",
        "Five claims and a note: the book's grounds",
        "teacher",
        lambda kit: claim_grounds_html(),
    ),
    Sheet("kit-glossary", "Glossary", "student", lambda kit: glossary_html()),
    Sheet("kit-primary-sources", "Primary sources", "student", sources_html),
    Sheet("kit-reading", "Reading list", "student", reading_html),
    Sheet("kit-quiz", "Quiz", "student", quiz_html),
    Sheet("kit-quiz-teacher", "Quiz: the answers", "teacher", quiz_key_html),
    Sheet("kit-essays", "Essay questions", "student", essays_html),
    Sheet(
        "kit-not-heard",
        "Who is not heard, and evidence from outside the paper",
        "student",
        both_sides_html,
    ),
    Sheet("kit-discussion", "Discussion notes", "teacher", discussion_html),
)


def write(
    out: Path,
    pdf: bool,
    printer: printable.Printer | None = None,
    kit: curated.SeminarKitDoc | None = None,
) -> list[dict]:
    """Every kit sheet as HTML (and PDF, by ``printer`` when given) in the pack's folder; a row
    per sheet: its stem, title, audience and files."""
    kit = kit or load()
    rows = []
    for s in SHEETS:
        files = printable.write_sheet(s.make(kit), Path(out) / s.stem, pdf, printer)
        rows.append(
            {
                "stem": s.stem,
                "title": s.title,
                "audience": s.audience,
                "files": [f.name for f in files],
            }
        )
    return rows


def written(folder: Path) -> list[dict]:
    """The kit's sheets a pack folder holds, as :func:`write` lists them."""
    rows = []
    for s in SHEETS:
        files = sorted(
            p.name for p in Path(folder).glob(f"{s.stem}.*") if p.suffix in (".html", ".pdf")
        )
        if files:
            rows.append(
                {
                    "stem": s.stem,
                    "title": s.title,
                    "audience": s.audience,
                    "files": sorted(files, key=lambda f: f.endswith(".pdf")),
                }
            )
    return rows
