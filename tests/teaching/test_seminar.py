"""The seminar pack (palermo.teaching.seminar; issue "Nothing a student could quote is wrong",
section 5): each exercise takes only the parameters its questions use, groups drawn only where
they can be answered, the book's own pack in the plan, the library of sheets, the seminar page
from the argument, a pack folder palermo filled, and bad assignments refused before any group
runs."""

import datetime as dt
import os
import re
import time

import nbformat
import pytest
from typer.testing import CliRunner

from palermo import config
from palermo.cli import app
from palermo.errors import BuildError, UsageError
from palermo.model.params import as_of as read_day
from palermo.pipeline import plan
from palermo.teaching import kit, seminar
from tests.conftest import one_line_error, run

DAY = "2020-12-23"


def _code_outside_setup(exercise: str) -> str:
    """Every cell of an exercise but its parameters cell and the line that checks them."""
    nb = nbformat.read(seminar.EXERCISES / f"{exercise}.ipynb", as_version=4)
    text = []
    for c in nb.cells:
        if "parameters" in c.metadata.get("tags", []):
            continue
        text += [ln for ln in c.source.splitlines() if "params.check(" not in ln]
    return "\n".join(text)


@pytest.mark.unit
@pytest.mark.parametrize("exercise", [p.stem for p in seminar.exercises()])
def test_every_parameter_an_exercise_takes_is_used(exercise):
    taken = seminar.uses(exercise)
    assert "as_of" in taken
    body = _code_outside_setup(exercise)
    for name in taken:
        assert re.search(rf"\b{name}\b", body), f"{exercise} takes {name} but never uses it"


@pytest.mark.unit
def test_a_drawn_group_carries_only_its_exercises_parameters():
    for g in seminar.assign(8, 1, read_day(DAY)):
        assert set(g) - {"group", "exercise"} == set(seminar.uses(g["exercise"])), g


@pytest.mark.unit
def test_an_assignment_with_a_parameter_the_exercise_does_not_take_is_refused():
    rows = [{"exercise": "ex3_one_country", "country": "Mali", "treaty": "UNTOC", "as_of": DAY}]
    with pytest.raises(UsageError, match=r"group #1: ex3_one_country does not take treaty"):
        seminar.from_rows(rows, "g.yml")
    ok = seminar.from_rows([{"exercise": "ex3_one_country", "country": "mali"}], "g.yml")
    assert ok == [{"group": 1, "exercise": "ex3_one_country", "country": "Mali", "as_of": DAY}]


@pytest.mark.unit
def test_the_run_plan_declares_the_books_pack_with_the_argument_first():
    p = plan.load()
    page, library = p.written_pages
    # the pack's page is in the PDF edition too: it prints the sheets (the library is web only)
    assert page.pdf and page.file.name == "seminar-sheets.md"
    assert library.library is not None and not library.pdf
    groups = seminar.from_rows(page.seminar, "runs.yml")
    assert groups[0]["exercise"] == seminar.ARGUMENT
    assert {g["exercise"] for g in groups} == {x.stem for x in seminar.exercises()}


@pytest.mark.unit
def test_a_plan_page_the_build_writes_needs_the_builder(tmp_path):
    from palermo.pipeline.build import build

    book = tmp_path / "book"
    book.mkdir()
    (book / "runs.yml").write_text(
        "root: book/sheets\nparts: [Teaching]\nentries:\n"
        "  - {title: Sheets, part: Teaching, page: book/sheets.md, seminar: "
        "[{exercise: ex3_one_country, country: Mexico}]}\n"
    )
    with pytest.raises(UsageError, match="is written by `palermo build`"):
        build(book / "runs.yml", book=False, write_page=None)
    bad = book / "bad.yml"
    bad.write_text(
        "root: book/x\nparts: [T]\nentries:\n  - {title: X, part: T, notebook: "
        "notebooks/claims.ipynb, output: book/claims.ipynb, seminar: [{exercise: ex3}]}\n"
    )
    with pytest.raises(UsageError, match="'seminar' is for a page the build writes"):
        plan.load(bad, root=tmp_path)


@pytest.mark.unit
def test_the_seminar_page_starts_from_the_argument_and_asks_about_every_argument_chapter():
    page = (config.ROOT / "book" / "seminar.md").read_text(encoding="utf-8")
    session = page.split("## A session plan", 1)[1].split("## Questions", 1)[0]
    steps = re.findall(r"^\d+\. \*\*(.+?)\*\*", session, flags=re.M)
    assert steps and "argument" in steps[0].lower()
    assert "numbers, checked" not in session.split("1. **", 1)[0]  # the ledger is not first
    questions = page.split("## Questions for each chapter", 1)[1]
    for chapter in (
        "What the Convention is",
        "Who's who, and the Convention and criminals",
        "The paper's conclusions, and after",
    ):
        assert f"**{chapter}.**" in questions, chapter


