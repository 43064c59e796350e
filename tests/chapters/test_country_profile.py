"""A participant's profile (palermo.chapters.country_profile): statuses past a treaty's records
(issue 35 §2; reader review 2026-12b G1-G6, D3, D8) are the last known, with their date; the
headline keeps 'at least' and pairs each treaty with its own date; the profile shows what the
project holds about the State, counted and not, and names it as a whole word."""

import datetime as dt
import re

import pytest
from typer.testing import CliRunner

from palermo import config
from palermo.chapters import country_profile
from palermo.chapters import country_profile as profile
from palermo.cli import app
from palermo.data import curated, treaties, vocab
from palermo.model import claims, params, participation
from palermo.model.coverage import complete_through
from palermo.model.dates import parse_as_of
from palermo.model.params import as_of as read_day
from palermo.render import tables, text
from tests.conftest import SHORT, run_cells

PAPER = dt.date(2020, 12, 23)


@pytest.mark.unit
@pytest.mark.parametrize(
    "who, treaty, expected",
    [
        ("BTN", "UNCAC", "party"),  # ratified 21 Sep 2016 (review G3)
        ("KIR", "ROME", "party"),  # acceded 26 Nov 2019 (G1)
        ("ARM", "ROME", "signatory — last record"),  # deposited only on 14 Nov 2023 (G2)
        ("SSD", "UNCAC", "party"),  # acceded 2015
        ("TUV", "UNCAC", "party"),
        ("GNQ", "UNCAC", "party"),
        ("NIU", "UNCAC", "party"),
    ],
)
def test_the_states_the_review_named_have_their_sourced_status(who, treaty, expected):
    rec = country_profile.record(who, PAPER).set_index("treaty")
    assert rec.loc[treaty, "status"].startswith(expected)


@pytest.mark.unit
def test_no_profile_states_a_bare_status_past_the_records():
    for pid in ("BTN", "SSD", "TUV", "USA", "GBR", "SOM"):
        rec = country_profile.record(pid, PAPER)
        for r in rec.itertuples():
            through = complete_through(r.treaty)
            if through < PAPER and not r.status.startswith(("party", "withdrawn")):
                assert r.status.endswith(f"last record {through}"), (pid, r.treaty, r.status)


@pytest.mark.unit
def test_headlines_keep_at_least_and_pair_each_treaty_with_its_own_date():
    labels = treaties.labels()
    for pid in ("SSD", "USA", "PHL", "PLW", "GMB", "NAM", "SOM"):
        f = country_profile.facts({"country": pid, "as_of": PAPER})
        head = country_profile.heading(f)
        assert "at least" in f["parties_text"], head  # even at zero
        for t in f["open_treaties"]:
            own = complete_through(t)
            assert re.search(rf"{re.escape(labels[t])} \(complete through {own}\)", head), (pid, t)
        if f["n_signatory"]:
            assert "at most" in f["signatory_text"]


@pytest.mark.unit
def test_the_mentions_sentence_never_denies_the_curated_rows():
    for pid in ("DEU", "BTN", "NZL", "BDI", "KIR", "TUV"):
        m = country_profile.mentions_or_none(pid)
        if isinstance(m, str):
            assert "curated records do not mention" not in m
        rows = country_profile.rows_or_none(pid)
        assert not isinstance(rows, str), pid  # each has a curated row, shown on its page


@pytest.mark.unit
def test_a_states_leads_are_on_its_profile():
    leads = country_profile.leads_of("BTN")
    assert len(leads) and leads["source"].str.len().min() > 3


PAPER_DATE = dt.date(2020, 12, 23)


# F5: a profile's first sentence hedges where the records end before its day
@pytest.mark.unit
@pytest.mark.review("reader-2026-12", "F5", "finding 1")
def test_japans_profile_has_uncac_and_hedges_the_rest():
    from palermo.chapters import country_profile as cp

    rec = cp.record("JPN", PAPER_DATE).set_index("treaty")
    assert rec.loc["UNCAC", "status"] == "party"  # accepted 11 Jul 2017 (MOFA)
    head = cp.heading(cp.facts({"country": "JPN", "as_of": PAPER_DATE}))
    assert "a party to at least 8 of the 9 treaties" in head and "a lower bound" in head
    # the signatory-only treaty whose records end in 2018, with its own date
    assert "the Firearms Protocol (complete through 2018-01-15)" in head


