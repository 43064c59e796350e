"""The cache key of a chapter run: the notebook's cells (without outputs), the resolved
parameters, and everything the chapter reads besides them: the whole raw-source registry, the
curated files, the lock file (so the library versions), the Python version and the library's
modules in the import closure of the notebook's code and of the runner
(``data.inputs.digest("run", notebook=...)``). An output whose metadata carries the same key is
not run again; an edit to a module the chapter never imports leaves it cached."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

META_KEY = "palermo"


def notebook_digest(notebook: Path) -> str:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = [
        {
            "type": c["cell_type"],
            "source": "".join(c["source"]) if isinstance(c["source"], list) else c["source"],
            "tags": sorted(c.get("metadata", {}).get("tags", [])),
        }
        for c in nb["cells"]
    ]
    return hashlib.sha256(json.dumps(cells, sort_keys=True).encode()).hexdigest()


def cache_key(notebook: Path, parameters: dict, inputs: str) -> str:
    h = hashlib.sha256()
    h.update(notebook_digest(notebook).encode())
    h.update(json.dumps(parameters, sort_keys=True).encode())
    h.update(inputs.encode())
    return h.hexdigest()


def stored_key(output: Path) -> str | None:
    try:
        nb = json.loads(output.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return nb.get("metadata", {}).get(META_KEY, {}).get("cache_key")
