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
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..data import countries, treaties
from ..errors import BuildError, UsageError
from ..files import read_yaml, write_atomic
from ..model import params
from ..model.participation import known, signature_to_consent
from ..pipeline.execute import LOGS, run_notebook
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
            raise UsageError(f"{at}: expected an exercise and its parameters, got {g!r}")
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
        try:
            p = params.check(**given)
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


def _worksheet(src: Path, drop: str, parameters: dict, run: bool, log: Path) -> str:
    """The exercise without the cells tagged ``drop``, with the group's parameters injected
    (and, for the teacher, run, so its self-checks are seen to pass), normalised."""
    import nbformat

    with tempfile.TemporaryDirectory() as tmp:
        source, done = Path(tmp) / "source.ipynb", Path(tmp) / "done.ipynb"
        nbformat.write(_without(nbformat.read(src, as_version=4), drop), source)
        run_notebook(source, done, parameters, log=log, prepare_only=not run)
        nb = nbformat.read(done, as_version=4)
    _normalise(nb)
    return nbformat.writes(nb) + "\n"


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


def _write_groups(
    out: Path, groups: list[dict], pdf: bool, printer: Printer, log: Callable[[str], None]
) -> tuple[list[dict], list[str]]:
    """Each group's notebooks (run now) and printable sheets (their PDFs by ``printer``), then
    the session's handout; the index's rows and the handout's file names."""
    import nbformat
    import papermill

    from . import handout, printable

    rows = []
    for n, g in enumerate(groups, start=1):
        src = EXERCISES / f"{g['exercise']}.ipynb"
        p = {k: g[k] for k in uses(g["exercise"])}
        stem = f"group-{g['group']:02d}-{g['exercise']}"
        said = shown(p)
        log(f"[{n}/{len(groups)}] group {g['group']}: {g['exercise']} ({said})")
        for kind, drop, run in (("teacher", "student", True), ("student", "solution", False)):
            try:
                nb = _worksheet(src, drop, p, run, LOGS / f"seminar-{stem}.kernel.log")
            except papermill.PapermillExecutionError as exc:
                raise BuildError(
                    f"group {g['group']} ({g['exercise']}, {said}): the {kind}'s "
                    f"worksheet fails in cell {exc.exec_count}: {exc.ename}: "
                    f"{exc.evalue}; no index was written"
                ) from None
            write_atomic(out / f"{stem}-{kind}.ipynb", nb)
            if kind == "teacher":
                ran = nbformat.reads(nb, as_version=4)
        log(
            f"    wrote {stem}-student.ipynb and {stem}-teacher.ipynb (the teacher's "
            "self-checks pass)"
        )
        printed = {}
        for kind in ("student", "teacher"):
            sheet = printable.sheet_cells(nbformat.from_dict(json.loads(json.dumps(ran))), kind)
            subtitle = f"Group {g['group']}, {kind}'s sheet. {said}."
            page = printable.page_html(sheet, f"{_title(ran)} (group {g['group']})", subtitle)
            files = printable.write_sheet(page, out / f"{stem}-{kind}-sheet", pdf, printer)
            printed[kind] = [f.name for f in files]
        log(f"    printable: {', '.join(printed['student'] + printed['teacher'])}")
        rows.append(
            {
                **g,
                "title": _title(ran),
                "student": f"{stem}-student.ipynb",
                "teacher": f"{stem}-teacher.ipynb",
                "student_sheet": printed["student"],
                "teacher_sheet": printed["teacher"],
            }
        )

    as_of = params.as_of(groups[0].get("as_of") if groups else None)
    notes = [f.name for f in handout.write(out, pdf, as_of, printer)]
    log(f"    the session's handout: {', '.join(notes)}")
    return rows, notes


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

    from . import kit, printable

    if pdf is None:
        pdf = printable.chromium() is not None
        if not pdf:
            log("    no Chromium found: the printable sheets are HTML only (no PDF)")

    out = pack_folder(out, force)
    out.mkdir(exist_ok=True)
    with printable.Printer() as printer:  # the PDFs print while the next group's notebooks run
        rows, notes = _write_groups(out, groups, pdf, printer, log)
        sheets = kit.write(out, pdf, printer)
        log(f"    the seminar kit: {len(sheets)} sheets")
    if pdf:
        log("    printed the PDFs")

    def links(files: list[str]) -> str:
        return ", ".join(f"[{f}]({f})" for f in files)

    lines = [
        "# Seminar pack",
        "",
        "Notebooks for Jupyter, and printable sheets (HTML, PDF) that need no Python.",
        "",
        f"The session's two-page handout: {links(notes)}.",
        "",
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
    log(f"==> seminar pack for {len(rows)} group(s) in {out} (index.md)")
    return out / "index.md"


# --- the book's own pack --------------------------------------------------------------------------

PACK_KEY = "cache-key"


def _pack_key(groups: list[dict], pdf: bool) -> str:
    """What the book's pack is made from: the library and curated data (the chapters' own
    cache digest), the exercises, the groups and whether PDFs are printed."""
    import hashlib

    from ..data import inputs

    h = hashlib.sha256(inputs.digest("chapters").encode())
    for nb in exercises():
        h.update(nb.name.encode() + nb.read_bytes())
    h.update(json.dumps(groups, sort_keys=True).encode() + str(pdf).encode())
    return h.hexdigest()


def write_book_page(page, base: Path, log: Callable[[str], None] = print, force=False) -> Path:
    """The book's seminar pack (``_build/seminar-pack``) for the groups the run plan gives, and
    the page that offers its sheets for download (``page.file``). Rebuilt only when what it is
    made from changes; made in a temporary folder and swapped in whole, so an interrupted build
    leaves the last good pack."""
    import shutil

    from . import kit, printable

    groups = from_rows(page.seminar, f"the run plan, page {page.title!r}")
    out = Path(base) / "_build" / "seminar-pack"
    pdf = printable.chromium() is not None
    key = _pack_key(groups, pdf)
    held = out / PACK_KEY
    if not force and held.is_file() and held.read_text() == key and page.file.is_file():
        log(f"==> the seminar pack is up to date ({len(groups)} groups, {out})")
        return page.file
    log(f"==> making the book's seminar pack ({len(groups)} groups) into {out}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".seminar-pack-", dir=out.parent))
    try:
        build_pack(tmp / "pack", groups, log=lambda s: log("    " + s), pdf=pdf)
        write_atomic(tmp / "pack" / PACK_KEY, key)
        rows = json.loads((tmp / "pack" / "index.json").read_text(encoding="utf-8"))
        notes = sorted(f.name for f in (tmp / "pack").glob("handout.*"))
        sheets = kit.written(tmp / "pack")
        old = tmp / "old"
        if out.exists():
            out.rename(old)
        (tmp / "pack").rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    folder = "/" + str(out.relative_to(base))
    write_atomic(page.file, book_page(page.title, rows, notes, folder, sheets))
    log(f"==> wrote {page.file.relative_to(base)}")
    return page.file


def _files(files: list[str], folder: str) -> str:
    return " · ".join(f"{{download}}`{Path(f).suffix[1:].upper()} <{folder}/{f}>`" for f in files)


AUDIENCE = {"student": "students", "teacher": "the teacher"}


def book_page(
    title: str, rows: list[dict], notes: list[str], folder: str, sheets: list[dict] = ()
) -> str:
    """The page of the web book that offers the pack: MyST, each file a download; ``sheets``
    the seminar kit's (:func:`kit.written`), listed after the exercises."""
    lines = [
        f"# {title}",
        "",
        "The book's own seminar pack, ready to print: the session's two-page handout and, for "
        "each exercise, a student's sheet (the questions, with room for the answers) and a "
        "teacher's sheet (the worked answers, each with the date the records are complete "
        "through). The sheets need no Python and no installation. The notebooks are the same "
        "worksheets for Jupyter: the student's with empty answer cells and checks that say "
        "whether an answer is right, the teacher's run. The page \"Using this book in a "
        'seminar" gives the plan of a two-hour session and how to make sheets for other '
        "groups, dates, treaties or countries.",
        "",
        f"**The handout:** {_files(notes, folder)}",
        "",
        "| Exercise | Parameters | Student's sheet | Teacher's sheet | Notebooks |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        books = (
            f"{{download}}`student's <{folder}/{r['student']}>` · "
            f"{{download}}`teacher's <{folder}/{r['teacher']}>`"
        )
        lines.append(
            f"| {r['title'].removeprefix('Exercise: ').capitalize()} | {shown(r)} | "
            f"{_files(r['student_sheet'], folder)} | {_files(r['teacher_sheet'], folder)} | "
            f"{books} |"
        )
    if sheets:
        lines += [
            "",
            "## The seminar kit",
            "",
            "The sheets the session plan uses, printed on A4: the learning outcomes "
            "and pre-reading, a one-page timeline, role cards for the two stand-offs over the "
            "review mechanism, five claims to check, the glossary, the primary sources, the "
            "reading list, a quiz, essay questions, the voices the paper does not hear, and "
            "the teacher's notes. The teacher's sheets hold the answers: keep them back.",
            "",
            "| Sheet | For | Files |",
            "|---|---|---|",
        ]
        lines += [
            f"| {k['title']} | {AUDIENCE[k['audience']]} | {_files(k['files'], folder)} |"
            for k in sheets
        ]
    return "\n".join(lines) + "\n"
