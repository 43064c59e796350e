"""The reader review of December 2026 (../shared/reports/reader-review-2026-12.md): each slip
(F1-F8) and contradiction (C1-C11) fixed at its source, as a test that would have caught it,
and the peer treaties' records brought forward from 2014 with sourced rows."""

import datetime as dt
import json
import re

import pandas as pd
import pytest

from palermo import config
from palermo.chapters import (
    chronology,
    convention,
    explanations,
    ratified_not_used,
    road_to_review,
)
from palermo.data import curated, events
from palermo.model import status
from palermo.model.coverage import Count, count_on, unattributed_parties
from palermo.model.params import as_of as read_day
from palermo.render import text

pytestmark = pytest.mark.unit

PAPER_DATE = dt.date(2020, 12, 23)


def notebook(name: str) -> str:
    return (config.NOTEBOOKS / f"{name}.md").read_text(encoding="utf-8")


# --- one rule for a count a reader may quote -----------------------------------------------


def test_a_count_after_the_records_end_is_said_to_be_a_lower_bound():
    through = dt.date(2014, 7, 10)
    late = Count("UNCAC", PAPER_DATE, 171, None, 171, 171, through)
    assert text.count(late) == (
        "at least 171 (171 named; records complete through 2014-07-10; no later headline "
        "count sets an upper bound)"
    )
    assert text.count(late, short=True) == "at least 171"
    bounded = Count("UNCAC", PAPER_DATE, 172, 175, 171, 171, through)
    assert text.count(bounded).startswith("at least 172, at most 175 (171 named;")
    assert text.count(Count("UNTOC", through, 182, 182, 182, 182, through)) == "182"
    assert text.count(Count("UNTOC", through, 186, 187, 186, 187, through)) == "186-187"


# --- F1: six Crime Congresses before the negotiations, not eight -----------------------------


def test_the_genesis_counts_crime_congresses_apart_from_ministerial_meetings():
    p = {"start": dt.date(1970, 1, 1), "end": PAPER_DATE, "categories": ["congress"]}
    f = chronology.facts(p)
    assert (f["n_congresses_before"], f["n_ministerial_before"]) == (6, 2)
    assert "n_ministerial_before" in notebook("chronology")


# --- F2, C7: terrorism and corruption were both settled, one each way -----------------------


def test_terrorism_is_not_said_to_be_never_settled():
    for source in (notebook("convention"), (config.CURATED / "convention.yml").read_text()):
        assert "never settled" not in source
        assert "was never clear" in source or "never clear" in source


# --- F3: the General Assembly adopted the Torture Declaration -------------------------------


def test_the_fifth_congress_did_not_adopt_the_torture_declaration():
    ev = events.load().set_index("id")
    row = ev.loc["congress-05", "event"]
    assert "Adopted the Declaration against Torture" not in row
    assert "General Assembly adopted" in row and "3452" in row


# --- F4: the book draws its elements from the paper; the paper's list is shorter -------------


def test_the_elements_are_the_books_drawn_from_the_paper():
    f = convention.facts({"as_of": PAPER_DATE})
    assert f["n_background"] < f["n_elements"] and f["n_sections"] > 1
    md = notebook("convention")
    assert "The paper describes" not in md and "The book draws" in md


# --- F5, C3, C8: counts on days past the records are lower bounds -----------------------------


def test_the_instruments_table_says_at_least_where_the_records_end():
    t = convention.instruments_on(PAPER_DATE).set_index("instrument")
    col = f"parties on {PAPER_DATE}"
    assert t.loc["Trafficking in Persons Protocol", col].startswith("at least ")
    assert not t.loc["UN Convention against Transnational Organized Crime", col].startswith("at")


# --- F6: UNCAC's pull is drawn at its adoption, the event Laborde's account turns on ---------


def test_the_uncac_explanation_is_drawn_at_uncacs_adoption():
    d = explanations.dates().set_index("explanation")
    assert d.loc["UNCAC drew political attention away", "date"] == pd.Timestamp("2003-10-31")


# --- F7: "well-rehearsed", not "settled" ------------------------------------------------------


def test_note_27_keeps_the_papers_word():
    iv = curated.load("interviews").set_index("note")
    assert "well-rehearsed" in iv.loc[27, "paraphrase"] if "paraphrase" in iv else True
    assert "settled obstacles" not in (config.CURATED / "interviews.csv").read_text()


# --- F8, C4: Falcone was killed at Capaci ------------------------------------------------------


def test_falcone_was_killed_at_capaci():
    people = (config.CURATED / "people.csv").read_text()
    assert "in Palermo in May 1992" not in people and "at Capaci" in people


