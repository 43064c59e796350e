"""The record of a built book, what changed between two records, and how far a rebuild
reproduced one.

**The record** (:func:`record`) holds, for every run of the plan (its page: the output path
under ``book/`` without ``.ipynb``, e.g. ``figure1/paper-date``):

- ``facts``: every glued fact, name -> the text as glued (``render.glue.glue_all`` of the
  chapter's ``facts()``), read from the executed notebook's glue outputs;
- ``exhibits``: every chart and table it shows, in order: kind, title (a chart's title, a
  table's accessible name) and each CSV it offers (its ``palermo-csv`` download link, decoded):
  file name, sha256, rows, and in a full record the CSV itself;
- ``prose``: the text a chapter writes from code (Markdown outputs, e.g. a country profile's
  paragraphs): how many, a sha256 of their text and a sha256 of the numbers in them (so a
  change of wording that keeps every number can be told from a changed number), and in a full
  record the texts;
- ``notebook``, ``parameters``, ``errors`` (error outputs) and ``intact`` (the notebook's cells
  still hash to the ``content_sha256`` palermo wrote into it: False for a file edited since);

and the ``edition``: version, commit, the records' dates and the fetched records the pages read.

A full record is what an edition keeps (``_build/editions/NAME/record.json``) and what the build
writes for the current book (``_build/record.json``); the shipped record
(``replication/record.json``, :func:`shipped`) keeps CSVs and prose as digests and row counts
only, and no commit (it is committed, so it cannot name its own commit). Every record is
deterministic JSON with sorted keys: the same book gives the same bytes.

**The diff** (:func:`diff`) lists, by page, the facts changed, added and removed (old -> new),
the exhibits changed (rows added and removed, counted, a few shown), the prose changed, and the
pages added or removed; each page's changes are *major* (a number, verdict or row changed) or
*minor* (nothing a reader counts on changed: a title, a wording with the same numbers, the
parameters as resolved).

**The verdict** (:func:`verdict`) puts a rebuild in one of the AEA's four levels (see
:data:`LEVELS`).
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

from ..errors import UsageError
from ..files import sha256_of, write_atomic
from . import edition as editions
from .cache import META_KEY
from .export import NOTEBOOK_DIGEST, notebook_digest
from .plan import Plan

FORMAT = 1
CURRENT = "record.json"  # the current book's full record, in _build/
# how many rows, passages and pages a diff shows in words (it counts all of them)
SHOWN_ROWS = 3
SHOWN_PROSE = 2
SHOWN_PAGES = 30
SHORT = 160  # characters of a value shown

_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


# --- reading one executed notebook ---------------------------------------------------------


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _sha(text: str | bytes) -> str:
    return sha256_of(text.encode("utf-8") if isinstance(text, str) else text)


def glued_text(output: dict) -> str:
    """A glue output's value as the page prints it: a glued string without its quotes, any
    other value as its text (``190``, ``0.42``)."""
    data = output.get("data") or {}
    raw = next((_text(v) for k, v in data.items() if k.endswith("text/plain")), "")
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return raw
    return value if isinstance(value, str) else raw


def numbers(text: str) -> list[str]:
    """The numbers in a text, in order ('190', '2020-12-23' as '2020', '12', '23')."""
    return _NUMBER.findall(text)


def _csv_entry(name: str, data: bytes, full: bool) -> dict:
    text = data.decode("utf-8", "replace")
    rows = max(len(list(csv.reader(io.StringIO(text)))) - 1, 0)
    out = {"file": name, "rows": rows, "sha256": _sha(data)}
    if full:
        out["csv"] = text
    return out


def _exhibits(html_text: str, full: bool) -> list[dict]:
    from .provenance import output_exhibits

    return [
        {
            "kind": kind,
            "name": name,
            "csv": [_csv_entry(file, data, full) for file, data in csvs],
        }
        for kind, name, csvs in output_exhibits(html_text)
    ]


def _prose(texts: list[str], full: bool) -> dict:
    out = {
        "count": len(texts),
        "sha256": _sha("\n\n".join(texts)),
        "numbers_sha256": _sha(" ".join(n for t in texts for n in numbers(t))),
    }
    if full:
        out["texts"] = texts
    return out


def page_record(nb: dict, full: bool = True) -> dict:
    """The record of one executed notebook (its JSON)."""
    facts: dict[str, str] = {}
    exhibits: list[dict] = []
    prose: list[str] = []
    errors: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for o in cell.get("outputs", []):
            kind = o.get("output_type")
            if kind == "error":
                errors.append(f"{o.get('ename', '')}: {o.get('evalue', '')}")
                continue
            if kind not in ("display_data", "execute_result"):
                continue
            glued = ((o.get("metadata") or {}).get("scrapbook") or {}).get("name")
            if glued:
                facts[glued] = glued_text(o)
                continue
            data = o.get("data") or {}
            page = _text(data.get("text/html"))
            found = _exhibits(page, full) if "palermo-csv" in page else []
            if found:
                exhibits += found
            elif "text/markdown" in data and "text/html" not in data:
                prose.append(_text(data["text/markdown"]))
    meta = (nb.get("metadata") or {}).get(META_KEY) or {}
    return {
        "notebook": meta.get("notebook"),
        "parameters": meta.get("parameters") or {},
        "intact": meta.get(NOTEBOOK_DIGEST) == notebook_digest(nb),
        "errors": errors,
        "facts": facts,
        "exhibits": exhibits,
        "prose": _prose(prose, full),
    }


def page_name(output: Path, base: Path) -> str:
    """A run's page: its output under ``book/`` without the suffix (``figure1/paper-date``)."""
    return output.relative_to(base / "book").with_suffix("").as_posix()


