"""``REPLICATION.md`` and the deposit (``palermo export package``), for a journal's data editor.

The README a data editor expects (data availability, computational requirements,
instructions, and a map from every figure, table and in-text number to the code that makes
it) is generated here, never typed: from the run plan (the pages and their notebooks), the
source notebooks (which chapter function draws each chart or table, which ``facts`` function
supplies the numbers in the text), the raw-file registry, the curated manifest, the claims
ledger and the measured build (``benchmarks/clean-build.yml``). ``palermo export replication``
writes it; a test fails when the committed file differs from what this module makes.

The deposit is one zip: the code, the lock files, the curated data, the raw files (each with
its licence or terms), the built HTML and PDF, ``REPLICATION.md``, a ``SHA256SUMS`` that
``sha256sum -c`` checks, and an RO-Crate manifest (``ro-crate-metadata.json``, RO-Crate 1.1)
describing every file with its sha256 and size.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, config
from ..errors import BuildError, UsageError
from ..files import atomic_path, read_yaml, sha256_of, write_atomic
from .export import output_path

REPLICATION_MD = config.ROOT / "REPLICATION.md"
MEASURED = config.ROOT / "benchmarks" / "clean-build.yml"
PDF = config.BUILD / "pdf" / "palermo-companion.pdf"
HTML = config.BUILD / "html"
CI_RUN = config.ROOT / ".ci" / "run"
LOCKS = ("requirements.lock", "requirements-lab.lock")


# --- what each notebook shows --------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A chart or table a notebook displays, or the numbers glued into its text."""

    notebook: str  # notebooks/<name>.ipynb
    kind: str  # figure | table | numbers
    section: str  # the heading it sits under
    function: str  # palermo.<stage>.<module>.<function> that makes it
    label: str = ""  # a table's caption, or the glued names


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
    the function that makes it, and the numbers its text glues, with their ``facts``."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    rel = notebook.relative_to(config.ROOT).as_posix()
    aliases: dict[str, str] = {}
    assigned: dict[str, str] = {}
    section = "(opening)"
    out: list[Shown] = []
    glued: list[str] = []
    facts: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    section = _GLUE.sub(r"[\1]", line.lstrip("#").strip())
            glued += [g for g in dict.fromkeys(_GLUE.findall(cell.source)) if g not in glued]
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
                out.append(Shown(rel, "table", section, made))
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
                    )
                )
            elif node.func.attr == "glue_all" and owner.id == "glue":
                facts.append(_call_name(node.args[0], aliases, assigned))
    if glued:
        out.append(
            Shown(rel, "numbers", "the text", " + ".join(dict.fromkeys(facts)), ", ".join(glued))
        )
    return out


def pages() -> list[dict]:
    """The plan's chapter entries, unexpanded: notebook, page(s), parameters."""
    doc = read_yaml(config.PLAN, UsageError, "the run plan")
    rows = []
    for e in doc.get("entries") or []:
        if not e.get("notebook"):
            continue
        out = str(e["output"]).removesuffix(".ipynb")
        if e.get("for_each"):
            out += f" (one page per {e['for_each']})"
        rows.append({"notebook": e["notebook"], "page": out, "parameters": e.get("parameters")})
    return rows


# --- the document --------------------------------------------------------------------------


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    return lines


def _apt_packages() -> list[str]:
    text = CI_RUN.read_text(encoding="utf-8")
    return [p for group in re.findall(r"need_apt\+=\(([^)]*)\)", text) for p in group.split()]


def _locked(lock: str) -> int:
    text = (config.ROOT / lock).read_text(encoding="utf-8")
    return len(re.findall(r"^[A-Za-z0-9_.\-\[\]]+==", text, re.M))


