"""Tables in the book: plain HTML with no index and no random ids (pandas' Styler adds a
fresh uuid to every table, which would make every rebuilt notebook differ), plus a text
version for plain viewers and print."""

from __future__ import annotations

import re

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
    import html

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
    import html

    cls = "palermo-table-box palermo-tall" if tall else "palermo-table-box"
    return (
        f'<div class="{cls}" role="region" tabindex="0" '
        f'aria-label="{html.escape(label, quote=True)}">{table_html}</div>'
    )


def label_of(df: pd.DataFrame) -> str:
    """A table's accessible name from its columns: 'Table: Treaty, Parties, Signatories'."""
    cols = [str(c) for c in df.columns]
    return "Table: " + ", ".join(cols[:4]) + (", …" if len(cols) > 4 else "")


def _link_cells(df: pd.DataFrame, links: dict) -> tuple[pd.DataFrame, dict]:
    """Placeholders for the cells that become links (pandas escapes every cell)."""
    import html

    df = df.copy()
    anchors = {}
    for col, hrefs in links.items():
        col = label(col)
        values = df[col].tolist()
        for i, (v, href) in enumerate(zip(values, list(hrefs), strict=True)):
            token = f"palermo-link-{len(anchors)}-{i}"
            href = html.escape(str(href), quote=True)
            anchors[token] = f'<a href="{href}">{html.escape(str(v))}</a>'
            values[i] = token
        df[col] = values
    return df, anchors


_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _unbroken_dates(table: str) -> str:
    """A date is one word, never broken at its hyphens: a cell that is a date gets the class
    palermo-date, a date inside a cell's text a span of that class (text only, never inside
    a tag)."""
    table = re.sub(r"<td>(\d{4}-\d{2}-\d{2})</td>", r'<td class="palermo-date">\1</td>', table)

    def text(m: re.Match) -> str:
        if _DATE.fullmatch(m.group(1)):
            return m.group(0)
        return ">" + _DATE.sub(r'<span class="palermo-date">\g<0></span>', m.group(1)) + "<"

    return re.sub(r">([^<>]*\d{4}-\d{2}-\d{2}[^<>]*)<", text, table)


_LONG = re.compile(r"[^\s<>]{8,}")


def _breakable(table: str) -> str:
    """Long tokens that would hold a column wider than the page may break where a reader
    expects: a document symbol after each '/' (A/AC.254/4/Add.2), a long dotted one after
    each '.' (a depositary notification, C.N.805.2016.TREATIES-XVIII.10), a checksum
    anywhere."""

    def token(m: re.Match) -> str:
        t = m.group(0)
        if re.fullmatch(r"[0-9a-f]{32,}", t):
            return f'<span class="palermo-hash">{t}</span>'
        if "/" in t and "//" not in t:
            return t.replace("/", "/<wbr>")
        if len(t) >= 16 and "." in t and "//" not in t:  # C.N.805.2016.TREATIES-XVIII.10
            return t.replace(".", ".<wbr>")
        if ";" in t:  # a list with no spaces: XVIII-12-a;XVIII-12-c
            return t.replace(";", ";<wbr>")
        return t

    def text(m: re.Match) -> str:
        return ">" + _LONG.sub(token, m.group(1)) + "<"

    return re.sub(r">([^<>]+)<", text, table)


def _wide_text_columns(table: str, df: pd.DataFrame) -> str:
    """The column of running text (values averaging over 60 characters) gets the width it
    needs to read as prose; the short columns beside it take what is left."""
    text = df.astype(str)
    wide = [i for i, c in enumerate(df.columns) if len(df) and text[c].str.len().mean() > 60]
    if not wide:
        return table
    head, sep, rest = table.partition("</thead>")
    cells = head.split("<th>")
    # cells[0] is what comes before the first header cell; cells[k] begins the (k-1)-th
    head = "".join(
        ('<th class="palermo-wide">' if k - 1 in wide else "<th>") + c if k else c
        for k, c in enumerate(cells)
    )
    return head + sep + rest


def filter_box(table_html: str, columns: list[str]) -> str:
    """A table with a filter above it (drawn by _static/palermo.js): a text box matching any
    cell, and a menu for each of ``columns``. Without scripts the whole table shows."""
    import html

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
    shown, anchors = _link_cells(df, links or {})
    table = shown.to_html(index=False, na_rep="-", border=0, classes="palermo-table", escape=True)
    for token, anchor in anchors.items():
        table = table.replace(f"<td>{token}</td>", f"<td>{anchor}</td>", 1)
    table = _breakable(_unbroken_dates(table))
    table = _wide_text_columns(table, df)
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