# --- the record of a book ------------------------------------------------------------------


def record(p: Plan, full: bool = True) -> dict:
    """The record of the book the plan ``p`` built: every run's page (``{"missing": true}`` for
    a run whose executed notebook is not there) and the edition."""
    pages: dict[str, dict] = {}
    fetched: dict[str, str] = {}
    for run in p.runs:
        name = page_name(run.output, p.base)
        try:
            nb = json.loads(run.output.read_text(encoding="utf-8"))
        except FileNotFoundError:
            pages[name] = {"missing": True}
            continue
        except (OSError, ValueError) as exc:
            pages[name] = {"missing": True, "errors": [f"unreadable: {exc}"]}
            continue
        pages[name] = page_record(nb, full)
        fetched.update(((nb.get("metadata") or {}).get(META_KEY) or {}).get("records") or {})
    info = editions.describe(p.base)
    return {
        "format": FORMAT,
        "edition": {
            "version": info["version"],
            "commit": info["commit"],
            "changed": info["changed"],
            "records": info["records"],
            "fetched": dict(sorted(fetched.items())),
        },
        "pages": pages,
    }


def shipped(rec: dict) -> dict:
    """The record as the repository ships it: CSVs and prose as digests and counts, and no
    commit (a committed file cannot name the commit it is in)."""
    out = json.loads(json.dumps(rec))
    out["edition"].pop("commit", None)
    out["edition"].pop("changed", None)
    for page in out["pages"].values():
        for ex in page.get("exhibits", []):
            for c in ex["csv"]:
                c.pop("csv", None)
        if "prose" in page:
            page["prose"].pop("texts", None)
    return out


def dumps(rec: dict) -> str:
    """Deterministic JSON: sorted keys, one value a line, a final newline."""
    return json.dumps(rec, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def load(path: Path) -> dict:
    """A record from a file; UsageError naming it if it is not one."""
    try:
        rec = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such record") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: not a record ({exc})") from None
    if not isinstance(rec, dict) or rec.get("format") != FORMAT or "pages" not in rec:
        raise UsageError(f"{path}: not a record of format {FORMAT} (no 'format' and 'pages')")
    return rec


