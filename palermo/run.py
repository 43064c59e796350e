"""The book pipeline: the run plan (book/runs.yml), cached parallel papermill runs, the
local Vega libraries, and the Jupyter Book build.

* Each plan entry names a source notebook, an output under ``book/`` and parameters. The
  parameters are checked against the notebook's ``parameters`` cell and the shared
  validators (:mod:`palermo.params`) before anything runs.
* A run's cache key is the sha256 of the notebook's cells (without outputs), the resolved
  parameters, the hashes in ``data/sources.yml``, the curated files and the ``palermo``
  package source. An output whose metadata carries the same key is not run again.
* Outputs are written to a temporary file and renamed, so a failed or interrupted run never
  leaves a half-written page; a failure stops the build before the book is touched.
* The book is built into ``_build/stage`` and copied to ``_build/html`` only when the build
  succeeded, so a failed build leaves the previous book readable.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from . import params
from .errors import DataError, PalermoError, UsageError
from .paths import CURATED, ROOT, SOURCES_YML
from .status import PAPER_DATE

PLAN = ROOT / "book" / "runs.yml"
STATIC = ROOT / "_static"
BUILD = ROOT / "_build"
VEGA_JS = "vega-local.js"
META_KEY = "palermo"


@dataclass
class Run:
    notebook: Path
    output: Path
    parameters: dict
    label: str = ""

    def rel(self, p: Path) -> str:
        try:
            return str(p.relative_to(ROOT))
        except ValueError:
            return str(p)


@dataclass
class Result:
    run: Run
    status: str  # "run", "cached", "failed", "skipped"
    seconds: float = 0.0
    error: dict | None = field(default=None)


class RunFailed(PalermoError):
    def __init__(self, results: list[Result]):
        self.results = results
        failed = [r for r in results if r.status == "failed"]
        super().__init__(f"{len(failed)} notebook(s) failed: " + ", ".join(r.run.rel(r.run.output) for r in failed))


# --- parameters -------------------------------------------------------------------------

def notebook_parameters(notebook: Path) -> dict:
    """Names and default expressions of a notebook's ``parameters`` cell (read with ``ast``,
    as papermill's inspector would, without importing papermill)."""
    import ast

    if not notebook.is_file():
        raise UsageError(f"notebook {notebook} not found")
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        tree = ast.parse(source)
    except StopIteration:
        raise UsageError(f"{notebook} has no cell tagged 'parameters'") from None
    except (json.JSONDecodeError, KeyError, SyntaxError) as exc:
        raise UsageError(f"{notebook}: cannot read its parameters cell ({exc})") from None
    out = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for t in targets:
            if isinstance(t, ast.Name):
                out[t.id] = ast.get_source_segment(source, node.value) if node.value is not None else None
    return out


def resolve_parameters(notebook: Path, given: dict, where: str) -> dict:
    """Check names against the notebook and values with the shared validators."""
    known = notebook_parameters(notebook)
    unknown = set(given) - set(known)
    if unknown:
        raise UsageError(f"{where}: parameter {sorted(unknown)[0]!r} is not in {notebook.name}; "
                         f"it takes: {', '.join(sorted(known))}")
    try:
        return params.check(**given)
    except UsageError as exc:
        raise UsageError(f"{where}: {exc}") from None


def load_plan(path: Path | None = None, root: Path | None = None) -> list[Run]:
    """The validated run plan. Paths in it are relative to `root` (the repository), and
    every output must lie under root/book."""
    path = Path(path or PLAN)
    base = Path(root or ROOT).resolve()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise UsageError(f"run plan {path} not found") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"{path}: not valid YAML ({exc})") from None
    entries = doc.get("runs")
    if not isinstance(entries, list) or not entries:
        raise UsageError(f"{path}: expected a non-empty list under 'runs'")
    runs, outputs = [], set()
    for i, e in enumerate(entries, start=1):
        where = f"{path.name}, run #{i}"
        if not isinstance(e, dict) or not {"notebook", "output"} <= set(e):
            raise UsageError(f"{where}: needs 'notebook' and 'output' (and optional 'parameters')")
        extra = set(e) - {"notebook", "output", "parameters"}
        if extra:
            raise UsageError(f"{where}: unknown key {sorted(extra)[0]!r}; allowed: notebook, output, parameters")
        nb, out = (base / e["notebook"]).resolve(), (base / e["output"]).resolve()
        where = f"{path.name}, run #{i} ({e['output']})"
        if out.suffix != ".ipynb" or (base / "book") not in out.parents:
            raise UsageError(f"{where}: output must be an .ipynb under book/")
        if out in outputs:
            raise UsageError(f"{where}: output written twice in the plan")
        outputs.add(out)
        runs.append(Run(notebook=nb, output=out, label=str(e["output"]),
                        parameters=resolve_parameters(nb, dict(e.get("parameters") or {}), where)))
    return runs


