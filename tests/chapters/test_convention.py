"""The chapter "What the Convention is" (palermo.chapters.convention): its elements drawn
from the paper and the instruments' counts on the day."""

import datetime as dt
import re

import pytest

from palermo import config
from palermo.chapters import convention
from palermo.model.coverage import count_on

pytestmark = pytest.mark.unit


PAPER_DATE = dt.date(2020, 12, 23)


def notebook(name: str) -> str:
    return (config.NOTEBOOKS / f"{name}.md").read_text(encoding="utf-8")


# F2, C7: terrorism and corruption were both settled, one each way
@pytest.mark.review("reader-2026-12", "F2", "C7")
def test_terrorism_is_not_said_to_be_never_settled():
    for source in (notebook("convention"), (config.CURATED / "convention.yml").read_text()):
        assert "never settled" not in source
        assert "was never clear" in source or "never clear" in source


# F4: the book draws its elements from the paper; the paper's list is shorter
@pytest.mark.review("reader-2026-12", "F4")
def test_the_elements_are_the_books_drawn_from_the_paper():
    f = convention.facts({"as_of": PAPER_DATE})
    assert f["n_background"] < f["n_elements"] and f["n_sections"] > 1
    md = notebook("convention")
    assert "The paper describes" not in md and "The book draws" in md


# F5, C3, C8: counts on days past the records are lower bounds
@pytest.mark.review("reader-2026-12", "F5", "C3", "C8")
def test_the_instruments_table_says_at_least_where_the_records_end():
    t = convention.instruments_on(PAPER_DATE).set_index("instrument")
    col = f"parties on {PAPER_DATE}"
    assert t.loc["Trafficking in Persons Protocol", col].startswith("at least ")
    assert not t.loc["UN Convention against Transnational Organized Crime", col].startswith("at")


# D5: the convention chapter prints the range it promises
@pytest.mark.review("reader-2026-12b", "D5")
def test_the_instruments_table_prints_the_range_it_promises():
    t = convention.instruments_on(PAPER_DATE).set_index("instrument")
    # Nepal's accession to the Trafficking Protocol is dated only to 2020
    tip = t.loc["Trafficking in Persons Protocol", "the records"]
    c = count_on("TIP", PAPER_DATE)
    assert c.named_max > c.named  # the year-dated action makes a range
    assert f"{c.named}-{c.named_max} named" in tip and "dated only to a year" in tip
    assert f"{c.named} named" not in tip
    # records complete on a day with a year-dated action: the count itself is a range
    early = convention.instruments_on(dt.date(2017, 6, 1)).set_index("instrument")
    untoc = "UN Convention against Transnational Organized Crime"
    assert re.fullmatch(r"\d+-\d+", early.loc[untoc, "parties on 2017-06-01"])
    assert "dated only to a year" in early.loc[untoc, "the records"]
    promise = " ".join(notebook("convention").split())
    assert "again as a range where an action is dated only to a year" in promise
