"""Tables in print: every column at least as wide as its widest word as printed, long codes
given places to break, checksums shortened, and a table too wide for the text's size set
smaller (palermo.render.tables.markdown and layout)."""

import re

import pandas as pd
import pytest

from palermo.model import merge
from palermo.model.params import as_of as read_day
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


def test_print_widths_keep_short_columns_whole_beside_long_text():
    """The PDF's voices table squeezed its note numbers to one digit ('1:' for 12) beside six
    wordy columns: short columns keep their width, the long ones share the rest of the page."""
    from palermo.render import tables

    long_text = "a" * 60
    df = pd.DataFrame(
        {
            "N": ["12"],
            "speaker": ["Gino (Gioacchino) Polimeni"],
            "role": [long_text],
            "section": [long_text],
            "themes": [long_text],
            "stance": ["positive"],
            "paraphrase": [long_text],
        }
    )
    w = tables.widths(df.astype(str))
    assert w[0] == 4 + tables.PAD and w[5] == 8 + tables.PAD  # kept whole, with padding
    assert sum(w) <= tables.PRINT_BUDGET + 1
    assert w[0] / sum(w) >= 0.035  # room for two digits on the page
    narrow = pd.DataFrame({"a": ["x"], "b": ["yy"]})
    assert tables.widths(narrow) == [4 + tables.PAD] * 2  # under the budget nothing changes


def test_a_short_code_keeps_room_for_itself_beside_its_padding():
    """The country index printed "DZAAfrica": the ISO column's share of the line, less the
    padding LaTeX takes from it, held less than the three letters."""
    from palermo.chapters import countries
    from palermo.render import tables

    idx = tables.tidy(countries.index(read_day("2020-12-23")))
    w = tables.widths(idx.astype(object).where(idx.notna(), "-"))
    i = list(idx.columns).index("ISO code")
    assert w[i] / sum(w) * tables.PRINT_BUDGET - tables.PAD >= 4


def test_a_table_of_only_short_columns_over_the_budget_keeps_them():
    from palermo.render import tables

    df = pd.DataFrame({f"column {i}": ["2020-12-23"] for i in range(12)})
    assert tables.widths(df) == [10 + tables.PAD] * 12


def test_tables_keep_dates_whole_break_symbols_at_slashes_and_hold_long_tables_in_a_box():
    import pandas as pd

    from palermo.render import tables

    df = pd.DataFrame(
        {
            "when": ["2000-12-12", "party since 2002-10-07"],
            "symbol": ["A/AC.254/4/Add.2/Rev.3", "x"],
            "sha256": ["ab" * 32, "-"],
            "event": ["a long account of what happened " * 5, "short"],
        }
    )
    page = tables.mimebundle(df)["text/html"]
    assert '<td class="palermo-date">2000-12-12</td>' in page
    assert 'party since <span class="palermo-date">2002-10-07</span>' in page
    assert "A/<wbr>AC.254/<wbr>4/<wbr>Add.2/<wbr>Rev.3" in page
    assert f'<span class="palermo-hash">{"ab" * 32}</span>' in page
    assert '<th class="palermo-wide">Event</th>' in page and "<th>Symbol</th>" in page
    assert "palermo-tall" not in page
    # the CSV has the values as they are
    assert (
        "A/AC.254/4/Add.2/Rev.3"
        in __import__("base64").b64decode(tables.csv_href(df).split(",", 1)[1]).decode()
    )
    long = pd.DataFrame({"n": range(tables.TALL + 1)})
    assert 'class="palermo-table-box palermo-tall"' in tables.mimebundle(long)["text/html"]


def test_the_one_table_renderer_builds_each_cell_with_its_class():
    """Cells are built with their classes (no pass over the finished HTML): a text cell is
    escaped with its dates whole, a caller's cell kept as made, a heading row spans the table,
    numbers read as pandas prints the column."""
    import pandas as pd

    from palermo.render import tables

    table = tables.html_table(
        ["a <b>", "b"],
        [
            tables.Heading("Part & one", cls="section"),
            tables.Row(["x < y on 2020-12-23", tables.Cell("<em>kept</em>", "badge")], id="r1"),
            ["2001-01-01", "plain"],
        ],
        wide=[1],
    )
    assert table.startswith('<table class="palermo-table"><thead><tr><th>a &lt;b&gt;</th>')
    assert '<th class="palermo-wide">b</th>' in table
    assert '<tr class="section"><th colspan="2">Part &amp; one</th></tr>' in table
    assert '<tr id="r1"><td>x &lt; y on <span class="palermo-date">2020-12-23</span></td>' in table
    assert '<td class="badge"><em>kept</em></td>' in table
    assert '<td class="palermo-date">2001-01-01</td><td>plain</td>' in table
    df = pd.DataFrame({"share": [0.5, 0.25, None], "n": [1, 2, 3]})
    assert tables.cell_texts(df) == [["0.50", "1"], ["0.25", "2"], ["-", "3"]]
