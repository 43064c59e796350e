"""Tables in the book: plain HTML with no index and no random ids (pandas' Styler adds a
fresh uuid to every table, which would make every rebuilt notebook differ), plus a text
version for plain viewers and print."""

from __future__ import annotations

import pandas as pd


def mimebundle(df: pd.DataFrame) -> dict:
    return {
        "text/html": df.to_html(index=False, na_rep="-", border=0, classes="palermo-table", escape=True),
        "text/plain": df.to_string(index=False, na_rep="-"),
    }


def show(df: pd.DataFrame) -> None:
    from IPython.display import display

    display(mimebundle(df), raw=True)
