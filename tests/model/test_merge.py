import pandas as pd
import pytest

from palermo.data import curated, registry, vocab
from palermo.errors import DataError
from palermo.model import merge
from tests.model.conftest import ROW

pytestmark = pytest.mark.unit

TREATY_ACTIONS = curated.entry("treaty_actions").path
PARTY_COUNTS = curated.entry("party_counts").path
HEADER = TREATY_ACTIONS.read_text(encoding="utf-8").splitlines()[0]


@pytest.fixture(scope="module")
def rec():
    return merge.load()


def test_moldova_smuggling_disagreement_is_reported(rec):
    d = rec.disagreements
    hit = d[(d["treaty"] == "XVIII-12-b") & (d["participant_id"] == "MDA")]
    assert len(hit) == 1
    row = hit.iloc[0]
    assert row["older"] == "ratification 2005-09-16" and row["newer"] == "accession 2006-02-28"
    assert (
        row["older_source"] == "untc-2014-XVIII-12-b"
        and row["newer_source"] == "untc-2018-XVIII-12-b"
    )


def test_newest_snapshot_is_authoritative(rec):
    acts = rec.actions
    mda = acts[
        (acts["treaty"] == "XVIII-12-b")
        & (acts["participant_id"] == "MDA")
        & (acts["action"] != "signature")
    ]
    assert mda[["action", "date"]].values.tolist() == [["accession", pd.Timestamp("2006-02-28")]]
    assert rec.snapshots["XVIII-12-b"].id == "untc-2018-XVIII-12-b"
    assert rec.snapshots["XVIII-12"].id == "untc-2014-XVIII-12"


def test_cross_check_reports_missing_and_changed_facts():
    older = pd.DataFrame(
        {
            "treaty": ["X"] * 3,
            "participant": ["A", "B", "C"],
            "participant_id": ["AAA", "BBB", "CCC"],
            "action": ["ratification", "signature", "accession"],
            "date": pd.to_datetime(["2001-01-01", "2002-01-01", "2003-01-01"]),
            "footnotes": "",
            "source": "old",
            "row": [2, 3, 4],
        }
    )
    newer = older.copy()
    newer["source"] = "new"
    newer.loc[0, "date"] = pd.Timestamp("2001-01-02")  # changed date
    newer = newer.drop(index=1)  # B's signature vanished
    # after cutoff: fine
    newer.loc[5] = ["X", "D", "DDD", "accession", pd.Timestamp("2010-01-01"), "", "new", 9]
    d = merge.cross_check(older, newer, pd.Timestamp("2005-01-01").date())
    assert sorted(d["participant_id"]) == ["AAA", "BBB"]


def test_every_curated_action_is_after_its_snapshot(rec):
    acts = rec.actions
    cur = acts[acts["source"].str.startswith("treaty_actions.csv")]
    assert len(cur) == len(curated.treaty_actions())
    for r in cur.itertuples():
        assert r.date > pd.Timestamp(rec.snapshots[r.treaty].status_date)


def test_curated_rows_carry_a_source_and_valid_evidence():
    df = curated.treaty_actions()
    assert (df["source"].str.len() > 10).all()
    assert set(df["evidence"]) <= set(vocab.EVIDENCE)
    assert df["url"].notna().all() or df["note"].notna().any()


def _build_with(tmp_path, *rows):
    p = tmp_path / "actions.csv"
    p.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return merge.build(treaty_actions_csv=p)


def test_curated_row_contradicting_a_snapshot_is_an_error(tmp_path):
    with pytest.raises(
        DataError,
        match=r"actions.csv, row 2 \(Monaco, XVIII-12\): "
        r"contradicts zmjones-untreaties/18-12.csv row",
    ):
        _build_with(
            tmp_path, "XVIII-12,Monaco,ratification,day,2015-01-01,2015-01-01,stated,test source,,"
        )


def test_curated_row_before_snapshot_date_is_an_error(tmp_path):
    with pytest.raises(
        DataError, match=r"row 2 \(Samoa, XVIII-12\): dated 2013-05-01, on or before 2014-01-27"
    ):
        _build_with(
            tmp_path, "XVIII-12,Samoa,accession,day,2013-05-01,2013-05-01,stated,test source,,"
        )


