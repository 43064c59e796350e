"""Text helpers: one way to write a date, a consent bracket, a count with its noun, and a
note on how far the records reach."""

from __future__ import annotations

import re

import pandas as pd

from ..data.vocab import BRACKETED
from ..model.coverage import coverage

# The curated files cite each other by file and row id (so tests can follow the links); a reader
# reads the same reference in words. Longest patterns first.
_REFERENCES = [
    (
        r"\b(?:untc-raw/)?later-actions(?:-\d{4}|-addendum)?\.md"
        r"(?:,?\s+(?:section|§)\s*[\w.]+)?(?:,?\s+rows?\s+[\w.–-]+)?",
        "the project's research notes on later actions",
    ),
    (
        r"\b(?:reference/)?chronology-research\.md(?:,\s*notes?\s+[\w–-]+)?",
        "the project's research notes on the chronology",
    ),
    (r"\bcorrections\.yml(?::\s*[\w-]+)?", "the notes on the text"),
    (r"\bexplanations\.yml(?::\s*[\w-]+)?", "the argument map"),
    (r"\bevents\.csv(?:(?::|,)?\s*(?:row\s+)?[a-z][\w-]*\d[\w-]*)?", "the chronology"),
    (r"\btreaty_actions\.csv(?:,?\s*rows?\s+\d+)?", "the curated treaty actions"),
    (r"\bclaims\.yml(?::\s*[\w-]+)?", "the claims ledger"),
]


def readable(value):
    """A curated text with its file-and-row references in words (any other value unchanged)."""
    if not isinstance(value, str) or not re.search(r"\.(?:md|yml|csv)\b", value):
        return value
    for pattern, words in _REFERENCES:
        value = re.sub(pattern, words, value)
    return value


# a median over fewer States than this is theirs, not a region's
MIN_STATES = 3


def median_cell(median: float, states: int, unit: str = "years") -> str:
    """'4.2 (n=17)'; under MIN_STATES States the figure is not a regional one, and says so."""
    if states < MIN_STATES:
        return f"{states} State{'s' if states != 1 else ''}: too few for a median"
    return f"{median:,.1f} (n={states})" if unit == "years" else f"{median:,.0f} (n={states})"


def iso(value) -> str:
    """A date as YYYY-MM-DD, or '' when missing."""
    return "" if value is None or pd.isna(value) else str(pd.Timestamp(value).date())


def consent(day, latest=None, precision=None) -> str:
    """A consent date, or its bracket ('2020-01-01 to 2020-12-31') when the source gives only a
    year or a range; '' when there is none."""
    if day is None or pd.isna(day):
        return ""
    if isinstance(precision, str) and precision in BRACKETED and latest is not None:
        return f"{iso(day)} to {iso(latest)}"
    return iso(day)


def period(start, end) -> str:
    """'2001-09-11', or '2025-10-25 to 2025-10-26' for an event over several days."""
    return iso(start) if iso(start) == iso(end) else f"{iso(start)} to {iso(end)}"


def span(lo, hi) -> str:
    """'12' or '12-14'."""
    return str(lo) if lo == hi else f"{lo}-{hi}"


def parties_span(lo: int, hi: int) -> str:
    """'1 party', '2 parties', '1-2 parties'."""
    return plural(lo, "party") if lo == hi else f"{span(lo, hi)} parties"


def plural(n: int, singular: str, plural_form: str | None = None, zero: str | None = None) -> str:
    """'1 party', '3 parties', '0 parties' (or, with zero="no", 'no parties')."""
    word = singular if n == 1 else (plural_form or _plural(singular))
    return f"{zero if (n == 0 and zero) else n} {word}"


def years(x: float) -> str:
    """A duration in years as prose: '1 year', '3.9 years', '15 years' (one decimal at most)."""
    v = round(float(x), 1)
    shown = f"{v:g}"
    return f"{shown} year" if shown == "1" else f"{shown} years"


_NUMBER_WORDS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def times_as(ratio: float, adjective: str = "long") -> str:
    """A ratio as words, so that it cannot be misread beside the numbers it comes from:
    'about as long', 'about twice as long', 'about four times as long', 'about 12 times as
    long', 'about half as long', 'about 40% as long'."""
    x = float(ratio)
    if x <= 0:
        raise ValueError(f"a ratio must be positive, not {ratio!r}")
    if abs(x - 1) < 0.1:
        return f"about as {adjective}"
    if x < 1:
        return (
            f"about half as {adjective}"
            if abs(x - 0.5) < 0.05
            else f"about {round(x * 100)}% as {adjective}"
        )
    half = round(x * 2) / 2
    if half == 1.5:
        return f"about one and a half times as {adjective}"
    if half == 2:
        return f"about twice as {adjective}"
    whole = round(x)
    if abs(x - whole) < 0.25:
        return f"about {_NUMBER_WORDS.get(whole, str(whole))} times as {adjective}"
    return f"about {half:g} times as {adjective}"


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def join(items) -> str:
    """Names as prose: 'A', 'A and B', 'A, B and C'."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def count(c, short: bool = False) -> str:
    """A count as a reader may quote it: '182', '177-178' (an action dated only within a range),
    or, where the records are incomplete on the day, 'at least 171 (records complete through
    2014-07-10)' ('at least 171' when ``short``)."""
    if c.complete:
        return span(c.parties, c.parties_max)
    return f"at least {c.parties}" + (
        "" if short else f" (records complete through {c.complete_through})"
    )


def coverage_note(treaty, as_of) -> str:
    """One sentence or three on how far the records of a treaty reach on as_of."""
    cov = coverage(treaty, as_of)
    t, day, through = cov.treaty, cov.as_of, cov.complete_through
    if cov.complete:
        return (
            f"The records of {t} are complete through {through}, so the counts on {day} "
            "are complete."
        )
    text = f"The records of {t} are complete through {through}; {day} is later."
    missing = " Actions after that date that no curated row records are missing from the counts."
    if cov.unattributed is None:
        text += " No headline count between then and as_of measures the gap"
        nxt = cov.next_headline
        if nxt:
            text += (
                f"; the next one ({plural(nxt.parties, 'party')} on {nxt.date}) has "
                f"{parties_span(nxt.unattributed, nxt.unattributed_max)} the records "
                "cannot attribute"
            )
        return text + "." + missing
    h = cov.headline
    return (
        text + f" The headline count of {h.date} ({plural(h.parties, 'party')}) has "
        f"{parties_span(cov.unattributed, cov.unattributed_max)} the records cannot "
        "attribute." + missing
    )


def coverage_notes(instruments, as_of) -> list[str]:
    return [coverage_note(t, as_of) for t in instruments]


def bullets(lines) -> str:
    """Markdown bullet list."""
    return "\n".join(f"- {line}" for line in lines)
