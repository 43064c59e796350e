"""The run plan (``book/runs.yml``), the one source of the book.

Each entry is a page of the book with its title and part: either a chapter notebook run by
papermill with its parameters (``notebook`` + ``output``) or a prose page (``page``). The plan
is modelled with pydantic, and ``_toc.yml`` is generated from it (:func:`toc_text`):
``palermo build`` rewrites it, and a test fails when the committed one is stale.

One name per chapter: a run's output is ``book/<notebook name>.ipynb`` or lies in
``book/<notebook name>/``, and the chapter's module is ``palermo.chapters.<notebook name>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pydantic
import yaml

from .. import config
from ..errors import UsageError
from ..files import read_yaml, write_atomic
from ..model import params


class _Entry(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    title: str = pydantic.Field(min_length=1)
    part: str
    notebook: str | None = None
    output: str | None = None
    page: str | None = None
    parameters: dict[str, Any] = {}
    # the output (or page) of an earlier entry of the same part: this page is a section of
    # that one in the navigation and the PDF (one topic, e.g. a chapter at a second date)
    beneath: str | None = None
    # one run per participant in the records: the title, output and parameters are templates
    # with {id} (ISO3, or EUU), {name} (as the records name it) and {slug} (its page's name)
    for_each: Literal["participant"] | None = None
    # false: a page of the web book only, left out of the PDF edition (e.g. ~200 profiles)
    pdf: bool = True
    # a prose page the build writes: the book's seminar pack, one group per item (an exercise
    # and the parameters it takes), its sheets downloadable from the page
    seminar: list[dict[str, Any]] | None = None
    # a prose page the build writes: the library of sheets, every exercise for the Convention
    # and each Protocol on each of its dates (``dates``; ``region`` and ``country`` for the
    # exercises that take them)
    library: dict[str, Any] | None = None

    @pydantic.model_validator(mode="after")
    def _kind(self):
        run = self.notebook is not None or self.output is not None
        if run and (self.notebook is None or self.output is None):
            raise ValueError("a run needs both 'notebook' and 'output'")
        if self.for_each and not run:
            raise ValueError("'for_each' is for a chapter run (notebook and output)")
        if (
            self.for_each
            and "{slug}" not in (self.output or "")
            and "{id}" not in (self.output or "")
        ):
            raise ValueError("a 'for_each' output must contain {slug} or {id}")
        if run == (self.page is not None):
            raise ValueError(
                "give either 'notebook' and 'output' (a chapter run) or 'page' (a prose page)"
            )
        if self.page is not None and self.parameters:
            raise ValueError("a prose page takes no parameters")
        if self.seminar is not None and self.page is None:
            raise ValueError("'seminar' is for a page the build writes ('page')")
        if self.library is not None and (self.page is None or self.seminar is not None):
            raise ValueError("'library' is for a page the build writes ('page'), without 'seminar'")
        return self


class _PlanDoc(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    root: str
    parts: list[str] = pydantic.Field(min_length=1)
    entries: list[_Entry] = pydantic.Field(min_length=1)

    @pydantic.model_validator(mode="after")
    def _parts(self):
        for i, e in enumerate(self.entries, start=1):
            if e.part not in self.parts:
                raise ValueError(f"entry #{i} ({e.title}): part {e.part!r} is not under 'parts'")
        return self


@dataclass
class Run:
    """One chapter run: a source notebook, its executed output, its validated parameters."""

    notebook: Path
    output: Path
    parameters: dict
    label: str = ""
    title: str = ""
    part: str = ""
    beneath: Path | None = None
    pdf: bool = True

    def rel(self, p: Path) -> str:
        try:
            return str(p.relative_to(config.ROOT))
        except ValueError:
            return str(p)


@dataclass
class Page:
    """A prose page: committed, or (``seminar``) written by the build with the seminar pack."""

    file: Path
    title: str
    part: str
    beneath: Path | None = None
    pdf: bool = True
    seminar: list[dict] | None = None
    library: dict | None = None

    @property
    def written(self) -> bool:
        """The build writes this page (with the sheets it offers)."""
        return self.seminar is not None or self.library is not None


@dataclass
class Plan:
    path: Path
    base: Path
    root: str
    parts: list[str]
    entries: list[Run | Page]

    @property
    def runs(self) -> list[Run]:
        return [e for e in self.entries if isinstance(e, Run)]

    @property
    def written_pages(self) -> list[Page]:
        """The pages the build writes (the seminar pack's, the library of sheets)."""
        return [e for e in self.entries if isinstance(e, Page) and e.written]


def _doc(path: Path) -> _PlanDoc:
    raw = read_yaml(path, UsageError, "run plan")
    try:
        return _PlanDoc.model_validate(raw)
    except pydantic.ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x + 1) if isinstance(x, int) else str(x) for x in err["loc"])
        raise UsageError(f"{path.name}: {loc or 'plan'}: {err['msg']}") from None


def file_of(e: Run | Page) -> Path:
    return e.output if isinstance(e, Run) else e.file


def _beneath(e: _Entry, earlier: list[Run | Page], base: Path, where: str) -> Path | None:
    """The page an entry sits beneath: an earlier entry of the same part, itself a chapter."""
    if e.beneath is None:
        return None
    target = (base / e.beneath).resolve()
    parent = next((x for x in earlier if file_of(x) == target), None)
    if parent is None or parent.part != e.part:
        raise UsageError(
            f"{where}: beneath {e.beneath!r} must name the output or page of an earlier entry "
            f"of the part {e.part!r}"
        )
    if parent.beneath is not None:
        raise UsageError(f"{where}: beneath {e.beneath!r}, which is itself beneath another page")
    return target