# --- C1, C2: the parties at each COP come from the records, never typed -----------------------


def test_cop_parties_are_counted_from_the_records():
    c = road_to_review.cops().set_index("session")
    col = "UNTOC parties at the opening"
    assert (
        c.loc[7, col] == text.count(count_on("UNTOC", read_day("2014-10-06")), short=True) == "182"
    )
    ev = events.load()
    cop_text = " ".join(ev[ev["id"].str.fullmatch(r"cop\d+")]["event"])
    # attendance ("57 States parties took part") is not a count of parties
    typed = re.search(r"Parties( at the time)?:|\d+ (States )?parties(?! took part)", cop_text)
    assert not typed, cop_text


# --- C10: the UK-budget card says what note 27 is -----------------------------------------------


def test_the_uk_budget_card_explains_the_note_it_lists():
    e = explanations.table().set_index("id").loc["uk-budget-cop-2012"]
    assert 27 in e["notes"] and "27" in e["for"]


# --- peer treaties brought forward from 2014 ------------------------------------------------------


def test_uncac_names_more_of_the_2018_header_and_check_lists_the_rest():
    c = count_on("UNCAC", read_day("2018-01-15"))
    assert c.named >= 179  # 171 in the 2014 table, 8 sourced rows since
    day = read_day("2018-01-15")
    gap = [u for u in unattributed_parties() if u.treaty == "UNCAC" and u.date == day]
    # the 2018 header's 183: either every one is named now, or check lists the gap
    if c.named_max < 183:
        assert gap and gap[0].headline == 183 and gap[0].unattributed == 183 - c.named_max
    else:
        assert not gap and c.named == 183


@pytest.mark.parametrize(
    "who, effective", [("Burundi", "2017-10-27"), ("Philippines", "2019-03-17")]
)
def test_rome_statute_withdrawals_take_effect_on_their_dates(who, effective):
    day = pd.Timestamp(effective)
    before = status.status("ROME", (day - pd.Timedelta(days=1)).date()).set_index("name")
    after = status.status("ROME", day.date()).set_index("name")
    assert before.loc[who, "status"] == "party" and after.loc[who, "status"] == "withdrawn"


def test_every_peer_row_carries_a_source_and_no_tertiary_host():
    rows = curated.treaty_actions()
    peers = rows[rows["treaty"].isin(["XVIII-14", "XVIII-10", "VI-19", "XVIII-9", "XVIII-11"])]
    assert len(peers) >= 15
    assert peers["source"].str.len().min() > 20 and peers["url"].str.startswith("http").all()
    assert not peers["url"].str.contains("wiki|blogspot", case=False).any()


# --- F5: a profile's first sentence hedges where the records end before its day ----------------


def test_japans_profile_has_uncac_and_hedges_the_rest():
    from palermo.chapters import country_profile as cp

    rec = cp.record("JPN", PAPER_DATE).set_index("treaty")
    assert rec.loc["UNCAC", "status"] == "party"  # accepted 11 Jul 2017 (MOFA)
    head = cp.heading(cp.facts({"country": "JPN", "as_of": PAPER_DATE}))
    assert "a party to at least 8 of the 9 treaties" in head and "a lower bound" in head
    # the signatory-only treaty whose records end in 2018, with its own date
    assert "the Firearms Protocol (complete through 2018-01-15)" in head


def test_a_profile_with_complete_records_states_a_plain_count():
    from palermo.chapters import country_profile as cp

    head = cp.heading(cp.facts({"country": "ITA", "as_of": read_day("2013-01-01")}))
    assert "at least" not in head and "lower bound" not in head


def test_profile_tables_print_no_missing_value_markers():
    from palermo.chapters import country_profile as cp

    rec = cp.record("SSD", PAPER_DATE)
    cells = rec.astype(str).to_numpy().ravel()
    assert not {"None", "<NA>", "nan", "NaT"} & set(cells)


# --- the seminar: answers past the records are not "accepted"; the argument in every pack ---------


def test_a_check_never_confirms_an_answer_the_records_cannot():
    from palermo.teaching import checks

    tip = count_on("TIP", PAPER_DATE).parties  # the lower bound (179), not the named 177
    said = checks.check_parties(tip, "TIP", PAPER_DATE)
    assert said.startswith("Consistent with the records, but not confirmed")
    assert "the Trafficking Protocol (complete through 2018-01-15)" in said
    untoc = count_on("UNTOC", PAPER_DATE).named
    said = checks.check_parties(untoc, "UNTOC", PAPER_DATE)
    assert said.startswith("Correct.") and "UNTOC (complete through " in said


