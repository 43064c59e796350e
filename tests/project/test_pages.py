"""The book's own pages (book/*.md): what the landing page and the appendix say, and the
sentences only the web book keeps out of print."""

import re

import pytest

from palermo import config

pytestmark = pytest.mark.unit


def page(name: str) -> str:
    return (config.BOOK / f"{name}.md").read_text(encoding="utf-8")


def outside_only_html(text: str) -> str:
    """The page's text that the PDF edition prints too: without its `{only} html` blocks."""
    return re.sub(r"```\{only\} html\n.*?\n```", "", text, flags=re.S)


# G20 and §6 point 4: the landing page
@pytest.mark.review("reader-2026-12b", "G20", "§6 point 4")
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


@pytest.mark.review("reader-2026-12b", "§6 point 4")
def test_the_rerun_appendix_keeps_web_only_sentences_out_of_print():
    rerun = page("rerun")
    assert rerun.startswith("# Rerunning the book\n")
    printed = outside_only_html(rerun)
    assert "download button" in rerun and "download button" not in printed
    assert "make book" in rerun and "palermo run" in rerun  # the command lines live here
    assert not re.search(r"book/runs\.yml|_config\.yml|repository: url", rerun)
