"""The chapter "Data and methods" (palermo.chapters.data_and_methods)."""

import pytest

from palermo import config

pytestmark = pytest.mark.unit


def notebook(name: str) -> str:
    return (config.NOTEBOOKS / f"{name}.md").read_text(encoding="utf-8")


# G9: "party" against the Vienna Convention it cites
@pytest.mark.review("reader-2026-12b", "G9")
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
