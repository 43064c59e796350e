"""Countries: every use of ``country_converter`` is behind the functions here.

* Participant names -> one stable id: ISO 3166-1 alpha-3, or ``EUU`` for the European Union.
  Names that changed between snapshots (Czech Republic/Czechia, Swaziland/Eswatini, The
  former Yugoslav Republic of Macedonia/North Macedonia, Turkey/Türkiye, European
  Community/European Union) map to the same id.
* UN Member States with their year of admission (country_converter's ``UNmember`` column)
  and, for the States admitted from 1988 on (the book's earliest date), the day of admission
  (un_admissions.csv, each with its source), so membership on a day is exact for
  every date the book accepts: South Sudan, admitted on 14 July 2011, is not a member on
  1 March 2011. Predecessor states carry their successors' codes.
* Regions: UN M49 regions (Africa, Americas, Asia, Europe, Oceania) or sub-regions. The
  European Union is a regional organization, in no region: it gets a group of its own.
* ISO 3166-1 numeric codes, which join participants to the map geometry.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import re
import unicodedata
from functools import cache, lru_cache

import pandas as pd

from ..errors import DataError, UsageError
from . import curated

EU_ID = "EUU"  # the code the World Bank and others use for the European Union; not an ISO country
EU_NAMES = {"european union", "european community", "european economic community"}
_ISO3 = re.compile(r"^[A-Z]{3}$")
SCHEMES = {"m49_region": "continent", "m49_subregion": "UNregion"}
_RENAME = {"America": "Americas"}
ORGANIZATION = "Regional organization (EU)"


_QUOTES = str.maketrans("\u2019\u2018\u02bc", "'''")  # typographic apostrophes, as typed


class UnknownName(LookupError):
    pass


@lru_cache(maxsize=1)
def _converter():
    # country_converter logs a warning for every name it cannot match; we raise instead.
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    import country_converter as coco

    return coco.CountryConverter()


def _table() -> pd.DataFrame:
    return _converter().data


@cache
def participant_id(name: str) -> str:
    """ISO3 (or EUU) for a participant name; :class:`UnknownName` if none or several match."""
    clean = " ".join(name.split())
    if clean.lower() in EU_NAMES:
        return EU_ID
    got = _converter().convert(clean, src="regex", to="ISO3", not_found=None)
    if isinstance(got, list) or not isinstance(got, str) or not _ISO3.match(got) or got == clean:
        raise UnknownName(
            f"participant name {name!r} matches no single country (country_converter gave {got!r})"
        )
    return got


def lookup(query: str, known: dict[str, str]) -> str:
    """Resolve what a user typed against ``known`` (id -> display name): an ISO3 code, a name,
    or words that fit exactly one participant's names (the records' or country_converter's:
    'United States', 'Russia', 'Czech Republic'). Words that fit several ('Korea') are refused
    with the candidates; text that only contains a name ('not Italy at all') is refused with a
    suggestion; anything else with the closest names."""
    q = str(query).strip().translate(_QUOTES)
    if q.upper() in known:
        return q.upper()
    lowered = {name.lower(): pid for pid, name in known.items()}
    if q.lower() in lowered:
        return lowered[q.lower()]
    stray = "".join(c for c in q if unicodedata.category(c)[0] in "SC")  # symbols, controls
    if stray:  # no name holds an emoji or a control character: refuse, suggest without them
        try:
            pid = lookup("".join(c for c in q if c not in stray), known)
        except UsageError:
            pid = None
        hint = f"; did you mean {known[pid]} ({pid})?" if pid else ";"
        raise UsageError(
            f"{query!r} holds characters no participant's name has ({stray!r}){hint} "
            "Give its name or ISO3 code"
        )
    words = _words(q)
    # every participant whose names (the records' and country_converter's) hold all the words
    fits = [p for p in known if words and words <= _words(" ".join([known[p], *aliases(p)]))]
    # 'United States' fits the United States of America and the United Mexican States; the
    # name that holds the words in their order wins
    phrase = _phrase(q)
    in_order = [p for p in fits if any(phrase in _phrase(n) for n in [known[p], *aliases(p)])]
    if len(fits) > 1 and len(in_order) == 1:
        return in_order[0]
    if len(fits) > 1:
        options = ", ".join(f"{known[p]} ({p})" for p in sorted(fits, key=known.__getitem__))
        raise UsageError(f"{query!r} could be {options}; give the full name or the ISO3 code")
    if len(fits) == 1:
        return fits[0]
    try:
        pid = participant_id(q)
    except UnknownName:
        pid = None
    if pid in known:  # country_converter's pattern matched, but the words are not the name's
        raise UsageError(
            f"{query!r} is not a participant's name; did you mean {known[pid]} "
            f"({pid})? Give its name or ISO3 code"
        )
    close = difflib.get_close_matches(q, list(known.values()), n=3, cutoff=0.5)
    hint = f"; closest: {', '.join(close)}" if close else ""
    if pid is not None:
        raise UsageError(
            f"{query!r} ({pid}) has no action in the records{hint}; "
            "give a participant name or ISO3 code"
        )
    raise UsageError(f"unknown participant {query!r}{hint}; give a participant name or ISO3 code")


def _words(text: str) -> frozenset[str]:
    """The words of a name, lower case, accents and punctuation dropped."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return frozenset(re.findall(r"[a-z0-9]+", plain)) - {"the", "of", "and"}