def test_the_teacher_sheet_prints_the_hedge_not_acceptance():
    import nbformat

    from palermo.teaching import printable

    cell = nbformat.v4.new_code_cell("checks.check_parties(answer_1, treaty, as_of)")
    cell.metadata["tags"] = ["check"]
    hedge = "Consistent with the records, but not confirmed: the records of TIP end before"
    cell.outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": f"'{hedge}'"}),
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    (md,) = printable.sheet_cells(nb, "teacher").cells
    assert hedge in md.source and printable.CHECKED not in md.source


def test_the_handout_says_at_least_past_the_records():
    from palermo.teaching import handout

    f = handout.facts(PAPER_DATE)
    assert f["counts"]["TIP"].startswith("at least ") and "complete only through" in f["caveat"]
    assert f["counts"]["UNTOC"] == "190"


@pytest.mark.parametrize("groups", [1, 3])
def test_every_default_pack_has_the_argument_exercise(groups):
    from palermo.teaching import seminar

    drawn = {g["exercise"] for g in seminar.assign(groups, 1, PAPER_DATE)}
    assert seminar.ARGUMENT in drawn


def test_curated_text_is_in_scripts_the_pdf_can_set():
    """The PDF is set by pdfLaTeX: a title quoted in Japanese or Arabic stops the whole build.
    Curated rows give such titles in English with the language named."""
    other = re.compile(r"[\u0400-\u04ff\u0590-\u08ff\u3000-\u9fff\uff00-\uffef]")
    for f in sorted(config.CURATED.glob("*")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1):
            assert not other.search(line), f"{f.name}, line {n}: {other.search(line).group(0)!r}"


def test_a_depositary_notification_number_may_break_at_its_dots():
    from palermo.render import tables

    df = pd.DataFrame({"fact": ["notified by C.N.805.2016.TREATIES-XVIII.10 that year"]})
    page = tables.mimebundle(df)["text/html"]
    assert "C.<wbr>N.<wbr>805.<wbr>2016.<wbr>TREATIES-XVIII.<wbr>10" in page


# --- profiles: whole-word names; the countries and people the paper names ---------------------


def test_a_name_inside_a_word_is_not_a_mention():
    from palermo.chapters import country_profile as cp

    texts = " ".join(cp.mentions("MLI")["text"])
    assert "formalised" not in texts and "Firearms Protocol" in texts
    assert not cp.name_pattern("NER").search("Nigeria") and cp.name_pattern("GBR").search("UK")


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


def test_every_note_of_an_interviewee_from_the_state_is_on_its_profile():
    from palermo.chapters import country_profile as cp

    iv = curated.load("interviews")
    gastrow = set(iv[iv["speaker"] == "Peter Gastrow"]["note"].astype(int))
    m = cp.mentions("ZAF")
    shown = {int(s.split()[3]) for s in m[m["where"] == "interview note"]["source"]}
    assert gastrow <= shown and len(gastrow) == 5


def test_profile_sources_name_no_file_or_row_id():
    from palermo.chapters import country_profile as cp

    for pid in ("ITA", "POL", "USA"):
        sources = " ".join(cp.mentions(pid)["source"])
        assert not re.search(r"\.(yml|csv|md)\b", sources), sources


def test_who_joined_keeps_to_the_states_named_for_joining():
    from palermo.chapters import who_joined

    ps = who_joined.paper_states("UNTOC", PAPER_DATE)
    assert "Mexico" not in set(ps["name"]) and "Monaco" in set(ps["name"])


# --- regional medians say n, and too few States is not a regional figure ---------------------


def test_a_median_over_fewer_than_three_states_says_so():
    assert text.median_cell(10.7, 1) == "1 State: too few for a median"
    assert text.median_cell(3.46, 37) == "3.5 (n=37)"
    from palermo.chapters import ratified_not_used as r
    from palermo.model.participation import signature_to_consent

    m = r.median_by_region(signature_to_consent(["FIREARMS"], PAPER_DATE))
    t = r.median_table(m, ["FIREARMS"]).set_index("region")
    assert t.loc["Oceania", "FIREARMS"].endswith("too few for a median")
    assert t.loc["all", "FIREARMS"].endswith(")") and "n=" in t.loc["all", "FIREARMS"]


def test_tip_and_uncac_have_distinct_colours():
    from palermo.data import treaties

    def rgb(t):
        h = treaties.resolve(t).colour.lstrip("#")
        return [int(h[i : i + 2], 16) for i in (0, 2, 4)]

    distance = sum((a - b) ** 2 for a, b in zip(rgb("TIP"), rgb("UNCAC"), strict=True)) ** 0.5
    assert distance > 150


