"""Fault injection: the real `palermo build` on a small book, interrupted, killed, run twice at
once, and failing while writing the book. After every fault the last good book must be
complete (the same pages, every page parses) and nothing half-written is left to be cached or
served; the next build recovers."""

import os
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from palermo import config
from palermo.errors import BuildError
from palermo.pipeline.book import jupyterbook

pytestmark = pytest.mark.book

PALERMO = [str(Path(sys.executable).parent / "palermo")]
PAGES = 4  # chapter runs in the small book


def make_book(root: Path, seconds: float = 1.5) -> Path:
    """A small book beside nothing else: its own config, plan, intro and slow-ish notebooks."""
    for name in ("_config.yml", "references.bib"):
        shutil.copy(config.ROOT / name, root / name)
    shutil.copytree(config.STATIC, root / "_static")
    (root / "notebooks").mkdir()
    (root / "book").mkdir()
    (root / "book" / "intro.md").write_text("# A small book\n\nFor the fault tests.\n")
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("n = 0")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Page"),
        params,
        nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})\nprint('page', n)"),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, root / "notebooks" / "page.ipynb")
    write_plan(root, "")
    return root / "book" / "runs.yml"


def write_plan(root: Path, suffix: str) -> None:
    lines = ["root: book/intro", "parts: [Pages]", "entries:"]
    for i in range(PAGES):
        lines += [
            f"  - title: Page {i}",
            "    part: Pages",
            "    notebook: notebooks/page.ipynb",
            f"    output: book/page/p{i}.ipynb",
            f"    parameters: {{}}{suffix}",
        ]
    (root / "book" / "runs.yml").write_text("\n".join(lines) + "\n")


def touch_notebook(root: Path, text: str) -> None:
    """Change the notebook so every run is out of date."""
    path = root / "notebooks" / "page.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = f"# Page ({text})"
    nbformat.write(nb, path)


def build(plan: Path, *args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        PALERMO + ["build", "--plan", str(plan), *args], capture_output=True, text=True, **kw
    )


