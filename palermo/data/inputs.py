"""What each output depends on, and the one hash over it.

Three outputs are cached or skipped when their inputs are unchanged, and each names its inputs
here as a set of files, derived rather than kept by hand where a list could drift:

* ``records`` - the merged records (a pickle): every raw source located and verified against
  the registry, the registry, the curated files, the code of the data and model stages;
* ``run`` - one executed chapter, beside its own cells and parameters: the registry and the
  fetched snapshots' manifests, the curated files, the lock file, and the library's modules in
  the import closure of the notebook's code and of the runner that writes its output
  (``pipeline.execute``), read from the code (:func:`closure`): an edit to the command line,
  the teaching stage or another chapter's module reruns nothing of this chapter;
* ``chapters`` - the same for the whole library (every module);
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

KINDS = ("records", "run", "chapters", "book", "layout")
PACKAGE = config.ROOT / "palermo"
# the module that runs a chapter and writes its executed notebook (the title, the rerun box,
# the provenance lines): its closure is in every run's key
RUNNER = "palermo.pipeline.execute"


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


# --- the library's modules a notebook runs: its import closure, read from the code ---------


def module_file(name: str) -> Path | None:
    """The file of a module of the library (``palermo.data.registry``), or None."""
    parts = name.split(".")
    if parts[0] != "palermo":
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def imported(source: str, module: str = "", package: bool = False) -> set[str]:
    """The library's modules a piece of code imports, wherever the import statement is (at the
    top or inside a function): ``import palermo.x``, ``from palermo.x import y`` and the
    relative forms, a name imported from a package counted as its submodule where it is one.
    ``module``: the importing module's name (to resolve relative imports); ``package``: it is
    a package's ``__init__``. Lines of IPython magic (``%``, ``!``) are skipped."""
    import ast

    code = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )
    here = module.split(".") if package else module.split(".")[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "palermo"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1] if node.level > 1 else here
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.split(".")[0] != "palermo":
                continue
            out.add(name)
            out |= {f"{name}.{a.name}" for a in node.names if module_file(f"{name}.{a.name}")}
    return {m for m in out if module_file(m)}


def _parents(name: str) -> set[str]:
    """A module's packages, whose ``__init__`` runs when it is imported."""
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def closure(roots: Iterable[str]) -> list[Path]:
    """The files of the library's modules ``roots`` import, directly or not, with the roots
    and every package ``__init__`` on the way."""
    seen: set[str] = set()
    todo = [m for r in roots for m in ({r} | _parents(r)) if module_file(m)]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _file_of(name)
        found = imported(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
        todo += [m for f in found for m in ({f} | _parents(f)) if m not in seen]
    return sorted(_file_of(m) for m in seen)


def _file_of(name: str) -> Path:
    """:func:`module_file` of a module :func:`closure` holds: a root with a file, a module
    :func:`imported` found, or a package of one (each package of the library has its
    ``__init__``)."""
    path = module_file(name)
    if path is None:
        raise ValueError(f"{name}: no file of the library's modules (a package without __init__?)")
    return path


def notebook_modules(notebook: Path) -> set[str]:
    """The library's modules a notebook's code cells import."""
    import json

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    out: set[str] = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            src = cell.get("source", "")
            out |= imported("".join(src) if isinstance(src, list) else src)
    return out


def files(
    kind: str,
    root: Path = config.ROOT,
    notebook: Path | None = None,
    modules: Iterable[str] = (),
) -> list[Path]:
    """The files the output ``kind`` is made from (``root``: the book's folder; ``notebook``:
    the chapter of a ``run``, and ``modules`` further modules whose closure it holds, e.g. the
    seminar's own for a pack of worksheets)."""
    if kind == "records":
        return [
            config.SOURCES_YML,
            *curated_files(),
            *_under(PACKAGE / "data", "*.py"),
            *_under(PACKAGE / "model", "*.py"),
        ]
    if kind in ("run", "chapters"):
        if kind == "run" and notebook is None and not modules:
            raise ValueError("a run's inputs are its notebook's: give the notebook")
        fetched = sorted((config.data_dir() / "untc").glob("*/manifest.yml"))
        code = (
            closure((notebook_modules(notebook) if notebook else set()) | set(modules) | {RUNNER})
            if kind == "run"
            else _under(PACKAGE, "*.py")
        )
        return [config.SOURCES_YML, config.LOCK, *curated_files(), *code] + fetched
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
    elif kind in ("run", "chapters"):
        yield f"python {platform.python_version()}"
    elif kind == "book":
        yield f"jupyter-book {version('jupyter-book')}"


def digest(
    kind: str, root: Path = config.ROOT, notebook: Path | None = None, modules: Iterable[str] = ()
) -> str:
    """The one hash of an output's inputs: its header lines, then each file's name (relative
    to the book's folder or the data folder where it lies inside one) and bytes; a missing file
    counts by its name."""
    h = hashlib.sha256()
    for line in _header(kind):
        h.update(line.encode() + b"\n")
    data = config.data_dir()
    for p in files(kind, root, notebook, modules):
        name = next((p.relative_to(d) for d in (root, data) if p.is_relative_to(d)), p)
        h.update(f"{name}\n".encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()
