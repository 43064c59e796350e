"""Tables in the book: plain HTML with no index and no random ids (pandas' Styler adds a
fresh uuid to every table, which would make every rebuilt notebook differ), plus a text
version for plain viewers and print."""

from __future__ import annotations

import re

import pandas as pd

from .text import plural


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


def widths(text: pd.DataFrame) -> list[int]:
    """Relative column widths from the longest value (or heading word) in each column, kept
    between 4 and 40, so that on paper long text wraps inside the page instead of running off."""
    out = []
    for col in text.columns:
        longest = max([len(w) for w in str(col).split()] + [len(str(v)) for v in text[col]])
        out.append(min(max(longest, 4), 40))
    return out


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


def for_readers(df: pd.DataFrame) -> pd.DataFrame:
    """The table with its columns named for readers."""
    return tidy(df).rename(columns=label)


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


def scroll_box(table_html: str, label: str) -> str:
    """A table in a box that scrolls sideways when the table is wider than the page, reachable
    and scrollable by keyboard (``tabindex``) and named for screen readers (WCAG 2.1.1)."""
    import html

    return (
        f'<div class="palermo-table-box" role="region" tabindex="0" '
        f'aria-label="{html.escape(label, quote=True)}">{table_html}</div>'
    )


def label_of(df: pd.DataFrame) -> str:
    """A table's accessible name from its columns: 'Table: Treaty, Parties, Signatories'."""
    cols = [str(c) for c in df.columns]
    return "Table: " + ", ".join(cols[:4]) + (", …" if len(cols) > 4 else "")


def mimebundle(df: pd.DataFrame, name: str | None = None) -> dict:
    """A table for every reader: HTML in a keyboard-reachable box with a CSV of its rows under
    it, a MyST table for print, plain text. `name` is its accessible name (default: from its
    columns)."""
    df = for_readers(df)
    table = df.to_html(index=False, na_rep="-", border=0, classes="palermo-table", escape=True)
    # a date is one word: never broken at its hyphens
    table = re.sub(r"<td>(\d{4}-\d{2}-\d{2})</td>", r'<td class="palermo-date">\1</td>', table)
    name = name or label_of(df)
    file = file_stem(name.removeprefix("Table:"), "table") + ".csv"
    return {
        "text/html": scroll_box(table, name) + csv_link(df, file),
        "text/markdown": markdown(df),
        "text/plain": df.to_string(index=False, na_rep="-"),
    }


def show(df: pd.DataFrame, name: str | None = None) -> None:
    from IPython.display import display

    display(mimebundle(df, name), raw=True)
