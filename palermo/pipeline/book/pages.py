"""The pages the adapter writes in MyST, from what other modules hand it as data:

- the page of records (every input, library and run behind the book's exhibits, from
  ``pipeline.provenance``) and the page "What changed in this edition" (this book's record
  against the edition kept before it, from ``pipeline.facts``), both written by the book's
  extension when it reads them;
- a page the build writes that offers files (:func:`files_page`: the seminar's pages, from a
  ``content.FilesPage`` the teaching stage gives), its print edition including the printed
  sheets page for page.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ...render import cite
from .. import edition, facts, provenance
from ..content import Download, FilesPage, Line
from ..plan import Run
from .cells import download
from .jupyterbook import latex_dir


def _code(v) -> str:
    return "`" + str(v).replace("`", "'") + "`"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def records_page(runs: list[Run], web: bool = True) -> str:
    """The page of records: the inputs every run reads and the libraries, then per notebook
    each run (the book's pages, in its order) with its parameters, cache key, download and
    exhibits. In print (not ``web``) no downloads, and each sha256 is cut to its first 16
    digits: a whole one in the print face is wider than a line."""
    ins = provenance.inputs()

    def digest(sha: str | None) -> str:
        return _code(sha) if web or not sha else _code(sha[:16]) + "…"

    lines = [
        f"These records are of {{{cite.ROLE}}}`{cite.UNFILLED}`.",
        "",
        "## What every run reads",
        "",
        "Every chapter run reads the registered raw records, the curated files and the lock "
        "file below, besides its notebook and parameters; its cache key is a sha256 over all "
        "of them, so a run whose key is unchanged read exactly these bytes."
        + (
            ""
            if web
            else " In print each sha256 is cut to its first 16 digits and the files are named "
            "by their ids; the web edition's page gives them whole, as `data/sources.yml` does "
            "for the raw records."
        ),
        "",
    ]
    for r in ins["raw"]:  # in print by its id alone: a file's path is wider than a line
        where = f", {_code(r['file'])}" if web else ""
        lines.append(
            f"- raw record {_code(r['id'])} of {r['status_date']}{where}: "
            f"sha256 {digest(r['sha256'])}"
        )
    for what, key in (("curated file", "curated"), ("lock file", "lock")):
        lines += [f"- {what} {_code(r['file'])}: sha256 {digest(r['sha256'])}" for r in ins[key]]
    lines += ["", "## The libraries", "", "| Library | Version |", "|---|---|"]
    lines += [f"| {name} | {v} |" for name, v in provenance.library_versions().items()]
    lines += ["", "## Each run", ""]
    notebook = None
    for run, rec in provenance.book_records(runs):
        rel = run.rel(run.notebook)
        if rel != notebook:
            notebook = rel
            lines += [f"### {_code(rel)}", ""]
        params = ", ".join(
            _code(f"{k} = {json.dumps(v, ensure_ascii=False)}")
            for k, v in rec["parameters"].items()
        )
        fetched = ", ".join(_code(k) for k in sorted(rec["fetched_records"]))
        lines += [
            f"({provenance.anchor(run.output)})=",
            f"**{{doc}}`/book/{rec['page']}`**, the notebook `{rel}` run into "
            f"`book/{rec['page']}.ipynb` with {params or 'its default parameters'}"
            + (f" and the fetched records {fetched}" if fetched else "")
            + f"; cache key {digest(rec['cache_key'])}"
            + (f"; {download(provenance.download(run))}" if web else "")
            + ".",
            "",
        ]
        for ex in rec["exhibits"]:
            sums = "; ".join(
                (f"{_code(c['file'])}, " if web else "its CSV, ")
                + f"sha256 {_code(c['sha256'][:16])}…"
                for c in ex["csv"]
            )
            shown = provenance.Exhibit(ex["cell"], ex["kind"], ex["name"], ()).label
            lines.append(f"- cell {ex['cell']}: {_cell(shown)}" + (f": {sums}" if sums else ""))
        lines.append("")
    return "\n".join(lines) + "\n"


# --- the page "What changed in this edition" -----------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|$~^])")


def md_escape(text: str) -> str:
    """A text for MyST: each character that could start markup escaped (a ``$`` is not math, a
    ``*`` not emphasis)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _plural(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


def changes_page(root: Path) -> str:
    """The page's text: this edition against the latest earlier edition kept, every changed
    page with its changed facts, tables and charts, in the book's order."""
    rec = facts.current_record(root)
    if rec is None:
        return "This book was not built by `palermo build`, which records its facts.\n"
    this = md_escape(edition.line(rec.get("edition", {}), capital=False))
    name, base = facts.baseline(root, rec)
    if base is None:
        if name:
            return (
                f"This is the first edition kept, *{md_escape(name)}* ({this}): there is no "
                "earlier edition to compare it with.\n"
            )
        return (
            f"This edition ({this}) is the first: no earlier edition of this book has been kept "
            "(`palermo build --edition NAME` keeps one), so there is nothing to compare it "
            "with.\n"
        )
    d = facts.diff(facts.load(base.record), rec)
    before = md_escape(base.words())
    head = (
        f"This edition ({this}) against the one kept before it, *{before}*.\n\n"
        "Every fact a page's text prints, every row of the data behind its tables and charts, "
        "and the text written from the records were compared page by page (`palermo diff` "
        "gives the same list).\n"
    )
    if not d["pages"]:
        return head + "\nNo fact, table or chart has changed: every page gives what it gave then.\n"
    # under a heading of its own: the pages' headings that follow attach to the page itself
    # (MyST), so text before them would be printed after them
    lines = ["## Compared with the edition before", "", head, facts.summary(d["counts"])]
    titles = facts.toc_titles(root)
    order = list(titles) + sorted(set(d["pages"]) - set(titles))
    changed = [p for p in order if p in d["pages"]]
    for page in changed[: facts.SHOWN_PAGES]:
        title = titles.get(page, page)
        lines += ["", f"## {md_escape(title)}", ""]
        if page in titles:
            lines += [f"{{doc}}`The page </book/{page}>` (`book/{page}`):", ""]
        else:
            lines += [f"`book/{page}`, a page this edition does not have:", ""]
        lines += facts.page_lines(page, d["pages"][page], code=_code, esc=md_escape, files=False)
    rest = changed[facts.SHOWN_PAGES :]
    if rest:
        lines += [
            "",
            "## Other pages",
            "",
            f"{_plural(len(rest), 'more page')} changed: "
            + ", ".join(md_escape(titles.get(p, p)) for p in rest)
            + ". `palermo diff` lists what changed on each.",
        ]
    return "\n".join(lines) + "\n"


# --- a page that offers files ----------------------------------------------------------------


def _line(line: Line) -> str:
    return "".join(download(x) if isinstance(x, Download) else x for x in line)


TEX = (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("#", r"\#"), ("_", r"\_"))


def _tex(words: str) -> str:
    """Words set in LaTeX as they read (a title in the contents)."""
    for ch, tex in TEX + (("$", r"\$"), ("{", r"\{"), ("}", r"\}"), (",", "{,}")):
        words = words.replace(ch, tex)
    return words


def _label(path: str) -> str:
    return "sheet:" + re.sub(r"[^A-Za-z0-9-]", "-", Path(path).stem)


def files_page(page: FilesPage, base: Path) -> str:
    """The page as MyST: its title, its lines (each download a ``{download}`` link, which makes
    Sphinx copy the file into the book), the web edition's alone in an ``{only} html`` block
    where so marked; then what print shows instead (``{only} latex``) and each printed sheet
    included page for page (pdfpages' ``\\includepdf``, its path from the LaTeX folder of the
    book in ``base``), each in the PDF's contents."""
    body = [_line(x) for x in page.lines]
    lines = [f"# {page.title}", ""]
    lines += ["```{only} html", *body, "```", ""] if page.web_only else body
    if page.print_lines:
        lines += ["```{only} latex", *page.print_lines, "```", ""]
    if page.printed:
        lines.append("```{raw} latex")
        for name, pdf in page.printed:
            path = os.path.relpath(pdf, latex_dir(base))
            lines.append(
                f"\\includepdf[pages=-,addtotoc={{1,section,1,{_tex(name)},{_label(path)}}}]"
                f"{{{path}}}"
            )
        lines.append("```")
    return "\n".join(lines) + "\n"