# --- cache ----------------------------------------------------------------------------

def inputs_digest() -> str:
    """Hash of everything a chapter reads besides its own cells and parameters."""
    h = hashlib.sha256()
    reg = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))
    h.update(json.dumps(sorted(s["sha256"] for s in reg["sources"])).encode())
    for p in sorted(CURATED.rglob("*")) + sorted((ROOT / "palermo").rglob("*.py")):
        if p.is_file():
            h.update(str(p.relative_to(ROOT)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def notebook_digest(notebook: Path) -> str:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = [{"type": c["cell_type"], "source": "".join(c["source"]) if isinstance(c["source"], list) else c["source"],
              "tags": sorted(c.get("metadata", {}).get("tags", []))} for c in nb["cells"]]
    return hashlib.sha256(json.dumps(cells, sort_keys=True).encode()).hexdigest()


def cache_key(run: Run, inputs: str) -> str:
    h = hashlib.sha256()
    h.update(notebook_digest(run.notebook).encode())
    h.update(json.dumps(run.parameters, sort_keys=True).encode())
    h.update(inputs.encode())
    return h.hexdigest()


def stored_key(output: Path) -> str | None:
    try:
        nb = json.loads(output.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return nb.get("metadata", {}).get(META_KEY, {}).get("cache_key")


# --- execution ------------------------------------------------------------------------

def _error_details(exc: Exception, tmp: Path) -> dict:
    """The failing cell's source and the error, from papermill's exception and output."""
    import nbformat

    info = {"ename": getattr(exc, "ename", type(exc).__name__), "evalue": getattr(exc, "evalue", str(exc)),
            "cell": None, "source": ""}
    idx = getattr(exc, "exec_count", None)
    try:
        nb = nbformat.read(str(tmp), as_version=4)
        for i, c in enumerate(nb.cells):
            if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.get("outputs", [])):
                info["cell"], info["source"] = i, c.source
                break
    except Exception:  # the partial notebook may not exist
        info["cell"] = idx
    return info


def _hide_default_parameters(nb) -> None:
    """Show readers the parameters a page ran with (papermill's injected cell), not the defaults."""
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    if any("injected-parameters" in t for t in tags):
        for c, t in zip(nb.cells, tags):
            if "parameters" in t and "remove-cell" not in t:
                c.metadata["tags"] = t + ["remove-cell"]


def execute(run: Run, key: str, kernel: str = "python3") -> Result:
    """Run one plan entry with papermill into a temporary file, then rename it into place."""
    import nbformat
    import papermill

    run.output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{run.output.stem}.", suffix=".tmp.ipynb", dir=run.output.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    start = time.perf_counter()
    try:
        papermill.execute_notebook(str(run.notebook), str(tmp), parameters=run.parameters, kernel_name=kernel,
                                   progress_bar=False, log_output=False, cwd=str(ROOT))
        nb = nbformat.read(str(tmp), as_version=4)
        _hide_default_parameters(nb)
        nb.metadata[META_KEY] = {"cache_key": key, "notebook": run.rel(run.notebook), "parameters": run.parameters}
        nbformat.write(nb, str(tmp))
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are for reading
        os.replace(tmp, run.output)
        return Result(run, "run", time.perf_counter() - start)
    except Exception as exc:
        details = _error_details(exc, tmp)
        return Result(run, "failed", time.perf_counter() - start, details)
    finally:
        tmp.unlink(missing_ok=True)


def run_plan(runs: list[Run], jobs: int | None = None, force: bool = False,
             log: Callable[[str], None] = print) -> list[Result]:
    """Run what is out of date, in parallel; stop starting new runs after a failure."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    inputs = inputs_digest()
    keys = {id(r): cache_key(r, inputs) for r in runs}
    results: dict[int, Result] = {}
    todo = []
    for r in runs:
        if not force and stored_key(r.output) == keys[id(r)]:
            results[id(r)] = Result(r, "cached")
        else:
            todo.append(r)
    n = len(runs)
    log(f"==> {n} notebook(s) in the plan: {n - len(todo)} cached, {len(todo)} to run on {min(jobs, max(len(todo), 1))} worker(s)")
    done = 0
    with cf.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {}
        for r in todo:
            futures[pool.submit(execute, r, keys[id(r)])] = r
            log(f"    queued  {r.label}")
        failed = False
        for fut in cf.as_completed(futures):
            res = fut.result()
            results[id(res.run)] = res
            done += 1
            log(f"[{done}/{len(todo)}] {res.status:6} {res.run.label} ({res.seconds:.1f} s)")
            if res.status == "failed" and not failed:
                failed = True
                for other in futures:
                    other.cancel()  # not-yet-started runs are skipped; running ones finish
    for r in runs:
        results.setdefault(id(r), Result(r, "skipped"))
    return [results[id(r)] for r in runs]


def summary_table(results: list[Result]) -> str:
    width = max(len(r.run.label) for r in results)
    lines = [f"{'notebook':{width}}  {'status':7} {'seconds':>7}", "-" * (width + 17)]
    for r in results:
        secs = f"{r.seconds:7.1f}" if r.status in ("run", "failed") else "      -"
        lines.append(f"{r.run.label:{width}}  {r.status:7} {secs}")
    counts = {s: sum(r.status == s for r in results) for s in ("run", "cached", "failed", "skipped")}
    lines.append(", ".join(f"{v} {k}" for k, v in counts.items() if v))
    return "\n".join(lines)


def failure_report(results: list[Result]) -> str:
    out = []
    for r in results:
        if r.status == "failed" and r.error:
            e = r.error
            out.append(f"FAILED {r.run.label} (from {r.run.rel(r.run.notebook)}, parameters {r.run.parameters})")
            if e.get("cell") is not None:
                out.append(f"  in cell {e['cell']}:")
                out.extend("    | " + line for line in (e.get("source") or "").splitlines())
            out.append(f"  {e['ename']}: {e['evalue']}")
    return "\n".join(out)


# --- the book -------------------------------------------------------------------------

def write_vega_static(static: Path = STATIC) -> Path:
    """Write the Vega libraries into _static (atomically; unchanged files are left alone)."""
    from .charts import vega_bundle, vega_bundle_stamp

    static.mkdir(parents=True, exist_ok=True)
    target = static / VEGA_JS
    if target.is_file():
        with open(target, encoding="utf-8") as fh:
            if fh.readline().rstrip("\n") == vega_bundle_stamp():
                return target
    text = vega_bundle()
    tmp = target.with_suffix(".js.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return target


def build_book(log: Callable[[str], None] = print, warnings_as_errors: bool = True) -> Path:
    """jupyter-book build into _build/stage; on success, replace _build/html with it."""
    stage = BUILD / "stage"
    # Sphinx builds incrementally but never deletes the page of a document that left the
    # book: start the stage afresh whenever the TOC or the configuration changes.
    layout = hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in ("_toc.yml", "_config.yml"))).hexdigest()
    stamp = stage / ".layout-sha256"
    if stage.exists() and (not stamp.is_file() or stamp.read_text() != layout):
        shutil.rmtree(stage)
    stage.mkdir(parents=True, exist_ok=True)
    stamp.write_text(layout)
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(ROOT), "--path-output", str(stage)]
    if warnings_as_errors:
        cmd += ["-W", "--keep-going"]
    log("==> jupyter-book build (execution off; warnings are errors)")
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-40:])
        raise DataError(f"jupyter-book build failed (exit {proc.returncode}); the previous book in "
                        f"{BUILD / 'html'} is unchanged.\n{tail}")
    built = stage / "_build" / "html"
    final = BUILD / "html"
    old = BUILD / "html.previous"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    shutil.copytree(built, final)
    shutil.rmtree(old, ignore_errors=True)
    log(f"    built in {time.perf_counter() - start:.1f} s")
    return final / "index.html"


PDF_NAME = "palermo-companion.pdf"


def build_pdf(log: Callable[[str], None] = print) -> Path:
    """The PDF edition: Jupyter Book's pdflatex builder on the executed notebooks (charts as
    their PNGs), into _build/pdf-stage; the PDF is then copied to _build/pdf/."""
    stage = BUILD / "pdf-stage"
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(ROOT), "--builder", "pdflatex",
           "--path-output", str(stage)]
    log("==> jupyter-book build --builder pdflatex (LaTeX, then pdflatex via latexmk)")
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    pdf = stage / "_build" / "latex" / PDF_NAME
    if proc.returncode != 0 or not pdf.is_file():
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-40:])
        raise DataError(f"the PDF build failed (exit {proc.returncode}); is TeX Live installed (see .ci/run)?\n{tail}")
    out = BUILD / "pdf" / PDF_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".pdf.tmp")
    shutil.copyfile(pdf, tmp)
    os.replace(tmp, out)
    log(f"    built in {time.perf_counter() - start:.1f} s")
    log(f"==> the PDF: {out}")
    return out


def build(plan: Path | None = None, jobs: int | None = None, force: bool = False, book: bool = True,
          log: Callable[[str], None] = print, pdf: bool = False) -> list[Result]:
    """The whole pipeline. Raises RunFailed (nothing of the book touched) or DataError.
    A plan kept in some <root>/book/ has its paths relative to <root>."""
    plan = Path(plan or PLAN).resolve()
    runs = load_plan(plan, root=plan.parent.parent if plan.parent.name == "book" else ROOT)
    write_vega_static()
    results = run_plan(runs, jobs=jobs, force=force, log=log)
    log(summary_table(results))
    if any(r.status == "failed" for r in results):
        log(failure_report(results))
        raise RunFailed(results)
    if book:
        index = build_book(log=log)
        log(f"==> the book: {index}")
    if pdf:
        build_pdf(log=log)
    return results


def run_one(notebook: Path, given: dict, output: Path | None = None, log: Callable[[str], None] = print) -> Result:
    """`palermo run`: one notebook with other parameters, validated like the plan."""
    notebook = Path(notebook).resolve()
    resolved = resolve_parameters(notebook, given, "palermo run")
    output = Path(output or Path.cwd() / f"{notebook.stem}-run.ipynb").resolve()
    run = Run(notebook=notebook, output=output, parameters=resolved, label=str(output))
    log(f"==> running {run.rel(notebook)} with {resolved}")
    res = execute(run, cache_key(run, inputs_digest()))
    if res.status == "failed":
        log(failure_report([res]))
        raise RunFailed([res])
    log(f"==> wrote {output} ({res.seconds:.1f} s)")
    return res


# --- standalone pages (profiles) ----------------------------------------------------------------

def notebook_to_html(notebook: Path, title: str) -> str:
    """One executed notebook as a single HTML file that reads offline: code hidden, the
    book's CSS and the Vega libraries inline, no outside script, font or stylesheet."""
    import nbformat
    from nbconvert import HTMLExporter

    from .charts import vega_bundle

    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells = [c for c in nb.cells if not {"parameters", "injected-parameters", "remove-cell"} & set(c.metadata.get("tags", []))]
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    css = (STATIC / "palermo.css").read_text(encoding="utf-8")
    import html as html_lib

    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html_lib.escape(title)}</title>"
            "<style>body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:54em;margin:2em auto;"
            "padding:0 1em;line-height:1.5;color:#222}" + css + "</style>"
            f"<script>{vega_bundle()}</script></head><body><main>{body}</main></body></html>\n")


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def profile_html(country: str, as_of=None, output: Path | None = None, log: Callable[[str], None] = print) -> Path:
    """`palermo profile`: run the country profile for one participant and write it as HTML."""
    from . import profile

    pid = profile.resolve(country)  # fails at once, with the closest names
    notebook = ROOT / "notebooks" / "country_profile.ipynb"
    resolved = resolve_parameters(notebook, {"country": pid, "as_of": as_of or str(PAPER_DATE)}, "palermo profile")
    output = Path(output or Path.cwd() / f"profile-{pid}-{resolved['as_of']}.html").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        run = Run(notebook=notebook, output=Path(tmp) / "profile.ipynb", parameters=resolved, label=pid)
        log(f"==> running the profile of {profile.known()[pid]} ({pid}) on {resolved['as_of']}")
        res = execute(run, cache_key(run, inputs_digest()))
        if res.status == "failed":
            log(failure_report([res]))
            raise RunFailed([res])
        write_atomic(output, notebook_to_html(run.output, f"{profile.known()[pid]}: country profile"))
    log(f"==> wrote {output} ({res.seconds:.1f} s)")
    return output

