"""Where each exhibit comes from: a line under every chart and table of a book page, a record
of every run on the page "Where each exhibit comes from", and a download per page.

* **The line** (:func:`mark_exhibits`, when a run is written): under each cell that shows a
  chart or a table, a Markdown cell naming the exhibit, the cell of the source notebook that
  made it and the function behind it, the edition (filled in by the book's extension), and a
  link to the run's record. A Markdown cell, not an output: the code cells' outputs stay
  exactly what the notebook gives when rerun (nbval compares them). This module says what each
  line holds (:class:`content.ExhibitLine`); the book engine's adapter writes it.
* **The record** (:func:`record`, :func:`inputs`, :func:`library_versions`; the page is
  written by the book's adapter, ``pipeline.book.pages``): the inputs every run reads, each
  with its sha256 (the raw records, the curated files, the lock file), the libraries that
  matter with their versions, and per run its notebook, parameters, cache key and exhibits.
* **The download** (:func:`write_downloads`): per page, one zip file with the executed
  notebook, the CSV of every table and chart on it (the rows its own download links give) and
  the run's record as JSON. The zip files are rebuilt by every book build from the executed
  notebooks, so the deposit, which holds those notebooks, leaves them out.
"""

from __future__ import annotations

import ast
import base64
import html
import json
import platform
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .. import config
from ..files import atomic_path, sha256_of
from .cache import META_KEY
from .content import Download, ExhibitLine
from .plan import Run

PROVENANCE_TAG = "palermo-provenance"
PAGE = "book/provenance"  # the page of the records (its docname)
DOWNLOADS = config.BUILD / "downloads"
# the libraries whose versions can change what a page shows
LIBRARIES = (
    "pandas",
    "numpy",
    "altair",
    "vl-convert-python",
    "papermill",
    "ipykernel",
    "myst-nb",
    "jupyter-book",
    "sphinx",
)
# a fixed time for the zip entries: the same notebook gives the same bytes
ZIP_TIME = (2000, 11, 15, 0, 0, 0)

_CHART = re.compile(r'<figure class="palermo-chart" role="figure" aria-label="([^"]*)"')
_TABLE = re.compile(
    r'<div class="palermo-table-box[^"]*" role="region" tabindex="0" aria-label="([^"]*)"'
)
_CSV = re.compile(
    r'<a class="palermo-csv" download="([^"]*)" href="data:text/csv;charset=utf-8;base64,'
    r'([A-Za-z0-9+/=]*)"'
)


# --- what each source notebook shows (read from its code, not run) ------------------------


@dataclass(frozen=True)
class Shown:
    """A chart or table a notebook displays, or the numbers glued into its text."""

    notebook: str  # notebooks/<name>.ipynb
    kind: str  # figure | table | number (one value glued into the text)
    section: str  # the heading it sits under (a number: where the text first prints it)
    function: str  # palermo.<stage>.<module>.<function> that makes it
    label: str = ""  # a table's caption, or the glued value's name
    cell: int = 0  # the cell that shows it (a number: the cell that computes it), from 1
    shown_in: int = 0  # a number: the cell of text that prints it


_GLUE = re.compile(r"\{glue(?::text)?\}`([^`]+)`")


def _call_name(node: ast.AST, aliases: dict[str, str], assigned: dict[str, str]) -> str:
    """The dotted function behind a displayed value: a call ``module.function(...)``, also
    through a method chain on its result (``module.f(...).drop(...)``), a subscript, or a
    name last assigned from one."""
    while isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Name):
        return assigned.get(node.id, "")
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Attribute):
            if isinstance(f.value, ast.Name) and f.value.id in aliases:
                return f"{aliases[f.value.id]}.{f.attr}"
            found = _call_name(f.value, aliases, assigned)  # a method of a value
            if found:
                return found
        for arg in node.args:
            found = _call_name(arg, aliases, assigned)
            if found:
                return found
    return ""


