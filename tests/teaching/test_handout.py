"""The handout (palermo.teaching.handout): its counts, its caveat and its quotations."""

import datetime as dt
import html
import re

import pytest

from palermo.data import curated
from palermo.teaching import handout
from tests.conftest import paper_text

pytestmark = pytest.mark.unit


PAPER_DATE = dt.date(2020, 12, 23)


# the seminar: answers past the records are not "accepted"; the argument in every pack
@pytest.mark.review("reader-2026-12", "finding 3")
def test_the_handout_says_at_least_past_the_records():
    from palermo.teaching import handout

    f = handout.facts(PAPER_DATE)
    assert f["counts"]["TIP"].startswith("at least ") and "complete only through" in f["caveat"]
    assert f["counts"]["UNTOC"] == "190"


def test_every_quotation_on_the_handout_names_whose_words_it_is():
    doc = curated.load("explanations")
    assert set(handout.VOICES) == {e.id for e in doc.explanations}
    flat = " ".join(paper_text().split())
    speakers = curated.load("interviews").set_index("note")["speaker"]
    for e in doc.explanations:
        quote = " ".join(e.quote.split()).replace("\u2019", "'")
        text = flat.replace("\u2019", "'").replace("\u2018", "'")
        at = text.find(quote)
        assert at >= 0, e.id
        after = text[at + len(quote) : at + len(quote) + 6]
        before = text[max(0, at - 250) : at]
        said = handout.VOICES[e.id]
        who = handout.voice(e.id)
        if said is None:
            assert who == "Tennant, the author"
            # not an interviewee's quoted words: no note number follows the quotation
            assert not re.match(r"[.’'\"]?\s*\d", after), (e.id, after)
        else:
            how, name = said
            named = speakers[name] if isinstance(name, int) else name
            assert named in who, (e.id, who)
            if how == "quoted":  # the interviewee's words, with the paper's note number
                rest = text[at + len(quote) - 1 : at + len(quote) + 300]
                note = re.search(r"[.'\"](\d{1,2})\b", rest)
                assert note and int(note.group(1)) == name, (e.id, rest[:80])
            else:  # the author's words reporting the view, the interviewee named before
                assert who.startswith("Tennant, reporting")
                assert named.split()[-1] in before, (e.id, before[-120:])


def test_a_quotation_of_unknown_voice_stops_the_handout(monkeypatch):
    from palermo.errors import BuildError

    monkeypatch.delitem(handout.VOICES, "uk-budget-cop-2012")
    with pytest.raises(BuildError, match="whose words"):
        handout.voice("uk-budget-cop-2012")


def misquoted(quotes, paper: str) -> list[str]:
    """The handout's quotations (seminar_kit.yml, ``handout``) that are not the paper's words
    on one line of its text under the heading they name ("Introduction": before the first)."""
    lines = [" ".join(line.replace("\u2019", "'").split()) for line in paper.splitlines()]
    headings = [i for i, line in enumerate(lines) if line == "Background to the Convention"]
    bad = []
    for q in quotes:
        if q.section == "Introduction":
            start, end = 0, headings[0]
        elif q.section in lines:
            start = lines.index(q.section)
            end = next((i for i in range(start + 1, len(lines)) if lines[i] in _HEADINGS), None)
        else:
            bad.append(f"{q.id}: no heading {q.section!r} in the paper")
            continue
        if not any(q.quote in line for line in lines[start:end]):
            bad.append(f"{q.id}: not on one line of the paper under {q.section!r}")
    return bad


# the paper's section headings, each on its own line of the text
_HEADINGS = {
    "Background to the Convention",
    "From Design to Implementation",
    "The Convention and Criminals",
    "Evaluating the Genesis of the Convention",
    "The Role of Political Leadership",
    "Politics and Geopolitics",
    "Progress through the UN system",
    "The Innovations and Uncertainty of UNTOC",
    "Evaluating Progress, or Lack Thereof",
    "The Review Mechanism and Ideas for Reinvigoration of the Convention and the COP",
}


def test_the_handouts_own_quotations_are_the_papers_words():
    quotes = curated.load("seminar_kit").handout
    assert misquoted(quotes, paper_text()) == []
    page = handout.handout_html()
    for q in quotes:
        assert html.escape(q.quote) in page, q.id
    # a word changed, or the wrong section named, is caught
    wrong = quotes[0].model_copy(update={"quote": quotes[0].quote.replace("1990s", "1980s")})
    elsewhere = quotes[1].model_copy(update={"section": "Politics and Geopolitics"})
    assert misquoted([wrong, elsewhere], paper_text()) == [
        f"{wrong.id}: not on one line of the paper under 'Introduction'",
        f"{elsewhere.id}: not on one line of the paper under 'Politics and Geopolitics'",
    ]
