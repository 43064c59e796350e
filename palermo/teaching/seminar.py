"""Seminar packs: parameterised exercise worksheets (notebooks/exercises/), one per group, in a
student version (cells tagged `solution` removed, not run) and a teacher version (cells tagged
`student` removed, run with papermill so its self-checks are seen to pass), plus an index. Each
worksheet is also written as a printable page (HTML, and PDF where Chromium is installed) that
needs no Python: see :mod:`palermo.teaching.printable`.

Groups get their parameters from a plan file or, deterministically, from a seed: the same
seed gives byte-identical worksheets. The self-checks are in :mod:`palermo.teaching.checks`."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..data import countries, treaties
from ..errors import BuildError, UsageError
from ..files import read_yaml, write_atomic
from ..model import params
from ..model.participation import known, signature_to_consent
from ..pipeline.content import Download, FilesPage, Line
from ..pipeline.execute import LOGS, WorkerKernel, run_notebook
from ..render.text import treaty_name

if TYPE_CHECKING:
    from .printable import Printer

EXERCISES = config.NOTEBOOKS / "exercises"


# --- assigning groups ---------------------------------------------------------------------------


def exercises() -> list[Path]:
    return sorted(EXERCISES.glob("*.ipynb"))


MAX_GROUPS = 60


def workable(treaty: str, region: str, as_of: dt.date) -> bool:
    """Every exercise can be answered for this treaty, region and date: some State of the
    region had signed and then ratified the treaty by then (so it has parties, too)."""
    return states_in(treaty, region, as_of) > 0


ARGUMENT = "ex4_weighing_explanations"


def argument_treaties() -> list[str]:
    """The treaties the argument exercise may take: those its explanations are about. The
    paper's explanations are of the Convention's drift after 2003 and of its review mechanism,
    which the Conference of the Parties agreed for the Convention and its Protocols together
    (and the argument map's "what records can show" speaks of the Convention and each
    Protocol); none is about the Convention against Corruption, which one explanation names
    as a rival for attention."""
    return list(treaties.group("convention"))


# the fewest States a drawn region may have in the table its exercise reads (signed, then
# ratified): below it a "slowest" and a "median" say little (Oceania has three)
MIN_STATES = 5


def states_in(treaty: str, region: str, as_of: dt.date) -> int:
    """How many States of the region had signed and then ratified the treaty by as_of."""
    d = signature_to_consent([treaty], as_of, countries.scheme_of(region))
    return int((d["region"] == region).sum())


# the parameters an exercise may take, in the order sheets and indexes show them
PARAMETERS = ("treaty", "region", "country", "as_of")


def uses(exercise: str) -> list[str]:
    """The parameters an exercise takes: those of its ``parameters`` cell, and only those are
    given to it and printed on its sheets."""
    taken = params.notebook_parameters(EXERCISES / f"{exercise}.ipynb")
    return [k for k in PARAMETERS if k in taken]


def shown(group: dict) -> str:
    """A group's parameters as its sheets and the progress lines print them."""

    def value(k: str) -> str:
        return f"{treaty_name(group[k])}" if k == "treaty" else str(group[k])

    return ", ".join(
        f"{'as of' if k == 'as_of' else k} {value(k)}" for k in PARAMETERS if k in group
    )


def _pool(exercise: str, pairs: dict[tuple[str, str], int], as_of: dt.date) -> list:
    """The treaty and region pairs an exercise may be drawn: the argument exercise only the
    treaties its explanations are about; one that reads a region's States only regions with
    at least ``MIN_STATES`` of them in its table."""
    taken = uses(exercise)
    pool = [
        pair
        for pair, n in pairs.items()
        if (exercise != ARGUMENT or pair[0] in argument_treaties())
        and ("region" not in taken or n >= MIN_STATES)
    ]
    if not pool:
        need = (
            f"a region with {MIN_STATES} States that had signed and then ratified"
            if "region" in taken
            else "a treaty its explanations are about that had parties"
            if exercise == ARGUMENT
            else "a treaty with parties"
        )
        raise UsageError(
            f"--as-of {as_of}: {exercise} needs {need} by then, and none of the seminar's "
            f"treaties ({', '.join(treaties.group('seminar'))}) had one; choose a later date, "
            "fewer groups, or give the groups with --assign"
        )
    return pool