def shown(notebook: Path) -> list[Shown]:
    """Every chart and table the notebook displays (``charts.show`` / ``tables.show``), with
    the function that makes it, and every number its text glues, one by one, with the cell
    that computes it (``glue.glue_all(module.facts(...))``) and the cell that prints it."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    rel = notebook.relative_to(config.ROOT).as_posix()
    aliases: dict[str, str] = {}
    assigned: dict[str, str] = {}
    section = "(opening)"
    out: list[Shown] = []
    glued: dict[str, tuple[str, int]] = {}  # name -> (section, cell) where first printed
    facts: list[str] = []
    facts_cell = 0
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    section = _GLUE.sub(r"[\1]", line.lstrip("#").strip())
                for g in _GLUE.findall(line):
                    glued.setdefault(g, (section, number))
            continue
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("palermo."):
                for a in node.names:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                t = node.targets[0]
                name = _call_name(node.value, aliases, assigned)
                targets = t.elts if isinstance(t, ast.Tuple) else [t]
                for x in targets:
                    if name and isinstance(x, ast.Name):
                        assigned[x.id] = name
        for node in ast.walk(tree):
            if (  # a chapter's own table bundle: display(module.mimebundle(...), raw=True) or
                # display(module.events_bundle(), raw=True)
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "display"
                and node.args
                and _call_name(node.args[0], aliases, assigned).endswith("bundle")
            ):
                made = _call_name(node.args[0], aliases, assigned)
                out.append(Shown(rel, "table", section, made, cell=number))
                continue
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            if not isinstance(owner, ast.Name) or not node.args:
                continue
            if node.func.attr == "show" and owner.id in ("charts", "tables"):
                caption = ""
                if len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                    caption = str(node.args[1].value)
                out.append(
                    Shown(
                        rel,
                        "figure" if owner.id == "charts" else "table",
                        section,
                        _call_name(node.args[0], aliases, assigned),
                        caption,
                        number,
                    )
                )
            elif node.func.attr == "glue_all" and owner.id == "glue":
                facts.append(_call_name(node.args[0], aliases, assigned))
                facts_cell = facts_cell or number
    made = " + ".join(dict.fromkeys(facts))
    for name, (where, printed) in glued.items():
        out.append(Shown(rel, "number", where, made, name, facts_cell, printed))
    return out


@dataclass(frozen=True)
class Exhibit:
    """A chart or a table an executed notebook shows."""

    cell: int  # its cell's place in the source notebook, from 1
    kind: str  # chart | table
    name: str  # its title (a chart's, without the description) or accessible name
    csvs: tuple[tuple[str, bytes], ...]  # (file name, rows) of each CSV it offers

    @property
    def label(self) -> str:
        """'Chart “Cumulative parties”'; a table named only by its columns (``tables.label_of``)
        by them: 'Table (Instrument, Parties, …)'."""
        if self.kind == "table" and self.name.startswith("Table: "):
            return f"Table ({self.name.removeprefix('Table: ')})"
        return f"{'Chart' if self.kind == 'chart' else 'Table'} “{self.name}”"


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def output_exhibits(html_text: str) -> list[tuple[str, str, tuple[tuple[str, bytes], ...]]]:
    """The exhibits in one output's HTML, in order: (kind, name, CSVs). A chart's CSV links sit
    in its figure; a table's follow its box."""
    found = sorted(
        [(m.start(), "chart", m.group(1)) for m in _CHART.finditer(html_text)]
        + [(m.start(), "table", m.group(1)) for m in _TABLE.finditer(html_text)]
    )
    out = []
    for i, (start, kind, label) in enumerate(found):
        end = found[i + 1][0] if i + 1 < len(found) else len(html_text)
        csvs = tuple(
            (html.unescape(m.group(1)), base64.b64decode(m.group(2)))
            for m in _CSV.finditer(html_text, start, end)
        )
        name = html.unescape(label)
        if kind == "chart":  # its label is "Title. Description": the title names it
            name = name.split(". ", 1)[0]
        out.append((kind, name, csvs))
    return out


def exhibits(nb, source_ids: dict[str, int] | None = None) -> list[tuple[int, Exhibit]]:
    """(index of its cell in ``nb``, exhibit) for every chart and table ``nb`` shows;
    ``source_ids`` maps a cell id to its place in the source notebook (default: its place in
    ``nb``)."""
    out = []
    for i, c in enumerate(nb["cells"]):
        if c.get("cell_type") != "code":
            continue
        cell = (source_ids or {}).get(c.get("id"), i + 1)
        for o in c.get("outputs", []):
            page = _text((o.get("data") or {}).get("text/html"))
            for kind, name, csvs in output_exhibits(page):
                out.append((i, Exhibit(cell, kind, name, csvs)))
    return out


