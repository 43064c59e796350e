"""Tables in the book: plain HTML with no index and no random ids (pandas' Styler adds a
fresh uuid to every table, which would make every rebuilt notebook differ), plus a text
version for plain viewers and print."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from . import myst
from .text import plural, readable, treaty_column


def tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Whole numbers stored as floats (because a column has gaps) shown as whole numbers."""
    out = df.copy()
    for c in out.columns:
        col = out[c]
        if pd.api.types.is_float_dtype(col) and col.dropna().apply(float.is_integer).all():
            out[c] = col.astype("Int64")
    return out


# A printed page holds about this many characters of table text in a row (one "character" is
# 4.5 pt, an average lowercase letter of the 10 pt text face, and the line is 451 pt); short
# columns keep their width and the long ones share what is left, so a column of two-digit
# numbers or one word is never squeezed below its content by its wordy neighbours.
PRINT_BUDGET = 100
SHORT = 12
PAD = 3
CHAR_PT = 4.5

# Advance widths (thousandths of an em) of the PDF's faces: Times-like text in the cells,
# Helvetica-like headings. A code in capitals or digits is wider than its length says, and a
# column narrower than its widest word overran into its neighbour ("2004-06·", "CTOC/COP/20").
_FACES = {
    False: {  # TeX Gyre Termes (the cells)
        250: " .,",
        278: "ijlt/:;",
        333: "frI()[]'’‘-",
        389: "sJ",
        444: "acez",
        500: "bdghknopquvxy0123456789_#*–",
        556: "FPS",
        611: "ELTZ",
        667: "BCR",
        722: "ADGHKNOQUVXYw&",
        778: "m",
        889: "M",
        944: "W",
    },
    True: {  # TeX Gyre Heros (the headings)
        222: "ijl",
        278: " .,/:;ftI",
        333: "r()[]'’‘-",
        500: "ckszvxyJ",
        556: "abdeghnopqu0123456789L",
        611: "FTZ",
        667: "ABEKPSVXY",
        722: "CDHNRUw",
        778: "GOQ",
        833: "mM",
        944: "W",
    },
}
_ADVANCE = {head: {ch: w for w, chars in f.items() for ch in chars} for head, f in _FACES.items()}
# a break allowed inside a long code (printed as nothing: pipeline/book/jupyterbook.py)
ZWSP = "\u200b"


def print_width(text: str, head: bool = False) -> float:
    """The width of a text in print, in characters of the print budget (CHAR_PT each): the
    cells' face, or the headings' (``head``)."""
    adv = _ADVANCE[head]
    return sum(adv.get(ch, 722 if ch.isupper() else 556) for ch in text) * 10 / 1000 / CHAR_PT


def _widest_word(col, values) -> float:
    words = [(w, True) for w in str(col).split()] + [
        (w, False) for v in values for w in str(v).split()
    ]
    return max((print_width(w, head) for w, head in words), default=0.0)


def widths(text: pd.DataFrame, budget: int = PRINT_BUDGET) -> list[int]:
    """Relative column widths for print, from the longest value (or heading word) in each
    column, kept between 4 and 40, and never narrower than the column's widest word, as
    printed (a date, a code in capitals, a document symbol). When the columns add up to more
    than a page holds (``budget`` characters), the short ones (up to 12 characters) keep their
    width, every other column gets its widest word, and what is left of the page goes to the
    columns of running text in proportion to how much text they hold. A word too wide for any
    share of the page (a path, a checksum) is given a share and broken inside it by
    :func:`markdown`."""
    return _plan(text, budget, cap=True) or _columns(text)[0]


# the sizes a table may be printed in (its class, the font size in points), largest first: a
# table whose widest words do not fit the page at the text's size is set smaller
SIZES = ((None, 10), ("palermo-small", 9), ("palermo-footnotesize", 8))


# a column of running text (over 40 characters a cell on average) is read comfortably from
# about this many characters a line: a table is set smaller before its text is squeezed below
READABLE = 20