@pytest.mark.unit
def test_the_library_has_every_exercise_for_the_convention_and_each_protocol_on_both_dates():
    """Teacher trial 2026-12, section 8 (issue 37, section 2): sheets printed in advance for
    lecturers who cannot install anything."""
    library = next(pg for pg in plan.load().written_pages if pg.library is not None)
    groups, left = seminar.library_groups(library.library, "runs.yml")
    days = {read_day(d).isoformat() for d in library.library["dates"]}
    assert days == {DAY, read_day("latest").isoformat()}
    for exercise in (x.stem for x in seminar.exercises()):
        mine = [g for g in groups if g["exercise"] == exercise]
        if "treaty" in seminar.uses(exercise):
            want = {(t, d) for t in seminar.argument_treaties() for d in days}
            got = {(g["treaty"], g["as_of"]) for g in mine}
            said = {(w.split(" for ")[1].split(" on ")[0], w.split(" on ")[1][:10]) for w in left}
            # each treaty on each date is in the library, or said to be left out
            assert got | {(t, d) for t, d in want if (seminar.treaty_name(t), d) in said} == want
        else:
            assert {g["as_of"] for g in mine} == days
    stems = [seminar.library_naming(g)[0] for g in groups]
    assert len(set(stems)) == len(stems)  # no two sheets share a file


@pytest.mark.unit
def test_a_library_left_without_dates_or_with_unknown_keys_is_refused():
    with pytest.raises(UsageError, match="needs a list of dates"):
        seminar.library_groups({"region": "Africa"}, "runs.yml")
    with pytest.raises(UsageError, match="takes dates, region and country"):
        seminar.library_groups({"dates": [DAY], "treaty": "UNTOC"}, "runs.yml")
    with pytest.raises(UsageError, match="as_of"):
        seminar.library_groups({"dates": ["1900-01-01"]}, "runs.yml")


PAPER_DATE = dt.date(2020, 12, 23)


# the seminar: answers past the records are not "accepted"; the argument in every pack
@pytest.mark.unit
@pytest.mark.review("reader-2026-12", "finding 5", "C9")
@pytest.mark.parametrize("groups", [1, 3])
def test_every_default_pack_has_the_argument_exercise(groups):
    from palermo.teaching import seminar

    drawn = {g["exercise"] for g in seminar.assign(groups, 1, PAPER_DATE)}
    assert seminar.ARGUMENT in drawn


# D6: malformed inputs
@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "D6")
def test_an_assignment_file_that_is_missing_or_malformed_is_one_line(tmp_path):
    err = one_line_error(
        run(
            "seminar",
            "--groups",
            "1",
            "--assign",
            str(tmp_path / "no.yml"),
            "-o",
            str(tmp_path / "x"),
        ),
        2,
    )
    assert "not found" in err
    bad = tmp_path / "bad.yml"
    bad.write_text("groups:\n  - just text\n")
    err = one_line_error(
        run("seminar", "--groups", "1", "--assign", str(bad), "-o", str(tmp_path / "x")), 2
    )
    assert "group #1: expected an exercise and its parameters" in err


# D8: seminar dates
@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "D8")
@pytest.mark.parametrize("day", ["2003-06-01", "2005-01-01"])
def test_seminar_draws_only_answerable_groups(day):
    from palermo.teaching import seminar

    rows = seminar.assign(6, 3, read_day(day))
    regional = [r for r in rows if "region" in r]  # the exercises that take a region
    assert regional and all(
        seminar.workable(r["treaty"], r["region"], read_day(r["as_of"])) for r in regional
    )


@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "D8")
@pytest.mark.parametrize("day", ["1988-01-01", "2001-01-01"])
def test_seminar_refuses_a_date_before_any_answerable_group(tmp_path, day):
    err = one_line_error(
        run("seminar", "--groups", "3", "--as-of", day, "-o", str(tmp_path / "s")), 2
    )
    assert "choose a later date" in err and not (tmp_path / "s").exists()


@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "D8")
def test_seminar_assignment_for_an_unanswerable_group_is_refused(tmp_path):
    plan = tmp_path / "g.yml"
    plan.write_text(
        "groups:\n  - {exercise: ex2_slow_ratifiers, treaty: UNTOC, region: Europe, "
        "as_of: '1990-01-01'}\n"
    )
    err = one_line_error(
        run("seminar", "--groups", "1", "--assign", str(plan), "-o", str(tmp_path / "s")), 2
    )
    # refused before anything runs, with the first day the exercise can draw for that region
    from palermo.model import params

    first, _ = params.EARLIEST["ex2_slow_ratifiers"]({"treaty": "UNTOC", "region": "Europe"})
    assert f"group #1: as_of 1990-01-01 is before {first}" in err
    assert f"allowed for ex2_slow_ratifiers: {first} to" in err
    assert not (tmp_path / "s").exists()