def assign(groups: int, seed: int, as_of: dt.date) -> list[dict]:
    """Parameters for each group, drawn deterministically from the seed among the treaty and
    region pairs its exercise can be answered for on ``as_of`` (:func:`_pool`: the argument
    exercise gets only the Convention and its Protocols, and a region is drawn only with at
    least ``MIN_STATES`` States to read); each group keeps only the parameters its exercise
    takes. Where a treaty's records end before ``as_of``, every sheet says so (its coverage
    line, ``checks.reach``)."""
    if not 1 <= groups <= MAX_GROUPS:
        raise UsageError(f"--groups {groups}: give 1 to {MAX_GROUPS} groups")
    # the exercise that weighs the paper's argument first, so every pack has it
    ex = sorted((p.stem for p in exercises()), key=lambda stem: stem != ARGUMENT)
    names = known()
    pairs = {
        (t, r): n
        for r in countries.region_names("m49_region")
        for t in treaties.group("seminar")
        if (n := states_in(t, r, as_of))
    }
    if not pairs:
        raise UsageError(
            f"--as-of {as_of}: no treaty of the seminar ({', '.join(treaties.group('seminar'))}) "
            "had been signed and ratified by any State by then; choose a later date"
        )
    pools = {
        e: _pool(e, pairs, as_of) for e in dict.fromkeys(ex[i % len(ex)] for i in range(groups))
    }
    out = []
    for i in range(groups):
        rng = random.Random(f"palermo-seminar:{seed}:{i}")
        exercise = ex[i % len(ex)]
        treaty, region = rng.choice(pools[exercise])
        members = sorted(
            pid
            for pid in countries.members_on(as_of)["participant_id"]
            if pid in names and countries.region_of(pid) == region
        )
        drawn = {
            "treaty": treaty,
            "region": region,
            "country": names[rng.choice(members)],
            "as_of": as_of.isoformat(),
        }
        out.append({"group": i + 1, "exercise": exercise, **{k: drawn[k] for k in uses(exercise)}})
    return out


def from_plan(path: Path) -> list[dict]:
    """The groups of an assignment file (``--assign``)."""
    doc = read_yaml(Path(path), UsageError, "the assignment file")
    return from_rows(doc.get("groups"), str(path))


def from_rows(rows, where: str) -> list[dict]:
    """Groups as an assignment file or the run plan gives them: each an exercise and the
    parameters that exercise takes (a missing one takes the exercise's default; one it does not
    take is an error, so that no sheet prints a parameter its questions never use)."""
    if not isinstance(rows, list) or not rows:
        raise UsageError(
            f"{where}: expected a list under 'groups' (each an exercise and its parameters)"
        )
    names = {p.stem for p in exercises()}
    out = []
    for i, g in enumerate(rows, start=1):
        at = f"{where}, group #{i}"
        if not isinstance(g, dict):
            raise UsageError(f"{at}: expected an exercise and its parameters, got {g!r:.80}")
        exercise = g.get("exercise")
        if exercise not in names:
            raise UsageError(f"{at}: exercise {exercise!r}; allowed: {', '.join(sorted(names))}")
        taken = uses(exercise)
        extra = sorted(set(g) - {"exercise", *taken})
        if extra:
            raise UsageError(
                f"{at}: {exercise} does not take {', '.join(extra)}; it takes {', '.join(taken)}"
            )
        defaults = params.notebook_parameters(EXERCISES / f"{exercise}.ipynb")
        given = {k: g.get(k, _literal(defaults[k])) for k in taken}
        try:  # a date the exercise cannot draw is refused here, before any group runs
            p = params.check(chapter=exercise, **given)
        except UsageError as exc:
            raise UsageError(f"{at}: {exc}") from None
        if exercise == ARGUMENT and p.get("treaty") not in (None, *argument_treaties()):
            raise UsageError(
                f"{at}: {exercise} weighs explanations of the Convention's drift, which are "
                f"about {', '.join(argument_treaties())}, not {p['treaty']}"
            )
        if "country" in p:
            p["country"] = known()[p["country"]]
        if "region" in p and "treaty" in p and not workable(p["treaty"], p["region"], p["as_of"]):
            raise UsageError(
                f"{at}: no State in {p['region']} had signed and "
                f"ratified {p['treaty']} by {p['as_of']}; the exercise needs one"
            )
        out.append({"group": i, "exercise": exercise, **params.plain({k: p[k] for k in taken})})
    return out


def _literal(source: str):
    import ast

    return ast.literal_eval(source)


# --- building the pack ----------------------------------------------------------------------------


