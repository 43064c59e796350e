"""What each output depends on, and the one hash over it.

Three outputs are cached or skipped when their inputs are unchanged, and each names its inputs
here as a set of files, derived rather than kept by hand where a list could drift:

* ``records`` - the merged records (a pickle): every raw source located and verified against
  the registry, the registry, the curated files, the code of the data and model stages;
* ``run`` - one executed chapter, beside its own cells and parameters: the registry and the
  fetched snapshots' manifests, the lock file, the library's modules in the import closure of
  the notebook's code and of the runner that writes its output (``pipeline.execute``, and
  ``pipeline.book.cells``, which words the cells it adds to a book page), read from the code
  (:func:`closure`), and the curated files that code reads (its calls of the curated loader,
  :func:`curated_reads`, with what those files' checks read): an edit to the command line, the
  teaching stage, the book's extension, another chapter's module or a curated file only another
  chapter reads reruns nothing of this chapter;
* ``chapters`` - the same for the whole library (every module);
* ``book`` - the rendered HTML book: the TOC, the configuration, the bibliography, the pages
  under ``book/``, the static files, the book's Sphinx extension and the data it writes pages
  from (the registry and the curated files);
* ``layout`` - the shape of the book, whose change makes Sphinx start afresh (it never deletes
  the page of a document that left the book): the TOC, the configuration, the extension.

Elsewhere the curated files are the manifest and every file it lists (the loader reads no
other), so a new curated file is in every key the moment it can be read. The manifest's
``chapters:`` lists are checked against the code (:func:`consumers_unlisted`)."""

from __future__ import annotations

import ast
import hashlib
import json
import platform
from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from .. import config
from ..errors import DataError
from . import curated, registry

KINDS = ("records", "run", "chapters", "book", "layout")
PACKAGE = config.ROOT / "palermo"
# the modules that run a chapter and write its executed notebook (the title; the rerun box and
# the provenance lines, which the book's adapter words): their closure is in every run's key
RUNNER = ("palermo.pipeline.execute", "palermo.pipeline.book.cells")


def curated_files() -> list[Path]:
    """The manifest and every curated file it lists."""
    return [config.MANIFEST_YML, *sorted(f.path for f in curated.manifest().values())]


