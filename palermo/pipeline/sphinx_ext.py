"""A small Sphinx extension for the book (listed in ``_config.yml``): four directives write text
that depends on the project's data and configuration at build time, from the same sources the
chapters use, so the pages cannot drift from them. Each declares the files it reads
(``env.note_dependency``), so Sphinx rereads its page when one of them changes, and only then.

- ``{palermo-links}`` (in ``book/links.md``) becomes the list of every outside address the book
  links to: the paper's DOI, the works cited (``references.bib``), the raw sources' repositories
  and UNTC pages (``data/sources.yml``), each treaty's UNTC record, and the book's repository
  if one is configured. A test checks that every outside link on any page is on this list, and
  the publishing workflow checks the list with Sphinx's ``linkcheck``.
- ``{palermo-sections}`` (in ``book/intro.md``) becomes the map from each of the paper's
  sections to the book's pages that carry it (``data/curated/sections.yml``), each page linked
  by its title in the plan, with what the book does not yet carry said plainly.
- ``{palermo-glossary}`` (in ``book/glossary.md``) becomes the glossary
  (``data/curated/glossary.yml``), and the first use of each of its terms in every other page
  is linked to the term's entry (a ``term`` cross-reference, so the PDF links it too); every
  page declares the glossary as a dependency, so a changed term is relinked everywhere.
- ``{palermo-launch}`` (in ``book/rerun.md``) becomes a link to the source notebooks in the
  book's repository when ``repository: url:`` is set in ``_config.yml``, or says plainly that
  none is set.

- The bibliography's entries are marked up as list items: docutils writes each citation as a
  ``<div role="doc-biblioentry">`` inside a ``<div role="list">``, a role ARIA has deprecated
  and that a list may not hold (axe-core: ``aria-required-children``,
  ``aria-deprecated-role``).

- In the PDF edition (the LaTeX builder) the first page of each part of the plan is preceded by
  ``\\part{...}``, so the printed book has the web book's parts (the plain Sphinx LaTeX class
  prints none), and the contents are called "Contents", not the first part's caption; each
  page of the PDF edition depends on the plan (``book/runs.yml``), which names the parts.

- The sidebar is written once per group of sibling pages (``sphinx_nav``, set up from here).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import config

GLOSSARY_DOC = "book/glossary"
# pages whose words are not linked to the glossary: the glossary itself and the lists of works
NO_GLOSSARY_LINKS = {GLOSSARY_DOC, "book/bibliography", "book/links"}
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


def _cell(text: str) -> str:
    return " ".join(str(text).split())


def sections_markdown() -> str:
    """The paper's sections, what each argues and the pages that carry it, as a MyST table."""
    from ..data import curated
    from . import plan

    p = plan.load()
    titles = {str(plan.file_of(e).relative_to(p.base).with_suffix("")): e.title for e in p.entries}
    lines = [
        "```{list-table}",
        ":header-rows: 1",
        ":class: palermo-sections",
        ":widths: 25 45 30",
        "",
        "* - The paper's section",
        "  - What it argues",
        "  - Where this book carries it",
    ]
    for s in curated.load("sections").sections:
        pages = ", ".join(f"{{doc}}`{titles[x]} </{x}>`" for x in s.pages)
        if s.missing:
            pages += f". *Not yet in the book:* {_cell(s.missing)}"
        lines += [f"* - {_cell(s.section)}", f"  - {_cell(s.argues)}", f"  - {pages}"]
    lines.append("```")
    return "\n".join(lines) + "\n"


def glossary_markdown() -> str:
    """The glossary as a MyST glossary directive: each term, its definition and source."""
    from ..data import curated
    from ..render.text import readable

    lines = ["```{glossary}"]
    for t in curated.load("glossary").terms:
        lines += [
            t.term,
            f"  {_cell(t.definition)} *Source:* {_cell(readable(t.source))}.",
            "",
        ]
    lines.append("```")
    return "\n".join(lines) + "\n"


@functools.lru_cache(maxsize=1)
def glossary_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """(term, the words that are it) for every glossary term, in the file's order."""
    from ..data import curated

    return tuple(
        (t.term, re.compile("|".join(f"(?:{m})" for m in t.match)))
        for t in curated.load("glossary").terms
    )


def first_uses(text: str, terms, done: set[str]) -> list[tuple[int, int, str]]:
    """(start, end, term) of the first use in ``text`` of each term not in ``done``, in the
    text's order and never overlapping (an earlier, then longer, match wins)."""
    found = []
    for term, pattern in terms:
        if term not in done:
            m = pattern.search(text)
            if m:
                found.append((m.start(), -(m.end() - m.start()), m.end(), term))
    out, end = [], -1
    for start, _, stop, term in sorted(found):
        if start >= end:
            out.append((start, stop, term))
            end = stop
    return out


