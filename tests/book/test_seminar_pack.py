"""Country profiles and seminar packs."""

import json

import nbformat
import pytest
from typer.testing import CliRunner

from palermo.chapters import country_profile as profile
from palermo.cli import app
from palermo.data import curated, treaties, vocab
from palermo.errors import UsageError
from palermo.model import claims, participation, status
from palermo.model.coverage import complete_through, count_on
from palermo.model.dates import parse_as_of
from palermo.model.params import as_of as read_day
from palermo.teaching import checks, seminar
from palermo.teaching.checks import CheckFailed

DAY = read_day("2020-12-23")

# The seminar pack runs papermill on several worksheets (twice): its tests are marked `book`,
# like the pipeline's other slow runs; every other test here is `unit`.


@pytest.mark.unit
def test_a_profile_for_every_participant():
    """The library side of the profile runs for every participant in the records and every UN
    member."""
    for pid in participation.known():
        rec = profile.record(pid, DAY)
        assert len(rec) == len(treaties.with_records())
        # a status in words; past a treaty's records short of party, the last known with its
        # date (text.standing)
        words = {"party", "possibly a party", "signatory", "withdrawn", "none"}
        assert len(words) == len(vocab.STATUSES)
        for r in rec.itertuples():
            word, _, last = r.status.partition(" — last record ")
            assert word in words, (pid, r.treaty, r.status)
            assert not last or last == str(complete_through(r.treaty)), (pid, r.treaty, r.status)
        m = profile.mentions(pid)
        assert set(m["where"]) <= {
            "claims ledger",
            "the paper names it",
            "interview note",
            "chronology",
            "who's who",
        }
        assert m["source"].str.len().gt(0).all()


@pytest.mark.unit
def test_profile_facts():
    rec = profile.record("ITA", DAY).set_index("treaty")
    assert rec.loc["UNTOC", "consent"] == "2006-08-02"
    assert (
        rec.loc["UNTOC", "days to consent"]
        == (parse_as_of("2006-08-02") - parse_as_of("2000-12-12")).days
    )
    usa = profile.record("USA", DAY).set_index("treaty")
    # past the Protocol's records: the last status they know, with their date
    assert usa.loc["FIREARMS", "status"] == f"none — last record {complete_through('FIREARMS')}"
    # what the curated files say of the United States, pinned (D14)
    m = profile.mentions("USA")
    ledger = {c.id: c.claim for c in claims.ledger()}
    assert {ledger["usa-2005"], ledger["usa-never-signed-firearms"]} <= set(m["text"])
    assert "the paper, section \u201cEvaluating Progress, or Lack Thereof\u201d" in set(m["source"])
    assert "Named by the paper among: early sceptics." in set(m["text"])
    assert not profile.mentions("POL").empty


@pytest.mark.unit
def test_unknown_country_fails_at_once_with_closest_names():
    with pytest.raises(UsageError, match="closest: Italy"):
        participation.resolve("Itlay")
    r = CliRunner().invoke(app, ["profile", "Atlantis"])
    assert r.exit_code == 2 and "closest" in r.stderr


@pytest.mark.unit
def test_profile_html_is_one_offline_file(tmp_path):
    out = tmp_path / "mali.html"
    r = CliRunner().invoke(app, ["profile", "MLI", "--as-of", str(DAY), "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text()
    assert "Mali" in html and "window.VEGA_DEBUG" in html and "palermo-chart" in html
    assert "<script src=" not in html and "<link " not in html  # nothing loaded from elsewhere


@pytest.fixture(scope="module")
def pack(seminar_pack):
    return seminar_pack


@pytest.mark.book
def test_pack_has_a_student_and_a_teacher_worksheet_per_group_and_an_index(pack):
    out, rows = pack
    index = json.loads((out / "index.json").read_text())
    assert len(index) == 4 == len(rows)
    for r in index:
        assert (out / r["student"]).is_file() and (out / r["teacher"]).is_file()
    assert {r["exercise"] for r in index} == {p.stem for p in seminar.exercises()}


@pytest.mark.book
def test_student_versions_have_no_solutions_and_teacher_versions_pass(pack):
    out, _ = pack
    for p in out.glob("*-student.ipynb"):
        nb = nbformat.read(p, as_version=4)
        assert not any("solution" in c.metadata.get("tags", []) for c in nb.cells)
        assert any("student" in c.metadata.get("tags", []) for c in nb.cells)
        assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code")  # not run
    for p in out.glob("*-teacher.ipynb"):
        nb = nbformat.read(p, as_version=4)
        assert not any("student" in c.metadata.get("tags", []) for c in nb.cells)
        outs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        assert not any(o.get("output_type") == "error" for o in outs)
        # both self-checks passed
        from palermo.teaching.printable import _said

        said = [_said(o) for o in outs if "text/plain" in o.get("data", {})]
        # "Correct." where the records are complete on the day, else a hedged agreement
        verdicts = ("Correct.", "Consistent with the records, but not confirmed")
        assert sum(x.startswith(verdicts) for x in said) == 2, p.name


@pytest.mark.book
def test_same_seed_same_files(pack, tmp_path):
    out, rows = pack
    again = tmp_path / "again"
    seminar.build_pack(again, seminar.assign(4, 7, DAY), log=lambda s: None)
    for p in out.iterdir():
        if p.suffix == ".pdf":  # a PDF carries the moment it was printed: compare its text
            assert pdf_text(again / p.name) == pdf_text(p), p.name
        else:
            assert (again / p.name).read_bytes() == p.read_bytes(), p.name


def pdf_text(path) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(path) -> int:
    import re
    import subprocess

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))