@cache
def _source_cells(notebook: Path, mtime: float) -> dict[str, int]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return {c.get("id"): i for i, c in enumerate(nb["cells"], start=1) if c.get("id")}


def source_cells(notebook: Path) -> dict[str, int]:
    """A source notebook's cell ids, each with its place (from 1)."""
    return _source_cells(notebook, notebook.stat().st_mtime)


@cache
def _functions(notebook: Path, mtime: float) -> dict[int, list[tuple[str, str]]]:
    by_cell: dict[int, list[tuple[str, str]]] = {}
    for s in shown(notebook):
        if s.kind in ("figure", "table"):
            by_cell.setdefault(s.cell, []).append(
                ("chart" if s.kind == "figure" else s.kind, s.function)
            )
    return by_cell


def functions(notebook: Path) -> dict[int, list[tuple[str, str]]]:
    """Per cell of a source notebook, the (kind, function) of each exhibit it shows, in order."""
    return _functions(notebook, notebook.stat().st_mtime)


def page_of(output: Path) -> str:
    """A run's page, as the book names it: ``figure1/paper-date``."""
    return output.relative_to(config.BOOK).with_suffix("").as_posix()


def anchor(output: Path) -> str:
    """The label of a run's record on the page of records: ``prov-figure1-paper-date``."""
    return "prov-" + re.sub(r"[^a-z0-9_]+", "-", page_of(output).lower())


def download_name(output: Path) -> str:
    """A page's download: ``figure1--paper-date.zip``."""
    return page_of(output).replace("/", "--") + ".zip"


def mark_exhibits(nb, run: Run, write: Callable[[Sequence[ExhibitLine]], str]) -> int:
    """Put a provenance line under every cell of a book page that shows a chart or table (a
    Markdown cell tagged ``palermo-provenance``, replacing any there already, its text the
    lines as ``write`` words them: the book's adapter, ``pipeline.book.cells``); returns how
    many exhibits it names. Only pages of the book: a run elsewhere has no page of records."""
    import nbformat

    nb.cells = [c for c in nb.cells if PROVENANCE_TAG not in c.metadata.get("tags", [])]
    if config.BOOK not in run.output.parents:
        return 0
    ids = source_cells(run.notebook)
    made = functions(run.notebook)
    rel = run.rel(run.notebook)
    by_cell: dict[int, list[Exhibit]] = {}
    for i, ex in exhibits(nb, ids):
        by_cell.setdefault(i, []).append(ex)
    for i in sorted(by_cell, reverse=True):
        known = dict(enumerate(made.get(by_cell[i][0].cell, [])))
        lines = []
        for k, ex in enumerate(by_cell[i]):
            kind, function = known.get(k, ("", ""))
            function = function if kind == ex.kind else ""
            lines.append(ExhibitLine(ex.label, ex.cell, rel, function, anchor(run.output)))
        cell = nbformat.v4.new_markdown_cell(write(lines))
        cell.metadata["tags"] = [PROVENANCE_TAG]
        cell["id"] = f"{PROVENANCE_TAG}-{by_cell[i][0].cell}"  # fixed: reruns stay byte-stable
        nb.cells.insert(i + 1, cell)
    return sum(len(v) for v in by_cell.values())


# --- the record of a run, and the inputs every run reads ---------------------------------


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def inputs() -> dict[str, list[dict]]:
    """What every chapter run reads besides its notebook and parameters (its cache key covers
    all of it): the raw records, the curated files, the lock file, each with its sha256."""
    from ..data import inputs as data_inputs
    from ..data import registry

    raw = [
        {"id": s.id, "file": s.path, "sha256": s.sha256, "status_date": s.status_date.isoformat()}
        for s in registry.registry()
    ]
    curated = [
        {"file": p.relative_to(config.ROOT).as_posix(), "sha256": sha256_of(p)}
        for p in data_inputs.curated_files()
        if p.is_file()
    ]
    lock = [{"file": config.LOCK.name, "sha256": sha256_of(config.LOCK)}]
    return {"raw": raw, "curated": curated, "lock": lock}