def test_status_names_every_party_the_2018_header_implies_or_lists_why_not():
    """`palermo status UNCAC --as-of 2018-01-15 --json`: the named parties and the unnamed
    ones add up to the header's count, and each unnamed one comes with the leads that were
    followed and why none is counted."""
    from palermo.model.participation import summary

    s = summary("DRUGS1988", dt.date(2018, 1, 15))
    u = s.unattributed_parties
    assert s.count.named + u.parties == s.coverage.headline.parties == s.count.parties
    assert u.reason and u.candidates
    named = {c.participant for c in u.candidates}
    assert "State of Palestine" in named and "Palau" not in named  # Palau is counted, from a row
    assert all(c.confidence and c.source for c in u.candidates)
    assert summary("DRUGS1988", dt.date(2014, 7, 10)).unattributed_parties is None  # complete
    # UNCAC's four unnamed of 2018 are curated rows now: the header's count is all named
    s = summary("UNCAC", dt.date(2018, 1, 15))
    assert s.count.named == s.count.parties == 183 and s.unattributed_parties is None
    # the JSON `palermo status --json` prints keeps its keys
    d = summary("DRUGS1988", dt.date(2018, 1, 15)).as_dict()
    assert d["named"] + d["unattributed_parties"]["parties"] == d["parties"]
    assert d["unattributed_parties"]["candidates"][0].keys() == {
        "participant",
        "found",
        "confidence",
        "source",
    }


def test_chart_legends_name_instruments_as_readers_know_them():
    """No legend shows DRUGS1988, ROME or SOM, and none is cut short ("FIREAR…")."""
    from palermo.render import charts

    legend = charts.instrument_legend().to_dict()
    assert legend["labelLimit"] == 0
    for short, words in [("ROME", "Rome Statute"), ("DRUGS1988", "1988 Drugs Convention")]:
        assert f"'{short}': '{words}'" in legend["labelExpr"]
    spec = json.dumps(
        charts._spec(
            ratified_not_used.delay_chart(
                ratified_not_used.signature_to_consent(
                    ["UNTOC", "FIREARMS"], read_day("2020-12-23")
                )
            )
        )
    )
    assert "Firearms Protocol" in spec


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


def test_the_ledger_prints_only_the_events_its_claims_rest_on():
    """The 92-row event table was printed twice (chronology and ledger); the ledger now holds
    the rows its claims are checked against, each of them, and names the chapter for the rest."""
    from palermo.chapters import claims as chapter
    from palermo.model import claims

    shown = set(chapter.events_table()["id"])
    assert shown == claims.cited_events()
    assert {"naples-1994", "poland-1996", "congress-05"} <= shown
    assert len(shown) < len(events.load())
    assert 'chapter "From Naples to Palermo, and after" lists every event' in " ".join(
        notebook("claims").split()
    )


def test_new_parties_per_year_after_the_records_end_are_marked_as_lower_bounds():
    """One definition of new parties per year (model.coverage), with the records' reach; the
    per-year bars of "Ratified, not used?" draw the years past it faint, like the curves."""
    from palermo.model.coverage import complete_through, new_parties_per_year

    d = ratified_not_used.per_year(["UNTOC", "FIREARMS"], PAPER_DATE)
    late = d[(d["instrument"] == "FIREARMS") & (d["year"] > complete_through("FIREARMS").year)]
    assert len(late) and (late["records"] == "incomplete").all()
    assert (d[d["year"] <= 2010]["records"] == "complete").all()
    enc = ratified_not_used.per_year_chart(d).to_dict()["encoding"]
    assert enc["opacity"]["field"] == "records"
    assert explanations.new_parties("UNTOC", PAPER_DATE).equals(
        new_parties_per_year("UNTOC", dt.date(2000, 11, 15), PAPER_DATE)
    )


def test_the_cop_table_says_what_each_session_decided_about_review_or_that_it_cannot():
    c = road_to_review.cops().set_index("session")
    assert "res. 9/1" in c.loc[9, "on review"] and "4/1" in c.loc[4, "on review"]
    assert c.loc[11, "on review"] == road_to_review.NO_REVIEW_ENTRY
    assert c.loc[11, "what else the sources record"]
    assert not c.loc[9, "what else the sources record"]
    # COP5, COP7 and COP8 concerned review (reader review 2026-12b, G12): not "nothing"
    assert all(c.loc[n, "on review"] != road_to_review.NO_REVIEW_ENTRY for n in (5, 7, 8))
    assert "does not mean the session decided nothing" in " ".join(
        notebook("road_to_review").split()
    )
