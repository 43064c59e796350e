"""The sidebar written once per group of sibling pages (palermo.pipeline.book.sphinx_nav) gives the
pages the theme would write, byte for byte: a small book is built with it and without it and
every file compared. Its template is the theme's own with one function renamed."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from palermo import config
from palermo.pipeline.book import sphinx_nav

THEME_TEMPLATE = (
    Path(__import__("sphinx_book_theme").__file__).parent
    / "theme"
    / "sphinx_book_theme"
    / "components"
    / sphinx_nav.TEMPLATE
)

LEAF = '<li class="toctree-l2"><a class="reference internal" href="{0}.html">{0}</a></li>'
CURRENT = (
    '<li class="toctree-l2 current active"><a class="current reference internal" href="#">'
    "{0}</a></li>"
)


@pytest.mark.unit
def test_the_template_is_the_themes_with_one_function_renamed():
    ours = (sphinx_nav.TEMPLATES / sphinx_nav.TEMPLATE).read_text(encoding="utf-8")
    theirs = THEME_TEMPLATE.read_text(encoding="utf-8")
    assert theirs.count(sphinx_nav.THEME_FUNCTION + "(") == 1
    assert ours == theirs.replace(sphinx_nav.THEME_FUNCTION + "(", sphinx_nav.OUR_FUNCTION + "(")


@pytest.mark.unit
def test_swap_moves_the_current_entry_either_way():
    side = "<ul>" + CURRENT.format("a") + LEAF.format("b") + LEAF.format("c") + "</ul>"
    assert sphinx_nav.swap(side, "a.html", "c.html") == (
        "<ul>" + LEAF.format("a") + LEAF.format("b") + CURRENT.format("c") + "</ul>"
    )
    back = "<ul>" + LEAF.format("a") + LEAF.format("b") + CURRENT.format("c") + "</ul>"
    assert sphinx_nav.swap(back, "c.html", "a.html") == (
        "<ul>" + CURRENT.format("a") + LEAF.format("b") + LEAF.format("c") + "</ul>"
    )


@pytest.mark.unit
def test_swap_declines_when_an_entry_is_not_found_exactly_once():
    side = "<ul>" + CURRENT.format("a") + LEAF.format("b") + "</ul>"
    assert sphinx_nav.swap(side, "a.html", "missing.html") is None
    assert sphinx_nav.swap(side + LEAF.format("b"), "a.html", "b.html") is None
    assert sphinx_nav.swap(LEAF.format("a") + LEAF.format("b"), "a.html", "b.html") is None


def _sidebar(page: str, pages: str = "abc", current: str = CURRENT) -> str:
    """A group's sidebar as the theme writes it for ``page``."""
    return (
        "<ul>"
        + "".join(current.format(x) if x == page else LEAF.format(x) for x in pages)
        + "</ul>"
    )


def _write(pages: str, theme, monkeypatch) -> tuple[dict[str, str], list[str]]:
    """Each page of one group written as the builder would (its context, then the template's
    call), the theme's sidebar of a page ``theme(page)``; the sidebars and the warnings."""
    from types import SimpleNamespace

    warned: list[str] = []
    monkeypatch.setattr(sphinx_nav, "_warn", warned.append)
    app = SimpleNamespace(
        config=SimpleNamespace(palermo_nav_cache=True),
        builder=SimpleNamespace(format="html", get_relative_uri=lambda _, to: f"{to}.html"),
    )
    sphinx_nav._builder_inited(app)
    sphinx_nav._state.groups = {x: ("index", 0, "") for x in pages}
    out = {}
    for x in pages:
        context = {sphinx_nav.THEME_FUNCTION: lambda x=x, **kw: theme(x)}
        sphinx_nav._page_context(app, x, "page.html", context, None)
        nav = context[sphinx_nav.OUR_FUNCTION]
        # twice, as the theme does: once to see whether it is empty, once in the template
        out[x] = nav(kind="sidebar", startdepth=0)
        assert nav(kind="sidebar", startdepth=0) == out[x]
    sphinx_nav._build_finished(app, None)
    return out, warned


@pytest.mark.unit
def test_each_group_s_first_swap_is_checked_against_the_theme(monkeypatch):
    """The first page of a group that takes a sibling's sidebar is asked of the theme too: the
    same, and the rest are swapped unasked; not the same, and the page and its group get the
    theme's, with a warning (an error in the book's nit-picky build)."""
    asked: list[str] = []

    def theme(page):
        asked.append(page)
        return _sidebar(page)

    out, warned = _write("abc", theme, monkeypatch)
    assert out == {x: _sidebar(x) for x in "abc"} and warned == []
    assert asked == ["a", "a", "b"]  # a's (twice: its own), b's swap checked, c's unasked
    assert (sphinx_nav._state.took_it(), sphinx_nav._state.floor()) == (2, 2)

    def other_theme(page):  # b's sidebar is not a's with the two entries swapped
        return _sidebar(page) + (" <!-- b -->" if page == "b" else "")

    out, warned = _write("abc", other_theme, monkeypatch)
    assert out == {x: other_theme(x) for x in "abc"}
    assert "the sidebar of b swapped from a's is not the theme's" in warned[0]
    assert "0 of the 2 pages that could take a sibling page's sidebar took it" in warned[1]


