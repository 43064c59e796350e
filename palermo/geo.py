"""World boundaries for maps (data/sources.yml, `geometry`): the TopoJSON of the npm package
world-atlas, installed by `make book` into .npm-data/ and verified by sha256. ISO 3166-1
numeric codes join it to participants (via country_converter)."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import DataError
from .participants import EU_ID, _converter
from .paths import ROOT, SOURCES_YML
from .sources import sha256_of

ENV_VAR = "PALERMO_GEO_DIR"
DEFAULT_DIR = ROOT / ".npm-data"


@lru_cache(maxsize=1)
def entry(geometry_id: str = "world-atlas-countries-110m") -> dict:
    doc = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))
    for g in doc.get("geometry") or []:
        if g["id"] == geometry_id:
            return g
    raise DataError(f"{SOURCES_YML.name} has no geometry {geometry_id!r}")


def locate(geometry_id: str = "world-atlas-countries-110m") -> Path:
    g = entry(geometry_id)
    dirs = ([Path(os.environ[ENV_VAR])] if os.environ.get(ENV_VAR) else []) + [DEFAULT_DIR]
    problems = []
    for d in dirs:
        p = d / g["path"]
        if not p.is_file():
            problems.append(f"not in {d}")
        elif sha256_of(p) != g["sha256"]:
            problems.append(f"{p} has another sha256")
        else:
            return p
    raise DataError(f"map geometry {g['package']}@{g['version']} ({g['path']}, sha256 {g['sha256']}) not found: "
                    + "; ".join(problems) + ". Run `make book` (it installs the npm package into .npm-data) "
                    f"or set ${ENV_VAR}.")


@lru_cache(maxsize=1)
def world() -> dict:
    """The TopoJSON document."""
    return json.loads(locate().read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def ids_on_map() -> frozenset[str]:
    obj = entry()["object"]
    return frozenset(g["id"] for g in world()["objects"][obj]["geometries"] if "id" in g)


@lru_cache(maxsize=None)
def numeric_id(participant_id: str) -> str | None:
    """ISO 3166-1 numeric code as the map writes it ('004'), or None (the EU has none)."""
    if participant_id == EU_ID:
        return None
    d = _converter().data
    hit = d.loc[d["ISO3"] == participant_id, "ISOnumeric"].dropna()
    return None if hit.empty else f"{int(hit.iloc[0]):03d}"
