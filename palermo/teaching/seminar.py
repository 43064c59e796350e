"""Seminar packs: parameterised exercise worksheets (notebooks/exercises/), one per group, in a
student version (cells tagged `solution` removed, not run) and a teacher version (cells tagged
`student` removed, run with papermill so its self-checks are seen to pass), plus an index. Each
worksheet is also written as a printable page (HTML, and PDF where Chromium is installed) that
needs no Python: see :mod:`palermo.teaching.printable`.

Groups get their parameters from a plan file or, deterministically, from a seed: the same
seed gives byte-identical worksheets. The self-checks are in :mod:`palermo.teaching.checks`."""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

from .. import config
from ..data import countries, treaties
from ..errors import BuildError, UsageError
from ..files import read_yaml, write_atomic
from ..model.dates import parse_as_of
from ..model.participation import known, resolve, signature_to_consent
from ..pipeline import params
from ..pipeline.execute import LOGS, quiet_kernel_manager

EXERCISES = config.NOTEBOOKS / "exercises"


# --- assigning groups ---------------------------------------------------------------------------


def exercises() -> list[Path]:
    return sorted(EXERCISES.glob("*.ipynb"))


MAX_GROUPS = 60


def workable(treaty: str, region: str, as_of) -> bool:
    """Every exercise can be answered for this treaty, region and date: some State of the
    region had signed and then ratified the treaty by then (so it has parties, too)."""
    d = signature_to_consent([treaty], as_of, countries.scheme_of(region))
    return bool((d["region"] == region).any())


ARGUMENT = "ex4_weighing_explanations"


def assign(groups: int, seed: int, as_of) -> list[dict]:
    """Parameters for each group, drawn deterministically from the seed among the treaty and
    region pairs every exercise can be answered for on ``as_of``."""
    if not 1 <= groups <= MAX_GROUPS:
        raise UsageError(f"--groups {groups}: give 1 to {MAX_GROUPS} groups")
    day = str(parse_as_of(as_of))
    # the exercise that weighs the paper's argument first, so every pack has it
    ex = sorted((p.stem for p in exercises()), key=lambda stem: stem != ARGUMENT)
    names = known()
    pairs = [
        (t, r)
        for r in countries.region_names("m49_region")
        for t in treaties.group("seminar")
        if workable(t, r, day)
    ]
    if not pairs:
        raise UsageError(
            f"--as-of {day}: no treaty of the seminar ({', '.join(treaties.group('seminar'))}) "
            "had been signed and ratified by any State by then; choose a later date"
        )
    out = []
    for i in range(groups):
        rng = random.Random(f"palermo-seminar:{seed}:{i}")
        treaty, region = rng.choice(pairs)
        members = sorted(
            pid
            for pid in countries.members_on(day)["participant_id"]
            if pid in names and countries.region_of(pid) == region
        )
        out.append(
            {
                "group": i + 1,
                "exercise": ex[i % len(ex)],
                "treaty": treaty,
                "region": region,
                "country": names[rng.choice(members)],
                "as_of": day,
            }
        )
    return out


