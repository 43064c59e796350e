"""A small Sphinx extension for the book (listed in ``_config.yml``): five directives write text
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
- ``{palermo-changes}`` (in ``book/changes.md``) becomes the list of every fact, table and chart
  that changed since the latest earlier edition kept (``pipeline.facts``), reading the current
  book's record (``_build/record.json``) and the list of editions kept
  (``_build/editions/editions.json``); every page gets an empty edition bar, which the build
  fills in (``pipeline.edition.serve``) with the edition and the earlier editions' links.

- The bibliography's entries are marked up as list items: docutils writes each citation as a
  ``<div role="doc-biblioentry">`` inside a ``<div role="list">``, a role ARIA has deprecated
  and that a list may not hold (axe-core: ``aria-required-children``,
  ``aria-deprecated-role``).

- In the PDF edition (the LaTeX builder) the first page of each part of the plan is preceded by
  ``\\part{...}``, so the printed book has the web book's parts (the plain Sphinx LaTeX class
  prints none), and the contents are called "Contents", not the first part's caption; each
  page of the PDF edition depends on the plan (``book/runs.yml``), which names the parts.

- A notebook page is headed with its title in the table of contents, which is its title in the
  plan (``_toc.yml`` is written from ``book/runs.yml``), as ``palermo build`` heads it when the
  chapter runs: a run is cached whatever its title, so a page renamed in the plan is retitled
  when it is read, not when its notebook next runs. When a page's title changes, the pages that
  print it are written again too: its neighbours (their previous and next links) and the pages
  that link to it (Sphinx itself rewrites only the pages it reread and their parents).

- The sidebar is written once per group of sibling pages (``sphinx_nav``, set up from here).
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ... import config

GLOSSARY_DOC = "book/glossary"
# pages whose words are not linked to the glossary: the glossary itself, the lists of works and
# the page of records
NO_GLOSSARY_LINKS = {GLOSSARY_DOC, "book/bibliography", "book/links", "book/provenance"}
# Jupyter Book's default `repository: url:` (its own repository): not this book's
JUPYTER_BOOK_DEFAULT = "https://github.com/executablebooks/jupyter-book"
PAPER_DOI = "10.31389/jied.90"


def repository(theme_options: dict) -> tuple[str, str] | None:
    """The book's repository address and branch, or None when none is configured."""
    url = str(theme_options.get("repository_url") or "").strip().rstrip("/")
    if not url or url == JUPYTER_BOOK_DEFAULT:
        return None
    return url, str(theme_options.get("repository_branch") or "main")


# references.bib entries marked `keywords = {paper}` or `{convention}` head the list of outside
# links in their own groups; every other entry with an address is a work cited
BIB_GROUPS = {"paper": "The paper", "convention": "The Convention and its documents"}
WORKS_CITED = "Works cited"
TREATY_GROUP = "The treaties at the UN Treaty Collection"
RAW_GROUPS = (
    "The raw records: the repositories they were copied from",
    "The raw records: the UN Treaty Collection pages they were copied from",
)
UNTC_STATUS = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={number}&chapter={chapter}&clang=_en"
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def _roman(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if v < w else v for v, w in zip(values, values[1:] + [0], strict=True))


def untc_status_page(number: str) -> str:
    """A treaty's status page at the UNTC, from its number in the Secretary-General's list
    ("XVIII-12": chapter XVIII, the Convention)."""
    return UNTC_STATUS.format(number=number, chapter=_roman(number.split("-")[0]))


def _latex_text(value: str) -> str:
    from pybtex.richtext import Text

    return " ".join(Text.from_latex(value).render_as("text").split())


def _bib_label(entry) -> str:
    """A work as a reader names it: "Rose (2020), The Creation of a Review Mechanism ...";
    an institution as author is named whole; three or more authors are "et al."."""
    names = [_latex_text(" ".join(p.last_names)) for p in entry.persons.get("author", [])]
    who = (
        names[0]
        if len(names) == 1
        else f"{names[0]} and {names[1]}"
        if len(names) == 2
        else f"{names[0]} et al."
        if names
        else ""
    )
    year = entry.fields.get("year", "")
    title = _latex_text(entry.fields.get("title", ""))
    head = f"{who} ({year})" if who and year else who or year
    return f"{head}, {title}" if head else title


