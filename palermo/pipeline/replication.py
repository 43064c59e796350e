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
``sha256sum -c`` checks, and its machine-readable metadata (``pipeline.crate``): an RO-Crate
(``ro-crate-metadata.json``, RO-Crate 1.1, a Process Run Crate) describing every file with its
sha256 and size and every run of the plan, a Frictionless ``datapackage.json`` with a table
schema for each CSV table, among them the panel and the claims ledger it derives, and a
``.zenodo.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from .. import __version__, config
from ..errors import BuildError, UsageError
from ..files import atomic_path, read_yaml, sha256_of, write_atomic
from . import facts
from .export import output_path
from .provenance import shown

REPLICATION_MD = config.ROOT / "REPLICATION.md"
MEASURED = config.ROOT / "benchmarks" / "clean-build.yml"
PDF = config.BUILD / "pdf" / "palermo-companion.pdf"
HTML = config.BUILD / "html"
CI_RUN = config.ROOT / ".ci" / "run"
LOCKS = ("requirements.lock", "requirements-lab.lock")
# where `make book` looks for the map geometry (the Makefile's GEO): the deposit puts it there
GEO_FOLDER = config.DEFAULT_GEO_DIR.relative_to(config.ROOT).as_posix()
FETCH_MANIFEST = "manifest.yml"


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


TEMPLATE = Path(__file__).with_name("REPLICATION.md.jinja")


def _sources_table(reg, repos: dict[str, list]) -> list[str]:
    """The raw sources by repository, and the map geometry: where each is and how to get it."""
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
                f"not in the repository; in the deposit, as `{GEO_FOLDER}/{g.path}`",
                f"installed by `make book` ({g.registry}) into `{GEO_FOLDER}`",
            ]
        )
    return _table(["Source", "Files", "Licence or terms", "Included", "How to get it"], rows)


def _exhibit_tables() -> tuple[list[str], list[str]]:
    """The map of every figure, table and glued value (notebook, cell, function, pages), and
    the plan's parameters for each chapter."""
    by_notebook: dict[str, list[str]] = {}
    params: dict[str, list[str]] = {}
    for p in pages():
        by_notebook.setdefault(p["notebook"], []).append(p["page"])
        if p["parameters"]:
            params.setdefault(p["notebook"], []).append(
                ", ".join(f"{k}={v}" for k, v in p["parameters"].items())
            )
    rows = []
    n = {"figure": 0, "table": 0, "number": 0}
    for nb, outs in by_notebook.items():
        for x in shown(config.ROOT / nb):
            n[x.kind] += 1
            label = f"{'In-text value' if x.kind == 'number' else x.kind.capitalize()} {n[x.kind]}"
            what = x.section
            if x.label and x.label != x.section:
                what += f": {x.label}"
            cell = str(x.cell)
            if x.kind == "number":
                what = f"`{x.label}`, printed under “{x.section}”"
                cell = f"{x.cell} (printed in {x.shown_in})"
            made = f"`{x.function or '-'}`"
            rows.append([label, what, f"`{nb}`", cell, made, "; ".join(outs)])
    exhibits = _table(["Item", "What", "Notebook", "Cell", "Made by", "Page(s)"], rows)
    runs = _table(
        ["Notebook", "Runs with"], [[f"`{nb}`", " / ".join(v)] for nb, v in params.items()]
    )
    return exhibits, runs