def _normalise(nb) -> None:
    """Drop what differs between two runs (timings, paths, random cell ids)."""
    nb.metadata.pop("papermill", None)
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i:03d}"
        c.metadata.pop("papermill", None)
        c.metadata.pop("execution", None)


def _without(nb, tag: str):
    nb.cells = [c for c in nb.cells if tag not in c.metadata.get("tags", [])]
    return nb


def _worksheet(
    src: Path,
    drop: str,
    parameters: dict,
    run: bool,
    log: Path,
    sources: Path,
    reuse: WorkerKernel | None = None,
) -> str:
    """The exercise without the cells tagged ``drop``, with the group's parameters injected
    (and, for the teacher, run, so its self-checks are seen to pass), normalised. The cut
    exercise is written once into ``sources``, so that every group of one exercise runs the
    same file in ``reuse``'s warm kernel (a kernel serves one notebook file)."""
    import nbformat

    source = sources / f"{src.stem}-without-{drop}.ipynb"
    if not source.is_file():
        nbformat.write(_without(nbformat.read(src, as_version=4), drop), source)
    with tempfile.TemporaryDirectory() as tmp:
        done = Path(tmp) / "done.ipynb"
        run_notebook(source, done, parameters, log=log, prepare_only=not run, reuse=reuse)
        nb = nbformat.read(done, as_version=4)
    _normalise(nb)
    return nbformat.writes(nb) + "\n"


def exercise_title(row: dict) -> str:
    """An exercise's name as a page or a contents line shows it: its worksheet's title without
    "Exercise: ", first letter capital ("Weighing the explanations")."""
    head = row["title"].removeprefix("Exercise: ")
    return head[:1].upper() + head[1:]


def _title(nb) -> str:
    for c in nb.cells:
        if c.cell_type == "markdown" and c.source.startswith("# "):
            return c.source.splitlines()[0][2:].strip()
    return "Worksheet"


def is_pack(folder: Path) -> bool:
    """A folder palermo filled with a seminar pack (its index.json lists the groups)."""
    try:
        rows = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(rows, list) and all(isinstance(r, dict) and "teacher" in r for r in rows)


def pack_folder(out: Path, force: bool = False) -> Path:
    """Where a pack goes, checked before anything runs (see ``export.output_folder``). Inside
    the project's build folder the folders above it are made if missing (``make seminar`` on a
    fresh clone writes into ``_build/seminar`` before ``_build`` exists); anywhere else a
    missing parent is an error that names it, as for every output (a mistyped path is never
    made)."""
    from ..pipeline.export import output_folder

    where = Path(out).expanduser().resolve()
    build = config.BUILD.resolve()
    if where == build or build in where.parents:
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"-o {where}: cannot make the folder {where.parent} ({exc})") from None
    return output_folder(where, force, ours=is_pack)


def group_naming(g: dict) -> tuple[str, str, str]:
    """A group's files' stem, what its progress line calls it, and how its sheets' title ends."""
    return (
        f"group-{g['group']:02d}-{g['exercise']}",
        f"group {g['group']}",
        f" (group {g['group']})",
    )


def library_naming(g: dict) -> tuple[str, str, str]:
    """A sheet of the library: named by its exercise and parameters, for no group."""
    said = [g[k] for k in PARAMETERS if k in g]
    stem = "-".join([g["exercise"], *(re.sub(r"[^A-Za-z0-9-]+", "_", str(v)) for v in said)])
    return stem, "sheet", ""


def _write_groups(
    out: Path,
    groups: list[dict],
    pdf: bool,
    printer: Printer,
    log: Callable[[str], None],
    naming: Callable[[dict], tuple[str, str, str]] = group_naming,
) -> list[dict]:
    """Each group's notebooks (run now) and printable sheets (their PDFs by ``printer``); the
    index's rows. ``naming``: :func:`group_naming`, or :func:`library_naming` for sheets that
    belong to no group."""

    rows = []
    kernels: dict[str, WorkerKernel] = {}  # one warm kernel per exercise, for all its groups
    try:
        with tempfile.TemporaryDirectory(prefix="palermo-worksheets-") as sources:
            for n, g in enumerate(groups, start=1):
                kernel = kernels.setdefault(g["exercise"], WorkerKernel(f"seminar-{g['exercise']}"))
                rows.append(
                    _write_group(
                        out, g, n, len(groups), pdf, printer, log, naming, Path(sources), kernel
                    )
                )
    finally:
        for k in kernels.values():
            k.close()
    return rows


