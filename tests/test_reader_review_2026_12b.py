"""The second reader review of December 2026 (../shared/reports/reader-review-2026-12b.md): items
G9, G13, G20, G21 (with tests/test_links.py), G22 and D5, and the landing page's command lines and
web-only sentences (§6 point 4), each fixed at its source and checked here as a test that would
have caught it. None needs a built book."""

import datetime as dt
import re

import pytest

from palermo import config
from palermo.chapters import convention, who_joined
from palermo.data import curated
from palermo.model.coverage import count_on
from palermo.pipeline.book import sphinx_ext

pytestmark = pytest.mark.unit

PAPER_DATE = dt.date(2020, 12, 23)


def notebook(name: str) -> str:
    return (config.NOTEBOOKS / f"{name}.md").read_text(encoding="utf-8")


def page(name: str) -> str:
    return (config.BOOK / f"{name}.md").read_text(encoding="utf-8")


def outside_only_html(text: str) -> str:
    """The page's text that the PDF edition prints too: without its `{only} html` blocks."""
    return re.sub(r"```\{only\} html\n.*?\n```", "", text, flags=re.S)


# --- G9: "party" against the Vienna Convention it cites ----------------------------------------


def test_the_glossary_says_where_the_books_party_departs_from_the_vienna_convention():
    party = next(t for t in curated.load("glossary").terms if t.id == "party")
    d = " ".join(party.definition.split())
    assert "for which the treaty is in force" in d and '"contracting State"' in d
    assert "departs from that definition" in d and "deposited" in d
    assert "UNODC" in d  # why the book's count can be above UNODC's on a day
    assert "art. 2(1)(f) and (g)" in party.source and "Data and methods" in party.source


def test_data_and_methods_says_once_that_unodc_counts_from_entry_into_force():
    md = " ".join(notebook("data_and_methods").split())
    assert md.count("UNODC's announced counts") == 1
    assert "{cite}`unodc2018cop9`" in md
    for words in (
        "146 parties to the Smuggling of Migrants Protocol",
        "115 to the Firearms",
        "9 and 4 October 2018",
        "8 and 3 November",
        "can exceed UNODC's",
    ):
        assert words in md, words
    bib = (config.ROOT / "references.bib").read_text(encoding="utf-8")
    assert "@misc{unodc2018cop9," in bib


# --- G13: Monaco and Poland, each with the sections that name it -------------------------------


def test_monaco_and_poland_each_carry_the_sections_that_name_them():
    ps = who_joined.paper_states("UNTOC", PAPER_DATE).set_index("name")
    section = "paper's section"
    assert ps.loc["Monaco", section] == "Evaluating Progress, or Lack Thereof"
    assert ps.loc["Poland", section] == (
        "Background to the Convention; The Role of Political Leadership"
    )
    assert ps.loc["Monaco", "group"] == ps.loc["Poland", "group"] == "first movers"
    # every section named is one of the paper's headings
    headings = {s.section for s in curated.load("sections").sections}
    for g in curated.load("paper_states").groups:
        assert set(g.section.split("; ")) <= headings, g.id


# --- G20 and §6 point 4: the landing page ------------------------------------------------------


def test_the_landing_page_says_what_computed_means_and_keeps_commands_out():
    intro = page("intro")
    flat = " ".join(intro.split())
    assert (
        "either computed from those records when the chapter runs or quoted from a cited source"
        in flat
    )
    assert "none is typed into the prose" in flat
    assert "none is typed." not in flat
    assert "make book" not in intro and "palermo run" not in intro and ".venv" not in intro
    assert "(rerun.md)" in intro  # one sentence pointing to the appendix
    printed = " ".join(outside_only_html(intro).split())
    assert "drawn in your browser" in flat and "drawn in your browser" not in printed
    assert "Code cells are folded" not in printed


def test_the_rerun_appendix_keeps_web_only_sentences_out_of_print():
    rerun = page("rerun")
    assert rerun.startswith("# Rerunning the book\n")
    printed = outside_only_html(rerun)
    assert "download button" in rerun and "download button" not in printed
    assert "make book" in rerun and "palermo run" in rerun  # the command lines live here
    assert not re.search(r"book/runs\.yml|_config\.yml|repository: url", rerun)


def test_the_launch_paragraph_names_no_file_or_setting():
    text = sphinx_ext.launch_markdown({})
    assert text.startswith("This edition names no public repository for the notebooks")
    assert "_config" not in text and "url:" not in text


# --- G22: Adal is traced, with what could not be checked said plainly ---------------------------


def test_adal_2018_is_the_enact_observer_piece_with_its_caveat():
    bib = (config.ROOT / "references.bib").read_text(encoding="utf-8")
    adal = re.search(r"@misc\{adal2018,(.*?)\n\}", bib, re.S)[1]
    assert "Not traced" not in adal
    assert "Weak laws make tackling organised crime harder" in adal
    assert "8 November}" in adal and "year         = {2018}" in adal
    assert "url          = {https://enactafrica.org/enact-observer/" in adal
    assert "probable, not confirmed" in adal
    assert "Not traced" not in page("bibliography")


# --- D5: the convention chapter prints the range it promises -----------------------------------


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
