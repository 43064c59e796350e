"""The chapter "Voices" (palermo.chapters.voices): the interview notes, their themes and
the chart of them."""

import pytest

from palermo import config
from palermo.chapters import voices
from palermo.data import curated
from tests.conftest import paper_text

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


# the voices' themes
@pytest.mark.review("reader-2026-12b", "§3")
def test_the_voices_show_theme_labels_not_codes():
    cb = voices.codebook()
    assert set(cb.labels) == set(cb.themes)
    shown = voices.notes_table(voices.interviews())
    codes = set(cb.themes)
    for cell in shown["themes"]:
        parts = cell.split("; ")
        assert parts and not set(parts) & codes, cell
        assert set(parts) <= set(cb.labels.values()), cell
    assert set(voices.codebook_table()["theme"]) == set(cb.labels.values())
    m = voices.theme_matrix(voices.interviews(), ["genesis", "terrorism-9-11"])
    assert set(m["theme"]) == {"Genesis of the Convention", "Terrorism and 9/11"}


def test_every_interview_note_is_coded_and_every_theme_defined():
    iv = voices.interviews()
    assert iv["note"].tolist() == list(range(1, 37))
    cb = voices.codebook()
    used = {t for ts in iv["themes"] for t in ts.split(";")}
    assert used <= set(cb.themes)
    assert all(len(d.split()) > 5 for d in cb.themes.values())
    assert set(iv["stance"]) <= set(cb.stances)


def test_interview_sections_are_the_papers():
    text = paper_text()
    for s in voices.interviews()["section"].unique():
        assert f"\n{s}\n" in text, s