@pytest.mark.unit
@pytest.mark.review("reader-2026-12", "F5")
def test_a_profile_with_complete_records_states_a_plain_count():
    from palermo.chapters import country_profile as cp

    head = cp.heading(cp.facts({"country": "ITA", "as_of": read_day("2013-01-01")}))
    assert "at least" not in head and "lower bound" not in head


@pytest.mark.unit
@pytest.mark.review("reader-2026-12", "finding 9")
def test_profile_tables_print_no_missing_value_markers():
    from palermo.chapters import country_profile as cp

    rec = cp.record("SSD", PAPER_DATE)
    cells = rec.astype(str).to_numpy().ravel()
    assert not {"None", "<NA>", "nan", "NaT"} & set(cells)


# profiles: whole-word names; the countries and people the paper names
@pytest.mark.unit
@pytest.mark.review("reader-2026-12", "finding 7")
def test_a_name_inside_a_word_is_not_a_mention():
    from palermo.chapters import country_profile as cp

    texts = " ".join(cp.mentions("MLI")["text"])
    assert "formalised" not in texts and "Firearms Protocol" in texts
    assert not cp.name_pattern("NER").search("Nigeria") and cp.name_pattern("GBR").search("UK")


@pytest.mark.unit
@pytest.mark.review("reader-2026-12", "E10", "§5")
@pytest.mark.parametrize(
    "pid, needle",
    [
        ("TUR", "including terrorism"),
        ("ESP", "including terrorism"),
        ("EGY", "including terrorism"),
        ("MEX", "protagonist"),
        ("POL", "Włodzimierz Cimoszewicz"),
        ("POL", "Leszek Kubicki"),
        ("POL", "Dariusz Rosati"),
        ("ITA", "Luigi Lauriola"),
        ("ITA", "President of the 1994 Naples"),
    ],
)
def test_profiles_carry_what_the_paper_names(pid, needle):
    from palermo.chapters import country_profile as cp

    assert needle in " ".join(cp.mentions(pid)["text"])


@pytest.mark.unit
@pytest.mark.review("reader-2026-12", "§5")
def test_every_note_of_an_interviewee_from_the_state_is_on_its_profile():
    from palermo.chapters import country_profile as cp

    iv = curated.load("interviews")
    gastrow = set(iv[iv["speaker"] == "Peter Gastrow"]["note"].astype(int))
    m = cp.mentions("ZAF")
    shown = {int(s.split()[3]) for s in m[m["where"] == "interview note"]["source"]}
    assert gastrow <= shown and len(gastrow) == 5


@pytest.mark.unit
@pytest.mark.review("reader-2026-12", "finding 9")
def test_profile_sources_name_no_file_or_row_id():
    from palermo.chapters import country_profile as cp

    for pid in ("ITA", "POL", "USA"):
        sources = " ".join(cp.mentions(pid)["source"])
        assert not re.search(r"\.(yml|csv|md)\b", sources), sources


@pytest.mark.integration
@pytest.mark.review("reliability-2026-12b", "S3")
@pytest.mark.parametrize("country", ["Italy", "Brazil", "Jamaica", "Viet Nam"])
def test_every_profile_runs_in_1988(country):
    nb = config.NOTEBOOKS / "country_profile.md"
    for day in ("1988-01-01", "1988-12-20"):
        params.resolve(nb.with_suffix(".ipynb"), {"as_of": day, "country": country}, "profile")
        run_cells(nb, params.as_of(day), country=country)