def _write_group(
    out: Path,
    g: dict,
    n: int,
    of: int,
    pdf: bool,
    printer: Printer,
    log: Callable[[str], None],
    naming: Callable[[dict], tuple[str, str, str]],
    sources: Path,
    kernel: WorkerKernel,
) -> dict:
    """One group's notebooks and printable sheets (:func:`_write_groups`); its index row."""
    import nbformat
    import papermill

    from . import printable

    src = EXERCISES / f"{g['exercise']}.ipynb"
    p = {k: g[k] for k in uses(g["exercise"])}
    stem, who, suffix = naming(g)
    said = shown(p)
    log(f"[{n}/{of}] {who}: {g['exercise']} ({said})")
    for kind, drop, run in (("teacher", "student", True), ("student", "solution", False)):
        try:
            nb = _worksheet(
                src,
                drop,
                p,
                run,
                LOGS / f"seminar-{stem}.kernel.log",
                sources,
                kernel if run else None,
            )
        except papermill.PapermillExecutionError as exc:
            raise BuildError(
                f"{who} ({g['exercise']}, {said}): the {kind}'s "
                f"worksheet fails in cell {exc.exec_count}: {exc.ename}: "
                f"{exc.evalue}; no index was written"
            ) from None
        write_atomic(out / f"{stem}-{kind}.ipynb", nb)
        if kind == "teacher":
            ran = nbformat.reads(nb, as_version=4)
    log(f"    wrote {stem}-student.ipynb and {stem}-teacher.ipynb (the teacher's self-checks pass)")
    printed = {}
    for kind in ("student", "teacher"):
        sheet = printable.sheet_cells(nbformat.from_dict(json.loads(json.dumps(ran))), kind)
        subtitle = (
            f"{who.capitalize()}, {kind}'s sheet. {said}."
            if suffix
            else f"{kind.capitalize()}'s sheet. {said}."
        )
        page = printable.page_html(sheet, f"{_title(ran)}{suffix}", subtitle)
        files = printable.write_sheet(page, out / f"{stem}-{kind}-sheet", pdf, printer)
        printed[kind] = [f.name for f in files]
    log(f"    printable: {', '.join(printed['student'] + printed['teacher'])}")
    return {
        **g,
        "title": _title(ran),
        "student": f"{stem}-student.ipynb",
        "teacher": f"{stem}-teacher.ipynb",
        "student_sheet": printed["student"],
        "teacher_sheet": printed["teacher"],
    }