def _phrase(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " " + " ".join(re.findall(r"[a-z0-9]+", plain)) + " "


@cache
def _rows() -> dict[str, pd.Series]:
    """country_converter's row of each ISO3 code (the first, where a code repeats)."""
    d = _table()
    return {iso: d.loc[i] for i, iso in reversed(list(zip(d.index, d["ISO3"], strict=True)))}


def _row(pid: str) -> pd.Series | None:
    return _rows().get(pid)


def un_name(pid: str) -> str | None:
    """The name the UN uses today, where the records carry an older one (un_names.csv)."""
    return _un_names().get(pid, (None, ()))[0]


@lru_cache(maxsize=1)
def _un_names() -> dict[str, tuple[str, tuple[str, ...]]]:
    df = curated.load("un_names")
    return {r.participant_id: (r.name, tuple(r.former.split(";"))) for r in df.itertuples()}


def aliases(pid: str) -> list[str]:
    """Other names of a participant: country_converter's short and official names, and its
    former names (Turkey for Türkiye)."""
    r = _row(pid)
    names = set(_un_names().get(pid, (None, ()))[1])
    if r is not None:
        names |= {n for n in (r["name_short"], r["name_official"]) if isinstance(n, str) and n}
    return sorted(names)


# --- UN membership ---------------------------------------------------------------------------


MEMBERSHIP_FROM = dt.date(1988, 1, 1)  # membership is exact to the day from here (config.MIN_DATE)


def admissions() -> dict[str, tuple[dt.date, str]]:
    """The day each State admitted since 1988-01-01 became a UN Member State, with its source
    (un_admissions.csv, from the UN's list of Member States)."""
    df = curated.load("un_admissions")
    return {r.participant_id: (r.admitted.date(), r.source) for r in df.itertuples()}


def members() -> pd.DataFrame:
    """UN Member States: participant_id, name, admitted (year), admitted_on (the day, for
    the States admitted since 1988-01-01; missing for earlier ones, members on every date
    the book accepts) and admitted_source. A copy of the kept table: a kernel kept between
    runs serves the next page from the same cache, so no caller may change the kept one."""
    return _members().copy()


@lru_cache(maxsize=1)
def _members() -> pd.DataFrame:
    m = _table().dropna(subset=["UNmember"])[["ISO3", "name_short", "UNmember"]]
    m = (
        m.rename(columns={"ISO3": "participant_id", "name_short": "name", "UNmember": "admitted"})
        .astype({"admitted": int})
        .sort_values("participant_id")
        .reset_index(drop=True)
    )
    held = admissions()
    day = {pid: d for pid, (d, _) in held.items()}
    m["admitted_on"] = m["participant_id"].map(day)
    m["admitted_source"] = m["participant_id"].map({pid: src for pid, (_, src) in held.items()})
    recent = m[m["admitted"] >= MEMBERSHIP_FROM.year]
    missing = sorted(set(recent["participant_id"]) - set(day))
    stray = sorted(set(day) - set(m["participant_id"]))
    wrong = sorted(
        r.participant_id
        for r in m.dropna(subset=["admitted_on"]).itertuples()
        if r.admitted_on.year != r.admitted
    )
    if missing or stray or wrong:
        raise DataError(
            "un_admissions.csv and country_converter's admission years disagree: "
            f"no day for {missing}, not a Member State {stray}, another year {wrong}"
        )
    return m


def members_on(day: dt.date | str) -> pd.DataFrame:
    """Member States on a date: admitted on or before it (to the day; the States admitted
    before 1988 are members on every date from 1988-01-01, the earliest the book accepts)."""
    d = pd.Timestamp(day).date()
    if d < MEMBERSHIP_FROM:
        raise UsageError(
            f"UN membership on {d}: the admission days held start with {MEMBERSHIP_FROM}; "
            f"give a date from {MEMBERSHIP_FROM}"
        )
    m = members()
    known = m["admitted_on"].notna()
    since = m["admitted_on"].where(known, MEMBERSHIP_FROM)
    on = (~known & (m["admitted"] < MEMBERSHIP_FROM.year)) | (known & (since <= d))
    return m[on].reset_index(drop=True)


# --- regions -----------------------------------------------------------------------------------


def check_scheme(scheme: str) -> str:
    if scheme not in SCHEMES:
        raise UsageError(f"region_scheme {scheme!r}; allowed: {', '.join(SCHEMES)}")
    return scheme


@cache
def region_of(participant_id: str, scheme: str = "m49_region") -> str:
    check_scheme(scheme)
    if participant_id == EU_ID:
        return ORGANIZATION
    r = _row(participant_id)
    value = None if r is None else r[SCHEMES[scheme]]
    if value is None or pd.isna(value):
        raise UsageError(f"no {scheme} region for {participant_id!r}")
    return _RENAME.get(value, value)


@cache
def region_names(scheme: str = "m49_region") -> tuple[str, ...]:
    values = _table()[SCHEMES[check_scheme(scheme)]].dropna()
    return tuple(sorted({_RENAME.get(v, v) for v in values} - {"Antarctica"}))


def scheme_of(region: str) -> str:
    """The scheme a region name belongs to; UsageError listing the regions if none."""
    for scheme in SCHEMES:
        if region in region_names(scheme):
            return scheme
    raise UsageError(
        f"region {region!r}; allowed: {', '.join(region_names('m49_region'))} or an "
        f"M49 sub-region ({', '.join(region_names('m49_subregion'))})"
    )


def check_region(region: str) -> str:
    """A UN M49 region or sub-region name."""
    scheme_of(region)
    return region


# --- the map -------------------------------------------------------------------------------------


@cache
def numeric_id(participant_id: str) -> str | None:
    """ISO 3166-1 numeric code as the map writes it ('004'), or None (the EU has none)."""
    if participant_id == EU_ID:
        return None
    r = _row(participant_id)
    if r is None or pd.isna(r["ISOnumeric"]):
        return None
    return f"{int(r['ISOnumeric']):03d}"