def _meta(nb: dict) -> dict:
    return (nb.get("metadata") or {}).get(META_KEY) or {}


def record(run: Run, nb: dict) -> dict:
    """A run's record: page, notebook, parameters, cache key, the fetched records it read, its
    exhibits (cell, kind, name, the sha256 of each CSV)."""
    meta = _meta(nb)
    return {
        "page": page_of(run.output),
        "notebook": run.rel(run.notebook),
        "parameters": meta.get("parameters", run.parameters),
        "cache_key": meta.get("cache_key"),
        "fetched_records": meta.get("records") or {},
        "exhibits": [
            {
                "cell": ex.cell,
                "kind": ex.kind,
                "name": ex.name,
                "csv": [{"file": name, "sha256": sha256_of(rows)} for name, rows in ex.csvs],
            }
            for _, ex in exhibits(nb, source_cells(run.notebook))
        ],
    }


def book_records(runs: list[Run]) -> list[tuple[Run, dict]]:
    """(run, its :func:`record`) for each run of a book page whose executed notebook can be
    read, in the runs' order: what the page of records lists."""
    out = []
    for run in runs:
        if config.BOOK not in run.output.parents:
            continue
        nb = _read(run.output)
        if nb is not None:
            out.append((run, record(run, nb)))
    return out


def run_of(output: Path) -> Run | None:
    """The run that wrote a book page, from what its executed notebook records (its source
    notebook and parameters), or None for a file that is no run's output."""
    nb = _read(output)
    meta = _meta(nb or {})
    if not meta.get("notebook"):
        return None
    return Run(
        notebook=config.ROOT / meta["notebook"],
        output=output,
        parameters=meta.get("parameters") or {},
        label=page_of(output),
    )


def _read(output: Path) -> dict | None:
    try:
        return json.loads(output.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --- the per-page download -----------------------------------------------------------------


def _zip(path: Path, files: list[tuple[str, bytes]]) -> None:
    with atomic_path(path, suffix=".tmp.zip") as tmp, zipfile.ZipFile(tmp, "w") as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)


def download_files(run: Run, nb_bytes: bytes, edition: str) -> list[tuple[str, bytes]]:
    """What a page's zip holds: the executed notebook, each exhibit's CSV (named by its cell),
    and the run's record with the inputs and library versions."""
    nb = json.loads(nb_bytes)
    folder = download_name(run.output).removesuffix(".zip")
    files = [(f"{folder}/{run.output.name}", nb_bytes)]
    seen: set[str] = set()
    for _, ex in exhibits(nb, source_cells(run.notebook)):
        for name, rows in ex.csvs:
            file = f"cell-{ex.cell:02d}-{name}"
            n = 2
            while file in seen:
                file = f"cell-{ex.cell:02d}-{Path(name).stem}-{n}.csv"
                n += 1
            seen.add(file)
            files.append((f"{folder}/data/{file}", rows))
    rec = {
        **record(run, nb),
        "edition": edition,
        "inputs": inputs(),
        "libraries": library_versions(),
    }
    text = json.dumps(rec, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    files.append((f"{folder}/provenance.json", text.encode("utf-8")))
    return files


def write_downloads(runs: list[Run], edition: str, out: Path = DOWNLOADS) -> int:
    """Write each book page's zip whose notebook or edition changed since it was written (a
    stamp beside it holds what it was made from); returns how many were written."""
    n = 0
    for run in runs:
        if config.BOOK not in run.output.parents or not run.output.is_file():
            continue
        nb_bytes = run.output.read_bytes()
        target = out / download_name(run.output)
        stamp = target.with_name(target.name + ".sha256")
        made_from = sha256_of(nb_bytes + edition.encode())
        if target.is_file() and stamp.is_file() and stamp.read_text() == made_from:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _zip(target, download_files(run, nb_bytes, edition))
        stamp.write_text(made_from)
        n += 1
    return n


def download(run: Run, text: str = "this page's notebook and data (zip)") -> Download:
    """The link to a page's zip (Sphinx copies it into the built book)."""
    rel = (DOWNLOADS / download_name(run.output)).relative_to(config.ROOT).as_posix()
    return Download(text, f"/{rel}")