def build_pack(
    out: Path,
    groups: list[dict],
    log: Callable[[str], None] = print,
    pdf: bool | None = None,
    force: bool = False,
) -> Path:
    """Write student and teacher worksheets for every group (notebooks, and printable HTML and
    PDF), and an index, into `out`. ``pdf``: None prints PDFs when Chromium is installed.
    ``force``: write into a folder that holds files palermo did not write."""

    import shutil

    from . import printable

    if pdf is None:
        pdf = printable.chromium() is not None
        if not pdf:
            log("    no Chromium found: the printable sheets are HTML only (no PDF)")
    out = pack_folder(out, force)
    if pdf:
        printable.check_chromium()  # before any notebook runs
    swept = sweep_partial(out)
    if swept:
        log(f"    removed {swept} unfinished pack(s) an interrupted run left beside {out.name}")
    # made in a folder beside the pack and moved in at the end: an interrupted run leaves the
    # folder as it was (its index first, so a pack cut short while moving is still known as
    # palermo's and is remade without --force)
    tmp = Path(tempfile.mkdtemp(prefix=f"{_partial_prefix(out)}{os.getpid()}-", dir=out.parent))
    try:
        index = _fill_pack(tmp, groups, log, pdf)
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # a folder as mkdir makes it, not mkdtemp's private one
        if not out.exists():
            tmp.rename(out)
        else:
            for f in sorted(tmp.iterdir(), key=lambda f: f.name != "index.json"):
                os.replace(f, out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log(f"==> seminar pack for {len(groups)} group(s) in {out} ({index.name})")
    return out / index.name


def _partial_prefix(out: Path) -> str:
    return f".{out.name}.partial-"


def sweep_partial(out: Path) -> int:
    """Remove the unfinished packs beside ``out`` that a killed run left (their process is
    gone); one of a run still going is left alone."""
    import shutil

    n = 0
    for d in out.parent.glob(f"{_partial_prefix(out)}*"):
        pid = d.name[len(_partial_prefix(out)) :].split("-", 1)[0]
        if d.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)
            n += 1
    return n


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _fill_pack(out: Path, groups: list[dict], log: Callable[[str], None], pdf: bool) -> Path:
    """The pack's files, written into ``out`` (:func:`build_pack`); its index.md."""
    from . import handout, kit, printable

    with printable.Printer() as printer:  # the PDFs print while the next group's notebooks run
        rows = _write_groups(out, groups, pdf, printer, log)
        as_of = params.as_of(groups[0].get("as_of") if groups else None)
        notes = [f.name for f in handout.write(out, pdf, as_of, printer)]
        log(f"    the session's handout: {', '.join(notes)}")
        sheets = kit.write(out, pdf, printer)
        log(f"    the seminar kit: {len(sheets)} sheets")
    sets = []
    if pdf:
        log("    printed the PDFs")
        sets = class_sets(out, rows, notes, sheets)
        log(f"    class sets: {', '.join(sets)}")

    def links(files: list[str]) -> str:
        return ", ".join(f"[{f}]({f})" for f in files)

    lines = [
        "# Seminar pack",
        "",
        "Notebooks for Jupyter, and printable sheets (HTML, PDF) that need no Python.",
        "",
        f"The session's two-page handout: {links(notes)}.",
        "",
        *([f"The class sets, each one PDF to print: {links(sets)}.", ""] if sets else []),
        "| group | exercise | treaty | region | country | as of | student | teacher "
        "| student's sheet | teacher's sheet |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['group']} | {r['exercise']} | {r.get('treaty', '—')} | {r.get('region', '—')} | "
        f"{r.get('country', '—')} | {r['as_of']} | [{r['student']}]({r['student']}) | "
        f"[{r['teacher']}]({r['teacher']}) "
        f"| {links(r['student_sheet'])} | {links(r['teacher_sheet'])} |"
        for r in rows
    ]
    lines += [
        "",
        "The seminar kit: the sheets the session plan uses.",
        "",
        "| sheet | for | files |",
        "|---|---|---|",
    ]
    lines += [f"| {k['title']} | {k['audience']} | {links(k['files'])} |" for k in sheets]
    write_atomic(out / "index.md", "\n".join(lines) + "\n")
    write_atomic(out / "index.json", json.dumps(rows, indent=2, sort_keys=True) + "\n")
    return out / "index.md"


# the class sets: their files, what each is for and what it holds
CLASS_SETS = {
    "class-set-students.pdf": (
        "for every student",
        "the handout and the seminar kit's sheets for students but the role cards (one set "
        "for the class, to cut out)",
    ),
    "class-set-teacher.pdf": (
        "for the teacher",
        "every group's teacher's sheet and the kit's teacher's sheets (the answers, how each "
        "stand-off ended, the discussion notes)",
    ),
}


# the kit's sheets a class needs once, not one per student (cut out and handed round)
ONE_PER_CLASS = ("kit-role-cards",)


def class_sets(out: Path, rows: list[dict], notes: list[str], sheets: list[dict]) -> list[str]:
    """The pack's printed sheets joined into the class sets (:data:`CLASS_SETS`), so a teacher
    prints two files and the groups' worksheets; their file names."""
    from . import printable

    def pdfs(files: list[str]) -> list[str]:
        return [f for f in files if f.endswith(".pdf")]

    students = [("The session's handout", out / f) for f in pdfs(notes)]
    students += [
        (k["title"], out / f)
        for k in sheets
        if k["audience"] == "student" and k["stem"] not in ONE_PER_CLASS
        for f in pdfs(k["files"])
    ]
    teacher = [
        (f"{exercise_title(r)}: teacher's sheet", out / f)
        for r in rows
        for f in pdfs(r["teacher_sheet"])
    ]
    teacher += [
        (k["title"], out / f)
        for k in sheets
        if k["audience"] == "teacher"
        for f in pdfs(k["files"])
    ]
    made = []
    for name, parts in zip(CLASS_SETS, (students, teacher), strict=True):
        if parts:
            made.append(printable.join_pdfs(parts, out / name).name)
    return made


# --- the book's own pack --------------------------------------------------------------------------

PACK_KEY = "cache-key"


def _pack_key(groups: list[dict], pdf: bool) -> str:
    """What the book's pack is made from: the library's modules that make it (the import closure
    of this module and of the exercises' code, with the runner), the curated data and the
    records, the exercises, the groups and whether PDFs are printed. An edit to the command
    line or the book's extension leaves the pack as it is."""
    import hashlib

    from ..data import inputs

    modules = {__name__}.union(*(inputs.notebook_modules(nb) for nb in exercises()))
    h = hashlib.sha256(inputs.digest("run", modules=modules).encode())
    for nb in exercises():
        h.update(nb.name.encode() + nb.read_bytes())
    h.update(json.dumps(groups, sort_keys=True).encode() + str(pdf).encode())
    return h.hexdigest()