# R9: the seminar pack goes through the same output rule
@pytest.mark.unit
@pytest.mark.review("reliability-2026-12", "R9")
def test_a_pack_folder_palermo_filled_may_be_filled_again(tmp_path):
    from palermo.teaching import seminar

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "index.json").write_text('[{"group": 1, "teacher": "x.ipynb"}]')
    assert seminar.pack_folder(pack) == pack.resolve()


@pytest.mark.review("reliability-2026-12b", "S4")
@pytest.mark.unit
def test_a_chromium_that_cannot_run_is_refused_before_any_notebook_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("PALERMO_CHROMIUM", "/bin/false")
    ran = []
    monkeypatch.setattr(seminar, "_write_groups", lambda *a, **k: ran.append(1) or [])
    out = tmp_path / "pack"
    groups = [
        {"group": 1, "exercise": "ex3_one_country", "country": "Mexico", "as_of": "2020-12-23"}
    ]
    with pytest.raises(BuildError, match=r"/bin/false.*does not run"):
        seminar.build_pack(out, groups, log=lambda s: None)
    assert not ran and not out.exists()
    monkeypatch.setenv("PALERMO_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(BuildError, match="cannot run"):
        seminar.build_pack(out, groups, log=lambda s: None)


@pytest.mark.review("reliability-2026-12b", "S4")
def test_a_pack_cut_short_leaves_nothing_and_is_remade_without_force(tmp_path, monkeypatch):
    out = tmp_path / "pack"
    groups = [
        {"group": 1, "exercise": "ex3_one_country", "country": "Mexico", "as_of": "2020-12-23"}
    ]

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(kit, "write", interrupted)  # Ctrl-C after the group's sheets are written
        with pytest.raises(KeyboardInterrupt):
            seminar.build_pack(out, groups, log=lambda s: None, pdf=False)
    assert not out.exists(), "an interrupted pack left files in its folder"
    assert not list(tmp_path.glob(".pack.partial-*"))
    # a run killed outright (SIGKILL) leaves its unfinished pack beside: the next run sweeps it
    dead = tmp_path / ".pack.partial-999999999-abc"
    dead.mkdir()
    (dead / "group-01-ex3_one_country-student.ipynb").write_text("{}")
    said = []
    index = seminar.build_pack(out, groups, log=said.append, pdf=False)  # no --force needed
    assert index.is_file() and seminar.is_pack(out)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~umask  # readable as any folder, not private
    assert not dead.exists() and any("unfinished pack" in s for s in said)
    # and a pack of palermo's is remade in place without --force, too
    assert seminar.build_pack(out, groups, log=lambda s: None, pdf=False).is_file()


# S13, S12: an alias bomb, a date an exercise cannot draw, no TeX
@pytest.mark.review("reliability-2026-12b", "S13")
@pytest.mark.unit
def test_an_assignment_built_of_yaml_aliases_is_refused_before_it_expands(tmp_path):
    """A 300-byte --assign of nested aliases took 1 GB and printed a 225 MB error message."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    lines += ["groups: [*a8]"]
    bomb = tmp_path / "groups.yml"
    bomb.write_text("\n".join(lines) + "\n")
    assert bomb.stat().st_size < 600
    start = time.monotonic()
    with pytest.raises(UsageError) as caught:
        seminar.from_plan(bomb)
    assert time.monotonic() - start < 2
    said = str(caught.value)
    assert "groups.yml, line 2" in said and "alias (*a0)" in said and len(said) < 300


@pytest.mark.review("reliability-2026-12b", "S13")
@pytest.mark.unit
def test_a_group_whose_date_its_exercise_cannot_draw_is_refused_before_any_group_runs():
    """--assign with as_of 1995-01-01 ran group 1 and printed its PDFs before it failed."""
    rows = [
        {"exercise": "ex3_one_country", "country": "Mexico", "as_of": "2020-12-23"},
        {"exercise": "ex4_weighing_explanations", "treaty": "UNTOC", "as_of": "1995-01-01"},
    ]
    with pytest.raises(UsageError, match=r"group #2: as_of 1995-01-01 is before 2000-11-15"):
        seminar.from_rows(rows, "groups.yml")
    with pytest.raises(UsageError) as caught:
        seminar.from_rows([list(range(10_000))], "groups.yml")
    assert len(str(caught.value)) < 200  # a bad group is quoted, not printed whole


@pytest.mark.unit
def test_seminar_plan_file_and_bad_input(tmp_path):
    plan = tmp_path / "plan.yml"
    plan.write_text("groups:\n  - {exercise: nope, treaty: UNTOC}\n")
    r = CliRunner().invoke(
        app, ["seminar", "--groups", "1", "--assign", str(plan), "-o", str(tmp_path / "o")]
    )
    assert r.exit_code == 2 and "exercise 'nope'" in r.stderr
    with pytest.raises(UsageError):
        seminar.assign(0, 1, read_day("2020-12-23"))
