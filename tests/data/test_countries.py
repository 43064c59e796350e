"""Countries (palermo.data.countries): the UN's Member States by the day of admission and
the region schemes."""

import json

import pytest

from tests.conftest import one_line_error, run

pytestmark = pytest.mark.unit


# D18: participant names
@pytest.mark.review("reliability-2026-11", "D18")
@pytest.mark.parametrize(
    "query,needle",
    [
        ("Korea", "could be Democratic People's Republic of Korea (PRK), Republic of Korea (KOR)"),
        ("not Italy at all", "is not a participant's name; did you mean Italy (ITA)?"),
        ("Italy; DROP TABLE", "did you mean Italy (ITA)?"),
    ],
)
def test_loose_participant_names_are_refused_with_candidates(query, needle):
    assert needle in one_line_error(run("participant", query), 2)


@pytest.mark.review("reliability-2026-11", "D18")
@pytest.mark.parametrize(
    "query,pid",
    [
        ("United States", "USA"),
        ("Russia", "RUS"),
        ("Czech Republic", "CZE"),
        ("Vietnam", "VNM"),
        ("Republic of Korea", "KOR"),
        ("Democratic Republic of the Congo", "COD"),
        ("ita", "ITA"),
    ],
)
def test_names_that_fit_one_participant_are_read_as_it(query, pid):
    r = run("participant", query, "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["id"] == pid


# R13: a name with a symbol in it is not a name
@pytest.mark.review("reliability-2026-12", "R13")
@pytest.mark.parametrize("typed", ["Italy🍕", "Italy$", "It\x07aly"])
def test_a_name_with_a_symbol_is_refused_with_a_suggestion(typed):
    r = run("participant", typed)
    assert r.exit_code == 2, r.output
    assert "did you mean Italy (ITA)?" in r.stderr and "no participant's name has" in r.stderr


@pytest.mark.review("reliability-2026-12", "R13")
def test_a_typographic_apostrophe_is_an_apostrophe():
    r = run("participant", "Côte d’Ivoire")
    assert r.exit_code == 0 and r.output.startswith("Côte d'Ivoire (CIV)"), r.output
