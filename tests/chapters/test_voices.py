"""The chapter "Voices" (palermo.chapters.voices): the interview notes, their themes and
the chart of them."""

import pytest

from palermo import config
from palermo.data import curated

pytestmark = pytest.mark.unit


# F7: "well-rehearsed", not "settled"
@pytest.mark.review("reader-2026-12", "F7")
def test_note_27_keeps_the_papers_word():
    iv = curated.load("interviews").set_index("note")
    assert "well-rehearsed" in iv.loc[27, "paraphrase"] if "paraphrase" in iv else True
    assert "settled obstacles" not in (config.CURATED / "interviews.csv").read_text()


# regional medians say n, and too few States is not a regional figure
@pytest.mark.review("reader-2026-12", "finding 12")
def test_the_voices_chart_reads_as_words_with_whole_numbers_of_notes():
    from palermo.chapters import voices

    m = voices.theme_matrix(curated.load("interviews"))
    # each theme by its label in the codebook, never its code (reader review 3, §3)
    assert set(m["theme"]) <= set(voices.codebook().labels.values())
    assert "Terrorism and 9/11" in set(m["theme"])
    enc = voices.matrix_chart(m).to_dict()["encoding"]
    assert enc["x"]["axis"]["labelLimit"] == 0 and "labelExpr" not in enc["x"]["axis"]
    assert enc["y"]["axis"]["labelLimit"] == 0
    assert enc["size"]["legend"]["format"] == "d"
    assert all(isinstance(v, int) for v in enc["size"]["legend"]["values"])
