"""The nine treaties: short ids, UNTC numbers, entry-into-force rules, colours and named
groups (``data/curated/treaties.yml``); titles and adoption dates read from the raw UNTC index."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import DataError, UsageError
from . import curated, registry


@dataclass(frozen=True)
class Treaty:
    short: str
    number: str
    name: str
    colour: str
    mtdsg_xml: str
    label: str
    eif_rule: dict
    eif_article: str
    official_eif: dt.date | None
    official_eif_source: str
    adopted_date: dt.date | None = None
    adopted_source: str | None = None
    records_expected: bool = True

    def __str__(self) -> str:
        return f"{self.short} ({self.number})"


@lru_cache(maxsize=1)
def all_treaties() -> tuple[Treaty, ...]:
    doc = curated.load("treaties")
    return tuple(
        Treaty(
            short=t.short,
            number=t.number,
            name=t.name,
            colour=t.colour,
            label=t.label,
            mtdsg_xml=t.mtdsg_xml,
            eif_rule=t.entry_into_force.rule.model_dump(),
            eif_article=t.entry_into_force.article,
            official_eif=t.entry_into_force.official,
            official_eif_source=t.entry_into_force.source,
            adopted_date=t.adopted,
            adopted_source=t.adopted_source,
            records_expected=t.records_expected,
        )
        for t in doc.treaties
    )


def short_ids() -> list[str]:
    return [t.short for t in all_treaties()]


def group(name: str) -> list[str]:
    """A named group of short ids (convention, peers, terrorism, history, seminar)."""
    groups = curated.load("treaties").groups
    if name not in groups:
        raise DataError(f"treaties.yml has no group {name!r}; known: {', '.join(groups)}")
    return list(groups[name])


def labels() -> dict[str, str]:
    """Each instrument's name as a reader knows it (not its short id), by short id."""
    return {t.short: t.label for t in all_treaties()}


def colours() -> dict[str, str]:
    """Each instrument's one colour in every chart."""
    return {t.short: t.colour for t in all_treaties()}


def resolve(treaty: str | Treaty) -> Treaty:
    """A treaty from its short id (UNTOC, TIP, ...), UNTC number (XVIII-12) or the name the book
    shows readers (Trafficking Protocol), any case."""
    if isinstance(treaty, Treaty):
        return treaty
    key = " ".join(str(treaty).split()).upper()
    for t in all_treaties():
        if key in (t.short.upper(), t.number.upper(), t.label.upper()):
            return t
    allowed = ", ".join(f"{t.short} ({t.number})" for t in all_treaties())
    raise UsageError(f"unknown treaty {treaty!r}; allowed: {allowed}")


_TITLE = re.compile(r"^(?P<title>.*)\.\s+(?P<place>[^.,]+),\s+(?P<date>\d{1,2} [A-Z][a-z]+ \d{4})$")


@lru_cache(maxsize=1)
def _index() -> dict[str, dict]:
    src = next(s for s in registry.registry() if s.kind == "index")
    text = registry.read_bytes(src).decode("utf-8")
    out = {}
    for row in csv.DictReader(io.StringIO(text)):
        m = re.search(r"mtdsg_no=([^&]+)", row["url"])
        if m:
            out[m.group(1)] = row
    return out


def index_entry(treaty: str | Treaty) -> dict:
    """Title, place and date of adoption, and UNTC page, from the raw UNTC index."""
    t = resolve(treaty)
    row = _index().get(t.number)
    if row is None:
        raise DataError(f"raw UNTC index has no row for {t.number}")
    m = _TITLE.match(row["treaty_name"].strip())
    if not m:
        raise DataError(
            f"raw UNTC index, {t.number}: cannot read place and date from {row['treaty_name']!r}"
        )
    return {
        "title": m["title"],
        "place": m["place"],
        "adopted": dt.datetime.strptime(m["date"], "%d %B %Y").date(),
        "url": row["url"],
    }


def adopted(treaty: str | Treaty) -> dt.date:
    t = resolve(treaty)
    return t.adopted_date or index_entry(t)["adopted"]


def held(treaty: str | Treaty) -> bool:
    """Whether any participant table (snapshot) of the treaty is registered or fetched."""
    number = resolve(treaty).number
    return any(s.kind == "snapshot" and s.treaty == number for s in registry.registry())


def with_records() -> list[Treaty]:
    """The treaties whose participant records are held."""
    return [t for t in all_treaties() if held(t)]


def not_held_message(treaty: str | Treaty) -> str:
    t = resolve(treaty)
    return (
        f"the participant records of {t.short} ({t.number}, {t.name}, adopted {adopted(t)}) "
        f"are not held; `palermo sources update {t.short}` fetches them from the UN Treaty "
        "Collection"
    )