def render() -> str:
    """REPLICATION.md: its template (``REPLICATION.md.jinja``, the words) filled in from the
    plan, the notebooks, the registry, the curated manifest, the claims ledger and the
    measured build (the tables and numbers)."""
    import jinja2

    from ..data import curated, registry
    from ..model import claims

    measured = read_yaml(MEASURED, UsageError, "the measured build")
    py = read_yaml(config.ROOT / "environment.yml", UsageError, "environment.yml")
    python = next(
        (str(d) for d in py.get("dependencies") or [] if str(d).startswith("python")), "python"
    )
    reg = registry.load(config.SOURCES_YML)
    repos: dict[str, list] = {}
    for s in reg.sources:
        repos.setdefault(s.repository, []).append(s)
    fetched = fetched_sources()
    exhibits, runs = _exhibit_tables()
    ledger = claims.ledger()

    def lines(rows: list[str]) -> str:
        return "\n".join(rows)

    context = {
        "version": __version__,
        "sources_table": lines(_sources_table(reg, repos)),
        "fetched": fetched,
        "fetch_manifest": FETCH_MANIFEST,
        "fetched_table": lines(
            _table(
                ["Record", "Treaty", "Fetched on", "In the deposit", "sha256"],
                [
                    [f"`{s.id}`", s.treaty, s.status_date, f"`raw/{s.path}`", f"`{s.sha256}`"]
                    for s in fetched
                ],
            )
        ),
        "curated_table": lines(
            _table(
                ["File", "Where its rows come from", "Licence"],
                [
                    [f"`{m.path.relative_to(config.ROOT).as_posix()}`", m.source, m.licence]
                    for m in curated.manifest().values()
                ],
            )
        ),
        "citations": lines(_citations(repos, reg)),
        "deposit_metadata": lines(_deposit_metadata()),
        "python": python.split("=")[-1],
        "locks": [(lock, _locked(lock)) for lock in LOCKS],
        "apt": ", ".join(f"`{p}`" for p in _apt_packages()),
        "measured": measured,
        "levels": list(reversed(facts.LEVELS.items())),
        "offline_command": offline_command(bool(fetched)),
        "geo_folder": GEO_FOLDER,
        "exhibit_table": lines(exhibits),
        "parameters_table": lines(runs),
        "ledger": ledger,
        "claims_table": lines(
            _table(
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
        ),
    }
    env = jinja2.Environment(
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    return env.from_string(TEMPLATE.read_text(encoding="utf-8")).render(**context)


def _citations(repos: dict[str, list], reg) -> list[str]:
    """The data citations, apart from the availability statement: one reference per source,
    as a reader cites it (its maker, title, where, which version)."""
    cites = [
        'Tennant, Ian (2021), "Fulfilling the Promise of Palermo? A Political History of the '
        'UN Convention Against Transnational Organized Crime", *Journal of Illicit Economies '
        "and Development* 2(1), 53-71, https://doi.org/10.31389/jied.90 (the paper; its text "
        "is not in the deposit)."
    ]
    for srcs in repos.values():
        s0 = srcs[0]
        treaties = sorted({s.treaty for s in srcs if s.treaty})
        cites.append(
            f"United Nations Treaty Collection, status of multilateral treaties deposited with "
            f"the Secretary-General ({', '.join(treaties)}), as copied in {s0.repository_url}, "
            f"commit {s0.commit}, files as listed above, status as of "
            f"{max(s.status_date for s in srcs).isoformat()} at the latest."
        )
    for g in reg.geometry:
        cites.append(
            f"{g.package} {g.version} ({g.registry} package), `{g.path}`: country boundaries "
            "derived from Natural Earth, 1:110m."
        )
    cites.append(
        f"The Palermo companion, version {__version__}, curated records (`data/curated/`, "
        "each row with its own source; CC BY 4.0 unless the table above says otherwise)."
    )
    return ["### Data citations", "", *[f"- {c}" for c in cites]]


def _deposit_metadata() -> list[str]:
    """What a repository's record of the deposit asks besides the files: where, when, and what
    one observation is."""
    from ..data import countries
    from ..model import merge
    from ..model.dates import latest_record_date
    from ..render.text import join

    names = merge.load().names
    members = set(countries.members()["participant_id"])
    others = sorted(names[i] for i in names if i not in members)
    return [
        "### Deposit metadata",
        "",
        "- Geographic coverage: worldwide. Every UN Member State and every other participant "
        f"in the records of the treaties listed above ({join(others)}).",
        f"- Period: {config.MIN_DATE.isoformat()} (the earliest date the chapters accept) to "
        f"{latest_record_date().isoformat()} (the latest date the records speak for); the "
        "chronology reaches back to 1945.",
        "- Unit of observation: a participant's dated action under a treaty (signature, "
        "ratification, acceptance, approval, accession, succession, withdrawal), from which "
        "each participant's status under each treaty on a day is derived; the curated tables "
        "have their own units (an event, a claim, an interview note), named in their "
        "descriptions above.",
    ]


def fetched_sources() -> list:
    """The records `palermo sources update` kept in the data folder, which the book reads."""
    from ..data import registry

    return [s for s in registry.registry() if s.fetched]


def offline_command(fetched: bool) -> str:
    """The offline rebuild from an unpacked deposit: the raw files from its ``raw/``, and the
    fetched records (under ``raw/untc/``) read as the data folder's."""
    env = f"{config.RAW_DIR_ENV}=$PWD/raw"
    if fetched:
        env += f" {config.DATA_DIR_ENV}=$PWD/raw"
    return f"{env} make book"


def stale_reason() -> str:
    """Why REPLICATION.md differs from what it would be now, where it can be said briefly."""
    fetched = fetched_sources()
    text = REPLICATION_MD.read_text(encoding="utf-8") if REPLICATION_MD.is_file() else ""
    missing = [s for s in fetched if f"`{s.id}`" not in text]
    if missing:
        return (
            f"it does not list {len(missing)} record(s) fetched into "
            f"{config.data_dir() / 'untc'} that the book now reads (e.g. {missing[0].id})"
        )
    listed = re.findall(r"`(untc-fetched-[^`]+)`", text)
    gone = sorted(set(listed) - {s.id for s in fetched})
    if gone:
        return (
            f"it lists {len(gone)} fetched record(s) no longer in {config.data_dir() / 'untc'} "
            f"(e.g. {gone[0]})"
        )
    return ""


def write(check: bool = False) -> bool:
    """Write REPLICATION.md (or, with ``check``, only say whether it is current)."""
    text = render()
    current = REPLICATION_MD.is_file() and REPLICATION_MD.read_text(encoding="utf-8") == text
    if not check and not current:
        write_atomic(REPLICATION_MD, text)
    return current


# --- the deposit ---------------------------------------------------------------------------


GIT_LINK = "120000"  # git's mode of a symbolic link
GIT_EXECUTABLE = "100755"


def _tracked() -> dict[str, int]:
    """The repository's own files, those git tracks, each with the mode it unpacks with
    (0o755 for a file git records as executable, else 0o644). BuildError without git or
    history, or for a tracked symbolic link, or a path that leads out of the repository:
    the deposit never packs what a link points to (a file of the packer's machine)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-s", "-z"],
            cwd=config.ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        raise BuildError(
            "palermo export package needs git and the repository's history (it packs the "
            "files git tracks)"
        ) from None
    root = config.ROOT.resolve()
    files: dict[str, int] = {}
    links = []
    for entry in out.decode("utf-8", "surrogateescape").split("\0"):
        if not entry:
            continue
        info, _, name = entry.partition("\t")
        mode = info.split(" ", 1)[0]
        path = config.ROOT / name
        if mode == GIT_LINK or path.is_symlink():
            links.append(name)
            continue
        if not path.is_file():  # deleted in the working tree, or a submodule
            continue
        if root not in path.resolve().parents:  # through a linked folder
            links.append(name)
            continue
        files[name] = 0o755 if mode == GIT_EXECUTABLE else 0o644
    if links:
        raise BuildError(
            f"{len(links)} tracked path(s) are symbolic links or lead through one: "
            f"{', '.join(links[:5])}{' …' if len(links) > 5 else ''}; the deposit packs no "
            "links (what one points to may be a file from outside the repository). Replace "
            "each with the file itself, or remove it from git (git rm --cached)"
        )
    return dict(sorted(files.items()))


def _page_download(path: Path) -> bool:
    """A page's zip of its notebook and data (``pipeline.provenance``): the deposit leaves it
    out, as it holds the executed notebook itself and `make book` writes the zip again from
    it (and a deposit holds no archive)."""
    rel = path.relative_to(HTML).parts
    return len(rel) == 3 and rel[0] == "_downloads" and path.suffix == ".zip"


def _built_html() -> list[tuple[str, Path]]:
    """The built book's files, never through a symbolic link (BuildError naming one)."""
    out, links = [], []
    for folder, dirs, names in os.walk(HTML):
        here = Path(folder)
        if here == HTML and "editions" in dirs:  # earlier editions served beside this book
            dirs.remove("editions")
        for d in list(dirs):
            if (here / d).is_symlink():
                links.append(here / d)
                dirs.remove(d)
        for n in sorted(names):
            p = here / n
            if n.startswith("."):
                continue
            if _page_download(p):
                continue
            if p.is_symlink():
                links.append(p)
            elif p.is_file():
                out.append((f"_build/html/{p.relative_to(HTML).as_posix()}", p))
    if links:
        raise BuildError(
            f"the built book holds {len(links)} symbolic link(s), e.g. {links[0]}; the deposit "
            "packs no links: run `palermo build --force` for a clean book"
        )
    return sorted(out)


def _fetched_files() -> list[tuple[str, Path]]:
    """The records `palermo sources update` fetched (which the book reads), each verified by
    its sha256, with each fetch's manifest, under ``raw/untc/<day>/`` as in the data folder."""
    from ..data import registry

    files: list[tuple[str, Path]] = []
    manifests: dict[str, Path] = {}
    for s in fetched_sources():
        parts = Path(s.path).parts
        if len(parts) != 3 or parts[0] != "untc" or any(p in ("", ".", "..") for p in parts):
            raise BuildError(
                f"the fetched record {s.id} is at {s.path!r}, not untc/<day>/<file>; the "
                f"deposit packs no file from elsewhere (`palermo sources forget "
                f"{s.status_date}` drops that fetch)"
            )
        path = registry.locate(s)  # its sha256 checked
        folder = Path(s.root).resolve() / "untc" / parts[1]
        if folder not in path.resolve().parents:
            raise BuildError(
                f"the fetched record {s.id} leads out of its fetch folder {folder}; the deposit "
                "packs no file from elsewhere"
            )
        files.append((f"raw/{s.path}", path))
        manifests[f"raw/untc/{parts[1]}/{FETCH_MANIFEST}"] = folder / FETCH_MANIFEST
    return files + sorted(manifests.items())


def _book_records() -> None:
    """BuildError unless every page of the built book was made from the fetched records held
    now (each executed page records them): a deposit describes the records its book used."""
    from . import plan
    from .execute import fetched_records

    now = fetched_records()
    made = []
    for r in plan.load().runs:
        if not r.output.is_file():
            continue
        try:
            meta = json.loads(r.output.read_text(encoding="utf-8")).get("metadata", {})
        except ValueError:
            continue
        used = (meta.get("palermo") or {}).get("records") or {}
        if used != now:
            made.append((r.rel(r.output), used))
    if made:
        page, used = made[0]
        what = ", ".join(sorted(used)) or "no fetched records"
        held = ", ".join(sorted(now)) or "none"
        raise BuildError(
            f"the built book was made from other records than those held now: {len(made)} "
            f"page(s), e.g. {page}, used {what}; the data folder ({config.data_dir()}) holds "
            f"{held}. Run `make book` and `make pdf` again (or `palermo sources forget DAY` to "
            "drop a fetch), then package"
        )


def contents() -> list[tuple[str, Path, int]]:
    """(name in the deposit, file, mode) for every file the deposit holds."""
    from ..data import raw, registry

    if not PDF.is_file() or not (HTML / "index.html").is_file():
        raise BuildError(
            f"the deposit holds the built book and PDF: run `make book` and `make pdf` first "
            f"(looked for {HTML / 'index.html'} and {PDF})"
        )
    if not write(check=True):
        why = stale_reason()
        raise BuildError(
            f"REPLICATION.md is stale{': ' + why if why else ''}: run `palermo export "
            "replication` and commit it first"
        )
    _book_records()
    files = [(p, config.ROOT / p, mode) for p, mode in _tracked().items()]
    raws = [(f"raw/{s.path}", registry.locate(s)) for s in raw.registered()]
    raws += _fetched_files()
    for g in registry.load().geometry:  # where `make book` looks for it: no npm needed
        raws.append((f"{GEO_FOLDER}/{g.path}", registry.locate_geometry(g.id)))
    raws += _built_html()
    raws.append((f"_build/pdf/{PDF.name}", PDF))
    return files + [(name, path, 0o644) for name, path in raws]


def package(
    output: Path,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> Path:
    """The deposit as one zip, written atomically; its path. Besides the files of
    :func:`contents` it holds the tables it derives for research (``derived/``: the yearly
    panel and the claims ledger, with their data dictionaries), their ``datapackage.json``, a
    ``.zenodo.json``, the ``SHA256SUMS`` of all of these and the RO-Crate that describes them
    with every run of the plan (``pipeline.crate``)."""
    from . import crate, plan

    out = output_path(output, ".zip", force)
    files = contents()
    runs = plan.load().runs
    with tempfile.TemporaryDirectory(prefix="palermo-deposit-") as derived:
        log("==> deriving the tables for research")
        files += [(name, path, 0o644) for name, path in crate.derived_tables(Path(derived), log)]
        _no_machine_paths(files)
        faults = deposit_faults(files)
        if faults:
            raise BuildError(
                f"the deposit would fail a data editor's checks ({len(faults)} finding(s)): "
                + "; ".join(faults[:5])
                + ("; …" if len(faults) > 5 else "")
            )
        total = sum(p.stat().st_size for _, p, _ in files)
        log(f"==> packing {len(files):,} files ({total / 1e6:.1f} MB) into {out}")
        entries = []
        with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for i, (name, path, mode) in enumerate(files, start=1):
                data = path.read_bytes()
                z.writestr(_entry(name, mode, path.stat().st_mtime), data)
                entries.append((name, sha256_of(data), len(data)))
                if i % 500 == 0:
                    log(f"    {i:,} of {len(files):,} files")
            now = time.time()
            for name, data in crate.metadata_files(entries):  # datapackage.json, .zenodo.json
                z.writestr(_entry(name, 0o644, now), data)
                entries.append((name, sha256_of(data), len(data)))
            sums = "".join(f"{sha}  {name}\n" for name, sha, _ in entries)
            z.writestr(_entry("SHA256SUMS", 0o644, now), sums)
            doc = json.dumps(crate.ro_crate(entries, runs), indent=1, ensure_ascii=False)
            z.writestr(_entry("ro-crate-metadata.json", 0o644, now), doc)
    wrong = verify_package(out)
    if wrong:  # written, then read back: the manifest and the files must agree
        out.unlink()
        raise BuildError(
            f"the deposit read back differs from its SHA256SUMS: {'; '.join(wrong[:5])}"
        )
    log(
        f"==> wrote {out} ({out.stat().st_size / 1e6:.1f} MB), read back against its "
        "SHA256SUMS; unpacked, check it with `sha256sum -c SHA256SUMS`"
    )
    return out


def _no_machine_paths(files: list[tuple[str, Path, int]]) -> None:
    """BuildError if an executed notebook to be packed holds this machine's path of the
    repository (papermill's paths, a traceback): one run by a palermo that did not take them
    out. A deposit publishes no path of the machine that made it."""
    here = str(config.ROOT).encode("utf-8")
    found = [n for n, p, _ in files if n.endswith(".ipynb") and here in p.read_bytes()]
    if found:
        raise BuildError(
            f"{len(found)} executed notebook(s) of the built book hold this machine's path "
            f"{config.ROOT} (e.g. {found[0]}); they were run by an older palermo: run "
            "`palermo build --force` and `make pdf`, then package"
        )


# the first bytes of an archive: a deposit holds its files, never an archive of them
ARCHIVE_MAGIC = {
    b"PK\x03\x04": "zip",
    b"\x1f\x8b": "gzip",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"Rar!": "rar",
}
BUILT = "_build/html/"  # the built book: it serves its own copies of some source files


def deposit_faults(files: list[tuple[str, Path, int]]) -> list[str]:
    """What a data editor's checks would find wrong with the deposit's files (name in the
    deposit, file, mode), in words, each naming a file: an empty file, a file whose bytes
    another holds too (a built page's copy of a source file is the book's own and allowed),
    an archive inside the deposit, or a path of the machine that made it."""
    import os

    here = str(config.ROOT).encode("utf-8")
    home = (os.path.expanduser("~").rstrip("/") + "/").encode("utf-8")
    faults: list[str] = []
    seen: dict[str, list[str]] = {}  # sha256: the names of the files that hold those bytes
    for name, path, _ in files:
        data = path.read_bytes()
        if not data:
            faults.append(f"{name}: an empty file (a data editor flags a zero-byte file)")
            continue
        seen.setdefault(hashlib.sha256(data).hexdigest(), []).append(name)
        kind = next((k for magic, k in ARCHIVE_MAGIC.items() if data.startswith(magic)), None)
        if kind and not name.endswith((".xlsx", ".docx", ".pptx", ".odt", ".ods")):
            faults.append(f"{name}: a {kind} archive inside the deposit; put its files in instead")
        if here in data or (len(home) > 2 and home in data):
            faults.append(
                f"{name}: holds a path of this machine ({config.ROOT} or {home.decode()})"
            )
    for names in seen.values():
        sources = [n for n in names if not n.startswith(BUILT)]
        if len(sources) > 1:
            faults.append(f"{sources[0]}: the same bytes as {', '.join(sources[1:])}")
    return faults


def verify_package(zip_path: Path) -> list[str]:
    """The deposit read back: every file it holds is in its SHA256SUMS with the right hash, and
    every line of SHA256SUMS names a file it holds; what differs, in words."""
    faults = []
    with zipfile.ZipFile(zip_path) as z:
        names = set(z.namelist()) - {"SHA256SUMS", "ro-crate-metadata.json"}
        listed = {}
        for line in z.read("SHA256SUMS").decode("utf-8").splitlines():
            sha, _, name = line.partition("  ")
            listed[name] = sha
        for name in sorted(names - set(listed)):
            faults.append(f"{name}: in the deposit, not in SHA256SUMS")
        for name in sorted(set(listed) - names):
            faults.append(f"{name}: in SHA256SUMS, not in the deposit")
        for name in sorted(names & set(listed)):
            if hashlib.sha256(z.read(name)).hexdigest() != listed[name]:
                faults.append(f"{name}: its bytes differ from its SHA256SUMS line")
    return faults


def _entry(name: str, mode: int, mtime: float) -> zipfile.ZipInfo:
    """A zip entry that unpacks as a regular file with ``mode`` (0o644, or 0o755 for a file git
    records as executable, such as .ci/run), dated by the file."""
    when = time.localtime(max(mtime, 315532800))[:6]  # a zip holds no date before 1980
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix: unzip applies the mode
    info.external_attr = (stat.S_IFREG | mode) << 16
    return info
