import json
import os
import signal
import subprocess
import sys
import time

import pytest

from palermo import config
from palermo.data import registry
from tests.conftest import notebook_file, one_line_error, run


@pytest.mark.unit
def test_help_lists_the_commands():
    r = run("--help")
    assert r.exit_code == 0
    for cmd in ("sources", "status", "participant", "check"):
        assert cmd in r.output


@pytest.mark.integration
def test_console_script_runs():
    r = subprocess.run(
        [sys.executable, "-m", "palermo.cli", "status", "UNTOC", "--as-of", "2010-10-18", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(r.stdout)["parties"] == 157


@pytest.mark.unit
def test_status_2010_reports_157():
    r = run("status", "UNTOC", "--as-of", "2010-10-18")
    assert r.exit_code == 0 and "parties: 157" in r.output


@pytest.mark.unit
def test_status_json_at_the_papers_date():
    r = run("status", "UNTOC", "--json")
    assert r.exit_code == 0
    s = json.loads(r.stdout)
    for key in (
        "treaty",
        "short",
        "as_of",
        "parties",
        "parties_max",
        "signatories",
        "complete_through",
        "unattributed",
        "participants",
    ):
        assert key in s
    assert (s["treaty"], s["short"], s["as_of"], s["parties"]) == (
        "XVIII-12",
        "UNTOC",
        "2020-12-23",
        190,
    )
    assert s["complete_through"] >= s["as_of"] and s["unattributed"] == 0
    p = s["participants"][0]
    assert {"id", "name", "status", "signature", "consent", "action"} <= set(p)
    assert sum(x["status"] == "party" for x in s["participants"]) == 190


@pytest.mark.unit
def test_status_by_untc_number_and_coverage_note():
    r = run("status", "XVIII-12-a", "--as-of", "2020-12-23")
    assert r.exit_code == 0 and "complete through 2018-01-15" in r.output
    assert "parties: at least 179, at most 180 (177-178 named;" in r.output


@pytest.mark.unit
@pytest.mark.parametrize(
    "args,needle",
    [
        (("status", "PALERMO"), "allowed: UNTOC (XVIII-12)"),
        (("status", "UNTOC", "--as-of", "2020-02-30"), "YYYY-MM-DD"),
        (("status", "UNTOC", "--as-of", "1980-01-01"), "out of range"),
        (("status", "UNTOC", "--as-of", "2999-01-01"), "out of range"),
        (("participant", "Narnia"), "unknown participant 'Narnia'"),
        (("participant", "Italy", "--as-of", "soon"), "--as-of 'soon'"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, needle):
    r = run(*args)
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]
    assert lines[0].startswith("error: ")


@pytest.mark.unit
def test_participant_by_iso3_and_name():
    a = json.loads(run("participant", "ITA", "--json").stdout)
    b = json.loads(run("participant", "italy", "--json").stdout)
    assert a == b and a["name"] == "Italy"
    untoc = next(t for t in a["treaties"] if t["short"] == "UNTOC")
    assert untoc["consent"] == "2006-08-02"
    r = run("participant", "United Kingdom", "--as-of", "2019-01-01")
    assert r.exit_code == 0 and "FIREARMS" in r.output


@pytest.mark.unit
def test_sources_verify_ok():
    r = run("sources", "--verify", "--json")
    assert r.exit_code == 0
    assert all(row["ok"] for row in json.loads(r.stdout))


@pytest.mark.unit
def test_sources_verify_fails_on_altered_file(raw_copy):
    p = raw_copy / registry.get("untc-2014-XVIII-12").path
    p.write_bytes(p.read_bytes() + b"\n")
    r = run("sources", "--verify")
    assert r.exit_code == 1 and "FAILED" in r.output and "untc-2014-XVIII-12" in r.stderr


@pytest.mark.unit
def test_check_reports_moldova_and_the_1988_difference():
    r = run("check")
    assert r.exit_code == 0
    assert "Republic of Moldova" in r.output
    assert "DRUGS1988" in r.output and "DIFFERS" in r.output
    assert r.output.count(": ok") == 8
    assert "_toc.yml: matches the plan" in r.output


@pytest.mark.unit
def test_check_fails_on_an_altered_raw_file(raw_copy):
    p = raw_copy / registry.get("untc-2014-XVIII-12").path
    p.write_bytes(p.read_bytes() + b"\n")
    r = run("check")
    assert r.exit_code == 1 and "error: " in r.stderr and "untc-2014-XVIII-12" in r.stderr


@pytest.mark.unit
def test_check_fails_on_a_changed_verdict_or_a_stale_toc(monkeypatch):
    import dataclasses

    from palermo.model import claims
    from palermo.pipeline import plan

    real = claims.evaluate_all
    monkeypatch.setattr(
        claims,
        "evaluate_all",
        lambda: [
            dataclasses.replace(r, verdict="differs") if r.id == "monaco-first" else r
            for r in real()
        ],
    )
    r = run("check")
    assert r.exit_code == 1 and "Claims whose verdict changed: monaco-first" in r.output
    monkeypatch.setattr(claims, "evaluate_all", real)
    monkeypatch.setattr(plan, "toc_text", lambda p: "# not the plan's TOC\n")
    r = run("check")
    assert r.exit_code == 1 and "_toc.yml: stale" in r.output


@pytest.mark.unit
def test_check_reports_the_rome_statute_signatory_disagreement():
    r = run("check", "--json")
    sig = json.loads(r.stdout)["signatory_disagreements"]
    assert [(s["treaty"], s["date"], s["headline"], s["records"]) for s in sig] == [
        ("ROME", "2018-01-15", 138, 139)
    ]


@pytest.mark.unit
def test_names_as_the_un_writes_them_today_with_former_names_accepted():
    r = run("participant", "Turkey", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["name"] == "Türkiye"
    r = run("status", "UNTOC")
    assert "North Macedonia" in r.output and "Eswatini" in r.output and "Czechia" in r.output
    # no name is cut short in the table
    assert "United Kingdom of Great Britain and Northern Ireland" in r.output


# D8: seminar dates
@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "D8")
def test_seminar_groups_have_an_upper_bound(tmp_path):
    r = run("seminar", "--groups", "1000", "-o", str(tmp_path / "s"))
    assert r.exit_code == 2 and "less than or equal to 60" in r.output
    assert not (tmp_path / "s").exists()


# notes: what --as-of accepts
@pytest.mark.unit
@pytest.mark.review("reliability-2026-11", "notes")
def test_as_of_latest_works_in_the_cli():
    r = run("status", "UNTOC", "--as-of", "latest", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["as_of"] >= "2024-05-04"


# R7: SIGTERM unwinds, so an atomic write leaves no temporary file
@pytest.mark.integration
@pytest.mark.review("reliability-2026-12", "R7")
def test_sigterm_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "p.csv"
    code = (
        "import os, signal, time\n"
        "from pathlib import Path\n"
        "from palermo import cli, files\n"
        "signal.signal(signal.SIGTERM, cli._terminated)\n"
        f"with files.atomic_path(Path({str(target)!r})) as t:\n"
        "    t.write_text('half')\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(10)\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert p.returncode != 0 and b"KeyboardInterrupt" in p.stderr, p.stderr  # unwound
    assert list(tmp_path.iterdir()) == []


@pytest.mark.integration
@pytest.mark.review("reliability-2026-12", "R7")
def test_a_long_export_stopped_by_sigterm_says_so_and_leaves_nothing(tmp_path):
    """A daily panel states its size first and shows its progress; SIGTERM in the middle of
    the write (as `timeout` or a CI runner sends it) ends it like Ctrl-C: one line, exit 130,
    no file, no temp file."""
    p = subprocess.Popen(
        [sys.executable, "-m", "palermo.cli", "export", "panel", "--freq", "day"]
        + ["--treaties", "UNTOC", "-o", str(tmp_path / "p.csv")],
        env={**os.environ, "PYTHONPATH": str(config.ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = p.stdout.readline()
    assert first.startswith("==> ") and "rows (1 treaty, daily; about" in first, first
    seen = [first]
    while "rows written" not in seen[-1]:  # a temporary file is being written now
        seen.append(p.stdout.readline())
        assert seen[-1], seen
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 130 and err.strip() == "error: interrupted", (p.returncode, err)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.unit
@pytest.mark.review("reliability-2026-12", "R7")
def test_a_panel_above_the_row_limit_is_refused_with_its_size(tmp_path):
    r = run("export", "panel", "--freq", "day", "-o", str(tmp_path / "p.csv"))
    assert r.exit_code == 2, r.output
    assert "above --max-rows 5,000,000" in r.stderr and "MB as CSV" in r.stderr
    assert list(tmp_path.iterdir()) == []


# R12, R14
@pytest.mark.unit
@pytest.mark.review("reliability-2026-12", "R14")
def test_build_help_reads_whole():
    r = run("build", "--help")
    assert '" "' not in r.output and "build the book." in " ".join(r.output.split())


# R14: the treaties the help names are the treaties a command accepts
@pytest.mark.unit
@pytest.mark.review("reliability-2026-12", "R14")
def test_the_help_names_every_treaty_the_commands_accept():
    import re

    from palermo.cli import TREATY_HELP
    from palermo.data import treaties

    named = set(re.findall(r"\b[A-Z][A-Z0-9]{2,}\b", TREATY_HELP)) - {"UNTC", "XVIII"}
    assert named == {t.short for t in treaties.all_treaties()}
    r = run("status", "NOPE")
    listed = set(re.findall(r"\b([A-Z][A-Z0-9]+) \(", r.stderr))
    assert listed == named, r.stderr


def _palermo(*args, stdout):
    """The command line of the tree under test (its main(), as the console script calls it)."""
    code = "import sys; from palermo.cli import main; sys.argv[0] = 'palermo'; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        cwd=config.ROOT,
        env=os.environ | {"PYTHONPATH": str(config.ROOT)},
    )


# S13: what `palermo run` accepts; a closed pipe
@pytest.mark.integration
@pytest.mark.review("reliability-2026-12b", "S13")
def test_a_closed_pipe_exits_0_quietly():
    """`palermo status UNTOC | head -3`: the reader closes the pipe early, every time."""
    for _ in range(3):  # the reader reads a line, then goes away
        p = _palermo("status", "UNTOC", stdout=subprocess.PIPE)
        p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read().decode()
        assert p.wait(timeout=120) == 0, err
        assert "Traceback" not in err and "Exception ignored" not in err, err
    r, w = os.pipe()  # the reader is gone before the first write
    os.close(r)
    p = _palermo("status", "UNTOC", stdout=w)
    os.close(w)
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "Exception ignored" not in err, err


# S12: the kernel
@pytest.mark.integration
@pytest.mark.review("reliability-2026-12b", "S12")
@pytest.mark.parametrize("after", [1.5, 4.0])
def test_ctrl_c_during_run_is_one_line(tmp_path, after):
    source = notebook_file(tmp_path / "slow.ipynb", "import time; time.sleep(60)")
    p = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from palermo.cli import main; main()",
            "run",
            str(source),
            "-o",
            str(tmp_path / "out.ipynb"),
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(config.ROOT)},  # this checkout's palermo
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group, as a terminal's Ctrl-C signals it
    )
    assert p.stdout.readline().startswith("==> running")  # the run has begun
    time.sleep(after)  # starting its kernel, or inside the cell
    os.killpg(p.pid, signal.SIGINT)
    _, err = p.communicate(timeout=90)
    assert p.returncode == 130, err
    assert err.strip() == "error: interrupted", err
    assert not (tmp_path / "out.ipynb").exists()


# S13: empty or spaced base URLs, odd data folders, stray temporary files
@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S13")
@pytest.mark.parametrize("target", ["CONTRIBUTING.md", "data/snapshots/README.md"])
def test_record_never_replaces_a_file_of_the_repository(target):
    path = config.ROOT / target
    before = path.read_bytes()
    r = run("sources", "record", "-o", str(path), "--force")
    assert r.exit_code == 2
    one_line_error(r, says=("a file of the repository", "outside"))
    assert path.read_bytes() == before


@pytest.mark.unit
@pytest.mark.usefixtures("records_elsewhere")
@pytest.mark.review("reliability-2026-12b", "S13")
def test_record_may_write_a_file_outside_the_repository(tmp_path):
    from palermo import cli

    cli._not_a_repository_file(tmp_path / "changes.md")  # no error
    cli._not_a_repository_file(config.ROOT / "_build" / "no-such-file-palermo.md")
    with pytest.raises(cli.UsageError, match="a file of the repository"):
        cli._not_a_repository_file((config.ROOT / "README.md").resolve())