def write(path: Path, rec: dict) -> bool:
    """Write a record if its bytes changed; True if written."""
    text = dumps(rec)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text)
    return True


def current_path(root: Path) -> Path:
    return root / "_build" / CURRENT


# --- what changed --------------------------------------------------------------------------


def short(text, n: int = SHORT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _rows(c: dict) -> tuple[list[str], list[str]] | None:
    """A CSV's header and its data lines, if the record holds the CSV."""
    if "csv" not in c:
        return None
    lines = c["csv"].splitlines()
    return (lines[:1], lines[1:])


def around(old: str, new: str, n: int = SHORT) -> tuple[str, str]:
    """Two texts shortened to where they first differ (a few words before it, then up to ``n``
    characters), so a change at the end of a long passage shows."""
    old, new = " ".join(old.split()), " ".join(new.split())
    i = next((k for k, (x, y) in enumerate(zip(old, new, strict=False)) if x != y), None)
    if i is None:
        i = min(len(old), len(new))
    start = max(0, old.rfind(" ", 0, max(i - 40, 0)) + 1) if i > 40 else 0
    lead = "…" if start else ""
    return (
        (lead + short(old[start:], n)) if old else "",
        (lead + short(new[start:], n)) if new else "",
    )


def _either(a: dict | None, b: dict | None) -> dict:
    """``b``, or ``a`` where there is none: a change pairs a before with an after, and at least
    one of the two is there (:func:`_pair_exhibits`)."""
    x = b or a
    if x is None:
        raise ValueError("a change with neither a before nor an after")
    return x


def _csv_change(a: dict | None, b: dict | None) -> dict:
    out: dict = {
        "file": _either(a, b)["file"],
        "rows_before": a["rows"] if a else 0,
        "rows_after": b["rows"] if b else 0,
    }
    ra, rb = _rows(a) if a else ([], []), _rows(b) if b else ([], [])
    if ra is None or rb is None:  # a shipped record holds digests only
        return out
    if a and b and ra[0] != rb[0]:
        out["columns"] = [short(",".join(ra[0])), short(",".join(rb[0]))]
    added = list((Counter(rb[1]) - Counter(ra[1])).elements())
    removed = list((Counter(ra[1]) - Counter(rb[1])).elements())
    out.update(
        added=len(added),
        removed=len(removed),
        added_rows=[_row_words(r) for r in added[:SHOWN_ROWS]],
        removed_rows=[_row_words(r) for r in removed[:SHOWN_ROWS]],
    )
    return out


def _row_words(line: str) -> str:
    """A CSV row as a reader reads it: its cells between bars."""
    cells = next(csv.reader([line]), [])
    return short(" | ".join(cells))


def _same_data(a: dict, b: dict) -> bool:
    return [c["sha256"] for c in a["csv"]] == [c["sha256"] for c in b["csv"]]


def _pair_exhibits(a: list[dict], b: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """Exhibits matched by kind and title (the n-th of a title with the n-th), then those left
    paired in order within their kind (a title that changed, e.g. with its date)."""

    def keyed(xs: list[dict]) -> dict[tuple, dict]:
        seen: Counter = Counter()
        out = {}
        for x in xs:
            k = (x["kind"], x["name"])
            out[(*k, seen[k])] = x
            seen[k] += 1
        return out

    ka, kb = keyed(a), keyed(b)
    pairs: list[tuple[dict | None, dict | None]] = [(ka[k], kb[k]) for k in ka if k in kb]
    rest_a = [ka[k] for k in ka if k not in kb]
    rest_b = [kb[k] for k in kb if k not in ka]
    for kind in dict.fromkeys(x["kind"] for x in rest_a + rest_b):
        xa = [x for x in rest_a if x["kind"] == kind]
        xb = [x for x in rest_b if x["kind"] == kind]
        pairs += list(zip(xa, xb, strict=False))
        pairs += [(x, None) for x in xa[len(xb) :]] + [(None, x) for x in xb[len(xa) :]]
    return pairs


def _exhibit_changes(a: list[dict], b: list[dict]) -> list[dict]:
    out = []
    for x, y in _pair_exhibits(a, b):
        if x and y and x["name"] == y["name"] and _same_data(x, y):
            continue
        change: dict = {"kind": _either(x, y)["kind"], "name": _either(x, y)["name"]}
        if x is None:
            change["change"] = "added"
        elif y is None:
            change["change"] = "removed"
        else:
            change["change"] = "changed" if not _same_data(x, y) else "renamed"
            if x["name"] != y["name"]:
                change["name_before"] = x["name"]
        if change["change"] != "renamed":
            xa, yb = (x or {}).get("csv", []), (y or {}).get("csv", [])
            n = max(len(xa), len(yb))
            change["csv"] = [
                {
                    **_csv_change(xa[i] if i < len(xa) else None, yb[i] if i < len(yb) else None),
                    "index": i + 1,
                    "of": n,
                }
                for i in range(n)
                if not (i < len(xa) and i < len(yb) and xa[i]["sha256"] == yb[i]["sha256"])
            ]
        out.append(change)
    return out


def _prose_change(a: dict, b: dict) -> dict | None:
    if a.get("sha256") == b.get("sha256"):
        return None
    out: dict = {
        "count_before": a.get("count", 0),
        "count_after": b.get("count", 0),
        "numbers_changed": a.get("numbers_sha256") != b.get("numbers_sha256"),
    }
    ta, tb = a.get("texts"), b.get("texts")
    if ta is not None and tb is not None:
        changed = [(x, y) for x, y in zip(ta, tb, strict=False) if x != y]
        changed += [("", y) for y in tb[len(ta) :]] + [(x, "") for x in ta[len(tb) :]]
        out["passages"] = len(changed)
        out["examples"] = [list(around(x, y)) for x, y in changed[:SHOWN_PROSE]]
    return out


def page_diff(a: dict, b: dict) -> dict:
    """What changed on one page from record ``a`` to record ``b`` (empty if nothing), with its
    ``severity``: major or minor."""
    if a.get("missing") or b.get("missing"):
        if a.get("missing") and b.get("missing"):
            return {}
        return {"change": "not built" if b.get("missing") else "built", "severity": "major"}
    out: dict = {}
    fa, fb = a.get("facts", {}), b.get("facts", {})
    facts = {
        "changed": {k: [fa[k], fb[k]] for k in sorted(fa) if k in fb and fa[k] != fb[k]},
        "added": {k: fb[k] for k in sorted(fb) if k not in fa},
        "removed": {k: fa[k] for k in sorted(fa) if k not in fb},
    }
    facts = {k: v for k, v in facts.items() if v}
    if facts:
        out["facts"] = facts
    exhibits = _exhibit_changes(a.get("exhibits", []), b.get("exhibits", []))
    if exhibits:
        out["exhibits"] = exhibits
    prose = _prose_change(a.get("prose", {}), b.get("prose", {}))
    if prose:
        out["prose"] = prose
    if a.get("parameters") != b.get("parameters"):
        out["parameters"] = [a.get("parameters"), b.get("parameters")]
    if a.get("errors") != b.get("errors"):
        out["errors"] = [a.get("errors", []), b.get("errors", [])]
    if a.get("intact", True) is False or b.get("intact", True) is False:
        out["edited"] = [k for k, r in (("before", a), ("after", b)) if r.get("intact") is False]
    if not out:
        return {}
    major = bool(
        facts
        or any(e["change"] != "renamed" for e in exhibits)
        or (prose and prose["numbers_changed"])
        or out.get("errors") is not None
        or out.get("edited")
    )
    out["severity"] = "major" if major else "minor"
    return out


def diff(a: dict, b: dict) -> dict:
    """The changes from record ``a`` to record ``b``, by page, with their counts."""
    pa, pb = a.get("pages", {}), b.get("pages", {})
    pages: dict[str, dict] = {}
    for name in sorted(set(pa) | set(pb)):
        if name not in pb:
            pages[name] = {"change": "removed", "severity": "major"}
        elif name not in pa:
            pages[name] = {"change": "added", "severity": "minor"}
        else:
            d = page_diff(pa[name], pb[name])
            if d:
                pages[name] = d
    facts = sum(sum(len(v) for v in p.get("facts", {}).values()) for p in pages.values())
    return {
        "before": a.get("edition", {}),
        "after": b.get("edition", {}),
        "pages": pages,
        "counts": {
            "pages": len(pages),
            "facts": facts,
            "exhibits": sum(len(p.get("exhibits", [])) for p in pages.values()),
            "major": sum(p["severity"] == "major" for p in pages.values()),
            "minor": sum(p["severity"] == "minor" for p in pages.values()),
            "compared": len(set(pa) | set(pb)),
        },
    }


def same_content(a: dict, b: dict) -> bool:
    """Two records of the same book: every page's facts, exhibits and prose alike."""
    return not diff(a, b)["pages"]


# --- in words ------------------------------------------------------------------------------


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _exhibit_words(e: dict, code=lambda s: f"`{s}`", esc=lambda s: s, files=True) -> str:
    """An exhibit's change in a line; ``files``: each CSV by its file name (else, as print
    reads better, "its data" or "its data, part 2 of 3")."""
    what = f"{'Chart' if e['kind'] == 'chart' else 'Table'} “{esc(short(e['name'], 100))}”"
    if e.get("name_before"):
        what += f" (was “{esc(short(e['name_before'], 100))}”)"
    if e["change"] in ("added", "removed"):
        return f"{what}: {e['change']}"
    if e["change"] == "renamed":
        return f"{what}: retitled, the same data"
    parts = []
    for c in e.get("csv", []):
        rows = f"{c['rows_before']} → {c['rows_after']} rows"
        if "added" in c:
            rows += f" ({c['added']} added, {c['removed']} removed)"
        elif c["rows_before"] == c["rows_after"]:
            rows += " (data changed)"
        if "columns" in c:
            rows += "; columns changed"
        if files:
            parts.append(f"{code(c['file'])}: {rows}")
        elif c.get("of", 1) > 1:
            parts.append(f"its data, part {c['index']} of {c['of']}: {rows}")
        else:
            parts.append(f"its data: {rows}")
    return f"{what}: " + ("; ".join(parts) or "data changed")


def page_lines(
    name: str, d: dict, code=lambda s: f"`{s}`", esc=lambda s: s, files: bool = True
) -> list[str]:
    """One page's changes as Markdown list items (``esc`` escapes a text for the reader;
    ``files``: name each CSV by its file)."""
    if d.get("change") in ("added", "removed", "not built", "built"):
        return [f"- the page was {d['change']}"]
    out = []
    facts = d.get("facts", {})
    for k, (old, new) in facts.get("changed", {}).items():
        out.append(f"- {code(k)}: {esc(short(old))} → {esc(short(new))}")
    for k, new in facts.get("added", {}).items():
        out.append(f"- {code(k)} (new): {esc(short(new))}")
    for k, old in facts.get("removed", {}).items():
        out.append(f"- {code(k)} (gone): was {esc(short(old))}")
    for e in d.get("exhibits", []):
        out.append(f"- {_exhibit_words(e, code, esc, files)}")
        for c in e.get("csv", []):
            out += [f"  - a row added: {esc(r)}" for r in c.get("added_rows", [])]
            out += [f"  - a row removed: {esc(r)}" for r in c.get("removed_rows", [])]
    prose = d.get("prose")
    if prose:
        n = prose.get("passages")
        what = _plural(n, "passage") if n is not None else "the text"
        tail = "its numbers changed" if prose["numbers_changed"] else "the same numbers"
        out.append(f"- the text written from the records: {what} changed, {tail}")
        for old, new in prose.get("examples", []):
            out.append(f"  - {esc(old) or '(none)'} → {esc(new) or '(none)'}")
    if "parameters" in d:
        old, new = d["parameters"]
        out.append(
            f"- ran with {code(json.dumps(new, sort_keys=True))} (was "
            f"{code(json.dumps(old, sort_keys=True))})"
        )
    if "errors" in d:
        out.append(
            f"- errors: {esc('; '.join(d['errors'][1]) or 'none')} (was "
            f"{esc('; '.join(d['errors'][0]) or 'none')})"
        )
    if d.get("edited"):
        which = " and ".join(
            {"before": "the first record's", "after": "the second record's"}[w] for w in d["edited"]
        )
        out.append(
            f"- {which} notebook was edited after palermo wrote it (its content_sha256 "
            "no longer matches)"
        )
    return out


def summary(c: dict) -> str:
    """'3 pages changed, 2 in a number, verdict or row and 1 in wording or titles only: 4
    facts, 2 tables and charts.'"""
    if c["pages"] == 1:
        how = ", in a number, verdict or row" if c["major"] else ", in wording or titles only"
    else:
        kinds = []
        if c["major"]:
            kinds.append(f"{c['major']} in a number, verdict or row")
        if c["minor"]:
            kinds.append(f"{c['minor']} in wording or titles only")
        how = ", " + " and ".join(kinds)
    return (
        f"{_plural(c['pages'], 'page')} changed{how}: {_plural(c['facts'], 'fact')}, "
        f"{_plural(c['exhibits'], 'table or chart', 'tables and charts')}."
    )


def edition_words(ed: dict, name: str | None = None) -> str:
    """'NAME (edition 0.2.0 · records as of 2024-05-04 · commit 4b172ca)'."""
    words = editions.line(ed, capital=False)
    return f"{name} ({words})" if name else words


def text(d: dict, names: tuple[str, str] = ("A", "B")) -> str:
    """The changes as Markdown (readable in a terminal and in a pull request's description)."""
    c = d["counts"]
    lines = [
        f"Changes from {edition_words(d['before'], names[0])}",
        f"to {edition_words(d['after'], names[1])}:",
        "",
    ]
    if not d["pages"]:
        lines.append(f"No fact, table or chart changed on any of the {c['compared']} pages.")
        return "\n".join(lines) + "\n"
    lines.append(summary(c))
    for name, p in d["pages"].items():
        lines += ["", f"### {name}", "", *page_lines(name, p)]
    return "\n".join(lines) + "\n"


# --- how far a rebuild reproduced the shipped record ---------------------------------------

FULL = "full reproduction"
MINOR = "full reproduction with minor issues"
PARTIAL = "partial reproduction"
NOT = "not reproduced"
# The AEA's four levels, and what sends a rebuild to each (checked in this order, worst first)
LEVELS = {
    NOT: "the raw records could not be fetched or failed their sha256, a notebook run failed, "
    "the book could not be built, or more than half of the shipped pages differ in a number, "
    "verdict or row, or were not built",
    PARTIAL: "some pages, no more than half, differ in a number, verdict or row (a glued fact, "
    "a row of a table's or chart's CSV, a number in the text written from the records), were "
    "edited after palermo wrote them, or are missing",
    MINOR: "every fact, row and number is the same; only things that change no number or "
    "verdict differ: a chart's or table's title, the wording around the same numbers, the "
    "parameters as resolved, a page the shipped record does not have",
    FULL: "every page of the shipped record rebuilt with the same facts, the same CSV bytes for "
    "every table and chart, and the same text",
}


def verdict(diffs: list[dict], failure: str | None = None) -> tuple[str, str]:
    """(level, why) for a rebuild compared with what was shipped: ``diffs`` from the shipped
    records to the rebuilt one; ``failure`` says what stopped the rebuild, if anything."""
    if failure:
        return NOT, failure
    major = max((d["counts"]["major"] for d in diffs), default=0)
    minor = max((d["counts"]["minor"] for d in diffs), default=0)
    pages = max((d["counts"]["compared"] for d in diffs), default=0)
    if pages and major > pages / 2:
        return NOT, f"{major} of {pages} pages differ in a number, verdict or row"
    if major:
        return PARTIAL, f"{major} of {pages} pages differ in a number, verdict or row"
    if minor:
        return MINOR, f"{minor} of {pages} pages differ in wording or titles only"
    return FULL, f"all {pages} pages: every fact, table and chart the same"


# --- what the page "What changed in this edition" reads (``pipeline.book.pages``) ---------


def toc_titles(root: Path) -> dict[str, str]:
    """{page under book/: its title} from the book's ``_toc.yml`` (written from the plan)."""
    import yaml

    try:
        doc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    out: dict[str, str] = {}

    def walk(items):
        for it in items or []:
            if isinstance(it, dict):
                if it.get("file") and it.get("title"):
                    out[str(it["file"]).removeprefix("book/")] = str(it["title"])
                walk(it.get("chapters"))
                walk(it.get("sections"))

    for part in doc.get("parts") or []:
        walk(part.get("chapters"))
    return out


def current_record(root: Path) -> dict | None:
    """The current book's record: the one the build wrote, else made from the plan's executed
    notebooks (a book built by Jupyter Book alone), else None."""
    path = current_path(root)
    if path.is_file():
        try:
            return load(path)
        except UsageError:
            pass
    from . import plan

    plan_path = root / "book" / "runs.yml"
    if not plan_path.is_file():
        return None
    return record(plan.load(plan_path, root=root))


def changes_dependencies(root: Path) -> list[Path]:
    """What the page "What changed" reads: the current record and the list of editions kept."""
    return [current_path(root), editions.editions_dir(root) / editions.INDEX_JSON]


def baseline(root: Path, rec: dict) -> tuple[str | None, editions.Kept | None]:
    """(this book's edition name, the edition it is compared with: the latest kept edition
    that is not this book), the name being built read from ``$PALERMO_EDITION_NAME``."""
    import os

    name, earlier = editions.earlier(root, rec, os.environ.get(editions.NAME_ENV) or None)
    return name, (earlier[-1] if earlier else None)


# --- the record the repository ships -------------------------------------------------------

SHIPPED = Path("replication") / "record.json"


def shipped_path(root: Path) -> Path:
    """Where the repository keeps the record of the book it ships."""
    return root / SHIPPED


def write_shipped(p: Plan, check: bool = False) -> tuple[bool, str]:
    """Write the shipped record from the built book (``check``: only compare); (current, why
    not written or what differs). Not written while any page of the plan is not built."""
    rec = shipped(record(p, full=False))
    path = shipped_path(p.base)
    missing = [n for n, pg in rec["pages"].items() if pg.get("missing")]
    if missing:
        return False, (
            f"{len(missing)} page(s) of the plan are not built (e.g. book/{missing[0]}.ipynb): "
            "run `make book` first"
        )
    current = path.is_file() and path.read_text(encoding="utf-8") == dumps(rec)
    if current or check:
        return current, "" if current else stale_words(path, rec)
    write_atomic(path, dumps(rec))
    return False, ""


def stale_words(path: Path, rec: dict) -> str:
    """What differs between the record in ``path`` and ``rec`` (the built book's), briefly."""
    try:
        old = load(path)
    except UsageError as exc:
        return str(exc)
    d = diff(old, rec)
    if not d["pages"]:
        return "the pages are the same; the edition's version or records' dates differ"
    name, page = next(iter(d["pages"].items()))
    first = next(iter(page_lines(name, page)), "- changed").removeprefix("- ")
    return f"{d['counts']['pages']} page(s) differ, e.g. {name}: {first}"
