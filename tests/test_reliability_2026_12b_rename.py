"""Reliability review 2026-12b, S5: a page renamed in the run plan is renamed everywhere on the
next build: its heading and ``<title>``, its neighbours' previous and next links, and the text
of every link to it. A chapter run is cached whatever its title, so its executed notebook keeps
the heading it was run with; and Sphinx rewrites only the pages it rereads (and their parents),
not the pages that print a reread page's title."""

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from palermo import config

OLD, NEW = "The second page", "A page renamed"


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("#", "").strip()


def shown(page: Path) -> dict:
    """What a built page says of itself and of its neighbours, and the text of each link."""
    text = page.read_text(encoding="utf-8")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    labels = {}
    for kind in ("prev", "next"):
        m = re.search(
            rf'class="(?:left|right)-{kind}".*?<p class="prev-next-title">(.*?)</p>', text, re.S
        )
        labels[kind] = _text(m[1]) if m else None
    article = text[text.find("<article") :]
    links = {
        href.split("#")[0]: _text(inner)
        for href, inner in re.findall(
            r'<a class="reference internal" href="([^"]+)">(.*?)</a>', article, re.S
        )
    }
    return {
        "h1": _text(h1[1]) if h1 else None,
        "title": _text(title[1]) if title else None,
        **labels,
        "links": links,
    }


def _notebook(path: Path, heading: str, code: str | None = None) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {heading}\n\nA page.")]
    if code is not None:
        params = nbformat.v4.new_code_cell(code)
        params.metadata["tags"] = ["parameters"]
        nb.cells.append(params)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


# --- Sphinx alone: the incremental build --------------------------------------------------


def _sphinx_book(root: Path) -> None:
    """Three pages after the intro, the middle one an executed notebook headed with its title,
    and the book's own extensions (the bibliography's aside: no .bib here)."""
    root.mkdir()
    (root / "intro.md").write_text(
        "# A small book\n\nSee {doc}`two` and [](two.ipynb).\n", encoding="utf-8"
    )
    (root / "one.md").write_text("# The first page\n\nText.\n", encoding="utf-8")
    (root / "three.md").write_text("# The third page\n\nBack to {doc}`two`.\n", encoding="utf-8")
    _notebook(root / "two.ipynb", OLD)
    _toc(root, OLD)
    book = yaml.safe_load((config.ROOT / "_config.yml").read_text(encoding="utf-8"))
    extensions = [e for e in book["sphinx"]["config"]["extensions"] if e != "sphinxcontrib.bibtex"]
    conf = {
        "title": "A small book",
        "execute": {"execute_notebooks": "off"},
        "html": book["html"],
        "parse": book["parse"],
        "sphinx": {"recursive_update": True, "config": {"extensions": extensions}},
    }
    (root / "_config.yml").write_text(yaml.safe_dump(conf), encoding="utf-8")


def _toc(root: Path, title: str) -> None:
    """The TOC as ``palermo build`` writes it from the plan: every page with its title."""
    chapters = [
        {"file": "one", "title": "The first page"},
        {"file": "two", "title": title},
        {"file": "three", "title": "The third page"},
    ]
    toc = {"format": "jb-book", "root": "intro", "parts": [{"caption": "P", "chapters": chapters}]}
    (root / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")


def _jupyter_book(root: Path, out: Path) -> Path:
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb), "build", str(root), "--path-output", str(out), "-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out / "_build" / "html"


@pytest.mark.unit
def test_an_incremental_build_renames_the_page_and_rewrites_the_pages_that_print_its_title(
    tmp_path,
):
    src, out = tmp_path / "src", tmp_path / "out"
    _sphinx_book(src)
    html_dir = _jupyter_book(src, out)
    assert shown(html_dir / "two.html")["h1"] == OLD
    assert shown(html_dir / "one.html")["next"] == OLD
    # renamed in the plan (so in the TOC); the notebook is not rerun: it keeps its old heading
    _toc(src, NEW)
    html_dir = _jupyter_book(src, out)
    two = shown(html_dir / "two.html")
    assert two["h1"] == NEW and two["title"].startswith(NEW), two
    assert shown(html_dir / "one.html")["next"] == NEW
    three = shown(html_dir / "three.html")
    assert three["prev"] == NEW and three["links"]["two.html"] == NEW, three
    assert shown(html_dir / "intro.html")["links"]["two.html"] == NEW


@pytest.mark.unit
def test_retitle_heads_a_notebook_as_a_run_does():
    from palermo.pipeline.book.sphinx_ext import retitle

    nb = {
        "cells": [
            {"cell_type": "code", "source": "# a comment"},
            {"cell_type": "markdown", "source": ["Intro"]},
            {"cell_type": "markdown", "source": ["# Old\n", "Text."]},
            {"cell_type": "markdown", "source": "# Another"},
        ]
    }
    assert retitle(nb, "New") and nb["cells"][2]["source"] == "# New\nText."
    assert not retitle(nb, "New")
    assert nb["cells"][3]["source"] == "# Another" and nb["cells"][0]["source"] == "# a comment"


# --- the whole build: `palermo build` on a small plan, then the plan renames a page --------

NAMES = ("s5_first", "s5_second", "s5_third")


def _plan(root: Path, second: str) -> Path:
    lines = ["root: book/intro", "parts: [Pages]", "entries:"]
    for name, title in zip(NAMES, ["The first page", second, "The third page"], strict=True):
        lines += [
            f"  - title: {title}",
            "    part: Pages",
            f"    notebook: notebooks/{name}.ipynb",
            f"    output: book/{name}.ipynb",
            "    parameters: {}",
        ]
    path = root / "book" / "runs.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _palermo_build(plan: Path) -> str:
    palermo = Path(sys.executable).parent / "palermo"
    proc = subprocess.run(
        [str(palermo), "build", "--plan", str(plan)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


@pytest.mark.book
def test_palermo_build_renames_a_page_everywhere_without_rerunning_it(tmp_path):
    """A small book beside nothing else; each chapter's notebook is headed with its first
    title, as ``palermo build`` heads a page of the book's own plan when it runs it."""
    root = tmp_path
    for name in ("_config.yml", "references.bib"):
        shutil.copy(config.ROOT / name, root / name)
    shutil.copytree(config.STATIC, root / "_static")
    for name, title in zip(NAMES, ["The first page", OLD, "The third page"], strict=True):
        _notebook(root / "notebooks" / f"{name}.ipynb", title, code="n = 0")
    (root / "book").mkdir()
    (root / "book" / "intro.md").write_text(
        "# A small book\n\nSee {doc}`s5_second`.\n", encoding="utf-8"
    )
    _palermo_build(_plan(root, OLD))
    book = root / "_build" / "html" / "book"
    assert shown(book / "s5_second.html")["h1"] == OLD

    log = _palermo_build(_plan(root, NEW))
    assert "3 cached, 0 to run" in log  # a new title alone reruns nothing
    second = shown(book / "s5_second.html")
    assert second["h1"] == NEW and second["title"].startswith(NEW), second
    assert shown(book / "s5_first.html")["next"] == NEW
    assert shown(book / "s5_third.html")["prev"] == NEW
    assert shown(book / "intro.html")["links"]["s5_second.html"] == NEW
    stale = [
        str(p.relative_to(root))
        for p in (root / "_build" / "html").rglob("*.html")
        if OLD in p.read_text(encoding="utf-8")
    ]
    assert stale == []