def layout(text: pd.DataFrame) -> tuple[str | None, int, list[int]]:
    """How a table prints: its size class (None: the text's size), the characters a row of it
    holds at that size, and its column widths. The largest size at which every word fits whole
    and the columns of running text keep READABLE characters; else the largest at which every
    word fits whole; else (words that fit no page: paths, checksums) the largest at which they
    fit broken by :func:`markdown`."""
    for cap, roomy in ((False, True), (False, False), (True, False)):
        for cls, size in SIZES:
            budget = round(PRINT_BUDGET * 10 / size)
            w = _plan(text, budget, cap, roomy)
            if w is not None:
                return cls, budget, w
    cls, size = SIZES[-1]
    return cls, round(PRINT_BUDGET * 10 / size), _columns(text)[0]


def _columns(text: pd.DataFrame):
    """Per column: its width from its longest value (4 to 40), its widest word as printed,
    its longest value (up to 200), each with its padding, and the text it holds."""
    raw, need, want, weight = [], [], [], []
    for col in text.columns:
        values = [str(v) for v in text[col]]
        longest = max([len(w) for w in str(col).split()] + [len(v) for v in values])
        # each column also holds its padding (LaTeX takes 2 \tabcolsep, about 3 characters,
        # from its share): without it a 3-letter code overran its column ("DZAAfrica")
        raw.append(min(max(longest, 4), 40) + PAD)
        need.append(max(math.ceil(_widest_word(col, values) + 0.3), 4) + PAD)
        want.append(min(max(longest, 4), 200) + PAD)
        # the text a column holds, its long cells counting most (root mean square length)
        weight.append(max(math.sqrt(sum(len(v) ** 2 for v in values) / max(len(values), 1)), 1.0))
    return raw, need, want, weight


def _plan(text: pd.DataFrame, budget: int, cap: bool, roomy: bool = False) -> list[int] | None:
    """The widths of :func:`widths` within ``budget``; None when the widest words do not fit
    it (with ``cap``: when not even capping the widest columns' words makes them fit; with
    ``roomy``: when the columns of running text cannot keep READABLE characters)."""
    raw, need, want, weight = _columns(text)
    first = [max(r, n) for r, n in zip(raw, need, strict=True)]
    if sum(first) <= budget:
        return first
    short = [r <= SHORT + PAD for r in raw]
    fixed = [max(r, n) if s else n for r, n, s in zip(raw, need, short, strict=True)]
    if roomy:
        least = [
            max(f, min(x, READABLE + PAD)) if not s and m > 40 else f
            for f, x, s, m in zip(fixed, want, short, weight, strict=True)
        ]
        if sum(least) > budget:
            return None
    if sum(fixed) > budget:  # some words are wider than the page allows them
        capped = _capped(fixed, short, budget) if cap else None
        if capped is None:
            return None
        fixed = capped
    w = [float(f) for f in fixed]
    free = budget - sum(w)
    grow = [i for i, s in enumerate(short) if not s and w[i] < want[i]]
    while free > 0.5 and grow:  # share the rest by text held, none past its longest value
        total = sum(weight[i] for i in grow)
        for i in grow:
            w[i] += free * weight[i] / total
        free = sum(max(w[i] - want[i], 0.0) for i in grow)
        for i in grow:
            w[i] = min(w[i], want[i])
        grow = [i for i in grow if w[i] < want[i]]
    return [max(int(x), f) for x, f in zip(w, fixed, strict=True)]


def _capped(fixed: list[int], short: list[bool], budget: int) -> list[int] | None:
    """The widths with the widest words' columns capped, to the largest cap that lets the
    table fit ``budget`` (a cap never below a short column's width): None when none does."""
    floor = SHORT + PAD
    kept = sum(f for f, s in zip(fixed, short, strict=True) if s or f <= floor)
    wide = sorted(
        (f for f, s in zip(fixed, short, strict=True) if not s and f > floor), reverse=True
    )
    if not wide or kept + floor * len(wide) > budget:
        return None
    cap = floor
    for k in range(len(wide)):  # cap the k+1 widest, the cap no lower than the next one
        c = int((budget - kept - sum(wide[k + 1 :])) / (k + 1))
        if k + 1 == len(wide) or c >= wide[k + 1]:
            cap = max(floor, c)
            break
    return [f if s or f <= floor else min(f, cap) for f, s in zip(fixed, short, strict=True)]