def _made_whole(
    out: Path, key: str, make: Callable[[Path], object], what: str, log: Callable[[str], None]
) -> None:
    """Make a folder of sheets with ``make(folder)`` in a temporary folder beside ``out`` and
    swap it in whole, with its cache key: an interrupted build leaves the last good one."""
    import shutil

    log(f"==> making {what} into {out}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        make(tmp / "pack")
        write_atomic(tmp / "pack" / PACK_KEY, key)
        old = tmp / "old"
        if out.exists():
            out.rename(old)
        (tmp / "pack").rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _up_to_date(out: Path, key: str, force: bool) -> bool:
    held = out / PACK_KEY
    return not force and held.is_file() and held.read_text() == key


def sheets_page(page, base: Path, log: Callable[[str], None] = print, force=False) -> FilesPage:
    """A page the run plan says the build writes, with the sheets it offers for download: the
    book's seminar pack (``page.seminar``, into ``_build/seminar-pack``) or the library of
    sheets (``page.library``, :func:`library_sheets_page`). The pack is made again only when
    what it is made from changes; made in a temporary folder and swapped in whole, so an
    interrupted build leaves the last good pack. Returns what the page says (the build writes
    it through the book's adapter)."""
    from . import printable

    if page.library is not None:
        return library_sheets_page(page, base, log, force)
    groups = from_rows(page.seminar, f"the run plan, page {page.title!r}")
    out = Path(base) / "_build" / "seminar-pack"
    pdf = printable.chromium() is not None
    key = _pack_key(groups, pdf)
    if _up_to_date(out, key, force):
        log(f"==> the seminar pack is up to date ({len(groups)} groups, {out})")
    else:
        _made_whole(
            out,
            key,
            lambda folder: build_pack(folder, groups, log=lambda s: log("    " + s), pdf=pdf),
            f"the book's seminar pack ({len(groups)} groups)",
            log,
        )
    return _pack_page(page, out, Path(base))


def _pack_page(page, out: Path, base: Path) -> FilesPage:
    """What the page of the book's pack says, from the pack in ``out``."""
    from . import kit

    rows = json.loads((out / "index.json").read_text(encoding="utf-8"))
    notes = sorted(f.name for f in out.glob("handout.*"))
    sets = sorted(f.name for f in out.glob("class-set-*.pdf"))
    sheets = kit.written(out)
    folder = "/" + str(out.relative_to(base))
    printed = print_list(out, rows, notes, sheets) if page.pdf else []
    return book_page(page.title, rows, notes, folder, sheets, printed, sets)


def _files(files: list[str], folder: str) -> Line:
    """Each file a download named by its kind (PDF, HTML), one after another."""
    return _joined([(Download(Path(f).suffix[1:].upper(), f"{folder}/{f}"),) for f in files])


def _joined(parts: Sequence[Line], between: str = " · ") -> Line:
    out: list[str | Download] = []
    for i, part in enumerate(parts):
        out += ([between] if i else []) + list(part)
    return tuple(out)


AUDIENCE = {"student": "students", "teacher": "the teacher"}


def book_page(
    title: str,
    rows: list[dict],
    notes: list[str],
    folder: str,
    sheets: Sequence[dict] = (),
    printed: Sequence[tuple[str, Path]] = (),
    sets: Sequence[str] = (),
) -> FilesPage:
    """The page of the web book that offers the pack, each file a download; ``sheets`` the
    seminar kit's (:func:`kit.written`), listed after the exercises. ``printed``: the sheets
    the PDF edition prints on this page instead, page for page (each a title and its PDF,
    :func:`print_list`)."""
    lines: list[Line] = [
        (
            "The book's own seminar pack, ready to print: the session's two-page handout and, "
            "for each exercise, a student's sheet (the questions, with room for the answers) and "
            "a teacher's sheet (the worked answers, each with the date the records are complete "
            "through). The sheets need no Python and no installation. The notebooks are the "
            "same worksheets for Jupyter: the student's with empty answer cells and checks that "
            "say whether an answer is right, the teacher's run. The page \"Using this book in a "
            'seminar" gives the plan of a two-hour session and how to make sheets for other '
            "groups, dates, treaties or countries.",
        ),
        ("",),
        ("**The handout:** ", *_files(notes, folder)),
        ("",),
    ]
    if sets:
        each = [
            (Download(CLASS_SETS[f][0], f"{folder}/{f}"), f", {CLASS_SETS[f][1]}") for f in sets
        ]
        lines += [
            (
                "**The class sets**, each one PDF to print: ",
                *_joined(each, "; "),
                ". Each group's student's sheet is in the table below.",
            ),
            ("",),
        ]
    lines += [
        ("| Exercise | Parameters | Student's sheet | Teacher's sheet | Notebooks |",),
        ("|---|---|---|---|---|",),
    ]
    for r in rows:
        books = _joined(
            [
                (Download("student's", f"{folder}/{r['student']}"),),
                (Download("teacher's", f"{folder}/{r['teacher']}"),),
            ]
        )
        lines.append(
            (
                f"| {exercise_title(r)} | {shown(r)} | ",
                *_files(r["student_sheet"], folder),
                " | ",
                *_files(r["teacher_sheet"], folder),
                " | ",
                *books,
                " |",
            )
        )
    if sheets:
        lines += [
            ("",),
            ("## The seminar kit",),
            ("",),
            (
                "The sheets the session plan uses, printed on A4: the learning outcomes "
                "and pre-reading, a one-page timeline, role cards for the two stand-offs over the "
                "review mechanism, five claims to check, the glossary, the primary sources, the "
                "reading list, a quiz, essay questions, the voices the paper does not hear, and "
                "the teacher's notes. The teacher's sheets hold the answers: keep them back.",
            ),
            ("",),
            ("| Sheet | For | Files |",),
            ("|---|---|---|",),
        ]
        lines += [
            (f"| {k['title']} | {AUDIENCE[k['audience']]} | ", *_files(k["files"], folder), " |")
            for k in sheets
        ]
    note = (
        "The sheets follow as they print on A4, one to a page: the session's handout, each "
        "exercise's student's sheet (with the parameters of the session plan) and the "
        "seminar kit's sheets for students. The teacher's sheets, which hold the answers, "
        "are not printed here: the web edition offers them on its page of the same name, "
        "and every pack that `palermo seminar` writes holds them."
    )
    return FilesPage(
        title,
        tuple(lines),
        web_only=True,
        print_lines=(note,) if printed else (),
        printed=tuple(printed),
    )


def print_list(
    out: Path, rows: list[dict], notes: list[str], sheets: list[dict]
) -> list[tuple[str, Path]]:
    """The sheets the PDF edition prints (the handout, each exercise's student's sheet, the
    kit's sheets for students), each a title and its PDF; none where no PDFs were printed."""
    chosen = [("The session's handout", n) for n in notes if n.endswith(".pdf")]
    chosen += [
        (f"{exercise_title(r)}: student's sheet", f)
        for r in rows
        for f in r["student_sheet"]
        if f.endswith(".pdf")
    ]
    chosen += [
        (k["title"], f)
        for k in sheets
        if k["audience"] == "student"
        for f in k["files"]
        if f.endswith(".pdf")
    ]
    return [(name, out / f) for name, f in chosen]


# --- the library of sheets ------------------------------------------------------------------------

LIBRARY = "seminar-library"


def library_groups(spec: dict, where: str) -> tuple[list[dict], list[str]]:
    """The library's sheets, as groups: every exercise for the Convention and each of its
    Protocols (:func:`argument_treaties`) on each date of ``spec['dates']`` (an exercise that
    takes no treaty, one per date); the exercise that reads a region for ``spec['region']``, the
    one that reads a country for ``spec['country']``. A region that had fewer than
    ``MIN_STATES`` States in the exercise's table on a date is left out, and said: the second
    list."""
    if not isinstance(spec, dict) or set(spec) - {"dates", "region", "country"}:
        raise UsageError(f"{where}: 'library' takes dates, region and country")
    dates = spec.get("dates")
    if not isinstance(dates, list) or not dates:
        raise UsageError(f"{where}: 'library' needs a list of dates (ISO dates or 'latest')")
    ex = sorted((p.stem for p in exercises()), key=lambda stem: (stem != ARGUMENT, stem))
    rows, left = [], []
    for exercise in ex:
        taken = uses(exercise)
        for day in dates:
            as_of = params.as_of(day)
            for treaty in argument_treaties() if "treaty" in taken else [None]:
                g = {"exercise": exercise, "as_of": as_of.isoformat()}
                if treaty:
                    g["treaty"] = treaty
                for k in ("region", "country"):
                    if k in taken and spec.get(k):
                        g[k] = spec[k]
                if "region" in g:
                    if treaty is None:  # no exercise takes a region without a treaty (yet)
                        raise UsageError(
                            f"{where}: the exercise {exercise!r} takes a region but no treaty; "
                            "the library counts a region's States in a treaty's records"
                        )
                    if states_in(treaty, g["region"], as_of) < MIN_STATES:
                        left.append(
                            f"{_title_of(exercise)} for {treaty_name(treaty)} on {as_of}: fewer "
                            f"than {MIN_STATES} States of {g['region']} had signed and then "
                            "ratified it"
                        )
                        continue
                rows.append(g)
    return from_rows(rows, where), left


def _title_of(exercise: str) -> str:
    import nbformat

    return _title(nbformat.read(EXERCISES / f"{exercise}.ipynb", as_version=4))


def build_library(out: Path, groups: list[dict], log: Callable[[str], None], pdf: bool) -> None:
    """Each sheet of the library (student's and teacher's, HTML and PDF where Chromium prints
    them; the notebooks too) and its index.json."""
    from . import printable

    out.mkdir(parents=True)
    with printable.Printer() as printer:
        rows = _write_groups(out, groups, pdf, printer, log, naming=library_naming)
    write_atomic(out / "index.json", json.dumps(rows, indent=2, sort_keys=True) + "\n")


def library_sheets_page(
    page, base: Path, log: Callable[[str], None] = print, force=False
) -> FilesPage:
    """The library of pre-built sheets (``_build/seminar-library``), made again only when what
    it is made from changes, and what the page that offers it says: one table per exercise,
    each treaty's sheets on each date."""
    from . import printable

    where = f"the run plan, page {page.title!r}"
    groups, left = library_groups(page.library, where)
    out = Path(base) / "_build" / LIBRARY
    pdf = printable.chromium() is not None
    key = _pack_key(groups, pdf)
    if _up_to_date(out, key, force):
        log(f"==> the library of sheets is up to date ({len(groups)} sheets, {out})")
    else:
        _made_whole(
            out,
            key,
            lambda folder: build_library(folder, groups, lambda s: log("    " + s), pdf),
            f"the library of sheets ({len(groups)} worksheets)",
            log,
        )
    rows = json.loads((out / "index.json").read_text(encoding="utf-8"))
    folder = "/" + str(out.relative_to(base))
    return library_page(page.title, rows, folder, left)


def library_page(title: str, rows: list[dict], folder: str, left: Sequence[str] = ()) -> FilesPage:
    """The library's page: one section per exercise, a row per treaty (or country) and date,
    each sheet a download."""
    lines: list[Line] = [
        (
            "Every exercise, printed in advance for the Convention and for each of its three "
            "Protocols, on the paper's date and on the latest date the records speak for: a "
            "student's sheet (the questions, with room for the answers) and a teacher's sheet "
            "(the worked answers, each with the date the records are complete through), as HTML "
            'and PDF. Nothing needs installing: download, print, teach. The page "Seminar sheets '
            'to download" has the session\'s handout and the seminar kit; "Using this book in a '
            'seminar" says how to make sheets for other regions, countries or dates.',
        ),
    ]
    by_exercise: dict[str, list[dict]] = {}
    for r in rows:
        by_exercise.setdefault(r["exercise"], []).append(r)
    for rs in by_exercise.values():
        fixed = [k for k in ("region", "country") if k in rs[0]]
        lines += [("",), (f"## {exercise_title(rs[0])}",), ("",)]
        if fixed:
            lines += [("For " + ", ".join(f"{k} {rs[0][k]}" for k in fixed) + ".",), ("",)]
        first = "Treaty" if "treaty" in rs[0] else "Country"
        lines += [
            (f"| {first} | As of | Student's sheet | Teacher's sheet |",),
            ("|---|---|---|---|",),
        ]
        for r in rs:
            who = treaty_name(r["treaty"]) if "treaty" in r else r.get("country", "")
            lines.append(
                (
                    f"| {who} | {r['as_of']} | ",
                    *_files(r["student_sheet"], folder),
                    " | ",
                    *_files(r["teacher_sheet"], folder),
                    " |",
                )
            )
    if left:
        lines += [("",), ("Not in the library, because the exercise could not be answered:",)]
        lines += [("",)] + [(f"- {why}.",) for why in left]
    return FilesPage(title, tuple(lines))
