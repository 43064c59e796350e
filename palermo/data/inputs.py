"""What each output depends on, and the one hash over it.

Three outputs are cached or skipped when their inputs are unchanged, and each names its inputs
here as a set of files, derived rather than kept by hand where a list could drift:

* ``records`` - the merged records (a pickle): every raw source located and verified against
  the registry, the registry, the curated files, the code of the data and model stages;
* ``chapters`` - an executed chapter, beside its own cells and parameters: the registry and the
  fetched snapshots' manifests, the curated files, the whole library, the lock file;
* ``book`` - the rendered HTML book: the TOC, the configuration, the bibliography, the pages
  under ``book/``, the static files, the book's Sphinx extension and the data it writes pages
  from (the registry and the curated files);
* ``layout`` - the shape of the book, whose change makes Sphinx start afresh (it never deletes
  the page of a document that left the book): the TOC, the configuration, the extension.

The curated files are always the manifest and every file it lists (the loader reads no other),
so a new curated file is in every key the moment it can be read.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

from .. import config
from . import curated, registry

KINDS = ("records", "chapters", "book", "layout")
PACKAGE = config.ROOT / "palermo"


def curated_files() -> list[Path]:
    """The manifest and every curated file it lists."""
    return [config.MANIFEST_YML, *sorted(f.path for f in curated.manifest().values())]


def sphinx_extension() -> list[Path]:
    """The book's own Sphinx extension: its modules, the modules it fills in the edition with
    (``pipeline.edition``, ``render.cite``), the one it writes the page of records and each
    page's download with (``pipeline.provenance``), the one it lists what changed with
    (``pipeline.facts``) and its templates."""
    pipeline = PACKAGE / "pipeline"
    return [
        *_under(pipeline, "sphinx_*.py"),
        pipeline / "edition.py",
        pipeline / "provenance.py",
        pipeline / "facts.py",
        PACKAGE / "render" / "cite.py",
        *_under(pipeline / "templates"),
    ]


def _under(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and ".tmp" not in p.name)


def files(kind: str, root: Path = config.ROOT) -> list[Path]:
    """The files the output ``kind`` is made from (``root``: the book's folder)."""
    if kind == "records":
        return [
            config.SOURCES_YML,
            *curated_files(),
            *_under(PACKAGE / "data", "*.py"),
            *_under(PACKAGE / "model", "*.py"),
        ]
    if kind == "chapters":
        fetched = sorted((config.data_dir() / "untc").glob("*/manifest.yml"))
        return [config.SOURCES_YML, config.LOCK, *curated_files(), *_under(PACKAGE, "*.py")] + (
            fetched
        )
    if kind == "book":
        return [
            root / "_toc.yml",
            root / "_config.yml",
            root / "references.bib",
            *sphinx_extension(),
            config.SOURCES_YML,
            *curated_files(),
            *_under(root / "book"),
            *_under(root / "_static"),
        ]
    if kind == "layout":
        return [root / "_toc.yml", root / "_config.yml", *sphinx_extension()]
    raise ValueError(f"unknown kind of output {kind!r}; allowed: {', '.join(KINDS)}")


def _header(kind: str) -> Iterable[str]:
    """What besides files the output depends on: library versions, and for the records each
    raw source's place and hash (locating it verifies it, so an altered file still fails)."""
    if kind == "records":
        yield f"pandas {version('pandas')}"
        for s in registry.registry():
            yield f"{s.id}:{registry.locate(s)}:{s.sha256}"
    elif kind == "chapters":
        yield f"python {platform.python_version()}"
    elif kind == "book":
        yield f"jupyter-book {version('jupyter-book')}"


def digest(kind: str, root: Path = config.ROOT) -> str:
    """The one hash of an output's inputs: its header lines, then each file's name (relative
    to the book's folder or the data folder where it lies inside one) and bytes; a missing file
    counts by its name."""
    h = hashlib.sha256()
    for line in _header(kind):
        h.update(line.encode() + b"\n")
    data = config.data_dir()
    for p in files(kind, root):
        name = next((p.relative_to(d) for d in (root, data) if p.is_relative_to(d)), p)
        h.update(f"{name}\n".encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()