def render() -> str:
    """REPLICATION.md, from the plan, the notebooks, the registry, the curated manifest, the
    claims ledger and the measured build."""
    from ..data import curated, registry
    from ..model import claims

    measured = read_yaml(MEASURED, UsageError, "the measured build")
    py = read_yaml(config.ROOT / "environment.yml", UsageError, "environment.yml")
    python = next(
        (str(d) for d in py.get("dependencies") or [] if str(d).startswith("python")), "python"
    )
    reg = registry.load(config.SOURCES_YML)
    L: list[str] = [
        "# Replication: the Palermo companion",
        "",
        "<!-- Generated by `palermo export replication` from the run plan, the source "
        "notebooks, data/sources.yml, data/curated/manifest.yml, the claims ledger and "
        "benchmarks/clean-build.yml; do not edit (a test fails when it is stale). -->",
        "",
        f"Version {__version__}. This package rebuilds every figure, table and number of the "
        "Palermo companion, the executable companion to Tennant (2021), *Fulfilling the "
        "Promise of Palermo?*, *Journal of Illicit Economies and Development* 2(1), 53-71, "
        "from the raw status records of the UN Treaty Collection and the cited records the "
        "project curates.",
        "",
        "## Data availability",
        "",
        "Every input is public. The raw files are never edited; each is pinned by sha256 in "
        "`data/sources.yml`, with the public repository and commit it was copied from. They "
        "are not in the code repository: `make book` downloads each one from its origin and "
        "keeps it only if its sha256 matches. The deposit (`palermo export package`) includes "
        "them, with the terms below.",
        "",
    ]
    repos: dict[str, list] = {}
    for s in reg.sources:
        repos.setdefault(s.repository, []).append(s)
    rows = []
    for srcs in repos.values():
        s0 = srcs[0]
        rows.append(
            [
                f"{s0.repository_url} at commit `{s0.commit[:12]}`",
                f"{len(srcs)} file(s): " + ", ".join(f"`{s.origin_path}`" for s in srcs),
                s0.licence,
                "not in the repository; in the deposit",
                "`palermo sources fetch` (run by `make book`)",
            ]
        )
    for g in reg.geometry:
        rows.append(
            [
                f"{g.registry} package {g.package}@{g.version}",
                f"`{g.path}`",
                g.licence,
                "not in the repository; in the deposit",
                "installed by `make book` (npm)",
            ]
        )
    L += _table(["Source", "Files", "Licence or terms", "Included", "How to get it"], rows)
    L += [
        "",
        "The records this project curates are in the repository and the deposit, every row "
        "with its own source (`data/curated/manifest.yml`):",
        "",
    ]
    L += _table(
        ["File", "Where its rows come from", "Licence"],
        [
            [f"`{m.path.relative_to(config.ROOT).as_posix()}`", m.source, m.licence]
            for m in curated.manifest().values()
        ],
    )
    L += [
        "",
        "The paper's text is not included and not needed: the tests that compare the book with "
        "its words skip, saying why, where it is absent.",
        "",
        "## Computational requirements",
        "",
        f"- Python {python.split('=')[-1]} (`environment.yml`), on Linux.",
    ]
    for lock in LOCKS:
        L.append(f"- `{lock}`: {_locked(lock)} packages, each pinned by version and hash.")
    L += [
        "- Operating-system packages (Debian), as `.ci/run` installs them: "
        + ", ".join(f"`{p}`" for p in _apt_packages())
        + ". TeX Live and poppler are for the PDF edition only; Chromium for the browser tests.",
        f"- Measured on {measured['date']}, {measured['machine']}:",
    ]
    for m in measured["steps"]:
        L.append(f"  - {m['step']}: {m['result']}")
    L += [
        "",
        "## Instructions",
        "",
        "From the folder this package unpacks into (or a clone of the repository), with the "
        "network reaching the package registries and the raw files' public host:",
        "",
        "```",
        "make book     # environment, raw files, every notebook, the book (_build/html)",
        "make test     # the book and the PDF (_build/pdf), then every test",
        "```",
        "",
        "Offline, with a copy of the raw files (the deposit's `raw/`): "
        f"`{config.RAW_DIR_ENV}=$PWD/raw make book`. Check the deposit first with "
        "`sha256sum -c SHA256SUMS`.",
        "",
        "## Figures, tables and numbers, and the code that makes them",
        "",
        "Each chapter is a notebook in `notebooks/`, run by papermill with the parameters of "
        "the run plan (`book/runs.yml`) into the page named (under `book/`, rendered to "
        "`_build/html/book/<page>.html`). Its code is a module of `palermo.chapters`; the "
        "function named makes the figure or table, and the chapter's `facts` function every "
        "number in its text.",
        "",
    ]
    by_notebook: dict[str, list[str]] = {}
    params: dict[str, list[str]] = {}
    for p in pages():
        by_notebook.setdefault(p["notebook"], []).append(p["page"])
        if p["parameters"]:
            params.setdefault(p["notebook"], []).append(
                ", ".join(f"{k}={v}" for k, v in p["parameters"].items())
            )
    rows = []
    n = {"figure": 0, "table": 0}
    for nb, outs in by_notebook.items():
        for s in shown(config.ROOT / nb):
            if s.kind in n:
                n[s.kind] += 1
                label = f"{s.kind.capitalize()} {n[s.kind]}"
            else:
                label = "Numbers in the text"
            what = s.section
            if s.label and s.label != s.section:
                what += f": {s.label}"
            if s.kind == "numbers":
                what = s.label
            rows.append([label, what, f"`{nb}`", f"`{s.function or '-'}`", "; ".join(outs)])
    L += _table(["Item", "What", "Notebook", "Made by", "Page(s)"], rows)
    L += [
        "",
        "The run plan's parameters for each chapter:",
        "",
    ]
    L += _table(
        ["Notebook", "Runs with"],
        [[f"`{nb}`", " / ".join(v)] for nb, v in params.items()],
    )
    ledger = claims.ledger()
    L += [
        "",
        "## The paper's numbers",
        "",
        f"Each of the {len(ledger)} checkable numbers and dates in the paper is a row of the "
        "claims ledger (`data/curated/claims.yml`), recomputed by a named function of "
        "`palermo.model.claims` and shown with its verdict on the page `book/claims` "
        "(`palermo claims` prints them).",
        "",
    ]
    L += _table(
        ["Claim", "The paper's value", "Recomputed by", "Verdict", "Evidence page"],
        [
            [
                f"`{c.id}`",
                c.paper_value,
                f"`palermo.model.claims.{c.computation}`" if c.computation else "-",
                c.verdict,
                c.evidence or "-",
            ]
            for c in ledger
        ],
    )
    return "\n".join(L) + "\n"


