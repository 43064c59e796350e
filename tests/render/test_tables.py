"""Tables in print: every column at least as wide as its widest word as printed, long codes
given places to break, checksums shortened, and a table too wide for the text's size set
smaller (palermo.render.tables.markdown and layout)."""

import re

import pandas as pd
import pytest

from palermo.model import merge
from palermo.render import tables

pytestmark = pytest.mark.unit


def _cells(md: str) -> list[str]:
    return [line[4:] for line in md.splitlines() if line.startswith(("* - ", "  - "))]


def test_capitals_and_digits_print_wider_than_their_length():
    assert tables.print_width("CTOC/COP/2008/19") > len("CTOC/COP/2008/19")
    assert tables.print_width("2004-06-28") > len("2004-06-28")
    assert tables.print_width("illicit") < len("illicit")


def test_no_column_is_narrower_than_its_widest_word():
    """The COP table printed "2004-06·", "Vi-enna" and "CTOC/COP/20": its dates, place and
    symbols had columns narrower than themselves, squeezed by the wordy columns."""
    long_text = "the session decided this and that about review " * 4
    df = pd.DataFrame(
        {
            "session": ["1", "12"],
            "dates": ["2004-06-28 to 2004-07-08", "2024-10-14 to 2024-10-18"],
            "place": ["Vienna", "Vienna"],
            "on review": [long_text, long_text],
            "what else": [long_text, "-"],
            "symbol": ["CTOC/COP/2008/19", "CTOC/COP/2010/17"],
            "confidence": ["confirmed", "likely"],
        }
    )
    text = tables.print_cells(df)
    _, budget, w = tables.layout(text)
    scale = min(1.0, budget / sum(w))
    for col, width in zip(text.columns, w, strict=True):
        widest = max(tables.print_width(x) for v in text[col] for x in str(v).split())
        assert width * scale - tables.PAD >= widest, (col, width, widest)


def test_a_code_too_long_for_any_column_breaks_inside_never_inside_a_date():
    path = "allucinaria-XML-2018-01-15-peer-headers/XVIII-11.en.xml"
    df = pd.DataFrame({"file": [path], "note": ["x " * 200]})
    fitted = tables._fit(path, 20)
    assert tables.ZWSP in fitted and fitted.replace(tables.ZWSP, "") == path
    assert "2018-01-15" in fitted  # the date in it stays whole
    assert not re.search(r"\d{4}-" + tables.ZWSP, fitted)  # no line ends "2018-"
    assert tables._fit("2020-12-23", 3) == "2020-12-23"
    assert path in tables.markdown(df).replace(tables.ZWSP, "")


def test_a_checksum_prints_its_first_12_characters_and_says_so():
    digest = "e9ff044a9b42dd0479f7f85f56063b25c3a3803979627f5aa9eaad0a287aa5a1"
    md = tables.markdown(pd.DataFrame({"file": ["a.csv"], "sha256": [digest]}))
    cells = _cells(md)
    assert cells[1] == "sha256 (first 12 characters)" and cells[3] == digest[:12] + "…"
    # the web table and its CSV keep it whole
    bundle = tables.mimebundle(pd.DataFrame({"file": ["a.csv"], "sha256": [digest]}))
    assert digest in bundle["text/html"]


def test_a_table_too_wide_for_the_text_is_set_smaller_not_squeezed():
    df = pd.DataFrame(
        {f"column {i}": ["CTOC/COP/2008/19", "a few words of text " * 6] for i in range(5)}
    )
    md = tables.markdown(df)
    assert md.startswith("````{container} palermo-")
    assert tables.layout(tables.print_cells(df))[0] in {"palermo-small", "palermo-footnotesize"}
    narrow = pd.DataFrame({"a": ["x"], "b": ["yy"]})
    assert tables.markdown(narrow).startswith("```{list-table}")


def test_print_may_show_other_rows_or_nothing():
    df = pd.DataFrame({"a": ["x"], "b": ["y"]})
    assert "```{list-table}" in tables.mimebundle(df, printed=df[["a"]])["text/markdown"]
    nothing = tables.mimebundle(df, printed="")["text/markdown"]
    assert nothing.strip().startswith("%")  # a MyST comment: print shows nothing


# the seminar: answers past the records are not "accepted"; the argument in every pack
@pytest.mark.review("reader-2026-12", "finding 10")
def test_a_depositary_notification_number_may_break_at_its_dots():
    from palermo.render import tables

    df = pd.DataFrame({"fact": ["notified by C.N.805.2016.TREATIES-XVIII.10 that year"]})
    page = tables.mimebundle(df)["text/html"]
    assert "C.<wbr>N.<wbr>805.<wbr>2016.<wbr>TREATIES-XVIII.<wbr>10" in page


# treaties
@pytest.mark.review("reader-2026-12b", "§3")
def test_a_table_names_its_treaties_and_leaves_other_codes_alone():
    df = pd.DataFrame(
        {
            "treaty": ["XVIII-12-b", "VI-19;XVIII-11", ""],
            "participant": ["Republic of Moldova", "Palau", "Somalia"],
            "ISO code": ["MDA", "PLW", "SOM"],
            "FIREARMS": ["party", "none", "none"],
        }
    )
    shown = tables.for_readers(df)
    assert list(shown.columns) == ["Treaty", "Participant", "ISO code", "Firearms Protocol"]
    assert list(shown["Treaty"]) == [
        "Smuggling Protocol",
        "1988 Drugs Convention and Terrorist Financing Convention",
        "",
    ]
    assert list(shown["ISO code"]) == ["MDA", "PLW", "SOM"]  # Somalia's code is not a treaty
    # a column of treaties that holds anything else is left as it is
    odd = tables.for_readers(pd.DataFrame({"treaty": ["TIP", "not a treaty"]}))
    assert list(odd["Treaty"]) == ["TIP", "not a treaty"]


@pytest.mark.review("reader-2026-12b", "§3")
def test_the_disagreements_table_names_the_treaty():
    d = merge.load().disagreements
    shown = tables.for_readers(d[["treaty", "participant", "fact"]])
    moldova = shown[shown["Participant"] == "Republic of Moldova"]
    assert list(moldova["Treaty"]) == ["Smuggling Protocol"]
