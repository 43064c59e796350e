"""The handout (palermo.teaching.handout): its counts, its caveat and its quotations."""

import datetime as dt
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
