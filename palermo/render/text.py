"""Text helpers: one way to write a date, a consent bracket, a count with its noun, and a
note on how far the records reach."""

from __future__ import annotations

import re
from typing import Literal

import pandas as pd

from ..data import treaties
from ..data.vocab import BRACKETED
from ..errors import UsageError

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
    (
        r"\b(?:untc-raw/)?PROVENANCE\.md(?:,?\s+(?:section|§)\s*[\w.]+)?",
        "the project's notes on the raw records",
    ),
    (r"\bcorrections\.yml(?::\s*[\w-]+)?", "the notes on the text"),
    (r"\bexplanations\.yml(?::\s*[\w-]+)?", "the argument map"),
    # the chronology cited with its rows' ids: "(events.csv, odccp-1997, unodc-2002)"
    (
        r"\bevents\.csv(?:(?:(?::|,)?\s*(?:rows?\s+)?[a-z][\w-]*\d[\w-]*)(?:,\s*[a-z][\w-]*\d[\w-]*)*)?",
        "the chronology",
    ),
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


def the(label: str) -> str:
    """An instrument's label in running prose: 'UNTOC', but 'the Rome Statute'."""
    return label if label.split()[0].isupper() else f"the {label}"


def treaty_name(treaty) -> str:
    """A treaty as readers know it, in every table, heading and sentence of the book: 'UNTOC',
    'Trafficking Protocol', '1988 Drugs Convention', 'Rome Statute' (its label in the curated
    list of treaties), from its short id, UNTC number or :class:`~palermo.data.treaties.Treaty`.
    The short ids ('TIP', 'DRUGS1988') are what a researcher types as a parameter, never what a
    reader reads."""
    return treaties.resolve(treaty).label


def the_treaty(treaty) -> str:
    """:func:`treaty_name` in running prose: 'UNTOC', 'the Trafficking Protocol'."""
    return the(treaty_name(treaty))


def treaty_names(values) -> list[str]:
    """:func:`treaty_name` of each value (a column of short ids or UNTC numbers)."""
    return [treaty_name(v) for v in values]


def treaty_column(values) -> list[str] | None:
    """A table's column of treaties as readers read it: each short id, UNTC number or
    ';'-separated list of them named (:func:`treaty_name`, a list joined as prose); None when
    any non-empty value is not a treaty (the column is left as it is)."""
    out = []
    for v in values:
        if not isinstance(v, str) or not v.strip():
            out.append(v)
            continue
        try:
            out.append(join([treaty_name(t) for t in v.split(";")]))
        except UsageError:
            return None
    return out


def join(items) -> str:
    """Names as prose: 'A', 'A and B', 'A, B and C'."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def count(c, short: bool = False) -> str:
    """A count as a reader may quote it (``c`` a :class:`~palermo.model.coverage.Count`): '182'
    or '177-178' (an action dated only within a range) where the records are complete; where
    they are not, the bounds: 'at least 187 (182 named; records complete through 2014-07-10;
    the lower bound from the 186th party (Chad, 2018-06-26))', or 'at least 179, at most 180
    (...)' where a later headline count bounds it (:func:`reach`; 'at least 187' when
    ``short``)."""
    if c.complete:
        return span(c.parties, c.parties_max)
    out = f"at least {c.parties}"
    if c.parties_max is not None and not short:
        out = f"{out}, at most {c.parties_max}"
    return out if short else f"{out} ({reach(c)})"


def bounds(c) -> str:
    """A count as its bounds, no noun: '190', '177-178' where the records are complete;
    'at least 187', 'at least 179 and at most 180' where they are not."""
    if c.complete:
        return span(c.parties, c.parties_max)
    if c.parties_max is None or c.parties_max == c.parties:
        return f"at least {c.parties}"
    return f"at least {c.parties} and at most {c.parties_max}"


def parties_text(c) -> str:
    """:func:`bounds` with its noun: '190 parties', 'at least 1 party', 'at least 179 and at
    most 180 parties'."""
    if c.complete:
        return parties_span(c.parties, c.parties_max)
    return f"{bounds(c)} {'party' if bounds(c).endswith(' 1') else 'parties'}"


def named(c) -> str:
    """The parties the records name on the count's day: '182 named', or '181-182 named' where
    an action is dated only within a range."""
    return f"{span(c.named, c.named_max)} named"


# an action dated only to a year leaves a count a range even where the records are complete
YEAR_ONLY = " (an action dated only to a year makes it a range)"


