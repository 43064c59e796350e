"""World boundaries for maps (``data/sources.yml``, ``geometry``): the TopoJSON of the npm
package world-atlas, installed by ``make book`` into ``.npm-data/`` and verified by sha256."""

from __future__ import annotations

import json
from functools import lru_cache

from . import registry


@lru_cache(maxsize=1)
def world() -> dict:
    """The TopoJSON document."""
    return json.loads(registry.locate_geometry().read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def ids_on_map() -> frozenset[str]:
    """ISO 3166-1 numeric ids of the countries the map draws."""
    obj = registry.geometry().object
    return frozenset(g["id"] for g in world()["objects"][obj]["geometries"] if "id" in g)