def book_adapter() -> list[Path]:
    """The book engine's adapter (``pipeline/book/``: the Sphinx extension, the MyST it writes,
    the runner, the theme's template), the modules the extension fills in the edition with
    (``pipeline.edition``, ``render.cite``), the one it reads the page of records and each
    page's download from (``pipeline.provenance``) and the one it reads what changed from
    (``pipeline.facts``)."""
    pipeline = PACKAGE / "pipeline"
    return [
        *_under(pipeline / "book", "*.py"),
        *_under(pipeline / "book" / "templates"),
        pipeline / "edition.py",
        pipeline / "provenance.py",
        pipeline / "facts.py",
        PACKAGE / "render" / "cite.py",
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
    out: set[str] = set()
    for name, names in _import_statements(source, module, package):
        out.add(name)
        out |= {f"{name}.{n}" for n in names if module_file(f"{name}.{n}")}
    return {m for m in out if module_file(m)}


@lru_cache(maxsize=1024)
def _import_statements(
    source: str, module: str, package: bool
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The library's modules a piece of code's import statements name, each with the names it
    imports from it, read once per text (which of them are modules is the files' to say)."""
    code = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )
    here = module.split(".") if package else module.split(".")[:-1]
    out: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            out += [(a.name, ()) for a in node.names if a.name.split(".")[0] == "palermo"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1] if node.level > 1 else here
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.split(".")[0] == "palermo":
                out.append((name, tuple(a.name for a in node.names)))
    return tuple(out)


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


# --- the curated files code reads: its calls of the curated loader, read from the code -----


def _literal(node: ast.expr | None, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _readers() -> dict[str, str | None]:
    """The curated module's functions that read a file, by name: ``load`` reads the file its
    first argument names (None), and each function of its own whose body reads one named file
    (``treaty_actions()``) reads that file. (``entry`` and ``manifest`` read the manifest, which
    every key holds.)"""
    out: dict[str, str | None] = {"load": None}
    tree = ast.parse((PACKAGE / "data" / "curated.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name not in out:
            names = {
                _literal(c.args[0] if c.args else None, {})
                for c in ast.walk(node)
                if isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == "load"
            }
            if len(names) == 1 and None not in names:
                out[node.name] = names.pop()
    return out


def curated_reads(paths: Iterable[Path]) -> set[str] | None:
    """The curated files (by manifest name) that the code in ``paths`` reads: every call of
    the curated module's readers (``curated.load("events")``, ``curated.treaty_actions()``),
    its name given as text or as a constant of the module; None where a name is neither
    (then every curated file must count). The curated module's own reads, which its checks
    make, are :func:`curated.requires`'s to find."""
    readers = _readers()
    out: set[str] = set()
    for path in paths:
        if path == PACKAGE / "data" / "curated.py":
            continue
        found = _reads_in(_code(path), tuple(sorted(readers.items(), key=str)))
        if found is None:
            return None
        out |= found
    return out


@lru_cache(maxsize=1024)
def _reads_in(source: str, readers_items: tuple) -> frozenset[str] | None:
    """:func:`curated_reads` of one text, read once per text."""
    readers = dict(readers_items)
    out: set[str] = set()
    tree = ast.parse(source)
    constants = {
        t.id: n.value.value
        for n in tree.body
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
        for t in n.targets
        if isinstance(t, ast.Name) and isinstance(n.value.value, str)
    }
    # the curated module by its name (``from ..data import curated as c``), and its readers
    # imported by theirs (``from .curated import load``)
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    aliases = {
        a.asname or a.name.split(".")[-1]
        for n in imports
        for a in n.names
        if a.name.split(".")[-1] == "curated"
    }
    direct = {
        a.asname or a.name: a.name
        for n in imports
        if isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[-1] == "curated"
        for a in n.names
        if a.name in readers
    }
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        f = call.func
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
            reader = f.attr if f.value.id in aliases and f.attr in readers else None
        else:
            reader = direct.get(f.id) if isinstance(f, ast.Name) else None
        if reader is None:
            continue
        name = readers[reader] or _literal(call.args[0] if call.args else None, constants)
        if name is None:
            return None
        out.add(name)
    return frozenset(out)


def curated_read_by(paths: Iterable[Path]) -> list[Path]:
    """The manifest and the curated files the code in ``paths`` reads, with what their checks
    read; every curated file where a read's name cannot be read from the code, or a file it
    names cannot be checked (the run then fails on it with the file's own error)."""
    names = curated_reads(paths)
    if names is None:
        return curated_files()
    try:
        names = {r for n in names for r in curated.requires(n)}
        found = [curated.entry(n).path for n in names]
    except DataError:
        return curated_files()
    return [config.MANIFEST_YML, *sorted(found)]


def consumers_unlisted(notebooks: Iterable[Path]) -> list[str]:
    """Where the manifest's ``chapters:`` lists are wrong, in words (none: they are right).
    A chapter must be listed for every curated file its own module or notebook reads, and may be
    listed only for a file the code it runs can read (its import closure's reads)."""
    files = curated.manifest()
    out = []
    for nb in sorted(notebooks, key=lambda p: p.stem):
        chapter = PACKAGE / "chapters" / f"{nb.stem}.py"
        listed = {n for n, f in files.items() if nb.stem in f.chapters}
        direct = curated_reads([p for p in (chapter, nb) if p.is_file()])
        can = curated_reads(closure(notebook_modules(nb)) + [nb])
        if direct is None or can is None:
            out.append(f"{nb.stem}: a curated file is read by a name the code does not spell out")
            continue
        can = {r for n in can for r in curated.requires(n)}
        for name in sorted(direct - listed):
            out.append(
                f"{config.MANIFEST_YML.name}: {name} is read by chapter {nb.stem} "
                f"(palermo/chapters/{nb.stem}.py or its notebook) but its chapters: list "
                "leaves it out"
            )
        for name in sorted(listed - can):
            out.append(
                f"{config.MANIFEST_YML.name}: {name} lists chapter {nb.stem}, whose code "
                "never reads it"
            )
    return out


def _code(path: Path) -> str:
    """The Python of a module, or of a notebook's code cells (IPython magic left out)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return text
    cells = [
        "".join(src) if isinstance(src, list) else src
        for c in json.loads(text).get("cells", [])
        if c.get("cell_type") == "code"
        for src in [c.get("source", "")]
    ]
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line
        for cell in cells
        for line in cell.splitlines()
    )


def notebook_modules(notebook: Path) -> set[str]:
    """The library's modules a notebook's code cells import."""
    return imported(_code(notebook))


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
        if kind == "chapters":
            return [config.SOURCES_YML, config.LOCK, *curated_files(), *_under(PACKAGE, "*.py")]
        roots = (notebook_modules(notebook) if notebook else set()) | set(modules) | set(RUNNER)
        code = closure(roots)
        return [config.SOURCES_YML, config.LOCK, *curated_read_by(code), *code] + fetched
    if kind == "book":
        return [
            root / "_toc.yml",
            root / "_config.yml",
            root / "references.bib",
            *book_adapter(),
            config.SOURCES_YML,
            *curated_files(),
            *_under(root / "book"),
            *_under(root / "_static"),
        ]
    if kind == "layout":
        return [root / "_toc.yml", root / "_config.yml", *book_adapter()]
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
