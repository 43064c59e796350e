"""Tables in the book: plain HTML with no index and no random ids (pandas' Styler adds a
fresh uuid to every table, which would make every rebuilt notebook differ), plus a text
version for plain viewers and print."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from .text import plural, readable


def _md_cell(v) -> str:
    """One value as MyST inline text: never read as a list, heading or math."""
    text = " ".join(str(v).split()) or "-"
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("$", "\\$").replace("`", "\\`")
    if text[0] in "-+*#>":
        text = "\\" + text
    m = re.match(r"(\d+)([.)])(\s|$)", text)  # "2018. x" would start an ordered list
    if m:
        text = m.group(1) + "\\" + text[len(m.group(1)) :]
    return text


def tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Whole numbers stored as floats (because a column has gaps) shown as whole numbers."""
    out = df.copy()
    for c in out.columns:
        col = out[c]
        if pd.api.types.is_float_dtype(col) and col.dropna().apply(float.is_integer).all():
            out[c] = col.astype("Int64")
    return out


# A printed page holds about this many characters of table text in a row; short columns keep
# their width and the long ones share what is left, so a column of two-digit numbers or one word
# is never squeezed below its content by its wordy neighbours.
PRINT_BUDGET = 100
SHORT = 12
PAD = 3


def widths(text: pd.DataFrame) -> list[int]:
    """Relative column widths for print, from the longest value (or heading word) in each
    column, kept between 4 and 40. When the columns add up to more than a page holds, the short
    ones (up to 12 characters) keep their width and the long ones are scaled down to share the
    rest, so long text wraps inside the page and short values stay whole."""
    raw = []
    for col in text.columns:
        longest = max([len(w) for w in str(col).split()] + [len(str(v)) for v in text[col]])
        # each column also holds its padding (LaTeX takes 2 \tabcolsep, about 3 characters,
        # from its share): without it a 3-letter code overran its column ("DZAAfrica")
        raw.append(min(max(longest, 4), 40) + PAD)
    if sum(raw) <= PRINT_BUDGET:
        return raw
    short = sum(w for w in raw if w <= SHORT + PAD)
    long_ = sum(w for w in raw if w > SHORT + PAD)
    if not long_:  # many short columns and nothing to shrink: LaTeX scales them all
        return raw
    share = max(PRINT_BUDGET - short, 9 * sum(w > SHORT + PAD for w in raw)) / long_
    return [w if w <= SHORT + PAD else max(9, int(w * share)) for w in raw]


def markdown(df: pd.DataFrame) -> str:
    """A MyST list-table (printed as a LaTeX longtable that wraps long text and breaks across
    pages) for the PDF edition and plain Markdown readers."""
    df = tidy(df)
    text = df.astype(object).where(df.notna(), "-")
    lines = [
        "```{list-table}",
        ":header-rows: 1",
        ":class: longtable",
        f":widths: {' '.join(map(str, widths(text)))}",
        "",
    ]
    for row in [list(text.columns)] + text.values.tolist():
        lines.append("* - " + _md_cell(row[0]))
        lines += ["  - " + _md_cell(v) for v in row[1:]]
    lines.append("```")
    return "\n".join(lines) + "\n"


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


def for_readers(df: pd.DataFrame) -> pd.DataFrame:
    """The table with its columns named for readers: a missing value is an empty cell (never
    None, <NA> or nan), and a cell holding one of the records' codes reads as words."""
    out = tidy(df)
    for c in out.columns:
        col = out[c]
        if col.isna().any() and not pd.api.types.is_float_dtype(col):
            out[c] = col.astype(object).where(col.notna(), "")
        if out[c].dtype == object:
            out[c] = out[c].map(lambda v: readable(CODE_WORDS.get(v, v)))
    return out.rename(columns=label)


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
) -> dict:
    """A table for every reader: HTML in a keyboard-reachable box with a CSV of its rows under
    it, a MyST table for print, plain text. `name` is its accessible name (default: from its
    columns); `links` maps a column to the addresses its cells link to; `filters` names the
    columns offered as menus in a filter above the table (None: no filter)."""
    df = for_readers(df)
    hrefs = {list(df.columns).index(label(col)): list(h) for col, h in (links or {}).items()}
    rows = [
        [link_cell(v, hrefs[j][i]) if j in hrefs else v for j, v in enumerate(row)]
        for i, row in enumerate(cell_texts(df))
    ]
    table = html_table([str(c) for c in df.columns], rows, wide=wide_columns(df))
    name = name or label_of(df)
    file = file_stem(name.removeprefix("Table:"), "table") + ".csv"
    shown_html = scroll_box(table, name, tall=len(df) > TALL) + csv_link(df, file)
    if filters is not None:
        shown_html = filter_box(shown_html, filters)
    return {
        "text/html": shown_html,
        "text/markdown": markdown(df),
        "text/plain": df.to_string(index=False, na_rep="-"),
    }


def show(
    df: pd.DataFrame,
    name: str | None = None,
    links: dict | None = None,
    filters: list[str] | None = None,
) -> None:
    from IPython.display import display

    display(mimebundle(df, name, links=links, filters=filters), raw=True)