@pytest.mark.book
def test_printed_sheets_need_no_python_and_show_the_answers_only_to_the_teacher(pack):
    """Each group's sheets open as HTML and PDF: the data drawn (tables, and charts as
    images), no code and no script; the student's has a space for each answer and no answer,
    the teacher's the worked answers and the checks."""
    import re

    from palermo.teaching import printable

    out, _ = pack
    index = json.loads((out / "index.json").read_text())
    for r in index:
        for kind in ("student", "teacher"):
            files = r[f"{kind}_sheet"]
            assert [f.rsplit(".", 1)[1] for f in files] == ["html", "pdf"], files
            page = (out / files[0]).read_text(encoding="utf-8")
            text = pdf_text(out / files[1])
            assert "<script" not in page and not re.search(r"(src|href)=\"https?:", page)
            assert "answer_1" not in page and "checks." not in page, (r["exercise"], kind)
            assert "palermo-table" in page  # the data to read the answers from
            assert "Question 1." in text
            answers = text.count("Answer:")
            if kind == "student":
                assert text.count("Your answer:") >= 2 and answers == 0, files[1]
                assert printable.CHECKED.strip("*") not in text
                # every "Discuss." prompt has room under it for the student's notes
                assert text.count("Discuss.") >= 1
                assert text.count("Your notes for the discussion:") == text.count("Discuss.")
            else:
                assert answers >= 2 and "Your answer:" not in text, files[1]
                # each check accepts, or, where the records end before the day, says it
                # cannot confirm (records incomplete on a day never confirm an answer)
                flat = " ".join(text.split())
                said = flat.count(printable.CHECKED.strip("*"))
                said += flat.count("Consistent with the records, but not confirmed")
                assert said == 2, files[1]
    weigh = next(r for r in index if r["exercise"] == "ex4_weighing_explanations")
    page = (out / weigh["student_sheet"][0]).read_text(encoding="utf-8")
    assert "data:image/png;base64," in page  # the chart, drawn
    assert "palermo-answer-box" in page  # room for the weighing


@pytest.mark.book
def test_the_handout_is_two_printed_pages_with_the_argument_figure_and_questions(pack):
    out, _ = pack
    assert (out / "handout.html").is_file() and pdf_pages(out / "handout.pdf") <= 2
    text = " ".join(pdf_text(out / "handout.pdf").split())
    parties = count_on("UNTOC", DAY).parties
    assert f"show {parties} parties to the Convention" in text
    for t in ("TIP", "SOM", "FIREARMS"):  # past the records: the lower bound, as such
        c = count_on(t, DAY)
        assert not c.complete and f"at least {c.parties} " in text, t
    assert "The key figure" in text and "Questions" in text
    for e in curated.load("explanations").explanations:
        assert e.label[:20] in text, e.label
    page = (out / "handout.html").read_text(encoding="utf-8")
    assert "<script" not in page and "data:image/png;base64," in page


@pytest.mark.unit
def test_self_checks_give_hints():
    assert not issubclass(CheckFailed, AssertionError)  # the checks work under python -O
    with pytest.raises(CheckFailed, match="replace None"):
        checks.check_parties(None, "UNTOC", DAY)
    sig = int(status.signatories_by(treaties.resolve("UNTOC").number, DAY))
    with pytest.raises(CheckFailed, match="signatories"):
        checks.check_parties(sig, "UNTOC", DAY)
    said = checks.check_parties(count_on("UNTOC", DAY).parties, "UNTOC", DAY)
    assert said.startswith("Correct.") and f"reach {DAY}" in said
    # past the records the parties the records name are not the answer: the bounds are
    som = count_on("SOM", DAY)
    assert som.named < som.parties
    with pytest.raises(CheckFailed, match=f"at least {som.parties}"):
        checks.check_parties(som.named, "SOM", DAY)


