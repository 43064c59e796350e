"""Withdrawals are actions too: a party stops counting when its withdrawal takes effect. The
records hold none yet (the tables do not list them and no cited row gives one), so these
tests add one to a copy of the curated file."""

import shutil

import pytest

from palermo import config
from palermo.errors import DataError
from palermo.model import merge, panel, status

from .conftest import forget_caches

pytestmark = pytest.mark.unit

ROW = (
    'XVIII-10,Burundi,withdrawal,day,2017-10-27,2017-10-27,stated,"test row: a withdrawal '
    'taking effect on 27 Oct 2017",,\n'
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
    before = {d: status.counts("ROME", d)["parties"] for d in ("2017-10-26", "2017-10-27")}
    with_row(ROW)
    after = {d: status.counts("ROME", d)["parties"] for d in ("2017-10-26", "2017-10-27")}
    assert after["2017-10-26"] == before["2017-10-26"]
    assert after["2017-10-27"] == before["2017-10-27"] - 1
    st = status.status("ROME", "2018-01-01").set_index("participant_id")
    assert st.loc["BDI", "status"] == "withdrawn"
    assert (
        status.status("ROME", "2017-10-26").set_index("participant_id").loc["BDI", "status"]
        == "party"
    )
    s = status.series("ROME", "2017-10-25", "2017-10-28").set_index("date")["parties"]
    assert s.diff().dropna().tolist() == [0, -1, 0]
    p = panel.panel(["ROME"], "year", "2016-01-01", "2018-12-31")
    bdi = p[p["participant_id"] == "BDI"].set_index("period_end")["status"]
    assert bdi.tolist() == ["party", "withdrawn", "withdrawn"]


def test_a_withdrawal_without_an_earlier_consent_is_refused(with_row):
    with_row(ROW.replace("Burundi", "Angola"))  # Angola signed the Rome Statute, never ratified
    with pytest.raises(
        DataError,
        match="treaty_actions.csv, row .* a withdrawal needs an earlier instrument of consent",
    ):
        merge.load()
