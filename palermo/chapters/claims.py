"""The chapter "The paper's numbers, checked" (notebooks/claims.ipynb): the claims ledger as
a table grouped by the paper's sections, with verdict badges and links to the evidence."""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd

from ..data import curated, events
from ..data.vocab import NOT_CHECKABLE, NOT_TESTABLE
from ..model import claims
from ..render import tables, text
from ..render.tables import Cell, Heading, Row, csv_link, for_readers, markdown, scroll_box

BADGE = {
    "match": "match",
    "differs": "differs",
    NOT_CHECKABLE: "not-checkable",
    NOT_TESTABLE: "not-testable",
}
EVENTS_ANCHOR = "the-records-behind-the-dated-claims"


def evidence_href(evidence: str) -> str:
    """Link from the claims page (book/claims.html) to the page that shows the evidence."""
    return f"#{EVENTS_ANCHOR}" if evidence == "claims" else f"{evidence}.html"


def shown(params: dict) -> list[claims.ClaimResult]:
    """The recomputed claims whose verdict is among ``params['verdicts']``."""
    return [r for r in claims.evaluate_all() if r.verdict in params["verdicts"]]


def html_table(rows: list[claims.ClaimResult], link: Callable[[str], str] = evidence_href) -> str:
    """The ledger as an HTML table, grouped by the paper's sections in the paper's order,
    with verdict badges and links to the evidence."""
    order = claims.section_order()
    head = ["Claim (our words)", "The paper", "Recomputed", "Verdict"]
    out: list = []
    section = None
    for r in sorted(rows, key=lambda r: order.index(r.section)):
        if r.section != section:
            section = r.section
            out.append(Heading(section, cls="claims-section"))
        why = text.readable(" ".join(x for x in (r.reasoning, r.explanation) if x))
        test = (
            f" <strong>What would test it:</strong> {html.escape(r.would_test)}"
            if r.would_test
            else ""
        )
        claim = (
            f'{html.escape(r.claim)}<div class="claim-note">Refers to '
            f"{html.escape(r.refers_to)}. "
            + (html.escape(why) + " " if why else "")
            + (test + " " if test else "")
            + f'<a href="{link(r.evidence)}">Evidence</a>.</div>'
        )
        badge = f'<span class="verdict verdict-{BADGE[r.verdict]}">{html.escape(r.verdict)}</span>'
        cells = [claim, html.escape(r.paper), html.escape(r.recomputed), badge]
        out.append(Row([Cell(c) for c in cells], id=f"claim-{r.id}"))
    table = tables.html_table(head, out, classes="palermo-table palermo-claims")
    return scroll_box(table, "The paper's claims, recomputed, with verdicts")


def mimebundle(rows: list[claims.ClaimResult]) -> dict:
    """The ledger for every reader: HTML with badges for the web, a table for print and text."""
    df = pd.DataFrame(
        [
            {
                "section": r.section,
                "claim": r.claim,
                "paper": r.paper,
                "recomputed": r.recomputed,
                "verdict": r.verdict,
            }
            for r in rows
        ]
    )
    return {
        "text/html": html_table(rows) + csv_link(for_readers(df), "claims-ledger.csv"),
        "text/markdown": markdown(df),
        "text/plain": df.to_string(index=False),
    }


def events_table() -> pd.DataFrame:
    """The chronology rows the dated claims are checked against, and only those (the
    chronology's chapter prints every event; the book prints the table once)."""
    ev = events.load()[["id", "start", "end", "event", "place", "symbol", "confidence"]]
    ev = ev[ev["id"].isin(claims.cited_events())]
    return ev.assign(start=ev["start"].dt.date.astype(str), end=ev["end"].dt.date.astype(str))


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues (verdicts)."""
    rows = claims.evaluate_all()
    return {
        "n_claims": len(rows),
        "n_match": sum(r.verdict == "match" for r in rows),
        "n_differs": sum(r.verdict == "differs" for r in rows),
        "n_unchecked": sum(r.verdict == NOT_CHECKABLE for r in rows),
        "n_untestable": sum(r.verdict == NOT_TESTABLE for r in rows),
        "n_sections": len({r.section for r in rows}),
        "n_text_notes": len(curated.load("text_notes").notes),
    }


def text_notes() -> pd.DataFrame:
    """Slips in the paper's text that are not claims (text_notes.yml), for the notes box."""
    notes = curated.load("text_notes").notes
    return pd.DataFrame(
        [
            {
                "the paper's text": n.paper_text,
                "section": n.section,
                "note": " ".join(n.note.split()),
                "source": " ".join(n.source.split()),
            }
            for n in notes
        ]
    )