@pytest.mark.unit
def test_seminar_plan_file_and_bad_input(tmp_path):
    plan = tmp_path / "plan.yml"
    plan.write_text("groups:\n  - {exercise: nope, treaty: UNTOC}\n")
    r = CliRunner().invoke(
        app, ["seminar", "--groups", "1", "--assign", str(plan), "-o", str(tmp_path / "o")]
    )
    assert r.exit_code == 2 and "exercise 'nope'" in r.stderr
    with pytest.raises(UsageError):
        seminar.assign(0, 1, DAY)


@pytest.mark.unit
def test_the_profile_heading_glues_its_counts_to_their_nouns():
    from palermo.model import params

    f = profile.facts(params.check(country="United States", as_of=DAY))
    text = profile.heading(f)
    assert text.startswith("**United States of America** (USA). Region")
    # the records of two treaties it has not joined end before the day: a lower bound (and
    # the signatory count an upper one)
    assert f"a party to at least {f['n_party']} of the {f['n_treaties']} treaties" in text
    assert "the party count is a lower bound and the signatory count an upper one" in text
    assert "had signed at most 1 treaty without becoming a party" in text
    assert profile.mentions_or_none("USA") is not None


def test_a_cell_that_writes_to_stderr_is_left_off_the_sheet_but_reported(capsys):
    """A library's warning has no place on a printed sheet, and must not be hidden either."""
    import nbformat

    from palermo.teaching import printable

    cell = nbformat.v4.new_code_cell("x")
    cell["outputs"] = [
        nbformat.v4.new_output("stream", name="stderr", text="FutureWarning: soon gone\nmore\n"),
        nbformat.v4.new_output("display_data", data={"image/png": "AAAA", "text/html": "<p>"}),
    ]
    printable._static_outputs(cell)
    assert [o["output_type"] for o in cell["outputs"]] == ["display_data"]
    assert list(cell["outputs"][0]["data"]) == ["image/png"]
    assert "FutureWarning: soon gone" in capsys.readouterr().err


def _fake_chromium(tmp_path, body: str) -> str:
    """A stand-in for Chromium: a script that reads --print-to-pdf=FILE and runs ``body``."""
    script = tmp_path / "chromium"
    script.write_text(
        "#!/bin/sh\nfor a; do case $a in --print-to-pdf=*) out=${a#--print-to-pdf=};; esac; "
        f"done\n{body}\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return str(script)


@pytest.mark.unit
def test_the_printer_prints_beside_the_caller_and_waits_for_every_pdf(tmp_path, monkeypatch):
    from palermo.teaching import printable

    monkeypatch.setenv("PALERMO_CHROMIUM", _fake_chromium(tmp_path, 'sleep 0.3; echo PDF > "$out"'))
    with printable.Printer() as printer:
        files = [
            printable.write_sheet(f"<p>{i}</p>", tmp_path / f"sheet-{i}", True, printer)
            for i in range(3)
        ]
    for page, pdf in files:
        assert page.read_text(encoding="utf-8") == f"<p>{page.stem[-1]}</p>"
        assert pdf.read_text(encoding="utf-8") == "PDF\n"
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.unit
def test_a_failed_print_fails_the_block_naming_the_page(tmp_path, monkeypatch):
    from palermo.errors import BuildError
    from palermo.teaching import printable

    monkeypatch.setenv("PALERMO_CHROMIUM", _fake_chromium(tmp_path, "echo no fonts >&2; exit 3"))
    with pytest.raises(BuildError, match=r"sheet-1\.html to PDF \(exit 3\): no fonts"):
        with printable.Printer() as printer:
            printable.write_sheet("<p>1</p>", tmp_path / "sheet-1", True, printer)
    assert not (tmp_path / "sheet-1.pdf").exists()


@pytest.mark.unit
def test_an_error_in_the_block_is_raised_as_itself_and_the_prints_stop(tmp_path, monkeypatch):
    from palermo.teaching import printable

    monkeypatch.setenv("PALERMO_CHROMIUM", _fake_chromium(tmp_path, 'sleep 0.2; echo PDF > "$out"'))
    with pytest.raises(KeyError):
        with printable.Printer(workers=1) as printer:
            for i in range(5):
                printable.write_sheet(f"<p>{i}</p>", tmp_path / f"s-{i}", True, printer)
            raise KeyError("the next group failed")
    # the print under way was ended (reliability probe 3, S4: an error or Ctrl-C stops the
    # printing at once), the ones not started were cancelled, and nothing is half-written
    assert len(list(tmp_path.glob("s-*.pdf"))) < 5
    assert not list(tmp_path.glob(".*.tmp")) and not printable.PRINTING