# treaties
@pytest.mark.unit
@pytest.mark.review("reader-2026-12b", "§3")
def test_a_profile_names_its_treaties_in_its_headline_table_and_chart():
    f = country_profile.facts({"country": "JPN", "as_of": PAPER})
    head = country_profile.heading(f)
    assert "the Firearms Protocol (complete through" in head and not SHORT.search(head)
    shown = tables.for_readers(country_profile.record("JPN", PAPER).drop(columns=["name"]))
    assert list(shown["Treaty"]) == [text.treaty_name(t) for t in treaties.with_records()]
    chart = country_profile.region_chart("JPN", PAPER, "TIP").to_dict()
    assert chart["title"]["text"] == "Trafficking Protocol in Asia"


DAY = read_day("2020-12-23")


@pytest.mark.integration
def test_a_profile_for_every_participant():
    """The library side of the profile runs for every participant in the records and every UN
    member."""
    for pid in participation.known():
        rec = profile.record(pid, DAY)
        assert len(rec) == len(treaties.with_records())
        # a status in words; past a treaty's records short of party, the last known with its
        # date (text.standing)
        words = {"party", "possibly a party", "signatory", "withdrawn", "none"}
        assert len(words) == len(vocab.STATUSES)
        for r in rec.itertuples():
            word, _, last = r.status.partition(" — last record ")
            assert word in words, (pid, r.treaty, r.status)
            assert not last or last == str(complete_through(r.treaty)), (pid, r.treaty, r.status)
        m = profile.mentions(pid)
        assert set(m["where"]) <= {
            "claims ledger",
            "the paper names it",
            "interview note",
            "chronology",
            "who's who",
        }
        assert m["source"].str.len().gt(0).all()


@pytest.mark.unit
def test_profile_facts():
    rec = profile.record("ITA", DAY).set_index("treaty")
    assert rec.loc["UNTOC", "consent"] == "2006-08-02"
    assert (
        rec.loc["UNTOC", "days to consent"]
        == (parse_as_of("2006-08-02") - parse_as_of("2000-12-12")).days
    )
    usa = profile.record("USA", DAY).set_index("treaty")
    # past the Protocol's records: the last status they know, with their date
    assert usa.loc["FIREARMS", "status"] == f"none — last record {complete_through('FIREARMS')}"
    # what the curated files say of the United States, pinned (D14)
    m = profile.mentions("USA")
    ledger = {c.id: c.claim for c in claims.ledger()}
    assert {ledger["usa-2005"], ledger["usa-never-signed-firearms"]} <= set(m["text"])
    assert "the paper, section \u201cEvaluating Progress, or Lack Thereof\u201d" in set(m["source"])
    assert "Named by the paper among: early sceptics." in set(m["text"])
    assert not profile.mentions("POL").empty


@pytest.mark.integration
def test_profile_html_is_one_offline_file(tmp_path):
    out = tmp_path / "mali.html"
    r = CliRunner().invoke(app, ["profile", "MLI", "--as-of", str(DAY), "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text()
    assert "Mali" in html and "window.VEGA_DEBUG" in html and "palermo-chart" in html
    assert "<script src=" not in html and "<link " not in html  # nothing loaded from elsewhere


@pytest.mark.unit
def test_the_profile_heading_glues_its_counts_to_their_nouns():
    from palermo.model import params

    f = profile.facts(params.check(country="United States", as_of=DAY))
    text = profile.heading(f)
    assert text.startswith("**United States of America** (USA). Region")
    # the records of two treaties it has not joined end before the day: a lower bound (and
    # the signatory count an upper one)
    assert f"a party to at least {f['n_party']} of the {f['n_treaties']} treaties" in text
    assert "the party count is a lower bound and the signatory count an upper one" in text
    assert "had signed at most 1 treaty without becoming a party" in text
    assert profile.mentions_or_none("USA") is not None


@pytest.mark.unit
def test_the_us_profile_notes_the_2002_notification_on_the_rome_statute():
    """Issue 11: the US profile should note the May 2002 notification on the Rome Statute; the
    records themselves still list the US as a signatory."""
    from palermo.model import status

    ids = set(profile.events_of("USA")["id"])
    assert "usa-rome-notification-2002" in ids
    st = status.status("ROME", read_day("2020-12-23")).set_index("participant_id")
    assert st.loc["USA", "status"] == "signatory"