def write(check: bool = False) -> bool:
    """Write REPLICATION.md (or, with ``check``, only say whether it is current)."""
    text = render()
    current = REPLICATION_MD.is_file() and REPLICATION_MD.read_text(encoding="utf-8") == text
    if not check and not current:
        write_atomic(REPLICATION_MD, text)
    return current


# --- the deposit ---------------------------------------------------------------------------


def _tracked() -> list[str]:
    """The repository's own files: those git tracks (BuildError without git or history)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"],
            cwd=config.ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        raise BuildError(
            "palermo export package needs git and the repository's history (it packs the "
            "files git tracks)"
        ) from None
    return sorted(p for p in out.decode().split("\0") if p and (config.ROOT / p).is_file())


def contents() -> list[tuple[str, Path]]:
    """(name in the deposit, file) for every file the deposit holds."""
    from ..data import raw, registry

    if not PDF.is_file() or not (HTML / "index.html").is_file():
        raise BuildError(
            f"the deposit holds the built book and PDF: run `make book` and `make pdf` first "
            f"(looked for {HTML / 'index.html'} and {PDF})"
        )
    if not write(check=True):
        raise BuildError(
            "REPLICATION.md is stale: run `palermo export replication` and commit it first"
        )
    files = [(p, config.ROOT / p) for p in _tracked()]
    for s in raw.registered():
        files.append((f"raw/{s.path}", registry.locate(s)))
    for g in registry.load().geometry:
        files.append((f"raw/{g.package}/{Path(g.path).name}", registry.locate_geometry(g.id)))
    files += [
        (f"_build/html/{p.relative_to(HTML).as_posix()}", p)
        for p in sorted(HTML.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    ]
    files.append((f"_build/pdf/{PDF.name}", PDF))
    return files


def _crate(entries: list[tuple[str, str, int]]) -> dict:
    """An RO-Crate 1.1 metadata document: the crate, and one File entity per file."""
    today = dt.date.today().isoformat()
    parts = [
        {
            "@id": name,
            "@type": "File",
            "name": Path(name).name,
            "contentSize": str(size),
            "sha256": sha,
        }
        for name, sha, size in entries
    ]
    return {
        "@context": "https://w3id.org/ro/crate/1.1/context",
        "@graph": [
            {
                "@id": "ro-crate-metadata.json",
                "@type": "CreativeWork",
                "conformsTo": {"@id": "https://w3id.org/ro/crate/1.1"},
                "about": {"@id": "./"},
            },
            {
                "@id": "./",
                "@type": "Dataset",
                "name": "The Palermo companion: replication package",
                "description": (
                    "Code, data, built book and PDF of the executable companion to Tennant "
                    "(2021), Fulfilling the Promise of Palermo?; see REPLICATION.md."
                ),
                "datePublished": today,
                "version": __version__,
                "license": {"@id": "LICENSE"},
                "hasPart": [{"@id": name} for name, _, _ in entries],
            },
            *parts,
        ],
    }


def package(
    output: Path,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> Path:
    """The deposit as one zip, written atomically; its path."""
    out = output_path(output, ".zip", force)
    files = contents()
    total = sum(p.stat().st_size for _, p in files)
    log(f"==> packing {len(files):,} files ({total / 1e6:.1f} MB) into {out}")
    entries = []
    with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, path) in enumerate(files, start=1):
            data = path.read_bytes()
            z.writestr(name, data)
            entries.append((name, sha256_of(data), len(data)))
            if i % 500 == 0:
                log(f"    {i:,} of {len(files):,} files")
        sums = "".join(f"{sha}  {name}\n" for name, sha, _ in entries)
        z.writestr("SHA256SUMS", sums)
        crate = json.dumps(_crate(entries), indent=1, ensure_ascii=False)
        z.writestr("ro-crate-metadata.json", crate)
    log(
        f"==> wrote {out} ({out.stat().st_size / 1e6:.1f} MB); unpacked, check it with "
        "`sha256sum -c SHA256SUMS`"
    )
    return out