def reach(c, form: Literal["basis", "day", "cell"] = "basis") -> str:
    """How far the records reach for a count ``c`` (a :class:`~palermo.model.coverage.Count`,
    or anything with its fields), in the one set of words every page uses:

    - ``"basis"``, what an incomplete count rests on (:func:`count`): '182 named; records
      complete through 2014-07-10; the lower bound from the 186th party (Chad, 2018-06-26);
      no later headline count sets an upper bound';
    - ``"day"``, a clause on the count's day: 'the records are complete on that day', or 'the
      records are incomplete on that day (<basis>)';
    - ``"cell"``, a table's cell: 'complete on that day' (a range noted), or 'complete through
      2014-07-10; 182 named, so the count is a lower bound' ('..., the rest from dated official
      counts' where those counts require more parties than the records name).

    Several treaties' reach on one day is :func:`through_dates`; a treaty's coverage as a
    sentence, :func:`coverage_note`."""
    if form == "day":
        if c.complete:
            return "the records are complete on that day"
        return f"the records are incomplete on that day ({reach(c)})"
    if form == "cell":
        if c.complete:
            return "complete on that day" + (YEAR_ONLY if c.parties_max != c.parties else "")
        head = f"complete through {c.complete_through}; {named(c)}" + (
            YEAR_ONLY if c.named_max != c.named else ""
        )
        if c.parties > c.named_max:
            return f"{head}, the rest from dated official counts"
        return f"{head}, so the count is a lower bound"
    parts = [named(c), f"records complete through {c.complete_through}"]
    if c.lower_basis is not None:
        parts.append(f"the lower bound from {c.lower_basis.label()}")
    if c.parties_max is None:
        parts.append("no later headline count sets an upper bound")
    elif c.upper_basis is not None:
        parts.append(f"the upper bound from {c.upper_basis.label()}")
    return "; ".join(parts)


def through_dates(ends) -> str:
    """Treaties with the date each one's records are complete through, as prose, from (treaty,
    date) pairs: 'UNTOC (complete through 2024-05-04) and the Trafficking Protocol (complete
    through 2018-01-15)' (a treaty named twice, once)."""
    each = {the_treaty(t): d for t, d in ends}
    return join([f"{t} (complete through {iso(d)})" for t, d in each.items()])


def through(cov, form: Literal["words", "cell"] = "words") -> str:
    """How a treaty's records reach their date (``cov`` a
    :class:`~palermo.model.coverage.Coverage`), in words: 'complete through 2018-01-15' where
    a status table reaches it, 'complete through 2014-01-27 (the status table) and consistent
    with the headline count of 2024-05-04 through that day' where a matching count carries it
    on. As a table's cell under "records complete through" (``form="cell"``): '2018-01-15', or
    '2014-01-27; consistent with the count of 2024-05-04'."""
    if form == "cell":
        if not cov.carried:
            return str(cov.complete_through)
        return f"{cov.table_through}; consistent with the count of {cov.complete_through}"
    if not cov.carried:
        return f"complete through {cov.complete_through}"
    return (
        f"complete through {cov.table_through} (the status table) and consistent with the "
        f"headline count of {cov.complete_through} through that day"
    )


def standing(status: str, day, through, since: str = "") -> str:
    """A participant's status on ``day`` as a reader may quote it. Where ``day`` is after the
    treaty's records end (``through``), a status short of party is only the last one the records
    know, and says so with their date: 'signatory — last record 2014-07-10', 'none — last
    record 2018-01-15' (no action in the records up to then). A party stays one (a withdrawal
    needs a notification the records would name). ``since`` adds the action's date ('party
    since 2006-08-02')."""
    word = {
        "party": "party",
        "possibly_party": "possibly a party",
        "signatory": "signatory",
        "withdrawn": "withdrawn",
        "none": "none",
    }.get(status, str(status))
    if since:
        word += f" since {since}" if status in ("party", "signatory") else f" ({since})"
    past = pd.Timestamp(day).date() > pd.Timestamp(through).date()
    if not past or status in ("party", "withdrawn"):
        return word
    return f"{word} — last record {pd.Timestamp(through).date()}"


def coverage_note(cov, c) -> str:
    """One sentence or three on how far the records of a treaty reach on a day, from the
    model's answers (``model.coverage.reach``): its coverage ``cov`` and the count ``c`` on
    that day. Words only: nothing here asks the model again."""
    t, day = cov.treaty, cov.as_of
    name = the_treaty(t)
    if cov.complete:
        if cov.by_count:
            return (
                f"The records of {name} are {through(cov)}; on {day} they are consistent with "
                "it, so the counts on that day are taken as complete."
            )
        return (
            f"The records of {name} are complete through {cov.complete_through}, so the counts "
            f"on {day} are complete."
        )
    text = f"The records of {name} are {through(cov)}; {day} is later."
    if c.unattributed:
        text += (
            f" They name {span(c.named, c.named_max)} parties on that day, but "
            f"{c.lower_basis.label()}, with the "
            f"joins the records name after it, requires at least {c.parties}: at least "
            f"{parties_span(c.unattributed, c.unattributed)} no record names."
        )
    if c.parties_max is not None:
        text += f" {c.upper_basis.label().capitalize()} allows at most {c.parties_max}."
    else:
        text += " No headline count after that day bounds the count from above."
    return (
        text + " Actions after the records' end that no curated row records are missing from "
        "the named parties, so every count on that day is a lower bound."
    )


def bullets(lines) -> str:
    """Markdown bullet list."""
    return "\n".join(f"- {line}" for line in lines)