def _bib_links(bib: Path) -> list[tuple[str, str, str]]:
    """(group, label, address) for each address (url, doi) of each entry of references.bib,
    in file order; an entry with both says which is which."""
    from pybtex.database import parse_file

    out = []
    for entry in parse_file(str(bib)).entries.values():
        keywords = {k.strip() for k in entry.fields.get("keywords", "").split(",")}
        group = next((g for k, g in BIB_GROUPS.items() if k in keywords), WORKS_CITED)
        label = _bib_label(entry)
        url, doi = entry.fields.get("url"), entry.fields.get("doi")
        if url:
            out.append((group, f"{label} (its page at the publisher)" if doi else label, url))
        if doi:
            out.append((group, f"{label} (DOI)" if url else label, f"https://doi.org/{doi}"))
    return out


def _raw_label(source, names: dict[str, str]) -> str:
    """A raw source as a reader knows it: the treaty's name and what was copied, when."""
    day = f"{source.status_date.day} {source.status_date:%B %Y}"
    if source.kind == "index":
        return f"The UN Treaty Collection's list of treaties (the copy of {day})"
    name = names.get(source.treaty or "", source.treaty or "a treaty")
    if source.untc_page.endswith(".xml"):
        return f"{name}: its status record, as published in XML (the copy of {day})"
    return f"{name}: its status page (the copy of {day})"


KIT_GROUP = "The seminar kit's sources"


def _kit_links() -> list[tuple[str, str, str]]:
    """The addresses the seminar kit's sheets link to (the book offers the sheets for
    download), each labelled by what it is: a primary source's title, a reading, the source of
    a role card's line or of outside evidence."""
    from ...data import curated

    kit = curated.load("seminar_kit")
    rows = [(KIT_GROUP, p.title, p.url) for p in kit.primary_sources]
    readings = [*kit.reading.core, *kit.reading.advanced, *kit.reading.online]
    rows += [(KIT_GROUP, r.text, r.url) for r in readings]
    for card in kit.role_cards:
        for camp in card.camps:
            rows += [(KIT_GROUP, line.source, line.url) for line in camp.lines]
    rows += [(KIT_GROUP, e.source, e.url) for e in kit.outside_evidence]
    return [(g, " ".join(str(label).split()), url) for g, label, url in rows if url]


def outside_links(theme_options: dict | None = None) -> list[tuple[str, str, str]]:
    """(group, label, address) for every outside address the book links to, and the Convention's
    own documents and status pages beside them, each labelled as a reader would name it and
    listed once (a second work at the same address joins its label)."""
    from ...data import fetch, registry, treaties

    paper = "Tennant (2021), Fulfilling the Promise of Palermo? A Political History of the UN "
    paper += "Convention Against Transnational Organized Crime"
    rows: list[tuple[str, str, str]] = [
        (BIB_GROUPS["paper"], f"{paper} (DOI)", f"https://doi.org/{PAPER_DOI}")
    ]
    bib = _bib_links(config.ROOT / "references.bib")
    rows += [r for r in bib if r[0] != WORKS_CITED]
    all_treaties = treaties.all_treaties()
    for t in all_treaties:
        if t.short == "UNTOC":
            rows.append(
                (
                    BIB_GROUPS["convention"],
                    f"{t.name}: its status at the UN Treaty "
                    "Collection (signatures, parties, declarations and reservations)",
                    untc_status_page(t.number),
                )
            )
    for t in all_treaties:
        rows.append((TREATY_GROUP, f"{t.name}: its status page", untc_status_page(t.number)))
        if t.mtdsg_xml:
            rows.append(
                (
                    TREATY_GROUP,
                    f"{t.name}: its status record, as published in XML",
                    fetch.url_of(t, fetch.base_url()),
                )
            )
    rows += [r for r in bib if r[0] == WORKS_CITED]
    names = {t.number: t.name for t in all_treaties}
    for s in registry.load().sources:
        rows.append(
            (
                RAW_GROUPS[0],
                f"{s.repository_url.rstrip('/').split('/')[-1]}: the "
                "repository the status tables were copied from",
                s.repository_url,
            )
        )
        rows.append((RAW_GROUPS[1], _raw_label(s, names), s.untc_page))
    rows += _kit_links()
    repo = repository(theme_options or {})
    if repo:
        rows.append(("This book's repository", "The notebooks and code of this book", repo[0]))
    out: list[tuple[str, str, str]] = []
    where: dict[str, int] = {}
    for group, label, url in rows:
        if not (url and url.startswith(("http://", "https://"))):
            continue
        if url not in where:
            where[url] = len(out)
            out.append((group, label, url))
        elif out[where[url]][0] == group and label not in out[where[url]][1]:
            g, first, u = out[where[url]]
            out[where[url]] = (g, f"{first}; {label}", u)
    return out