def test_ratification_without_signature_is_an_error(tmp_path):
    with pytest.raises(DataError, match="needs a prior signature"):
        _build_with(
            tmp_path, "XVIII-12,Tonga,ratification,day,2015-01-01,2015-01-01,stated,test source,,"
        )


def test_unknown_name_in_curated_file_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"row 2 \(Narnia, XVIII-12\)"):
        _build_with(
            tmp_path, "XVIII-12,Narnia,accession,day,2015-01-01,2015-01-01,stated,test source,,"
        )


@pytest.mark.parametrize(
    "row,message",
    [
        (
            "XVIII-12,Tonga,accession,day,2015-01-01,2015-01-02,stated,test source,,",
            "earliest == latest",
        ),
        (
            "XVIII-12,Tonga,accession,week,2015-01-01,2015-01-01,stated,test source,,",
            "column date_precision: 'week'",
        ),
        (
            "XVIII-12,Tonga,accession,day,1 Jan 2015,1 Jan 2015,stated,test source,,",
            "column earliest: '1 Jan 2015' is not an ISO date",
        ),
        (
            "XVIII-12,Tonga,accession,day,2015-01-01,2015-01-01,rumour,test source,,",
            "column evidence: 'rumour'",
        ),
        (
            "XVIII-12,Tonga,joining,day,2015-01-01,2015-01-01,stated,test source,,",
            "column action: 'joining'",
        ),
        (
            "XVIII-99,Tonga,accession,day,2015-01-01,2015-01-01,stated,test source,,",
            "unknown treaty 'XVIII-99'",
        ),
    ],
)
def test_bad_curated_rows_name_the_row(tmp_path, row, message):
    with pytest.raises(DataError) as exc:
        _build_with(
            tmp_path,
            "XVIII-12,Eritrea,accession,day,2014-09-25,2014-09-25,stated,test source,,",
            row,
        )
    assert message in str(exc.value) and "row 3" in str(exc.value)


def test_party_counts_must_agree_with_raw_headers(tmp_path):
    p = tmp_path / "counts.csv"
    p.write_text(
        PARTY_COUNTS.read_text().replace(
            "XVIII-12-c,2018-01-15,115,52", "XVIII-12-c,2018-01-15,116,52"
        )
    )
    with pytest.raises(
        DataError,
        match="counts.csv, row 6: 116 parties .* raw header of untc-2018-XVIII-12-c reads 115",
    ):
        merge.build(party_counts_csv=p)


def test_names_use_the_newest_spelling(rec):
    assert rec.names["EUU"] == "European Union"
    assert rec.names["BOL"] == "Bolivia (Plurinational State of)"


def test_merged_records_are_cached_on_disk_and_an_altered_raw_file_still_fails(
    raw_copy, tmp_path, monkeypatch
):
    from palermo.model import merge

    monkeypatch.setattr(merge, "CACHE", tmp_path / "cache")
    merge.load.cache_clear()
    first = merge.load()
    assert len(list((tmp_path / "cache").glob("records-*.pickle"))) == 1
    merge.load.cache_clear()
    again = merge.load()  # read back from the pickle
    pd.testing.assert_frame_equal(first.actions, again.actions)
    # an altered raw file changes nothing in the cache's favour: it is refused
    target = next(raw_copy.rglob("18-12.csv"))
    target.write_text(target.read_text() + "Narnia,,\n")
    registry._verified.clear()  # a new process would hash the file again
    merge.load.cache_clear()
    with pytest.raises(DataError, match="sha256"):
        merge.load()
    merge.load.cache_clear()


def test_a_withdrawal_without_an_earlier_consent_is_refused(with_row):
    with_row(ROW.replace("Gambia", "Angola"))  # Angola signed the Rome Statute, never ratified
    with pytest.raises(
        DataError,
        match="treaty_actions.csv, row .* a withdrawal needs an earlier instrument of consent",
    ):
        merge.load()


# coverage, ranges, headline counts
def test_records_are_built_once():
    assert merge.load() is merge.load()
