"""The chapter "The paper's numbers, checked" (notebooks/claims.ipynb): the claims ledger as
a table grouped by the paper's sections, with verdict badges and links to the evidence."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pandas as pd

from ..data import curated, events
from ..data.vocab import NOT_CHECKABLE, NOT_TESTABLE, PARTIAL_MATCH, verdict_kind
from ..model import claims
from ..render import cite, myst, tables, text
from ..render.tables import Cell, Heading, Row, csv_link, for_readers, scroll_box

BADGE = {
    "match": "match",
    PARTIAL_MATCH: "partial",
    "differs": "differs",
    NOT_CHECKABLE: "not-checkable",
    NOT_TESTABLE: "not-testable",
}
EVENTS_ANCHOR = "the-records-behind-the-dated-claims"
EVENTS_HEADING = "The records behind the dated claims"


def evidence_href(evidence: str) -> str:
    """Link from the claims page (book/claims.html) to the page that shows the evidence."""
    return f"#{EVENTS_ANCHOR}" if evidence == "claims" else f"{evidence}.html"


def shown(params: dict) -> list[claims.ClaimResult]:
    """The recomputed claims whose kind of verdict is among ``params['verdicts']``."""
    return [r for r in claims.evaluate_all() if verdict_kind(r.verdict) in params["verdicts"]]


def _ordered(rows: list[claims.ClaimResult]) -> list[claims.ClaimResult]:
    order = claims.section_order()
    return sorted(rows, key=lambda r: order.index(r.section))


def grounds(r: claims.ClaimResult) -> str:
    """The verdict's grounds in words: the day the claim refers to, why that day, what the
    records show, and, for a causal claim, what would test it."""
    why = text.readable(" ".join(x for x in (r.reasoning, r.explanation) if x))
    out = f"Refers to {r.refers_to}." + (f" {why}" if why else "")
    return out + (f" What would test it: {r.would_test}" if r.would_test else "")


def html_table(rows: list[claims.ClaimResult], link: Callable[[str], str] = evidence_href) -> str:
    """The ledger as an HTML table, grouped by the paper's sections in the paper's order,
    with verdict badges, each claim's grounds, its link to the evidence and its citation form
    (the row's id is the claim's anchor: ``#claim-<id>``)."""
    head = ["Claim (our words)", "The paper", "Recomputed", "Verdict"]
    out: list = []
    section = None
    for r in _ordered(rows):
        if r.section != section:
            section = r.section
            out.append(Heading(section, cls="claims-section"))
        claim = (
            f'{html.escape(r.claim)}<div class="claim-note">{html.escape(grounds(r))} '
            f'<a href="{link(r.evidence)}">Evidence</a>.</div>'
            f'<div class="claim-cite"><a href="#claim-{r.id}">Cite</a>: '
            f"{cite.claim(r.id)}.</div>"
        )
        kind = BADGE[verdict_kind(r.verdict)]
        badge = f'<span class="verdict verdict-{kind}">{html.escape(r.verdict)}</span>'
        cells = [claim, html.escape(r.paper), html.escape(r.recomputed), badge]
        out.append(Row([Cell(c) for c in cells], id=f"claim-{r.id}"))
    table = tables.html_table(head, out, classes="palermo-table palermo-claims")
    return scroll_box(table, "The paper's claims, recomputed, with verdicts")


def _md(value: str) -> str:
    """Curated words safe inside MyST: no markup a claim's text could open by accident."""
    return re.sub(r"([*_`\[\]<>{}|#])", r"\\\1", " ".join(str(value).split()))


def evidence_words(evidence: str) -> str:
    """Where the evidence is, in print: the chapter by its title (a MyST ``doc`` reference,
    which the PDF edition prints as the title, with its link)."""
    if evidence == "claims":
        return f"below, under \u201c{EVENTS_HEADING}\u201d"
    return f"the chapter \u201c{myst.role('doc', evidence)}\u201d"


def print_ledger(rows: list[claims.ClaimResult]) -> str:
    """The ledger for print (the PDF edition, the citable one): by the paper's sections, each
    claim with the paper's value, the records', the verdict, its grounds, where the evidence
    is, and its citation form."""
    out: list[str] = []
    section = None
    for r in _ordered(rows):
        if r.section != section:
            section = r.section
            out.append(f"**The paper's section “{_md(section)}”**\n")
        out.append(
            f"- **{_md(r.claim)}** The paper: {_md(r.paper)}. Recomputed: {_md(r.recomputed)}. "
            f"Verdict: **{_md(r.verdict)}**.\n\n"
            f"  *Grounds.* {_md(grounds(r))} Evidence: {evidence_words(r.evidence)}.\n\n"
            f"  *Cite as:* {cite.claim(r.id, markdown=True)}.\n"
        )
    return "\n".join(out)


def mimebundle(rows: list[claims.ClaimResult]) -> dict:
    """The ledger for every reader: HTML with badges for the web, each claim with its grounds
    in print (Markdown), a table in plain text."""
    df = pd.DataFrame(
        [
            {
                "section": r.section,
                "claim": r.claim,
                "paper": r.paper,
                "recomputed": r.recomputed,
                "verdict": r.verdict,
                "grounds": grounds(r),
                "id": r.id,
            }
            for r in rows
        ]
    )
    return {
        "text/html": html_table(rows) + csv_link(for_readers(df), "claims-ledger.csv"),
        "text/markdown": print_ledger(rows),
        "text/plain": df.drop(columns=["grounds", "id"]).to_string(index=False),
    }


def ungraded() -> pd.DataFrame:
    """The statements of the paper the ledger leaves ungraded on purpose, with the reason."""
    return pd.DataFrame(
        [
            {
                "section": u.section,
                "the paper's statements": "; ".join(" ".join(x.split()) for x in u.statements),
                "why they are not graded": " ".join(u.reason.split()),
            }
            for u in claims.ungraded()
        ],
        columns=["section", "the paper's statements", "why they are not graded"],
    )


def events_table() -> pd.DataFrame:
    """The chronology rows the dated claims are checked against, and only those (the
    chronology's chapter prints every event; the book prints the table once)."""
    ev = events.load()[["id", "start", "end", "event", "place", "symbol", "confidence"]]
    ev = ev[ev["id"].isin(claims.cited_events())]
    return ev.assign(start=ev["start"].dt.date.astype(str), end=ev["end"].dt.date.astype(str))


CHRONOLOGY_TITLE = "From Naples to Palermo, and after"


def events_bundle() -> dict:
    """The dated claims' chronology rows: on the web a table (without the rows' internal ids);
    in print a pointer to the chronology's chapter, which prints every event once."""
    df = events_table().drop(columns=["id"])
    bundle = tables.mimebundle(df, "The chronology rows the dated claims are checked against")
    bundle["text/markdown"] = (
        f"These {len(df)} events are printed, each with its source, in the chapter "
        f"\u201c{CHRONOLOGY_TITLE}\u201d; this edition prints them once.\n"
    )
    return bundle


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues (verdicts)."""
    rows = claims.evaluate_all()
    return {
        "n_claims": len(rows),
        "n_match": sum(verdict_kind(r.verdict) == "match" for r in rows),
        "n_partial": sum(verdict_kind(r.verdict) == PARTIAL_MATCH for r in rows),
        "n_differs": sum(r.verdict == "differs" for r in rows),
        "n_unchecked": sum(r.verdict == NOT_CHECKABLE for r in rows),
        "n_untestable": sum(r.verdict == NOT_TESTABLE for r in rows),
        "n_ungraded": sum(len(u.statements) for u in claims.ungraded()),
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