def _rst_text(text: str) -> str:
    """Plain text for a reST line: its inline-markup characters escaped."""
    return re.sub(r"([\\*`|_<>\[\]])", r"\\\1", text)


def links_markdown(theme_options: dict | None = None) -> str:
    """The list as MyST: a heading per group, its links in a reST block (MyST's own links
    escape '&' in an address twice, which breaks the UNTC addresses)."""
    groups: dict[str, list[str]] = {}
    for g, label, url in outside_links(theme_options):
        groups.setdefault(g, []).append(f"- {_rst_text(label)}: `{url} <{url}>`__")
    parts = [
        f"## {g}\n\n```{{eval-rst}}\n" + "\n".join(rows) + "\n```" for g, rows in groups.items()
    ]
    return "\n\n".join(parts) + "\n"


def _cell(text: str) -> str:
    return " ".join(str(text).split())


def sections_markdown() -> str:
    """The paper's sections, what each argues and the pages that carry it, as a MyST table."""
    from ...data import curated
    from .. import plan

    p = plan.load()
    titles = {str(plan.file_of(e).relative_to(p.base).with_suffix("")): e.title for e in p.entries}
    lines = [
        "```{list-table}",
        ":header-rows: 1",
        ":class: palermo-sections longtable",  # a longtable: print may break it across pages
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
    from ...data import curated
    from ...render.text import readable

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
    from ...data import curated

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
            "This edition names no public repository for the notebooks; run them from your copy "
            "of the project.\n"
        )
    url, branch = repo
    return (
        f"The source notebooks of this edition are in its public repository: "
        f"<{url}/tree/{branch}/notebooks>. Open one there, or copy the repository and run "
        "them from your copy as above.\n"
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
    from ...data import curated

    return curated.entry(name).path


DIRECTIVES = {
    "palermo-links": (
        links_markdown,
        lambda: [
            config.ROOT / "references.bib",
            config.SOURCES_YML,
            _curated("treaties"),
            _curated("seminar_kit"),
        ],
    ),
    "palermo-sections": (
        lambda _: sections_markdown(),
        lambda: [config.PLAN, _curated("sections")],
    ),
    "palermo-glossary": (lambda _: glossary_markdown(), lambda: [_curated("glossary")]),
    "palermo-launch": (launch_markdown, lambda: []),
    "palermo-changes": (lambda _: _changes_markdown(), lambda: _changes_reads()),
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
    from .. import plan

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

    if app.env.docname == app.config.root_doc:
        # the opening pages come after the contents, whose running head ("CONTENTS") they
        # would otherwise carry: they carry their own
        doctree.insert(0, nodes.raw("", "\\markboth{Introduction}{Introduction}\n", format="latex"))
    caption = first_of_parts(Path(app.srcdir)).get(app.env.docname)
    if caption:
        doctree.insert(0, nodes.raw("", f"\\part{{{_latex_escape(caption)}}}\n", format="latex"))


# --- the edition: filled in where a page has render.cite's marker -------------------------

_EDITION_SPAN = re.compile(r'(<span class="palermo-edition">)[^<]*(</span>)')


def _edition_stamp(app) -> Path:
    return Path(app.doctreedir) / "palermo-edition.txt"


def _edition_inited(app) -> None:
    """The edition of this build, kept in a stamp beside the doctrees and rewritten only when
    it changes: the pages that print it depend on the stamp, so Sphinx rewrites them then."""
    from ..edition import current

    app.config.palermo_edition = current(Path(app.srcdir)).label
    stamp = _edition_stamp(app)
    if not stamp.is_file() or stamp.read_text(encoding="utf-8") != app.config.palermo_edition:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(app.config.palermo_edition, encoding="utf-8")


def _edition_dependency(app, docname: str, source: list[str]) -> None:
    from ...render import cite

    if cite.HTML_CLASS in source[0]:
        app.env.note_dependency(str(_edition_stamp(app)))


def _edition_html(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and "palermo-edition" in body:
        label = app.config.palermo_edition
        context["body"] = _EDITION_SPAN.sub(lambda m: m[1] + label + m[2], body)


def _edition_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    from docutils import nodes

    label = inliner.document.settings.env.app.config.palermo_edition
    return [nodes.Text(label)], []


# --- the editions: a bar on every page, and the page "What changed in this edition" -------

_BOOK_ROOT: list[Path] = []  # the book being built (its srcdir), set when the builder starts


def _editions_inited(app) -> None:
    _BOOK_ROOT[:] = [Path(app.srcdir)]


def _book_root() -> Path:
    return _BOOK_ROOT[0] if _BOOK_ROOT else config.ROOT


def _changes_markdown() -> str:
    from .pages import changes_page

    return changes_page(_book_root())


def _changes_reads() -> list[Path]:
    from ..facts import changes_dependencies

    return changes_dependencies(_book_root())


def _edition_bar(app, pagename, templatename, context, doctree) -> None:
    """An empty edition bar at the top of every page of the book, which the build fills in."""
    from ..edition import BAR_END, BAR_START

    body = context.get("body")
    if body is not None and doctree is not None and BAR_START not in body:
        context["body"] = BAR_START + BAR_END + body


# --- where each exhibit comes from: the page of records and each page's download ----------


def book_runs(app) -> list:
    """The runs behind the book's pages, in the order of its table of contents (each from what
    its executed notebook records)."""
    from ..provenance import run_of

    site_map = getattr(app.config, "external_site_map", None) or {}
    runs = []
    for docname in site_map:
        path = Path(app.srcdir) / f"{docname}.ipynb"
        run = run_of(path) if path.is_file() and config.BOOK in path.parents else None
        if run is not None:
            runs.append(run)
    return runs


def _downloads_inited(app) -> None:
    """Before the pages are read: each page's zip (its notebook, its exhibits' CSVs and its
    record), which the page's ``{download}`` link makes Sphinx copy into the book."""
    if app.builder.name != "html":
        return
    from ..provenance import write_downloads

    write_downloads(book_runs(app), app.config.palermo_edition)


def _record_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """An exhibit's link to its run's record: the ``{ref}`` it stands for where the book has the
    page of records; in a book whose plan leaves that page out, the words without the link."""
    from docutils import nodes

    from ..provenance import PAGE

    env = inliner.document.settings.env
    if PAGE in (getattr(env.app.config, "external_site_map", None) or {}):
        ref = env.get_domain("std").role("ref")
        return ref("std:ref", rawtext, text, lineno, inliner, options or {}, content or [])
    words = text.split("<", 1)[0].strip()
    return [nodes.Text(f"{words}: on the page of records, which this book leaves out")], []


def _provenance_directive():
    from docutils import nodes
    from docutils.statemachine import StringList
    from sphinx.util.docutils import SphinxDirective

    class ProvenancePage(SphinxDirective):
        """The page of records: every input with its sha256, the libraries, each run."""

        has_content = False

        def run(self) -> list:
            from ...data import inputs
            from .pages import records_page

            runs = book_runs(self.env.app)
            for path in [config.SOURCES_YML, config.LOCK, *inputs.curated_files()]:
                self.env.note_dependency(str(path))
            for r in runs:
                self.env.note_dependency(str(r.output))
            web = self.env.app.builder.name == "html"
            text = records_page(runs, web=web)
            lines = StringList(text.splitlines(), source="{palermo-provenance}")
            holder = nodes.section()
            self.state.nested_parse(lines, self.content_offset, holder, match_titles=True)
            return holder.children

    return ProvenancePage


# --- a page's title: the plan's, and every page that prints it ---------------------------


def toc_title(config, docname: str) -> str | None:
    """A page's title in the table of contents (the plan's), or None if it gives none."""
    site_map = getattr(config, "external_site_map", None)
    if site_map is None:
        return None
    for name in (docname, *(docname + suffix for suffix in config.source_suffix)):
        if name in site_map:
            return site_map[name].title
    return None


def retitle(nb: dict, title: str) -> bool:
    """Head a notebook (its JSON) with ``# title`` as ``execute._title_page`` does: the first
    markdown cell that opens with a level-1 heading; True if that changed it."""
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        if cell.get("cell_type") == "markdown" and text.startswith("# "):
            head, _, rest = text.partition("\n")
            if head == f"# {title}":
                return False
            cell["source"] = f"# {title}" + ("\n" + rest if rest else "")
            return True
    return False


def _title_from_plan(app, docname: str, source: list[str]) -> None:
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    title = toc_title(app.config, docname)
    if not title:
        return
    import json

    nb = json.loads(source[0])
    if retitle(nb, title):
        source[0] = json.dumps(nb, ensure_ascii=False)


def _title_readers_class():
    from docutils import nodes
    from sphinx import addnodes
    from sphinx.environment.collectors import EnvironmentCollector

    class TitleReaders(EnvironmentCollector):
        """Which pages each page links to (``env.palermo_links``), and when a reread changes a
        page's title, the pages to write again because they print it."""

        def __init__(self) -> None:
            super().__init__()
            self.before: dict[str, str] = {}

        @staticmethod
        def links(env) -> dict[str, set[str]]:
            if not hasattr(env, "palermo_links"):
                env.palermo_links = {}
            return env.palermo_links

        def get_outdated_docs(self, app, env, added, changed, removed) -> list[str]:
            self.before = {d: t.astext() for d, t in env.titles.items()}  # before the reread
            return []

        def clear_doc(self, app, env, docname: str) -> None:
            self.links(env).pop(docname, None)

        def merge_other(self, app, env, docnames, other) -> None:
            ours, theirs = self.links(env), self.links(other)
            ours.update({d: theirs[d] for d in docnames if d in theirs})

        def process_doc(self, app, doctree: nodes.document) -> None:
            """A page's links to pages (``{doc}``, a MyST link to a file), and to labels
            (``{ref}``, a MyST link to a target): each prints the title it points to unless
            given its own text."""
            docname, found = app.env.docname, set()
            for ref in doctree.findall(addnodes.pending_xref):
                domain, kind = ref.get("refdomain"), ref.get("reftype")
                target = ref.get("reftarget", "")
                if domain == "doc":
                    found.add(target)
                elif domain == "std" and kind == "doc":
                    base = ref.get("refdoc", docname)
                    found.add(posixpath.normpath(posixpath.join("/" + base, "..", target))[1:])
                elif kind in ("ref", "myst"):
                    found.add("#" + target.lower())
            self.links(app.env)[docname] = found

        def get_updated_docs(self, app, env) -> list[str]:
            retitled = {
                d for d, t in self.before.items() if d in env.titles and env.titles[d].astext() != t
            }
            self.before = {}
            if not retitled:
                return []
            std = env.get_domain("std")
            labels = {f"#{k}": v[0] for k, v in std.anonlabels.items()}
            labels.update({f"#{k}": v[0] for k, v in std.labels.items()})
            relations = env.collect_relations()
            out = {
                d
                for d, (_parent, prev, nxt) in relations.items()
                if prev in retitled or nxt in retitled
            }
            out |= {
                d
                for d, targets in self.links(env).items()
                if any(labels.get(t, t) in retitled for t in targets)
            }
            return sorted((out - retitled) & env.all_docs.keys())

    return TitleReaders


def _glossary_links_class():
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class GlossaryLinks(SphinxPostTransform):
        default_priority = 5  # after MyST-NB's SelectMimeType (4), before references (10)

        def run(self, **kwargs) -> None:
            _link_glossary_terms(self.env, self.document)

    return GlossaryLinks


def setup(app):
    app.setup_extension("palermo.pipeline.book.sphinx_nav")  # the sidebar, once per group of pages
    for name, (markdown, reads) in DIRECTIVES.items():
        app.add_directive(name, _directive(name, markdown, reads))
    app.connect("source-read", _note_dependencies)
    app.connect("source-read", _title_from_plan)
    app.add_env_collector(_title_readers_class())
    app.connect("html-page-context", _accessible_citations)
    app.connect("doctree-read", _parts_for_print)
    app.add_post_transform(_glossary_links_class())
    from ...render import cite

    app.add_config_value("palermo_edition", "", "")  # set per build; no page reread for it
    app.add_role(cite.ROLE, _edition_role)
    app.connect("builder-inited", _edition_inited)
    app.connect("source-read", _edition_dependency)
    app.connect("html-page-context", _edition_html)
    app.connect("builder-inited", _editions_inited)
    app.connect("html-page-context", _edition_bar)
    app.add_directive("palermo-provenance", _provenance_directive())
    from .cells import RECORD_ROLE

    app.add_role(RECORD_ROLE, _record_role)
    app.connect("builder-inited", _downloads_inited)  # after _edition_inited: needs the label
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