@pytest.mark.unit
def test_a_build_whose_swaps_fall_short_of_the_floor_says_so(monkeypatch):
    """Where the theme's markup no longer lets the swap apply, every page is still the theme's,
    and the build warns (an error in the book's nit-picky build) instead of only slowing."""
    changed = CURRENT.replace("current active", "active current")
    out, warned = _write("abc", lambda page: _sidebar(page, current=changed), monkeypatch)
    assert out == {x: _sidebar(x, current=changed) for x in "abc"}
    assert warned == [
        "[palermo] sidebars: 0 of the 2 pages that could take a sibling page's sidebar took it; "
        "the first that did not: b. The theme wrote the rest, which is slow: has its markup or "
        "its template (sbt-sidebar-nav.html) changed?"
    ]


def _small_book(root: Path) -> None:
    """Two parts, a chapter with leaf sections in a folder of their own, a chapter whose sections
    lie in two folders, a section with sections, and the book's own configuration."""
    pages = {
        "intro": [],
        "one": [],
        "two": [],
        "three": [],
        "group/index": [],
        "group/a": [],
        "group/b": [],
        "group/c": [],
        "mixed": [],
        "mixed/x": [],
        "elsewhere/y": [],
        "mixed/z": [],
        "mixed/z1": [],
        "mixed/z2": [],
    }
    for name in pages:
        p = root / f"{name}.md"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"# Page {name}\n\nSome text.\n\n## A heading\n", encoding="utf-8")
    toc = {
        "format": "jb-book",
        "root": "intro",
        "parts": [
            {"caption": "First", "chapters": [{"file": "one"}, {"file": "two"}]},
            {
                "caption": "Second",
                "chapters": [
                    {"file": "three"},
                    {
                        "file": "group/index",
                        "sections": [{"file": f"group/{x}"} for x in "abc"],
                    },
                    {
                        "file": "mixed",
                        "sections": [
                            {"file": "mixed/x"},
                            {"file": "elsewhere/y"},
                            {
                                "file": "mixed/z",
                                "sections": [{"file": "mixed/z1"}, {"file": "mixed/z2"}],
                            },
                        ],
                    },
                ],
            },
        ],
    }
    (root / "_toc.yml").write_text(yaml.safe_dump(toc), encoding="utf-8")
    book = yaml.safe_load((config.ROOT / "_config.yml").read_text(encoding="utf-8"))
    extensions = [
        e
        for e in book["sphinx"]["config"]["extensions"]
        if e not in ("palermo.pipeline.book.sphinx_ext", "sphinxcontrib.bibtex")  # no .bib here
    ]
    conf = {
        "title": "A small book",
        "execute": {"execute_notebooks": "off"},
        "html": book["html"],
        "parse": book["parse"],
        "sphinx": {
            "recursive_update": True,
            "config": {"extensions": [*extensions, "palermo.pipeline.book.sphinx_nav"]},
        },
    }
    (root / "_config.yml").write_text(yaml.safe_dump(conf), encoding="utf-8")
    off = {**conf, "sphinx": {**conf["sphinx"], "config": {**conf["sphinx"]["config"]}}}
    off["sphinx"]["config"]["palermo_nav_cache"] = False
    (root / "_config-off.yml").write_text(yaml.safe_dump(off), encoding="utf-8")


def _build(root: Path, out: Path, config_file: str) -> tuple[Path, str]:
    jb = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run(
        [
            str(jb),
            "build",
            str(root),
            "--path-output",
            str(out),
            "--config",
            str(root / config_file),
            "-W",
            "-n",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out / "_build" / "html", proc.stdout


@pytest.mark.integration
def test_a_small_book_is_the_same_with_and_without_the_kept_sidebars(tmp_path):
    src = tmp_path / "src"
    _small_book(src)
    on, log = _build(src, tmp_path / "on", "_config.yml")
    off, log_off = _build(src, tmp_path / "off", "_config-off.yml")
    # the theme wrote some sidebars, and the rest came from a sibling page's
    swapped = re.search(
        r"sidebars: (\d+) written by the theme, (\d+) from a sibling page's, of which (\d+) "
        r"checked against the theme's",
        log,
    )
    assert swapped and int(swapped[2]) > 0 and int(swapped[3]) > 0, log[-2000:]
    assert "sidebars:" not in log_off
    pages = sorted(p.relative_to(on) for p in on.rglob("*.html"))
    assert len(pages) >= 14
    assert pages == sorted(p.relative_to(off) for p in off.rglob("*.html"))
    differ = [str(p) for p in pages if (on / p).read_bytes() != (off / p).read_bytes()]
    assert differ == []
    # a swapped page's sidebar marks it, and no sibling, as the current page
    b = (on / "group" / "b.html").read_text(encoding="utf-8")
    assert b.count(CURRENT.format("Page group/b")) == 1
    assert CURRENT.format("Page group/a") not in b
