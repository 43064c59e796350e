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
(``tests/pipeline/book/test_sphinx_nav.py`` builds a small book both ways and compares every file).

Two guards hold it in every build, each a warning, which the book's nit-picky build turns into
an error:

- **The swap is checked.** The first swapped sidebar of each group is asked of the theme as
  well (one theme call per group, not per page); where the two differ, the page gets the
  theme's and its group is left to the theme for the rest of the build.
- **A floor on the swaps.** Every page of a group but the first should take a sibling's
  sidebar; where fewer did (a swap that did not apply, the template no longer used), the build
  says how many and which page first, as the theme's markup or template has changed and the
  build has lost its time.

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
        self.checked: set[tuple] = set()  # the groups whose first swap the theme confirmed
        self.refused: set[tuple] = set()  # the groups whose swap it did not: the theme's alone
        self.pages: dict[tuple[str, int, str], int] = {}  # pages written, per group
        self.took: set[str] = set()  # pages that took a sibling's sidebar
        self.missed: list[str] = []  # pages where the theme wrote one after a sibling's was kept
        self.swapped = self.asked = 0

    def floor(self) -> int:
        """How many pages should take a sibling's sidebar: all but each group's first."""
        return sum(n - 1 for n in self.pages.values() if n > 1)

    def took_it(self) -> int:
        """How many pages did, every time the theme asked for their sidebar."""
        return len(self.took - set(self.missed))


_state = _Sidebars()


def _builder_inited(app) -> None:
    global _state
    _state = _Sidebars()


def _config_inited(app, config) -> None:
    # before the theme's own folders, so the template of the same name is ours
    config.templates_path = [str(TEMPLATES), *config.templates_path]


def _warn(message: str) -> None:
    from sphinx.util import logging

    logging.getLogger(__name__).warning(message, type="palermo", subtype="sidebar")


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if app.config.palermo_nav_cache:
        if _state.groups is None:
            _state.groups = sibling_groups(app.env)
        if pagename in _state.groups:
            group = _state.groups[pagename]
            _state.pages[group] = _state.pages.get(group, 0) + 1

    def sidebar_nav(**kwargs):
        theme = context[THEME_FUNCTION]
        if not app.config.palermo_nav_cache or kwargs.get("kind") != "sidebar":
            return theme(**kwargs)
        group = (_state.groups or {}).get(pagename)
        if group is None:
            return theme(**kwargs)
        key = (group, tuple(sorted(kwargs.items())))
        if key in _state.kept and key not in _state.refused and _state.kept[key][0] != pagename:
            other, html = _state.kept[key]
            uri = app.builder.get_relative_uri
            swapped = swap(html, uri(pagename, other), uri(other, pagename))
            if swapped is None:
                _state.missed.append(pagename)
            elif key in _state.checked:
                _state.swapped += 1
                _state.took.add(pagename)
                return swapped
            else:  # the group's first swap: the theme's own sidebar too, which must be the same
                _state.checked.add(key)
                theirs = str(theme(**kwargs))
                if theirs == swapped:
                    _state.swapped += 1
                    _state.took.add(pagename)
                    return swapped
                _state.refused.add(key)
                _state.asked += 1
                _warn(
                    f"[palermo] sidebars: the sidebar of {pagename} swapped from {other}'s is not "
                    "the theme's: the theme writes this group's sidebars (has its markup "
                    "changed? palermo_nav_cache = False turns the cache off)"
                )
                return theirs
        _state.asked += 1
        html = str(theme(**kwargs))  # the theme's soup, as the template would print it
        _state.kept[key] = (pagename, html)
        return html

    context[OUR_FUNCTION] = sidebar_nav


def _build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    if _state.asked or _state.swapped:
        from sphinx.util import logging

        logging.getLogger(__name__).info(
            f"[palermo] sidebars: {_state.asked} written by the theme, {_state.swapped} from a "
            f"sibling page's, of which {len(_state.checked)} checked against the theme's (one "
            f"per group); {_state.took_it()} of the {_state.floor()} pages that could take a "
            "sibling page's sidebar took it"
        )
    if _state.took_it() < _state.floor():
        first = f"; the first that did not: {_state.missed[0]}" if _state.missed else ""
        _warn(
            f"[palermo] sidebars: {_state.took_it()} of the {_state.floor()} pages that could "
            f"take a sibling page's sidebar took it{first}. The theme wrote the rest, which is "
            "slow: has its markup or its template (sbt-sidebar-nav.html) changed?"
        )


def setup(app):
    app.add_config_value("palermo_nav_cache", True, "html", [bool])
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    # before the theme's handlers (500), which render the sidebar once to see if it is empty
    app.connect("html-page-context", _page_context, priority=400)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