_HASH = re.compile(r"[0-9a-f]{32,}")
HASH_SHOWN = 12
# never broken inside: a date, a month, a range of numbers
_WHOLE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?|\d+[-–]\d+")


def _fit(word: str, room: float, head: bool = False) -> str:
    """A word as print may break it to fit ``room`` characters: after a '/', '.', ';', ',',
    '_' or ':' inside it, after a hyphen between letters, before a hyphen after a year
    ('untc-2014' | '-XVIII-12-b'), never inside a date or a range; a piece still too wide and
    longer than 16 characters (a checksum) every few characters, never just after a hyphen."""
    if print_width(word, head) <= room or _WHOLE.fullmatch(word):
        return word
    pieces = [p for p in _BREAKS.split(word) if p]
    out = []
    for p in pieces:
        if print_width(p, head) <= room or len(p) <= 16 or _WHOLE.search(p):
            out.append(p)
            continue
        chunk = ""
        for ch in p:
            if chunk and print_width(chunk + ch, head) > room:
                keep = chunk.rstrip("-")
                out.append(keep or chunk)
                chunk = chunk[len(keep) :] if keep else ""
            chunk += ch
        out.append(chunk)
    return ZWSP.join(out)


_BREAKS = re.compile(r"(?<=[/.;,_:])(?=.)|(?<=[^\d\W]-)(?=[^\d\W])|(?<=\d{4})(?=-[^\d\W])")


def _fit_cell(value: str, room: float, head: bool = False) -> str:
    return " ".join(_fit(w, room, head) for w in value.split())


def print_cells(df: pd.DataFrame) -> pd.DataFrame:
    """The table's text as print shows it: a missing value as '-', a checksum as its first 12
    characters (the CSV beside the web table holds it whole), its heading saying so."""
    text = df.astype(object).where(df.notna(), "-")
    renamed = {}
    for c in text.columns:
        col = text[c].astype(str)
        if len(col) and col.map(lambda v: bool(_HASH.fullmatch(v)) or v == "-").all():
            if col.map(lambda v: bool(_HASH.fullmatch(v))).any():
                text[c] = col.map(lambda v: v[:HASH_SHOWN] + "…" if _HASH.fullmatch(v) else v)
                renamed[c] = f"{c} (first {HASH_SHOWN} characters)"
    return text.rename(columns=renamed)


def markdown(df: pd.DataFrame) -> str:
    """A MyST list-table (printed as a LaTeX longtable that wraps long text and breaks across
    pages) for the PDF edition and plain Markdown readers: its size and column widths from
    :func:`layout`, and any word wider than its column given places to break (:func:`_fit`),
    so no cell runs into its neighbour or off the page."""
    text = print_cells(tidy(df))
    cls, budget, w = layout(text)
    scale = min(1.0, budget / sum(w)) if w else 1.0
    room = [x * scale - PAD for x in w]
    rows = [[_fit_cell(str(c), r, head=True) for c, r in zip(text.columns, room, strict=True)]]
    rows += [
        [_fit_cell(str(v), r) for v, r in zip(row, room, strict=True)]
        for row in text.values.tolist()
    ]
    # a smaller size is a class of a container around the table (the PDF's preamble sets it)
    return myst.list_table(rows, w, cls)


# Column names as a reader reads them; any other name is shown with its underscores as spaces
# and a capital first letter ("records complete through" -> "Records complete through").
LABELS = {
    "id": "Id",
    "which": "First or latest",
    "peak_year": "Year with the most new parties",
    "peak_new_parties": "New parties that year",
    "first_years": "First calendar years counted",
    "joined_in_first_years": "Parties that joined in those years",
    "share_first_years": "Share of all parties that joined in those years",
    "median_years": "Median years",
    "parties_max": "Parties, counting undated actions",
    "date_precision": "Date known to the",
    "older_source": "Older source",
    "newer_source": "Newer source",
}


