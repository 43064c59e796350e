"""Regions of participants, from country_converter: UN M49 regions (Africa, Americas, Asia,
Europe, Oceania) or M49 sub-regions (Western Europe, Caribbean, ...). The European Union is a
regional organization, not in any region: it gets a group of its own."""

from __future__ import annotations

from functools import lru_cache

from .errors import UsageError
from .participants import EU_ID, _converter

SCHEMES = {"m49_region": "continent", "m49_subregion": "UNregion"}
RENAME = {"America": "Americas"}
ORGANIZATION = "Regional organization (EU)"


def check_scheme(scheme: str) -> str:
    if scheme not in SCHEMES:
        raise UsageError(f"region_scheme {scheme!r}; allowed: {', '.join(SCHEMES)}")
    return scheme


@lru_cache(maxsize=None)
def region_of(participant_id: str, scheme: str = "m49_region") -> str:
    check_scheme(scheme)
    if participant_id == EU_ID:
        return ORGANIZATION
    d = _converter().data
    hit = d.loc[d["ISO3"] == participant_id, SCHEMES[scheme]].dropna()
    if hit.empty:
        raise UsageError(f"no {scheme} region for {participant_id!r}")
    return RENAME.get(hit.iloc[0], hit.iloc[0])


def names(scheme: str = "m49_region") -> list[str]:
    d = _converter().data
    return sorted({RENAME.get(v, v) for v in d[SCHEMES[check_scheme(scheme)]].dropna()} - {"Antarctica"})


def check_region(region: str) -> str:
    """A UN M49 region or sub-region name."""
    for scheme in SCHEMES:
        if region in names(scheme):
            return region
    raise UsageError(f"region {region!r}; allowed: {', '.join(names('m49_region'))} or an M49 sub-region "
                     f"({', '.join(names('m49_subregion'))})")
