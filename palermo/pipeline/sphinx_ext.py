"""A small Sphinx extension for the book (listed in ``_config.yml``): two pages get text that
depends on the project's data and configuration, written at build time from the same sources
the chapters use, so the pages cannot drift from them.

- ``% palermo:links`` (in ``book/links.md``) becomes the list of every outside address the book
  links to: the paper's DOI, the works cited (``references.bib``), the raw sources' repositories
  and UNTC pages (``data/sources.yml``), each treaty's UNTC record, and the book's repository
  if one is configured. A test checks that every outside link on any page is on this list, and
  the publishing workflow checks the list with Sphinx's ``linkcheck``.
- ``% palermo:launch`` (in ``book/rerun.md``) becomes a link to the source notebooks in the
  book's repository when ``repository: url:`` is set in ``_config.yml``, or says plainly that
  none is set.

- The bibliography's entries are marked up as list items: docutils writes each citation as a
  ``<div role="doc-biblioentry">`` inside a ``<div role="list">``, a role ARIA has deprecated
  and that a list may not hold (axe-core: ``aria-required-children``,
  ``aria-deprecated-role``).

A line starting with ``%`` is a MyST comment, so without this extension the markers show
nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import config

LINKS_MARKER = "% palermo:links"
LAUNCH_MARKER = "% palermo:launch"
# Jupyter Book's default `repository: url:` (its own repository): not this book's
JUPYTER_BOOK_DEFAULT = "https://github.com/executablebooks/jupyter-book"
PAPER_DOI = "10.31389/jied.90"


def repository(theme_options: dict) -> tuple[str, str] | None:
    """The book's repository address and branch, or None when none is configured."""
    url = str(theme_options.get("repository_url") or "").strip().rstrip("/")
    if not url or url == JUPYTER_BOOK_DEFAULT:
        return None
    return url, str(theme_options.get("repository_branch") or "main")


def _bib_links(bib: Path) -> list[tuple[str, str]]:
    """(key, address) for each entry of references.bib with a url or a doi."""
    out = []
    for entry in re.split(r"\n(?=@)", bib.read_text(encoding="utf-8")):
        key = re.match(r"@\w+\{([^,]+),", entry.strip())
        if not key:
            continue
        for field, value in re.findall(r"^\s*(url|doi)\s*=\s*\{([^}]*)\}", entry, re.M):
            out.append((key[1], value if field == "url" else f"https://doi.org/{value}"))
    return out


def outside_links(theme_options: dict | None = None) -> list[tuple[str, str, str]]:
    """(group, label, address) for every outside address the book links to, without repeats."""
    from ..data import fetch, registry, treaties

    rows: list[tuple[str, str, str]] = [
        ("The paper", f"Tennant (2021), doi:{PAPER_DOI}", f"https://doi.org/{PAPER_DOI}")
    ]
    rows += [("Works cited", key, url) for key, url in _bib_links(config.ROOT / "references.bib")]
    for s in registry.load().sources:
        rows.append(("Raw sources: repositories", s.id, s.repository_url))
        rows.append(("Raw sources: UNTC pages", s.id, s.untc_page))
    for t in treaties.all_treaties():
        if t.mtdsg_xml:
            rows.append(("Treaty records at the UNTC", t.short, fetch.url_of(t, fetch.base_url())))
    repo = repository(theme_options or {})
    if repo:
        rows.append(("This book's repository", "source", repo[0]))
    seen, out = set(), []
    for group, label, url in rows:
        if url and url.startswith(("http://", "https://")) and url not in seen:
            seen.add(url)
            out.append((group, label, url))
    return out


def links_markdown(theme_options: dict | None = None) -> str:
    """The list as MyST: a heading per group, its links in a reST block (MyST's own links
    escape '&' in an address twice, which breaks the UNTC addresses)."""
    groups: dict[str, list[str]] = {}
    for g, label, url in outside_links(theme_options):
        groups.setdefault(g, []).append(f"- {label}: `{url} <{url}>`__")
    parts = [
        f"## {g}\n\n```{{eval-rst}}\n" + "\n".join(rows) + "\n```" for g, rows in groups.items()
    ]
    return "\n\n".join(parts) + "\n"


def launch_markdown(theme_options: dict) -> str:
    repo = repository(theme_options)
    if repo is None:
        return (
            "This edition was built without a repository address (`repository: url:` in "
            "`_config.yml` is empty), so it cannot link to its source notebooks online. They are "
            "in the `notebooks/` folder of the copy of the project the book was built from; "
            "setting the address (see the README, *Publishing*) adds the links here.\n"
        )
    url, branch = repo
    return (
        f"The source notebooks of this edition are in its repository: "
        f"<{url}/tree/{branch}/notebooks>. Open one there, or clone the repository and use "
        "`make lab`.\n"
    )


def _source_read(app, docname: str, source: list[str]) -> None:
    text = source[0]
    if LINKS_MARKER not in text and LAUNCH_MARKER not in text:
        return
    options = dict(app.config.html_theme_options or {})
    if LINKS_MARKER in text:
        text = text.replace(LINKS_MARKER, links_markdown(options))
    if LAUNCH_MARKER in text:
        text = text.replace(LAUNCH_MARKER, launch_markdown(options))
    source[0] = text


def _accessible_citations(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _always_reread(app, env, added, changed, removed) -> list[str]:
    """Sphinx rereads only pages whose file changed; these pages change with the data."""
    return [d for d in ("book/links", "book/rerun") if d in env.found_docs]


def setup(app):
    app.connect("source-read", _source_read)
    app.connect("env-get-outdated", _always_reread)
    app.connect("html-page-context", _accessible_citations)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