def start(plan: Path, *args) -> subprocess.Popen:
    return subprocess.Popen(
        PALERMO + ["build", "--plan", str(plan), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


class _Parses(HTMLParser):
    pass


def book_state(root: Path) -> dict[str, int]:
    """Every page of the built book with its size; each must parse as HTML and end its body."""
    html = root / "_build" / "html"
    pages = {}
    for p in sorted(html.rglob("*.html")):
        if "_static" in p.parts:
            continue
        text = p.read_text(encoding="utf-8")
        _Parses().feed(text)
        assert "<html" not in text or "</html>" in text, f"{p} is truncated"
        pages[str(p.relative_to(html))] = len(text)
    return pages


def leftovers(root: Path) -> list[Path]:
    return [p for p in (root / "book").rglob(".*") if p.is_file()]


@pytest.fixture(scope="module")
def small_book(tmp_path_factory):
    root = tmp_path_factory.mktemp("small-book")
    plan = make_book(root)
    r = build(plan)
    assert r.returncode == 0, r.stdout + r.stderr
    good = book_state(root)
    assert sum(p.startswith("book/page/") for p in good) == PAGES
    return root, plan, good


def wait_for_runs(proc: subprocess.Popen, root: Path, started: int, timeout: float = 60) -> None:
    """Wait until `started` runs have begun (their temporary outputs exist)."""
    end = time.time() + timeout
    while time.time() < end:
        if len(leftovers(root)) >= started:
            return
        assert proc.poll() is None, proc.stdout.read()
        time.sleep(0.05)
    raise AssertionError("the runs never started")


def test_ctrl_c_stops_at_once_and_keeps_the_book(small_book):
    root, plan, _ = small_book
    good = book_state(root)  # the last good book before this fault
    touch_notebook(root, "ctrl-c")
    proc = start(plan, "-j", "1")
    wait_for_runs(proc, root, 1)
    t = time.time()
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C at a terminal sends
    out, _ = proc.communicate(timeout=30)
    assert time.time() - t < 10, "the build went on after Ctrl-C"
    assert proc.returncode == 130 and "interrupted" in out
    assert "not run" in out
    assert book_state(root) == good and leftovers(root) == []


def test_sigint_to_the_build_alone_also_interrupts_its_kernels(small_book):
    root, plan, _ = small_book
    good = book_state(root)  # the last good book before this fault
    touch_notebook(root, "sigint")
    proc = start(plan, "-j", "2")
    wait_for_runs(proc, root, 2)
    t = time.time()
    proc.send_signal(signal.SIGINT)  # only the build process, not its kernels
    out, _ = proc.communicate(timeout=30)
    assert time.time() - t < 10 and proc.returncode == 130, out
    assert book_state(root) == good and leftovers(root) == []


@pytest.mark.parametrize("after_runs", [1, 2])
def test_sigkill_mid_build_keeps_the_book_and_the_next_build_recovers(small_book, after_runs):
    root, plan, _ = small_book
    good = book_state(root)  # the last good book before this fault
    touch_notebook(root, f"kill-{after_runs}")
    proc = start(plan, "-j", "2")
    wait_for_runs(proc, root, after_runs)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert book_state(root) == good  # the book is untouched; temporary outputs may remain
    r = build(plan)
    assert r.returncode == 0, r.stdout + r.stderr
    assert leftovers(root) == [] and set(book_state(root)) == set(good)


def test_a_second_build_at_once_is_refused_naming_the_first(small_book):
    root, plan, _ = small_book
    good = book_state(root)  # the last good book before this fault
    touch_notebook(root, "two")
    first = start(plan, "-j", "1")
    wait_for_runs(first, root, 1)
    second = build(plan, timeout=60)
    assert second.returncode == 1
    assert f"another build is running (pid {first.pid})" in second.stderr
    out, _ = first.communicate(timeout=120)
    assert first.returncode == 0, out
    assert set(book_state(root)) == set(good)


def test_a_full_disk_while_copying_the_book_leaves_the_previous_one(small_book, monkeypatch):
    root, plan, _ = small_book
    good = book_state(root)  # the last good book before this fault
    # the executed pages change, so the book must be rebuilt; then the copy fails halfway
    touch_notebook(root, "disk")
    assert build(plan, "--no-book").returncode == 0

    def full_disk(src, dst, *a, **kw):
        Path(dst).mkdir(parents=True)
        (Path(dst) / "index.html").write_text("<html><body>half")
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(jupyterbook.shutil, "copytree", full_disk)
    with pytest.raises(OSError, match="No space left"):
        jupyterbook.build_html(root, log=lambda _: None)
    assert book_state(root) == good
    monkeypatch.undo()
    jupyterbook.build_html(root, log=lambda _: None)  # the next build clears the half copy
    assert not (root / "_build" / "html.new").exists()
    assert set(book_state(root)) == set(good)


def test_a_reference_to_nothing_fails_the_book_and_keeps_the_previous_one(small_book):
    """The book is built nit-picky (-n) with warnings as errors: a cross-reference that
    resolves to nothing (which Sphinx otherwise passes over in silence) stops the build."""
    root, _, good = small_book
    intro = root / "book" / "intro.md"
    text = intro.read_text()
    intro.write_text(text + "\nSee {py:func}`palermo.no_such_function`.\n")
    try:
        with pytest.raises(BuildError, match="reference target not found.*no_such_function"):
            jupyterbook.build_html(root, log=lambda _: None)
        assert set(book_state(root)) == set(good)
    finally:
        intro.write_text(text)
    jupyterbook.build_html(root, log=lambda _: None)


def test_an_interrupted_swap_is_recovered_at_the_next_start(small_book):
    root, plan, _ = small_book
    good = book_state(root)  # the last good book before this fault
    html, previous = root / "_build" / "html", root / "_build" / "html.previous"
    html.rename(previous)  # stopped between the two renames: no book at _build/html
    jupyterbook.build_html(root, log=lambda _: None)
    assert not previous.exists() and set(book_state(root)) == set(good)


@pytest.mark.parametrize("where", ["a file", "read-only"])
def test_an_output_folder_that_cannot_be_written_is_one_line(tmp_path, where):
    if where == "a file":
        folder = tmp_path / "f.txt"
        folder.write_text("not a folder")
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o555)
    try:
        r = subprocess.run(
            PALERMO
            + ["run", str(config.NOTEBOOKS / "voices.ipynb"), "-o", str(folder / "v.ipynb")],
            capture_output=True,
            text=True,
        )
    finally:
        folder.chmod(0o755)
    assert r.returncode in (1, 2) and r.stderr.startswith("error: "), r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_a_changed_stylesheet_reaches_the_built_book(small_book):
    """Sphinx 7 keeps a static file it copied once; the build puts the project's own in."""
    root, plan, _ = small_book
    css = root / "_static" / "palermo.css"
    css.write_text(css.read_text() + "\n/* changed for the test */\n")
    r = build(plan)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (
        "changed for the test" in (root / "_build" / "html" / "_static" / "palermo.css").read_text()
    )
