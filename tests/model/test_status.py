"""The status engine (palermo.model.status) against the paper's facts and the headline counts:
who is a party, a signatory or withdrawn on a day, the counts and series, the one status rule.
Expected values come from the paper or from UNTC, never from our output."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from palermo import config
from palermo.data import treaties, vocab
from palermo.model import merge, panel, status
from palermo.model.coverage import (
    count_on,
    coverage,
)
from palermo.model.dates import parse_as_of
from palermo.model.params import as_of as read_day
from tests.model.conftest import ROW

pytestmark = pytest.mark.unit

D = dt.date


def consent(treaty, pid):
    t = status.status(treaty, config.today())
    row = t[t["participant_id"] == pid]
    return None if row.empty else row.iloc[0]


def first_party(treaty):
    tab = status.status(treaty, config.today())
    tab = tab[tab["consent"].notna()].sort_values("consent")
    return tab.iloc[0]


# --- the paper's facts (section "Evaluating Progress, or Lack Thereof") ---


def test_monaco_first_untoc_party_on_5_june_2001():
    first = first_party("UNTOC")
    assert (first["participant_id"], first["consent"].date()) == ("MCO", D(2001, 6, 5))


def test_usa_2005_and_italy_2006():
    assert consent("UNTOC", "USA")["consent"].date() == D(2005, 11, 3)
    assert consent("UNTOC", "ITA")["consent"].date() == D(2006, 8, 2)


def test_mali_first_firearms_party_on_3_may_2002():
    first = first_party("FIREARMS")
    assert (first["participant_id"], first["consent"].date()) == ("MLI", D(2002, 5, 3))


def test_uk_signed_firearms_protocol_and_never_became_party():
    uk = consent("FIREARMS", "GBR")
    assert uk["status"] == "signatory" and uk["signature"].year == 2002


def test_usa_never_signed_firearms_protocol():
    assert consent("FIREARMS", "USA") is None


def test_european_union_is_a_party():
    assert consent("FIREARMS", "EUU")["status"] == "party"
    assert consent("UNTOC", "EUU")["status"] == "party"


def test_157_untoc_parties_on_18_october_2010():
    assert count_on("UNTOC", read_day("2010-10-18")).named == 157


def test_190_untoc_parties_at_the_papers_date_with_complete_coverage():
    c = count_on("UNTOC", read_day("2020-12-23"))
    assert c.named == c.named_max == c.parties == c.parties_max == 190
    cov = coverage("UNTOC")
    assert cov.complete and cov.unattributed == 0


# --- coverage, ranges, headline counts ---


def test_status_and_counts_agree():
    for t in treaties.with_records():
        for day in map(read_day, ("2001-01-01", "2010-10-18", "2020-12-23")):
            st = status.status(t, day)
            c = count_on(t, day)
            assert (st["status"] == "party").sum() == c.named
            assert st["status"].isin(["party", "possibly_party"]).sum() == c.named_max
            assert st["signature"].notna().sum() == status.signatories_by(t.number, day)
            assert set(st["status"]) <= set(vocab.STATUSES)


def test_consent_after_as_of_is_not_shown():
    st = status.status("UNTOC", read_day("2005-01-01"))
    usa = st[st["participant_id"] == "USA"].iloc[0]
    assert usa["status"] == "signatory" and pd.isna(usa["consent"])


def test_series_daily_and_yearly_agree_with_counts():
    daily = status.series("UNTOC", read_day("2000-01-01"), read_day("2020-12-23"), "D")
    assert len(daily) == (D(2020, 12, 23) - D(2000, 1, 1)).days + 1
    assert np.all(np.diff(daily["parties"]) >= 0)
    assert daily.iloc[-1]["parties"] == count_on("UNTOC", read_day("2020-12-23")).named
    yearly = status.series("UNTOC", read_day("2000-01-01"), read_day("2020-12-23"), "Y")
    assert yearly["new_parties"].sum() == yearly.iloc[-1]["parties"]
    assert (
        yearly.set_index("year").loc[2010, "parties"]
        == count_on("UNTOC", read_day("2010-12-31")).named
    )


def test_the_counts_are_the_status_rule_counted_on_every_day():
    """One status rule (status.rule): the fast step counts (parties_by) equal the rule
    applied to every participant on every day from adoption to today, for every treaty,
    withdrawals and bracketed consents included; and status() on a day agrees."""
    import pandas as pd

    from palermo import config
    from palermo.data import treaties

    for t in treaties.with_records():
        days = pd.date_range(treaties.adopted(t), config.today(), freq="D")
        full = status.codes(t.number, days)
        certain, most = status.parties_by(t.number, days)
        assert (certain == (full == status.PARTY).sum(axis=0)).all(), t.short
        possibly = (full == status.POSSIBLY_PARTY).sum(axis=0)
        assert (most == certain + possibly).all(), t.short
        for day in days[:: len(days) // 7]:
            st = status.status(t.short, day.date())
            assert (st["status"] == "party").sum() == status.parties_by(t.number, day)[0]


def test_the_rule_orders_withdrawal_consent_bracket_and_signature():
    import numpy as np

    nat = np.datetime64("NaT")
    d = np.datetime64
    got = status.rule(
        signature=[d("2001-01-01"), d("2001-01-01"), nat, nat, nat],
        consent=[nat, d("2003-01-01"), d("2002-01-01"), d("2002-01-01"), nat],
        consent_latest=[nat, d("2003-01-01"), d("2004-12-31"), d("2002-01-01"), nat],
        withdrawal=[nat, nat, nat, d("2005-06-01"), nat],
        days=[d("2000-01-01"), d("2003-06-01"), d("2006-01-01")],
    )
    names = status.STATUS_NAMES[got].tolist()
    assert names == [
        ["none", "signatory", "signatory"],
        ["none", "party", "party"],
        ["none", "possibly_party", "party"],
        ["none", "party", "withdrawn"],
        ["none", "none", "none"],
    ]


def test_one_way_to_ask_for_a_participants_row():
    day = D(2020, 12, 23)
    st = status.status("UNTOC", day).set_index("participant_id")
    r = status.row_of("UNTOC", "ITA", day)
    assert r is not None and r.equals(st.loc["ITA"]) and r["status"] == "party"
    assert status.is_party("UNTOC", "ITA", day) and not status.is_party(
        "UNTOC", "ITA", D(2006, 1, 1)
    )
    assert status.row_of("UNTOC", "XXX", day) is None and not status.is_party("UNTOC", "XXX", day)


def test_a_caller_cannot_change_the_kept_tables():
    """A kernel kept between runs serves the next page from the same caches: a table a page
    changes in place must not reach the next page."""
    from palermo.data import countries

    day = read_day("2020-12-23")
    t = treaties.resolve("UNTOC").number
    before = status.table(t).copy()
    status.table(t).drop(status.table(t).index, inplace=True)
    status.table(t)["consent"] = None
    assert status.table(t).equals(before)
    members = countries.members()
    members.drop(members.index, inplace=True)
    assert len(countries.members()) >= 190
    assert count_on("UNTOC", day).parties == 190


# peer treaties brought forward from 2014
@pytest.mark.review("reader-2026-12", "finding 1")
@pytest.mark.parametrize(
    "who, effective", [("Burundi", "2017-10-27"), ("Philippines", "2019-03-17")]
)
def test_rome_statute_withdrawals_take_effect_on_their_dates(who, effective):
    day = pd.Timestamp(effective)
    before = status.status("ROME", (day - pd.Timedelta(days=1)).date()).set_index("name")
    after = status.status("ROME", day.date()).set_index("name")
    assert before.loc[who, "status"] == "party" and after.loc[who, "status"] == "withdrawn"


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


START = read_day("1988-01-01")


def all_series():
    out = []
    end = config.today()
    for t in treaties.with_records():
        out.append(status.series(t, START, end, "D"))
        out.append(status.series(t, START, end, "Y"))
    return out


# a benchmark of the series for all nine treaties, 1988 to today: `make bench` times it
# (pytest-benchmark); under `make unit` and `make test` it runs once as a plain check. The
# records are loaded (parsed and merged) before timing: the benchmark measures the series.
@pytest.mark.benchmark
def test_series_for_all_nine_treaties(benchmark):
    merge.load()
    status.series("UNTOC", START, None, "Y")  # warm the per-treaty tables
    result = benchmark(all_series)
    assert len(result) == 2 * len(treaties.with_records())
    days = (config.today() - parse_as_of(START)).days + 1
    assert all(len(s) == days for s in result[::2])


def test_a_treaty_without_records_is_a_clear_refusal_not_a_guess():
    from typer.testing import CliRunner

    from palermo.cli import app

    r = CliRunner().invoke(app, ["status", "CYBERCRIME"])
    assert (
        r.exit_code == 2 and "are not held" in r.stderr and "sources update CYBERCRIME" in r.stderr
    )