def label(column) -> str:
    text = LABELS.get(str(column), str(column).replace("_", " "))
    return text[:1].upper() + text[1:] if text[:1].islower() else text


# the records' codes, as a reader reads them, where a cell holds exactly the code
CODE_WORDS = {
    "inferred-entry-into-force": "inferred from its entry into force",
    "inferred-same-day-protocols": "inferred from the same day's Protocol deposits",
    "inferred-action-type": "stated, its type inferred",
    "depositary-record": "the depositary's table",
    "formal_confirmation": "formal confirmation",
    "possibly_party": "possibly a party",
}


# the columns that name treaties: their short ids and UNTC numbers read as names
TREATY_COLUMNS = {"treaty", "treaties", "instrument", "instruments"}


def for_readers(df: pd.DataFrame, keep: list[str] | None = None) -> pd.DataFrame:
    """The table with its columns named for readers: a missing value is an empty cell (never
    None, <NA> or nan), a cell holding one of the records' codes reads as words (except in the
    columns ``keep`` names: what a reader types, such as file paths), and a treaty
    reads as its name, in a column of treaties or as a column's heading (``TIP`` ->
    "Trafficking Protocol", ``XVIII-12-b`` -> "Smuggling Protocol": :func:`text.treaty_name`)."""
    out = tidy(df)
    for c in out.columns:
        if str(c).lower() in TREATY_COLUMNS and out[c].dtype == object:
            named = treaty_column(out[c])
            if named is not None:
                out[c] = named
    out = out.rename(columns=lambda c: _treaty_heading(c))
    for c in out.columns:
        col = out[c]
        if col.isna().any() and not pd.api.types.is_float_dtype(col):
            out[c] = col.astype(object).where(col.notna(), "")
        if out[c].dtype == object and c not in (keep or []):
            out[c] = out[c].map(lambda v: readable(CODE_WORDS.get(v, v)))
    return out.rename(columns=label)


def _treaty_heading(column):
    """A column headed by a treaty's short id ('FIREARMS') headed by its name."""
    if isinstance(column, str) and column.isupper():
        named = treaty_column([column])
        if named is not None:
            return named[0]
    return column


def csv_href(df: pd.DataFrame) -> str:
    """The rows as a CSV file inside a link's address (a data: URI), so it downloads offline."""
    import base64

    csv = df.to_csv(index=False, lineterminator="\n")
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv.encode()).decode()


def csv_link(df: pd.DataFrame, name: str) -> str:
    """A link that downloads exactly these rows as CSV, from inside the page (offline)."""
    return (
        f'<p class="palermo-data"><a class="palermo-csv" download="{html.escape(name)}" '
        f'href="{csv_href(df)}">Download this table (CSV, {plural(len(df), "row")})</a></p>'
    )


def file_stem(title: str, fallback: str) -> str:
    """A download's file name from a title: 'Parties on 2020-12-23' -> 'parties-on-2020-12-23'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or fallback


# a table longer than this many rows scrolls inside a box of its own height (its header stays
# in view), so it never runs on for pages in the middle of a chapter; print shows every row
TALL = 30


def scroll_box(table_html: str, label: str, tall: bool = False) -> str:
    """A table in a box that scrolls sideways when the table is wider than the page (and, when
    ``tall``, up and down within a fixed height), reachable and scrollable by keyboard
    (``tabindex``) and named for screen readers (WCAG 2.1.1)."""
    cls = "palermo-table-box palermo-tall" if tall else "palermo-table-box"
    return (
        f'<div class="{cls}" role="region" tabindex="0" '
        f'aria-label="{html.escape(label, quote=True)}">{table_html}</div>'
    )


def label_of(df: pd.DataFrame) -> str:
    """A table's accessible name from its columns: 'Table: Treaty, Parties, Signatories'."""
    cols = [str(c) for c in df.columns]
    return "Table: " + ", ".join(cols[:4]) + (", …" if len(cols) > 4 else "")


