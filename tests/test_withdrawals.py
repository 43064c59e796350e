"""Withdrawals are actions too: a party stops counting when its withdrawal takes effect. The
tables do not list them; the curated rows hold the Rome Statute's two (Burundi, 2017; the
Philippines, 2019). These tests add a made-up one to a copy of the curated file (the Gambia's
notice of 2016 was revoked before it took effect), so the rule is tested apart from the data."""

import shutil

import pytest

from palermo import config
from palermo.errors import DataError
from palermo.model import merge, panel, status
from palermo.model.coverage import count_on
from palermo.model.params import as_of as read_day
from tests.conftest import forget_caches

pytestmark = pytest.mark.unit

ROW = (
    'XVIII-10,Gambia,withdrawal,day,2019-06-01,2019-06-01,stated,"test row: a made-up '
    'withdrawal taking effect on 1 Jun 2019",,\n'
)


@pytest.fixture
def with_row(tmp_path, monkeypatch):
    def add(row: str):
        dst = tmp_path / "curated"
        shutil.copytree(config.CURATED, dst)
        (dst / "treaty_actions.csv").write_text((dst / "treaty_actions.csv").read_text() + row)
        monkeypatch.setattr(config, "CURATED", dst)
        monkeypatch.setattr(config, "MANIFEST_YML", dst / "manifest.yml")
        monkeypatch.setattr(merge, "CACHE", tmp_path / "cache")
        forget_caches()

    yield add
    monkeypatch.undo()
    forget_caches()


def test_a_withdrawn_party_stops_counting_when_the_withdrawal_takes_effect(with_row):
    def parties(day: str) -> int:
        return count_on("ROME", read_day(day)).named

    before = {d: parties(d) for d in ("2019-05-31", "2019-06-01")}
    with_row(ROW)
    after = {d: parties(d) for d in ("2019-05-31", "2019-06-01")}
    assert after["2019-05-31"] == before["2019-05-31"]
    assert after["2019-06-01"] == before["2019-06-01"] - 1
    st = status.status("ROME", read_day("2019-12-31")).set_index("participant_id")
    assert st.loc["GMB", "status"] == "withdrawn"
    assert (
        status.status("ROME", read_day("2019-05-31"))
        .set_index("participant_id")
        .loc["GMB", "status"]
        == "party"
    )
    s = status.series("ROME", read_day("2019-05-30"), read_day("2019-06-02")).set_index("date")[
        "parties"
    ]
    assert s.diff().dropna().tolist() == [0, -1, 0]
    p = panel.panel(["ROME"], "year", read_day("2018-01-01"), read_day("2020-12-31"))
    gmb = p[p["participant_id"] == "GMB"].set_index("period_end")["status"]
    assert gmb.tolist() == ["party", "withdrawn", "withdrawn"]


def test_a_withdrawal_without_an_earlier_consent_is_refused(with_row):
    with_row(ROW.replace("Gambia", "Angola"))  # Angola signed the Rome Statute, never ratified
    with pytest.raises(
        DataError,
        match="treaty_actions.csv, row .* a withdrawal needs an earlier instrument of consent",
    ):
        merge.load()
