"""The book's Sphinx extension (palermo.pipeline.sphinx_ext): the page "Outside links" holds every
outside address the book links to (the publishing workflow checks them with linkcheck), the
"Rerun this book" page links the source notebooks only when a repository is configured, and a
renamed page is renamed on every page that prints its title. No test here reaches an outside
host."""

import html
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from palermo import config
from palermo.pipeline.book import sphinx_ext


@pytest.mark.unit
def test_the_list_holds_the_papers_doi_the_sources_and_each_treaty_record():
    rows = sphinx_ext.outside_links()
    urls = [u for _, _, u in rows]
    assert len(urls) == len(set(urls))
    assert f"https://doi.org/{sphinx_ext.PAPER_DOI}" in urls
    assert any("XVIII-12-a.en.xml" in u for u in urls)  # the TIP Protocol's record
    assert all(u.startswith(("http://", "https://")) for u in urls)


@pytest.mark.unit
def test_each_link_is_labelled_as_a_reader_names_it_and_the_conventions_documents_are_listed():
    """The review read raw keys ("untc-chapter18: ...", "stadler2017") and found no link to the
    Convention's text, its status page, the Legislative Guides, the travaux, res. 9/1 or the
    article's page."""
    rows = sphinx_ext.outside_links()
    keys = {"untc-chapter18", "jones-untreaties", "stadler2017", "rose2020", "UNTOC", "CYBERCRIME"}
    for _, label, _ in rows:
        assert label.split(":")[0].strip() not in keys, label
        assert not re.match(r"^[a-z0-9-]+$", label), label
    by_url = {u: label for _, label, u in rows}
    assert (
        "Stadler (2017), The country converter coco"
        in by_url["https://doi.org/10.21105/joss.00332"]
    )
    assert by_url["https://jied.lse.ac.uk/articles/10.31389/jied.90"].startswith("Tennant (2021)")
    status = sphinx_ext.untc_status_page("XVIII-12")
    assert status == (
        "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12&chapter=18"
        "&clang=_en"
    )
    assert by_url[status].startswith("UN Convention against Transnational Organized Crime")
    assert sphinx_ext.untc_status_page("VI-19").endswith("mtdsg_no=VI-19&chapter=6&clang=_en")
    convention = " ".join(label for g, label, _ in rows if g == "The Convention and its documents")
    for words in ("Protocols Thereto", "Legislative Guides", "Travaux", "Resolution 9/1"):
        assert words in convention, words
    assert sphinx_ext._rst_text("a `toolbox' *b*_") == "a \\`toolbox' \\*b\\*\\_"


@pytest.mark.unit
def test_launch_text_says_plainly_when_no_repository_is_configured():
    default = sphinx_ext.JUPYTER_BOOK_DEFAULT
    for options in ({}, {"repository_url": ""}, {"repository_url": default}):
        assert sphinx_ext.repository(options) is None
        text = sphinx_ext.launch_markdown(options)
        assert "names no public repository" in text
        # written for readers: no configuration key or file name (the PDF printed one)
        assert not re.search(r"_config|repository: url|\.yml|`", text), text
    text = sphinx_ext.launch_markdown(
        {"repository_url": "https://example.org/me/palermo/", "repository_branch": "main"}
    )
    assert "<https://example.org/me/palermo/tree/main/notebooks>" in text
    assert "https://example.org/me/palermo" in {
        u
        for _, _, u in sphinx_ext.outside_links(
            {"repository_url": "https://example.org/me/palermo"}
        )
    }


# G21: the launch paragraph, when no repository is configured
@pytest.mark.unit
@pytest.mark.review("reader-2026-12b", "G21")
def test_the_launch_paragraph_names_no_file_or_setting():
    text = sphinx_ext.launch_markdown({})
    assert text.startswith("This edition names no public repository for the notebooks")
    assert "_config" not in text and "url:" not in text


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


# Sphinx alone: the incremental build
@pytest.mark.review("reliability-2026-12b", "S5")
@pytest.mark.integration
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


@pytest.mark.review("reliability-2026-12b", "S5")
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
