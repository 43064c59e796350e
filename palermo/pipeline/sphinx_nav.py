"""The book's sidebar, written once per group of sibling pages instead of once per page.

The theme (sphinx-book-theme on pydata-sphinx-theme) writes the whole table of contents into
the sidebar of every page, and works it out afresh for each: with the 198 country profiles in
it, that was about half of the Jupyter Book build (some 26 s of 48 s on a 2-core machine).

Two leaf pages that sit side by side in the same toctree (the same parent page, the same
toctree of it, the same folder) have the same sidebar but for two entries: each marks itself
as the current page. So the sidebar of one is the sidebar of its sibling with those two
entries swapped. This extension keeps the first sidebar it sees in each such group and, for
every other page of the group, swaps the two entries; it asks the theme whenever the swap does
not apply exactly (an entry not found once and only once), for pages with children of their
own, and for every other call. The pages are byte for byte what the theme writes
(``tests/pipeline/test_sphinx_nav.py`` builds a small book both ways and compares every file).

It works through public extension points only: a template of the same name earlier in
``templates_path`` (``templates/sbt-sidebar-nav.html``, the theme's own with one function
renamed; a test fails if the theme's template changes), a function added to the page's context
by an ``html-page-context`` handler, and the environment's doctrees. ``palermo_nav_cache =
False`` in the Sphinx configuration turns it off.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "sbt-sidebar-nav.html"
THEME_FUNCTION, OUR_FUNCTION = "generate_toctree_html", "palermo_sidebar_nav"

_CURRENT = re.compile(
    r'<li class="(toctree-l\d+) current active"><a class="current reference internal" href="#">'
)
CURRENT = '<li class="{level} current active"><a class="current reference internal" href="#">'
PLAIN = '<li class="{level}"><a class="reference internal" href="{href}">'


def swap(html: str, href_of_other: str, href_of_page: str) -> str | None:
    """The sidebar ``html`` of a leaf page with the current entry moved to its sibling: the
    entry marked current becomes a plain link (``href_of_other``, the first page's address seen
    from the sibling) and the sibling's plain link (``href_of_page``) becomes the current entry.
    None unless each entry is found exactly once."""
    levels = _CURRENT.findall(html)
    if len(levels) != 1:
        return None
    level = levels[0]
    current, plain = CURRENT.format(level=level), PLAIN.format(level=level, href=href_of_page)
    if html.count(plain) != 1 or html.count(current) != 1:
        return None
    before, after = html.split(current)
    if plain in before:
        head, tail = before.split(plain)
        return head + current + tail + PLAIN.format(level=level, href=href_of_other) + after
    head, tail = after.split(plain)
    return before + PLAIN.format(level=level, href=href_of_other) + head + current + tail


def sibling_groups(env) -> dict[str, tuple[str, int, str]]:
    """{docname: (parent, index of the parent's toctree, folder)} for every leaf page: two
    pages with the same key share a sidebar but for their own entries."""
    from sphinx import addnodes

    groups: dict[str, tuple[str, int, str]] = {}
    for parent, children in env.toctree_includes.items():
        if not children:
            continue
        doctree = env.get_doctree(parent)
        for i, toctree in enumerate(doctree.findall(addnodes.toctree)):
            for _title, ref in toctree["entries"]:
                if ref in env.all_docs and not env.toctree_includes.get(ref):
                    groups[ref] = (parent, i, posixpath.dirname(ref))
    return groups


class _Sidebars:
    """The sidebars kept in one build (each process of a parallel write keeps its own)."""

    def __init__(self) -> None:
        self.groups: dict[str, tuple[str, int, str]] | None = None
        self.kept: dict[tuple, tuple[str, str]] = {}
        self.swapped = self.asked = 0


_state = _Sidebars()


def _builder_inited(app) -> None:
    global _state
    _state = _Sidebars()


def _config_inited(app, config) -> None:
    # before the theme's own folders, so the template of the same name is ours
    config.templates_path = [str(TEMPLATES), *config.templates_path]


def _page_context(app, pagename, templatename, context, doctree) -> None:
    def sidebar_nav(**kwargs):
        theme = context[THEME_FUNCTION]
        if not app.config.palermo_nav_cache or kwargs.get("kind") != "sidebar":
            return theme(**kwargs)
        if _state.groups is None:
            _state.groups = sibling_groups(app.env)
        group = _state.groups.get(pagename)
        if group is None:
            return theme(**kwargs)
        key = (group, tuple(sorted(kwargs.items())))
        if key in _state.kept:
            other, html = _state.kept[key]
            uri = app.builder.get_relative_uri
            swapped = swap(html, uri(pagename, other), uri(other, pagename))
            if swapped is not None:
                _state.swapped += 1
                return swapped
        _state.asked += 1
        html = str(theme(**kwargs))  # the theme's soup, as the template would print it
        _state.kept[key] = (pagename, html)
        return html

    context[OUR_FUNCTION] = sidebar_nav


def _build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html" and (_state.asked or _state.swapped):
        from sphinx.util import logging

        logging.getLogger(__name__).info(
            f"[palermo] sidebars: {_state.asked} written by the theme, {_state.swapped} from a "
            "sibling page's"
        )


def setup(app):
    app.add_config_value("palermo_nav_cache", True, "html", [bool])
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    # before the theme's handlers (500), which render the sidebar once to see if it is empty
    app.connect("html-page-context", _page_context, priority=400)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
