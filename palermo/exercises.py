"""Seminar packs: parameterised exercise worksheets (notebooks/exercises/), one per group, in a
student version (cells tagged `solution` removed, not run) and a teacher version (cells tagged
`student` removed, run with papermill so its self-checks are seen to pass), plus an index.

Self-check functions live here, not in the worksheets, so a student sees a helpful message
rather than the answer. Groups get their parameters from a plan file or, deterministically,
from a seed: the same seed gives byte-identical worksheets."""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path
from typing import Callable

import pandas as pd
import yaml

from . import membership, params, profile, ratified, regions, status
from .errors import UsageError
from .paths import ROOT

EXERCISES = ROOT / "notebooks" / "exercises"
TREATY_CHOICES = ["UNTOC", "TIP", "SOM", "FIREARMS", "UNCAC"]


# --- self-checks (used by the worksheets) --------------------------------------------------------

def _need(answer, kind, hint):
    assert answer is not None, f"Give an answer first: replace None with your {hint}."
    if kind is bool:
        ok = isinstance(answer, bool)
    elif kind is float:
        ok = isinstance(answer, (int, float)) and not isinstance(answer, bool)
    else:
        ok = isinstance(answer, kind) and not isinstance(answer, bool)
    assert ok, f"Your answer should be {hint} (a {kind.__name__}), not {type(answer).__name__}."


def check_parties(answer, treaty, as_of) -> str:
    _need(answer, int, "number of parties")
    c = status.counts(treaty, as_of)
    assert answer != c["signatories"] or c["signatories"] == c["parties"], \
        "That is the number of signatories. A party has ratified, accepted, approved or acceded."
    assert c["parties"] <= answer <= c["parties_max"], \
        "Not quite. Count the participants whose status on that date is 'party' (status.counts gives it)."
    return "Correct."


def check_share_outside(answer, treaty, as_of) -> str:
    _need(answer, float, "share as a decimal between 0 and 1")
    assert 0 <= answer <= 1, "A share lies between 0 and 1 (0.25 means a quarter)."
    members = membership.members_on(as_of)
    st = status.status(treaty, as_of)
    parties = set(st.loc[st["status"] == "party", "participant_id"])
    share = (~members["participant_id"].isin(parties)).mean()
    assert abs(answer - share) < 0.005, \
        "Not quite. Count only UN Member States (membership.members_on) and those of them not party, then divide."
    return "Correct."


def slowest_in_region(region, treaty, as_of) -> pd.DataFrame:
    d = ratified.signature_to_consent([treaty], as_of, "m49_region" if region in regions.names("m49_region") else "m49_subregion")
    return d[d["region"] == region].sort_values("years", ascending=False)


def check_slowest(answer, region, treaty, as_of) -> str:
    _need(answer, str, "State's name or ISO3 code")
    d = slowest_in_region(region, treaty, as_of)
    assert not d.empty, f"No State in {region} signed and then ratified {treaty} by {as_of}: the answer is 'none'."
    top = d.iloc[0]
    assert answer.strip().upper() == top["participant_id"] or answer.strip().lower() == top["name"].lower(), \
        "Not quite. Keep the States that signed first, compute consent minus signature, and take the largest."
    return "Correct."


def check_median_years(answer, region, treaty, as_of) -> str:
    _need(answer, float, "number of years (a decimal)")
    d = slowest_in_region(region, treaty, as_of)
    assert abs(answer - d["years"].median()) < 0.1, "Not quite: take the median of the years, not the mean."
    return "Correct."


def check_is_party(answer, country, treaty, as_of) -> str:
    _need(answer, bool, "True or False")
    st = status.status(treaty, as_of)
    pid = profile.resolve(country)
    truth = bool(((st["participant_id"] == pid) & (st["status"] == "party")).any())
    assert answer == truth, "Not quite. Look at its status on that date, not today."
    return "Correct."


def check_treaties_joined(answer, country, as_of) -> str:
    _need(answer, int, "number of treaties")
    rec = profile.record(profile.resolve(country), as_of)
    assert answer == int((rec["status"] == "party").sum()), \
        "Not quite. Count the treaties whose status is 'party' in profile.record."
    return "Correct."


# --- assigning groups ---------------------------------------------------------------------------

def exercises() -> list[Path]:
    return sorted(EXERCISES.glob("*.ipynb"))