def _link_glossary_terms(env, doctree) -> None:
    """Link the first use of each glossary term on a page to its entry in the glossary.

    It runs as a post-transform, after MyST-NB has chosen which of an output's forms the
    builder shows (``SelectMimeType``, priority 4) and before references are resolved (priority
    10): a term is linked where the reader sees it, not in a form the builder drops."""
    docname = env.docname
    if docname in NO_GLOSSARY_LINKS or GLOSSARY_DOC not in env.found_docs:
        return
    from docutils import nodes
    from sphinx import addnodes

    skip = (
        nodes.title,
        nodes.subtitle,
        nodes.rubric,
        nodes.literal,
        nodes.literal_block,
        nodes.reference,
        nodes.raw,
        nodes.caption,
        nodes.table,
        nodes.citation,
        nodes.footnote,
        addnodes.pending_xref,
        addnodes.desc,
    )
    terms = glossary_patterns()
    done: set[str] = set()

    def skipped(node) -> bool:
        while node is not None:
            if isinstance(node, skip):
                return True
            node = node.parent
        return False

    for para in list(doctree.findall(nodes.paragraph)):
        if len(done) == len(terms):
            break
        for text in list(para.findall(nodes.Text)):
            if skipped(text.parent):
                continue
            uses = first_uses(str(text), terms, done)
            if not uses:
                continue
            pieces, at = [], 0
            s = str(text)
            for start, stop, term in uses:
                if start > at:
                    pieces.append(nodes.Text(s[at:start]))
                ref = addnodes.pending_xref(
                    "",
                    refdomain="std",
                    reftype="term",
                    reftarget=term.lower(),
                    refexplicit=True,
                    refwarn=False,
                    refdoc=docname,
                )
                ref += nodes.inline(
                    s[start:stop], s[start:stop], classes=["xref", "std", "std-term"]
                )
                pieces.append(ref)
                at = stop
                done.add(term)
            if at < len(s):
                pieces.append(nodes.Text(s[at:]))
            text.parent.replace(text, pieces)


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


def _directive(name: str, markdown: Callable[[Any], str], reads: Callable[[], list[Path]]):
    """A directive that writes ``markdown(options)`` (MyST, from the project's data) in its
    place and declares the files ``reads()`` names as the page's dependencies."""
    from docutils import nodes
    from docutils.statemachine import StringList
    from sphinx.util.docutils import SphinxDirective

    class Generated(SphinxDirective):
        has_content = False

        def run(self) -> list:
            for path in reads():
                self.env.note_dependency(str(path))
            options = dict(self.config.html_theme_options or {})
            lines = StringList(markdown(options).splitlines(), source=f"{{{name}}}")
            holder = nodes.section()  # headings in the text become sections of the page
            self.state.nested_parse(lines, self.content_offset, holder, match_titles=True)
            return holder.children

    Generated.__name__ = name.title().replace("-", "")
    return Generated


def _curated(name: str) -> Path:
    from ..data import curated

    return curated.entry(name).path


DIRECTIVES = {
    "palermo-links": (
        links_markdown,
        lambda: [config.ROOT / "references.bib", config.SOURCES_YML, _curated("treaties")],
    ),
    "palermo-sections": (
        lambda _: sections_markdown(),
        lambda: [config.PLAN, _curated("sections")],
    ),
    "palermo-glossary": (lambda _: glossary_markdown(), lambda: [_curated("glossary")]),
    "palermo-launch": (launch_markdown, lambda: []),
}


def _note_dependencies(app, docname: str, source: list[str]) -> None:
    """Every page's glossary links come from glossary.yml; a page of the PDF edition may open a
    part of the plan."""
    if docname not in NO_GLOSSARY_LINKS:
        app.env.note_dependency(str(_curated("glossary")))
    if app.builder.name == "latex":
        app.env.note_dependency(str(config.PLAN))


def _accessible_citations(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


@functools.lru_cache(maxsize=4)
def first_of_parts(root: Path | None = None) -> dict[str, str]:
    """{docname: part caption} for the first page of each part of the PDF edition."""
    from . import plan

    p = plan.load(root=root) if root else plan.load()
    out: dict[str, str] = {}
    seen: set[str] = set()
    for e in p.entries:
        if e.pdf and e.beneath is None and e.part not in seen:
            seen.add(e.part)
            out[str(plan.file_of(e).relative_to(p.base).with_suffix(""))] = e.part
    return out


def _latex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def _parts_for_print(app, doctree) -> None:
    if app.builder.name != "latex":
        return
    from docutils import nodes

    caption = first_of_parts(Path(app.srcdir)).get(app.env.docname)
    if caption:
        doctree.insert(0, nodes.raw("", f"\\part{{{_latex_escape(caption)}}}\n", format="latex"))


def _glossary_links_class():
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class GlossaryLinks(SphinxPostTransform):
        default_priority = 5  # after MyST-NB's SelectMimeType (4), before references (10)

        def run(self, **kwargs) -> None:
            _link_glossary_terms(self.env, self.document)

    return GlossaryLinks


def setup(app):
    app.setup_extension("palermo.pipeline.sphinx_nav")  # the sidebar, once per group of pages
    for name, (markdown, reads) in DIRECTIVES.items():
        app.add_directive(name, _directive(name, markdown, reads))
    app.connect("source-read", _note_dependencies)
    app.connect("html-page-context", _accessible_citations)
    app.connect("doctree-read", _parts_for_print)
    app.add_post_transform(_glossary_links_class())
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