# --- the one HTML table ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A cell made by its caller: its HTML (already escaped: a link, a badge) and its class."""

    html: str
    cls: str | None = None


@dataclass(frozen=True)
class Row:
    """A row of cells (each a text or a :class:`Cell`), with an id and a class."""

    cells: Sequence[str | Cell]
    id: str | None = None
    cls: str | None = None


@dataclass(frozen=True)
class Heading:
    """A row that heads the rows after it, across the whole table."""

    text: str
    cls: str | None = None


_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_LONG = re.compile(r"\S{8,}")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _breakable(text: str) -> str:
    """Text as HTML in which long tokens that would hold a column wider than the page may
    break where a reader expects: a document symbol after each '/' (A/AC.254/4/Add.2), a long
    dotted one after each '.' (a depositary notification, C.N.805.2016.TREATIES-XVIII.10), a
    list with no spaces after each ';', a checksum anywhere."""

    def token(t: str) -> str:
        if re.fullmatch(r"[0-9a-f]{32,}", t):
            return f'<span class="palermo-hash">{t}</span>'
        for sep, ok in (("/", "//" not in t), (".", len(t) >= 16 and "//" not in t), (";", True)):
            if sep in t and ok:
                return f"{sep}<wbr>".join(_esc(piece) for piece in t.split(sep))
        return _esc(t)

    out, at = [], 0
    for m in _LONG.finditer(text):
        out += [_esc(text[at : m.start()]), token(m.group(0))]
        at = m.end()
    return "".join(out) + _esc(text[at:])


def text_html(value: str) -> str:
    """Text as a cell's HTML: escaped, a date inside it one word that never breaks at its
    hyphens (a span of class palermo-date), a long token breakable (:func:`_breakable`)."""
    parts = _DATE.split(value)
    out = [_breakable(parts[0])]
    for d, rest in zip(_DATE.findall(value), parts[1:], strict=True):
        out += [f'<span class="palermo-date">{d}</span>', _breakable(rest)]
    return "".join(out)


def text_cell(value: str) -> Cell:
    """Text as a cell; a cell that is a date is one of class palermo-date."""
    if _DATE.fullmatch(value):
        return Cell(value, "palermo-date")
    return Cell(text_html(value))


def link_cell(value: str, href: str) -> Cell:
    return Cell(f'<a href="{html.escape(str(href), quote=True)}">{text_html(value)}</a>')


def _attrs(**attrs: str | None) -> str:
    return "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs.items() if v)


def html_table(
    header: Sequence[str],
    rows: Iterable[Row | Heading | Sequence[str | Cell]],
    *,
    classes: str = "palermo-table",
    wide: Iterable[int] = (),
) -> str:
    """The book's one HTML table, built cell by cell: a header (``wide``: the columns of
    running text, given the width prose needs), then the rows; a text cell is written by
    :func:`text_cell`, a :class:`Cell` as its caller made it, a :class:`Heading` across the
    table. No index, no random ids, nothing rewritten after it is built."""
    wide = set(wide)
    head = "".join(
        f"<th{_attrs(**{'class': 'palermo-wide' if i in wide else None})}>{text_html(h)}</th>"
        for i, h in enumerate(header)
    )
    body = []
    for r in rows:
        if isinstance(r, Heading):
            body.append(
                f'<tr{_attrs(**{"class": r.cls})}><th colspan="{len(header)}">'
                f"{html.escape(r.text, quote=False)}</th></tr>"
            )
            continue
        row = r if isinstance(r, Row) else Row(r)
        cells = [c if isinstance(c, Cell) else text_cell(c) for c in row.cells]
        body.append(
            f"<tr{_attrs(id=row.id, **{'class': row.cls})}>"
            + "".join(f"<td{_attrs(**{'class': c.cls})}>{c.html}</td>" for c in cells)
            + "</tr>"
        )
    return (
        f'<table class="{classes}"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(body)
        + "</tbody></table>"
    )