def from_plan(path: Path) -> list[dict]:
    doc = read_yaml(Path(path), UsageError, "the assignment file")
    rows = doc.get("groups")
    if not isinstance(rows, list) or not rows:
        raise UsageError(
            f"{path}: expected a list under 'groups' (each with exercise, treaty, region, "
            "country, as_of)"
        )
    names = {p.stem for p in exercises()}
    out = []
    for i, g in enumerate(rows, start=1):
        if not isinstance(g, dict):
            raise UsageError(
                f"{path}, group #{i}: expected keys (exercise, treaty, region, "
                f"country, as_of), got {g!r}"
            )
        if g.get("exercise") not in names:
            raise UsageError(
                f"{path}, group #{i}: exercise {g.get('exercise')!r}; "
                f"allowed: {', '.join(sorted(names))}"
            )
        try:
            p = params.check(
                treaty=g.get("treaty", "UNTOC"),
                region=g.get("region", "Europe"),
                as_of=g.get("as_of", str(config.PAPER_DATE)),
            )
            country = known()[resolve(g.get("country", "Italy"))]
        except UsageError as exc:
            raise UsageError(f"{path}, group #{i}: {exc}") from None
        if not workable(p["treaty"], p["region"], p["as_of"]):
            raise UsageError(
                f"{path}, group #{i}: no State in {p['region']} had signed and "
                f"ratified {p['treaty']} by {p['as_of']}; the exercises need one"
            )
        out.append({"group": i, "exercise": g["exercise"], **p, "country": country})
    return out


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
    import papermill

    with tempfile.TemporaryDirectory() as tmp:
        source, done = Path(tmp) / "source.ipynb", Path(tmp) / "done.ipynb"
        nbformat.write(_without(nbformat.read(src, as_version=4), drop), source)
        papermill.execute_notebook(
            str(source),
            str(done),
            parameters=parameters,
            prepare_only=not run,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(config.ROOT),
            kernel_manager_class=quiet_kernel_manager(log),
        )
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
    """Where a pack goes, checked before anything runs (see ``export.output_folder``)."""
    from ..pipeline.export import output_folder

    return output_folder(out, force, ours=is_pack)


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
    import nbformat
    import papermill

    from . import printable

    if pdf is None:
        pdf = printable.chromium() is not None
        if not pdf:
            log("    no Chromium found: the printable sheets are HTML only (no PDF)")

    out = pack_folder(out, force)
    out.mkdir(exist_ok=True)
    rows = []
    for n, g in enumerate(groups, start=1):
        src = EXERCISES / f"{g['exercise']}.ipynb"
        p = {k: g[k] for k in ("treaty", "region", "country", "as_of")}
        stem = f"group-{g['group']:02d}-{g['exercise']}"
        shown = ", ".join(f"{k}={v}" for k, v in p.items())
        log(f"[{n}/{len(groups)}] group {g['group']}: {g['exercise']} ({shown})")
        for kind, drop, run in (("teacher", "student", True), ("student", "solution", False)):
            try:
                nb = _worksheet(src, drop, p, run, LOGS / f"seminar-{stem}.kernel.log")
            except papermill.PapermillExecutionError as exc:
                raise BuildError(
                    f"group {g['group']} ({g['exercise']}, {shown}): the {kind}'s "
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
            subtitle = f"Group {g['group']}, {kind}'s sheet. {shown}."
            page = printable.page_html(sheet, f"{_title(ran)} (group {g['group']})", subtitle)
            files = printable.write_sheet(page, out / f"{stem}-{kind}-sheet", pdf)
            printed[kind] = [f.name for f in files]
        log(f"    printable: {', '.join(printed['student'] + printed['teacher'])}")
        rows.append(
            {
                **g,
                "student": f"{stem}-student.ipynb",
                "teacher": f"{stem}-teacher.ipynb",
                "student_sheet": printed["student"],
                "teacher_sheet": printed["teacher"],
            }
        )

    from . import handout

    notes = [f.name for f in handout.write(out, pdf, groups[0]["as_of"] if groups else None)]
    log(f"    the session's handout: {', '.join(notes)}")

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
        f"| {r['group']} | {r['exercise']} | {r['treaty']} | {r['region']} | {r['country']} | "
        f"{r['as_of']} | [{r['student']}]({r['student']}) | [{r['teacher']}]({r['teacher']}) "
        f"| {links(r['student_sheet'])} | {links(r['teacher_sheet'])} |"
        for r in rows
    ]
    write_atomic(out / "index.md", "\n".join(lines) + "\n")
    write_atomic(out / "index.json", json.dumps(rows, indent=2, sort_keys=True) + "\n")
    log(f"==> seminar pack for {len(rows)} group(s) in {out} (index.md)")
    return out / "index.md"
