"""The nine treaties: short ids, UNTC numbers, entry-into-force rules (data/curated/treaties.yml)
and titles and adoption dates read from the raw UNTC index."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from . import sources
from .errors import DataError, UsageError
from .paths import CURATED

TREATIES_YML = CURATED / "treaties.yml"


@dataclass(frozen=True)
class Treaty:
    short: str
    number: str
    name: str
    eif_rule: dict
    eif_article: str
    official_eif: dt.date
    official_eif_source: str

    def __str__(self) -> str:  # pragma: no cover - convenience
        return f"{self.short} ({self.number})"


@lru_cache(maxsize=1)
def all_treaties() -> tuple[Treaty, ...]:
    doc = yaml.safe_load(TREATIES_YML.read_text(encoding="utf-8"))
    out = []
    for i, t in enumerate(doc["treaties"], start=1):
        eif = t.get("entry_into_force") or {}
        rule = eif.get("rule") or {}
        if not {"n", "days"} <= set(rule) or not isinstance(eif.get("official"), dt.date):
            raise DataError(f"{TREATIES_YML.name}: treaty #{i} ({t.get('short')}) needs entry_into_force.rule n, days and an official date")
        out.append(Treaty(short=t["short"], number=t["number"], name=t["name"], eif_rule=dict(rule),
                          eif_article=eif.get("article", ""), official_eif=eif["official"],
                          official_eif_source=eif.get("source", "")))
    return tuple(out)


def short_ids() -> list[str]:
    return [t.short for t in all_treaties()]


def resolve(treaty: str | Treaty) -> Treaty:
    """A treaty from its short id (UNTOC, TIP, ...) or UNTC number (XVIII-12), any case."""
    if isinstance(treaty, Treaty):
        return treaty
    key = str(treaty).strip().upper()
    for t in all_treaties():
        if key in (t.short.upper(), t.number.upper()):
            return t
    allowed = ", ".join(f"{t.short} ({t.number})" for t in all_treaties())
    raise UsageError(f"unknown treaty {treaty!r}; allowed: {allowed}")


_TITLE = re.compile(r"^(?P<title>.*)\.\s+(?P<place>[^.,]+),\s+(?P<date>\d{1,2} [A-Z][a-z]+ \d{4})$")


@lru_cache(maxsize=1)
def _index() -> dict[str, dict]:
    src = next(s for s in sources.registry() if s.kind == "index")
    text = sources.read_bytes(src).decode("utf-8")
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
        raise DataError(f"raw UNTC index, {t.number}: cannot read place and date from {row['treaty_name']!r}")
    return {
        "title": m["title"],
        "place": m["place"],
        "adopted": dt.datetime.strptime(m["date"], "%d %B %Y").date(),
        "url": row["url"],
    }
