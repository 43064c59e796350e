"""Reliability probe 3 (reports/reliability-2026-12b.md), S4: Ctrl-C while the seminar prints
ends Chromium within seconds, by its process id, and a pack cut short is remade without
--force (nothing half-made is left in its folder); a Chromium that cannot run is refused before
any notebook runs."""

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from palermo.errors import BuildError, UsageError
from palermo.teaching import kit, printable, seminar

FAKE = """#!/bin/sh
# a Chromium that, like the real one while it prints, ignores Ctrl-C and SIGTERM
if [ "$1" = "--version" ]; then echo "Fake Chromium 1"; exit 0; fi
echo $$ >> "{pids}"
trap '' INT TERM
sleep 60
"""


def _fake_chromium(tmp_path: Path) -> tuple[Path, Path]:
    pids = tmp_path / "pids"
    fake = tmp_path / "chromium"
    fake.write_text(FAKE.format(pids=pids))
    fake.chmod(0o755)
    return fake, pids


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.unit
def test_ctrl_c_while_the_sheets_print_ends_chromium_within_seconds(tmp_path, monkeypatch):
    fake, pids = _fake_chromium(tmp_path)
    monkeypatch.setenv("PALERMO_CHROMIUM", str(fake))
    page = tmp_path / "sheet.html"
    page.write_text("<html><body>a sheet</body></html>")
    # Ctrl-C (a real SIGINT) while the block waits for the prints
    timer = threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGINT))
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        with printable.Printer() as p:
            p.print(page, tmp_path / "a.pdf")
            p.print(page, tmp_path / "b.pdf")
            timer.start()
    took = time.monotonic() - start
    assert took < 6, f"Ctrl-C took {took:.1f} s to end the printing"
    started = [int(x) for x in pids.read_text().split()]
    assert len(started) == 2
    assert all(_gone(pid) for pid in started), "a Chromium outlived the interrupt"
    assert not printable.PRINTING
    # no half-written PDF is left behind
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*.tmp"))


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


# --- S13, S12: an alias bomb, a date an exercise cannot draw, no TeX -------------------------


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
def test_the_pdf_edition_without_tex_live_is_one_line_naming_it(tmp_path, monkeypatch):
    from palermo.pipeline.book import jupyterbook

    monkeypatch.setenv("PATH", str(tmp_path))  # no latexmk, no pdflatex
    old = tmp_path / "_build" / "pdf" / jupyterbook.PDF_NAME
    old.parent.mkdir(parents=True)
    old.write_bytes(b"%PDF the previous edition")
    with pytest.raises(BuildError, match=r"needs TeX Live: latexmk, pdflatex not found"):
        jupyterbook.build_pdf(root=tmp_path, log=lambda s: None)
    assert old.read_bytes() == b"%PDF the previous edition"