def cell_texts(df: pd.DataFrame, na: str = "-") -> list[list[str]]:
    """Every value as the table prints it: text as it is, numbers and dates as pandas formats
    a column (a column of decimals to a common number of places, a date column without its
    midnight), a missing value as ``na``."""
    columns = []
    for c in range(df.shape[1]):
        col = df.iloc[:, c]
        if col.dtype == object:
            columns.append([na if v is None or v is pd.NA else str(v) for v in col])
        else:
            shown = col.to_frame().to_string(index=False, header=False, na_rep=na)
            columns.append([line.strip() for line in shown.split("\n")] if len(col) else [])
    return [list(row) for row in zip(*columns, strict=True)] if columns else []


def wide_columns(df: pd.DataFrame) -> list[int]:
    """The columns of running text (values averaging over 60 characters)."""
    text = df.astype(str)
    return [i for i, c in enumerate(df.columns) if len(df) and text[c].str.len().mean() > 60]


def filter_box(table_html: str, columns: list[str]) -> str:
    """A table with a filter above it (drawn by _static/palermo.js): a text box matching any
    cell, and a menu for each of ``columns``. Without scripts the whole table shows."""

    cols = "|".join(label(c) for c in columns)
    return (
        f'<div class="palermo-filter" data-filter-columns="{html.escape(cols, quote=True)}">'
        f"{table_html}</div>"
    )


def mimebundle(
    df: pd.DataFrame,
    name: str | None = None,
    links: dict | None = None,
    filters: list[str] | None = None,
    printed: pd.DataFrame | str | None = None,
    code: list[str] | None = None,
) -> dict:
    """A table for every reader: HTML in a keyboard-reachable box with a CSV of its rows under
    it, a MyST table for print, plain text. `name` is its accessible name (default: from its
    columns); `links` maps a column to the addresses its cells link to; `filters` names the
    columns offered as menus in a filter above the table (None: no filter); `printed` is what
    print shows instead of these rows: a narrower table of them, or a Markdown text ("":
    nothing, for a table too long for a book, which its web page offers whole); `code` names the
    columns whose cells are things a reader types (file paths, commands), set as code."""
    if isinstance(printed, pd.DataFrame):
        printed = markdown(for_readers(printed))
    elif printed == "":  # nothing in print (an empty text would print the plain text instead)
        printed = "% the web edition's table only\n"
    df = for_readers(df, keep=code)
    hrefs = {list(df.columns).index(label(col)): list(h) for col, h in (links or {}).items()}
    typed = {list(df.columns).index(label(col)) for col in code or []}

    def cell(i: int, j: int, v: str):
        if j in hrefs:
            return link_cell(v, hrefs[j][i])
        return Cell(f"<code>{html.escape(v)}</code>") if j in typed and v else v

    rows = [[cell(i, j, v) for j, v in enumerate(row)] for i, row in enumerate(cell_texts(df))]
    table = html_table([str(c) for c in df.columns], rows, wide=wide_columns(df))
    name = name or label_of(df)
    file = file_stem(name.removeprefix("Table:"), "table") + ".csv"
    shown_html = scroll_box(table, name, tall=len(df) > TALL) + csv_link(df, file)
    if filters is not None:
        shown_html = filter_box(shown_html, filters)
    return {
        "text/html": shown_html,
        "text/markdown": markdown(df) if printed is None else printed,
        "text/plain": df.to_string(index=False, na_rep="-"),
    }


def show(
    df: pd.DataFrame,
    name: str | None = None,
    links: dict | None = None,
    filters: list[str] | None = None,
    printed: pd.DataFrame | str | None = None,
    code: list[str] | None = None,
) -> None:
    from IPython.display import display

    bundle = mimebundle(df, name, links=links, filters=filters, printed=printed, code=code)
    display(bundle, raw=True)