def _chapter_name(out: Path, book: Path) -> str:
    rel = out.relative_to(book)
    return rel.stem if len(rel.parts) == 1 else rel.parts[0]


def _expand(e: _Entry, plan_name: str, i: int) -> list[_Entry]:
    """The entry itself, or for ``for_each: participant`` one entry per participant in the
    records (by name), its templates filled in."""
    if e.for_each is None:
        return [e]
    from ..model.participation import known, page_slug

    out = []
    for pid, name in sorted(known().items(), key=lambda kv: kv[1]):
        values = {"id": pid, "name": name, "slug": page_slug(pid)}

        def fill(v, values=values):
            if not isinstance(v, str):
                return v
            try:
                return v.format(**values)
            except (KeyError, IndexError, ValueError) as exc:
                raise UsageError(
                    f"{plan_name}, entry #{i}: the template {v!r} can use only {{id}}, "
                    f"{{name}} and {{slug}} ({exc})"
                ) from None

        out.append(
            e.model_copy(
                update={
                    "title": fill(e.title),
                    "output": fill(e.output),
                    "parameters": {k: fill(v) for k, v in e.parameters.items()},
                    "for_each": None,
                }
            )
        )
    return out


def _entry(
    e: _Entry, earlier: list[Run | Page], outputs: set[Path], base: Path, book: Path, at: str
) -> Run | Page:
    beneath = _beneath(e, earlier, base, f"{at} ({e.title})")
    if e.page is not None:
        page = (base / e.page).resolve()
        written = e.seminar is not None or e.library is not None
        if not written and not page.is_file():
            raise UsageError(f"{at} ({e.title}): page {e.page} not found")
        if written and (page.suffix != ".md" or book not in page.parents):
            raise UsageError(f"{at} ({e.title}): a seminar page is an .md file under book/")
        return Page(
            file=page,
            title=e.title,
            part=e.part,
            beneath=beneath,
            pdf=e.pdf,
            seminar=e.seminar,
            library=e.library,
        )
    if e.notebook is None or e.output is None:  # refused by _Entry's own check
        raise UsageError(f"{at} ({e.title}): a run needs both 'notebook' and 'output'")
    nb, out = (base / e.notebook).resolve(), (base / e.output).resolve()
    where = f"{at} ({e.output})"
    if out.suffix != ".ipynb" or book not in out.parents:
        raise UsageError(f"{where}: output must be an .ipynb under book/")
    if _chapter_name(out, book) != nb.stem:
        raise UsageError(
            f"{where}: the output of {nb.name} is book/{nb.stem}.ipynb or lies in "
            f"book/{nb.stem}/ (one name per chapter)"
        )
    if out in outputs:
        raise UsageError(f"{where}: output written twice in the plan")
    outputs.add(out)
    return Run(
        notebook=nb,
        output=out,
        label=str(e.output),
        title=e.title,
        part=e.part,
        beneath=beneath,
        pdf=e.pdf,
        parameters=params.resolve(nb, dict(e.parameters), where),
    )


def load(path: Path | None = None, root: Path | None = None) -> Plan:
    """The validated plan. Paths in it are relative to ``root`` (default: the folder above
    the plan's ``book/``, else the repository)."""
    path = Path(path or config.PLAN).resolve()
    if root is None:
        root = path.parent.parent if path.parent.name == "book" else config.ROOT
    base = Path(root).resolve()
    book = base / "book"
    doc = _doc(path)
    entries: list[Run | Page] = []
    outputs: set[Path] = set()
    titles: set[str] = set()
    for i, entry in enumerate(doc.entries, start=1):
        for e in _expand(entry, path.name, i):
            if e.title in titles:
                raise UsageError(
                    f"{path.name}, entry #{i}: the title {e.title!r} is already used (each "
                    "page has its own title, which is also its heading)"
                )
            titles.add(e.title)
            entries.append(_entry(e, entries, outputs, base, book, f"{path.name}, entry #{i}"))
    return Plan(path=path, base=base, root=doc.root, parts=doc.parts, entries=entries)


TOC_HEADER = (
    "# Generated by `palermo build` from book/runs.yml (the run plan): do not edit.\n"
    "# tests/pipeline/test_plan.py fails when this file and the plan disagree.\n"
)


def toc_text(plan: Plan, pdf: bool = False) -> str:
    """The Jupyter Book table of contents for the plan (``pdf``: the PDF edition's, without the
    pages marked ``pdf: false``)."""

    def rel(p: Path) -> str:
        return str(p.relative_to(plan.base).with_suffix(""))

    parts = []
    for caption in plan.parts:
        chapters: list[dict[str, Any]] = []
        by_file: dict[Path, dict[str, Any]] = {}
        for e in plan.entries:
            if e.part != caption or (pdf and not e.pdf):
                continue
            item: dict[str, Any] = {"file": rel(file_of(e)), "title": e.title}
            if e.beneath is None:
                chapters.append(item)
                by_file[file_of(e)] = item
            else:
                by_file[e.beneath].setdefault("sections", []).append(item)
        if chapters:
            parts.append({"caption": caption, "chapters": chapters})
    doc = {"format": "jb-book", "root": plan.root, "parts": parts}
    return TOC_HEADER + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def write_toc(plan: Plan, path: Path | None = None) -> bool:
    """Write ``_toc.yml`` if it differs from the plan's; True if it was rewritten."""
    path = Path(path or plan.base / "_toc.yml")
    text = toc_text(plan)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text)
    return True
