"""The claims ledger (data/curated/claims.yml): the paper's checkable numbers and dates,
each recomputed from the records by a named function and compared with what the paper
prints. The verdict in the file is pinned; :func:`evaluate` recomputes it, and a test fails
when the two disagree."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable

import pandas as pd
import yaml

from . import events, membership, status
from .errors import DataError
from .paths import CURATED

CLAIMS = CURATED / "claims.yml"
VERDICTS = ("match", "differs", "not checkable with these records")
COMPARES = ("equal", "count", "fraction", "none")
SIMPLE_FRACTIONS = [Fraction(1, 5), Fraction(1, 4), Fraction(1, 3), Fraction(2, 5), Fraction(1, 2),
                    Fraction(2, 3), Fraction(3, 4)]
NOT_CHECKABLE = VERDICTS[2]

COMPUTATIONS: dict[str, Callable[..., Any]] = {}


def computation(fn):
    COMPUTATIONS[fn.__name__] = fn
    return fn


def _participant_row(treaty, participant, as_of=None):
    st = status.status(treaty, as_of or status.today())
    hit = st[st["participant_id"] == participant]
    return None if hit.empty else hit.iloc[0]


# --- computations -----------------------------------------------------------------------

@computation
def parties_on(treaty, as_of) -> dict:
    """Parties on a date, with the bracket and the coverage of the records."""
    c = status.counts(treaty, as_of)
    cov = status.coverage(treaty, as_of)
    return {"parties": c["parties"], "parties_max": c["parties_max"], "complete": cov["complete_on_as_of"],
            "complete_through": cov["complete_through"]}


@computation
def first_party(treaty) -> str:
    st = status.status(treaty, status.today())
    p = st[st["status"] == "party"].sort_values(["consent", "name"]).iloc[0]
    return f"{p['name']}, {p['consent'].date()}"


@computation
def first_party_month(treaty) -> str:
    st = status.status(treaty, status.today())
    p = st[st["status"] == "party"].sort_values(["consent", "name"]).iloc[0]
    return f"{p['name']}, {p['consent']:%Y-%m}"


@computation
def latest_party_year(treaty, as_of) -> str:
    st = status.status(treaty, as_of)
    p = st[st["status"] == "party"].sort_values(["consent_latest", "name"]).iloc[-1]
    return f"{p['name']}, {p['consent'].year}"


@computation
def consent_year(treaty, participant) -> int | None:
    r = _participant_row(treaty, participant)
    return None if r is None or pd.isna(r["consent"]) else int(r["consent"].year)


@computation
def signature_year(treaty, participant) -> int | None:
    r = _participant_row(treaty, participant)
    return None if r is None or pd.isna(r["signature"]) else int(r["signature"].year)


@computation
def status_of(treaty, participant, as_of) -> str:
    r = _participant_row(treaty, participant, as_of)
    return "none" if r is None else str(r["status"])


@computation
def share_of_members_not_party(treaty, start, end) -> dict:
    """Share of UN Member States not party, at the start and the end of a period."""
    out = {}
    for key, day in (("start", start), ("end", end)):
        st = status.status(treaty, day)
        parties = set(st.loc[st["status"] == "party", "participant_id"])
        members = membership.members_on(day)
        outside = int((~members["participant_id"].isin(parties)).sum())
        out[key] = (outside, len(members))
    return out


@computation
def entry_into_force(treaty) -> str:
    return str(status.entry_into_force(treaty)["computed"])


@computation
def sessions_between(pattern, start, end) -> int:
    """Events whose id matches `pattern` (e.g. the numbered sessions ^ahc-[0-9]+$) starting in the period."""
    ev = events.load()
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    return int((ev["id"].str.fullmatch(pattern.strip("^$")) & (ev["start"] >= s) & (ev["start"] <= e)).sum())


@computation
def event_year(event) -> int:
    return int(events.get(event)["start"].year)


@computation
def event_years(events) -> str:
    from . import events as ev

    return ", ".join(str(ev.get(e)["start"].year) for e in events)


@computation
def years_from_eif_to_event(treaty, event) -> int:
    return event_year(event) - status.entry_into_force(treaty)["computed"].year


@computation
def adoption_month(treaties) -> str:
    from . import treaties as tr

    months = {f"{tr.index_entry(t)['adopted']:%Y-%m}" for t in treaties}
    return ", ".join(sorted(months))


@computation
def first_signature_month(treaty) -> str:
    st = status.status(treaty, status.today())
    return f"{st['signature'].min():%Y-%m}"


@computation
def adopted_before_event(treaties, event) -> bool:
    from . import treaties as tr

    when = events.get(event)["start"].date()
    return all(tr.index_entry(t)["adopted"] < when for t in treaties)


@computation
def in_force_after_event(treaties, event) -> bool:
    when = events.get(event)["start"].date()
    return all(status.entry_into_force(t)["official"] > when for t in treaties)


# --- comparing --------------------------------------------------------------------------

def _fraction_label(f: Fraction) -> Fraction:
    return min(SIMPLE_FRACTIONS, key=lambda s: abs(float(s) - float(f)))


def compare(kind: str, paper: Any, value: Any) -> tuple[str, str]:
    """(verdict, the recomputed value as text)."""
    if kind == "none" or value is None:
        return NOT_CHECKABLE, "-"
    if kind == "count":
        lo, hi = value["parties"], value["parties_max"]
        text = str(lo) if lo == hi else f"{lo}-{hi}"
        text += " (records complete)" if value["complete"] else f" (records complete through {value['complete_through']})"
        if lo <= int(paper) <= hi:
            return "match", text
        if int(paper) < lo or value["complete"]:
            return "differs", text
        return NOT_CHECKABLE, text
    if kind == "fraction":
        target = Fraction(str(paper))
        shares = list(dict.fromkeys(value.values()))  # (part, whole) at each end of the period
        text = " to ".join(f"{a} of {b} ({a / b:.1%})" for a, b in shares)
        verdict = "match" if all(_fraction_label(Fraction(a, b)) == target for a, b in shares) else "differs"
        return verdict, text
    if kind == "equal":
        same = str(value).lower() == str(paper).lower() if isinstance(value, (str, bool)) else value == paper
        return ("match" if same else "differs"), str(value)
    raise DataError(f"unknown comparison {kind!r}; allowed: {', '.join(COMPARES)}")


# --- the ledger ---------------------------------------------------------------------------

REQUIRED = ("id", "claim", "section", "refers_to", "computation", "compare", "paper_value", "verdict", "evidence")


@lru_cache(maxsize=1)
def ledger() -> tuple[dict, ...]:
    doc = yaml.safe_load(CLAIMS.read_text(encoding="utf-8"))
    out, seen = [], set()
    for i, c in enumerate(doc.get("claims") or [], start=1):
        where = f"{CLAIMS.name}, claim #{i} ({c.get('id', '?')})"
        missing = [k for k in REQUIRED if k not in c]
        if missing:
            raise DataError(f"{where}: missing {missing}")
        if c["id"] in seen:
            raise DataError(f"{where}: duplicate id")
        seen.add(c["id"])
        if c["verdict"] not in VERDICTS:
            raise DataError(f"{where}: verdict {c['verdict']!r}; allowed: {', '.join(VERDICTS)}")
        if c["compare"] not in COMPARES:
            raise DataError(f"{where}: compare {c['compare']!r}; allowed: {', '.join(COMPARES)}")
        if c["computation"] != "none" and c["computation"] not in COMPUTATIONS:
            raise DataError(f"{where}: unknown computation {c['computation']!r}; known: {', '.join(sorted(COMPUTATIONS))}")
        if c["verdict"] != "match" and not c.get("explanation"):
            raise DataError(f"{where}: a '{c['verdict']}' verdict needs an explanation")
        out.append(c)
    return tuple(out)


def _plain(v):
    if isinstance(v, (dt.date, pd.Timestamp)):
        return str(v)[:10]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def evaluate(claim: dict) -> dict:
    """Recompute one claim; the result carries both the pinned and the recomputed verdict."""
    args = {k: _plain(v) for k, v in (claim.get("args") or {}).items()}
    value = None if claim["computation"] == "none" else COMPUTATIONS[claim["computation"]](**args)
    verdict, text = compare(claim["compare"], claim["paper_value"], value)
    return {"id": claim["id"], "claim": claim["claim"], "section": claim["section"],
            "refers_to": str(claim["refers_to"]), "reasoning": " ".join(str(claim.get("reasoning", "")).split()),
            "computation": claim["computation"], "args": args, "paper": str(claim["paper_value"]),
            "recomputed": text, "verdict": verdict, "pinned": claim["verdict"],
            "explanation": " ".join(str(claim.get("explanation", "")).split()), "evidence": claim["evidence"]}


def evaluate_all() -> list[dict]:
    return [evaluate(c) for c in ledger()]


def table() -> pd.DataFrame:
    return pd.DataFrame(evaluate_all())


BADGE = {"match": "match", "differs": "differs", NOT_CHECKABLE: "not-checkable"}


EVENTS_ANCHOR = "the-records-behind-the-dated-claims"


def evidence_href(evidence: str) -> str:
    """Link from the claims page (book/claims.html) to the page that shows the evidence."""
    return f"#{EVENTS_ANCHOR}" if evidence == "claims" else f"{evidence}.html"


@lru_cache(maxsize=1)
def section_order() -> list[str]:
    """The paper's section headings in the order the paper has them."""
    from .paths import ROOT

    text = (ROOT.parent / "shared" / "paper" / "tennant-2021-fulfilling-the-promise-of-palermo.txt")
    names = {c["section"] for c in ledger()}
    if not text.is_file():  # without the paper beside the repository, keep the ledger's order
        return list(dict.fromkeys(c["section"] for c in ledger()))
    body = text.read_text(encoding="utf-8")
    return sorted(names, key=lambda n: body.find("\n" + n + "\n"))


