"""Participant names -> one stable id (ISO 3166-1 alpha-3 via country_converter; a fixed id
for the European Union). Names that changed between snapshots (Czech Republic/Czechia,
Swaziland/Eswatini, The former Yugoslav Republic of Macedonia/North Macedonia,
Turkey/Türkiye, European Community/European Union) map to the same id."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from .errors import UsageError

EU_ID = "EUU"  # the code the World Bank and others use for the European Union; not an ISO country
EU_NAMES = {"european union", "european community", "european economic community"}
_ISO3 = re.compile(r"^[A-Z]{3}$")


class UnknownName(LookupError):
    pass


@lru_cache(maxsize=1)
def _converter():
    # country_converter logs a warning for every name it cannot match; we raise instead.
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    import country_converter as coco

    return coco.CountryConverter()


@lru_cache(maxsize=None)
def participant_id(name: str) -> str:
    """ISO3 (or EUU) for a participant name; :class:`UnknownName` if none or several match."""
    clean = " ".join(name.split())
    if clean.lower() in EU_NAMES:
        return EU_ID
    got = _converter().convert(clean, src="regex", to="ISO3", not_found=None)
    if isinstance(got, list) or not isinstance(got, str) or not _ISO3.match(got) or got == clean:
        raise UnknownName(f"participant name {name!r} matches no single country (country_converter gave {got!r})")
    return got


def lookup(query: str, known: dict[str, str]) -> str:
    """Resolve what a user typed (ISO3, or a name in any spelling country_converter knows)
    against ``known`` (id -> display name). UsageError with the closest names if none."""
    q = query.strip()
    if q.upper() in known:
        return q.upper()
    lowered = {name.lower(): pid for pid, name in known.items()}
    if q.lower() in lowered:
        return lowered[q.lower()]
    try:
        pid = participant_id(q)
    except UnknownName:
        pid = None
    if pid in known:
        return pid
    import difflib

    close = difflib.get_close_matches(q, list(known.values()), n=3, cutoff=0.5)
    hint = f"; closest: {', '.join(close)}" if close else ""
    if pid is not None:
        raise UsageError(f"{query!r} ({pid}) has no action in the records{hint}; give a participant name or ISO3 code")
    raise UsageError(f"unknown participant {query!r}{hint}; give a participant name or ISO3 code")
