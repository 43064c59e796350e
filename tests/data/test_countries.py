"""Countries (palermo.data.countries): the UN's Member States by the day of admission and
the region schemes."""

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from palermo import config
from palermo.cli import app
from palermo.data import countries, curated
from palermo.errors import UsageError
from palermo.model import participation
from palermo.model.participation import known
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


# S9: membership by the day of admission
@pytest.mark.review("reliability-2026-12b", "S9")
def test_membership_changes_on_the_day_of_admission():
    m = countries.members()
    dated = m.dropna(subset=["admitted_on"])
    assert set(dated["participant_id"]) == set(
        m.loc[m["admitted"] >= config.MIN_DATE.year, "participant_id"]
    )
    assert dated["admitted_source"].str.contains("member-states").all()
    for r in dated.itertuples():
        assert r.participant_id in set(countries.members_on(r.admitted_on)["participant_id"])
        if r.admitted_on > config.MIN_DATE:
            before = countries.members_on(r.admitted_on - dt.timedelta(days=1))
            assert r.participant_id not in set(before["participant_id"]), r.participant_id


@pytest.mark.review("reliability-2026-12b", "S9")
def test_south_sudan_is_not_a_member_on_2011_03_01():
    day = dt.date(2011, 3, 1)
    on = set(countries.members_on(day)["participant_id"])
    after = set(countries.members_on(dt.date(2011, 7, 14))["participant_id"])
    assert "SSD" not in on and after - on == {"SSD"}
    assert len(on) == len(countries.members()) - 1  # everyone else was admitted by then


# participants
@pytest.mark.review("reader-2026-12b", "D9")
def test_the_un_names_file_is_what_the_data_layer_returns_and_the_old_names_still_resolve():
    un = curated.load("un_names")
    names = known()
    for r in un.itertuples():
        assert names[r.participant_id] == r.name == countries.un_name(r.participant_id)
        for old in r.former.split(";"):
            # what a researcher types, the records' name or the UN's, finds the one participant
            assert countries.lookup(old, names) == r.participant_id
            assert old in countries.aliases(r.participant_id)
    assert countries.lookup("St. Lucia", names) == "LCA"
    assert countries.lookup("Saint Lucia", names) == "LCA"


def test_unknown_country_fails_at_once_with_closest_names():
    with pytest.raises(UsageError, match="closest: Italy"):
        participation.resolve("Itlay")
    r = CliRunner().invoke(app, ["profile", "Atlantis"])
    assert r.exit_code == 2 and "closest" in r.stderr


def test_region_scheme_is_validated():
    with pytest.raises(UsageError, match="m49_region"):
        countries.check_scheme("continents")
    assert countries.region_of("ITA") == "Europe" and countries.region_of("BRA") == "Americas"


def test_member_states_from_country_converter():
    assert len(countries.members()) == 193
    assert len(countries.members_on("2007-04-23")) == 192  # South Sudan joined in 2011
    assert "SSD" not in set(countries.members_on("2010-10-18")["participant_id"])