def html_table(rows: list[dict], link: Callable[[str], str] = evidence_href) -> str:
    """The ledger as an HTML table, grouped by the paper's sections in the paper's order,
    with verdict badges and links to the evidence."""
    import html

    head = ["Claim (our words)", "The paper", "Recomputed", "Verdict"]
    out = ['<table class="palermo-table palermo-claims"><thead><tr>'
           + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"]
    section = None
    for r in sorted(rows, key=lambda r: section_order().index(r["section"])):
        if r["section"] != section:
            section = r["section"]
            out.append(f'<tr class="claims-section"><th colspan="{len(head)}">{html.escape(section)}</th></tr>')
        why = " ".join(x for x in (r["reasoning"], r["explanation"]) if x)
        claim = (f'{html.escape(r["claim"])}<div class="claim-note">Refers to {html.escape(r["refers_to"])}. '
                 + (html.escape(why) + " " if why else "")
                 + f'<a href="{link(r["evidence"])}">Evidence</a>.</div>')
        cells = [claim, html.escape(r["paper"]), html.escape(r["recomputed"]),
                 f'<span class="verdict verdict-{BADGE[r["verdict"]]}">{html.escape(r["verdict"])}</span>']
        out.append(f'<tr id="claim-{r["id"]}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def mimebundle(rows: list[dict]) -> dict:
    """The ledger for every reader: HTML with badges for the web, a table for print and text."""
    from .tables import markdown

    df = pd.DataFrame([{"section": r["section"], "claim": r["claim"], "paper": r["paper"], "recomputed": r["recomputed"],
                        "verdict": r["verdict"]} for r in rows])
    return {"text/html": html_table(rows), "text/markdown": markdown(df), "text/plain": df.to_string(index=False)}