def assign(groups: int, seed: int, as_of) -> list[dict]:
    """Parameters for each group, drawn deterministically from the seed."""
    if groups < 1:
        raise UsageError(f"--groups {groups}: give at least 1")
    day = str(status.parse_as_of(as_of))
    ex = [p.stem for p in exercises()]
    region_names = regions.names("m49_region")
    known = profile.known()
    out = []
    for i in range(groups):
        rng = random.Random(f"palermo-seminar:{seed}:{i}")
        region = rng.choice(region_names)
        members = sorted(pid for pid in membership.members_on(day)["participant_id"]
                         if pid in known and regions.region_of(pid) == region)
        out.append({"group": i + 1, "exercise": ex[i % len(ex)], "treaty": rng.choice(TREATY_CHOICES),
                    "region": region, "country": known[rng.choice(members)], "as_of": day})
    return out


def from_plan(path: Path) -> list[dict]:
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    rows = doc.get("groups")
    if not isinstance(rows, list) or not rows:
        raise UsageError(f"{path}: expected a list under 'groups' (each with exercise, treaty, region, country, as_of)")
    names = {p.stem for p in exercises()}
    out = []
    for i, g in enumerate(rows, start=1):
        if g.get("exercise") not in names:
            raise UsageError(f"{path}, group #{i}: exercise {g.get('exercise')!r}; allowed: {', '.join(sorted(names))}")
        p = params.check(treaty=g.get("treaty", "UNTOC"), region=g.get("region", "Europe"),
                         as_of=g.get("as_of", str(status.PAPER_DATE)))
        out.append({"group": i, "exercise": g["exercise"], **p, "country": profile.known()[profile.resolve(g.get("country", "Italy"))]})
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


def build_pack(out: Path, groups: list[dict], log: Callable[[str], None] = print) -> Path:
    """Write student and teacher worksheets for every group, and an index, into `out`."""
    import nbformat
    import papermill

    from .run import write_atomic

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for n, g in enumerate(groups, start=1):
        src = EXERCISES / f"{g['exercise']}.ipynb"
        p = {k: g[k] for k in ("treaty", "region", "country", "as_of")}
        stem = f"group-{g['group']:02d}-{g['exercise']}"
        log(f"[{n}/{len(groups)}] group {g['group']}: {g['exercise']} ({', '.join(f'{k}={v}' for k, v in p.items())})")
        with tempfile.TemporaryDirectory() as tmp:
            teacher_src = Path(tmp) / "teacher-src.ipynb"
            nbformat.write(_without(nbformat.read(src, as_version=4), "student"), teacher_src)
            teacher = Path(tmp) / "teacher.ipynb"
            papermill.execute_notebook(str(teacher_src), str(teacher), parameters=p, kernel_name="python3",
                                       progress_bar=False, cwd=str(ROOT))
            student_src = Path(tmp) / "student-src.ipynb"
            nbformat.write(_without(nbformat.read(src, as_version=4), "solution"), student_src)
            student = Path(tmp) / "student.ipynb"
            papermill.execute_notebook(str(student_src), str(student), parameters=p, prepare_only=True,
                                       kernel_name="python3")
            for kind, path in (("teacher", teacher), ("student", student)):
                nb = nbformat.read(path, as_version=4)
                _normalise(nb)
                write_atomic(out / f"{stem}-{kind}.ipynb", nbformat.writes(nb) + "\n")
        log(f"    wrote {stem}-student.ipynb and {stem}-teacher.ipynb (the teacher's self-checks pass)")
        rows.append({**g, "student": f"{stem}-student.ipynb", "teacher": f"{stem}-teacher.ipynb"})
    lines = ["# Seminar pack", "", "| group | exercise | treaty | region | country | as of | student | teacher |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['group']} | {r['exercise']} | {r['treaty']} | {r['region']} | {r['country']} | {r['as_of']} | "
              f"[{r['student']}]({r['student']}) | [{r['teacher']}]({r['teacher']}) |" for r in rows]
    write_atomic(out / "index.md", "\n".join(lines) + "\n")
    write_atomic(out / "index.json", json.dumps(rows, indent=2, sort_keys=True) + "\n")
    log(f"==> seminar pack for {len(rows)} group(s) in {out} (index.md)")
    return out / "index.md"
