import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from palermo.data import countries, registry, untc, vocab
from palermo.errors import DataError

pytestmark = pytest.mark.unit

# Row counts of the 2014 CSV scrapes as PROVENANCE.md tabulates them
# (rows, rows with a signature, rows with ratification etc.).
PROVENANCE_2014 = {
    "XVIII-12": (185, 147, 179),
    "XVIII-12-a": (167, 117, 159),
    "XVIII-12-b": (152, 112, 138),
    "XVIII-12-c": (123, 52, 109),
    "XVIII-14": (178, 140, 171),
    "VI-19": (189, 87, 189),
    "XVIII-9": (170, 58, 168),
    "XVIII-10": (153, 139, 122),
    "XVIII-11": (188, 132, 186),
}


def _counts(df):
    sig = (df["action"] == vocab.SIGNATURE).sum()
    return df["participant_id"].nunique(), int(sig), int(len(df) - sig)


@pytest.mark.parametrize("treaty", sorted(PROVENANCE_2014))
def test_2014_csv_counts_match_provenance(treaty):
    df = untc.parse_source(registry.get(f"untc-2014-{treaty}"))
    assert _counts(df) == PROVENANCE_2014[treaty]


def test_untoc_2014_matches_the_printed_mtdsg_header():
    """'Signatories: 147. Parties: 179' (printed MTDSG, late 2013; PROVENANCE.md)."""
    df = untc.parse_source(registry.get("untc-2014-XVIII-12"))
    assert _counts(df)[1:] == (147, 179)


@pytest.mark.parametrize("treaty", ["XVIII-12-a", "XVIII-12-b", "XVIII-12-c"])
def test_2018_xml_tables_match_their_own_headers(treaty):
    src = registry.get(f"untc-2018-{treaty}")
    df = untc.parse_source(src)
    head = untc.parse_header(registry.read_bytes(src), src.path)
    _, sig, parties = _counts(df)
    assert (sig, parties) == (head["signatories"], head["parties"])


def test_2018_header_counts_are_the_ones_provenance_quotes():
    h = untc.headers().set_index("treaty")
    got = {t: (int(h.at[t, "signatories"]), int(h.at[t, "parties"])) for t in h.index}
    assert got == {
        "XVIII-12-a": (117, 173),
        "XVIII-12-b": (112, 146),
        "XVIII-12-c": (52, 115),
        "XVIII-12": (147, 189),
        "XVIII-14": (140, 183),
        # the peer-treaty headers of the same commit (PROVENANCE.md, section 3)
        "VI-19": (87, 190),
        "XVIII-9": (58, 170),
        "XVIII-10": (138, 123),
        "XVIII-11": (132, 188),
    }


def test_whole_xml_file_is_not_parseable_but_the_participants_block_is():
    src = registry.get("untc-2018-XVIII-12-a")
    data = registry.read_bytes(src)
    with pytest.raises(ET.ParseError):
        ET.fromstring(data)
    assert len(untc.parse_source(src)) > 0


def test_footnote_markers_are_stripped_and_kept():
    df = untc.parse_source(registry.get("untc-2018-XVIII-12-a"))
    china = df[df["participant_id"] == "CHN"]
    assert set(china["participant"]) == {"China"}
    assert set(china["footnotes"]) == {"1"}
    assert not df["participant"].str.contains("superscript|<|&lt;").any()


def test_latin1_names_are_decoded():
    df = untc.parse_source(registry.get("untc-2018-XVIII-12-a"))
    assert "Côte d'Ivoire" in set(df["participant"])


def test_action_letters_map_to_actions():
    df = untc.parse_source(registry.get("untc-2014-VI-19"))
    # VI-19 has every kind, formal confirmation included
    assert set(df["action"]) == set(vocab.ACTIONS)
    eu = df[(df["participant_id"] == "EUU") & (df["action"] != "signature")]
    assert eu["action"].tolist() == ["formal_confirmation"]


@pytest.mark.parametrize(
    "old,new",
    [
        ("Czech Republic", "Czechia"),
        ("Swaziland", "Eswatini"),
        ("The former Yugoslav Republic of Macedonia", "North Macedonia"),
        ("Turkey", "Türkiye"),
        ("European Community", "European Union"),
    ],
)
def test_renamed_participants_share_one_id(old, new):
    assert countries.participant_id(old) == countries.participant_id(new)


def test_no_two_names_share_an_id_within_a_snapshot():
    df = untc.snapshot_actions()
    per = df.groupby(["source", "participant_id"])["participant"].nunique()
    assert (per == 1).all()


CSV_HEADER = (
    'Participant,Signature,"Ratification, Acceptance(A), Approval(AA), Accession(a), '
    'Succession(d)"\n'
)


@pytest.mark.parametrize(
    "row,message",
    [
        ("Monaco,13 Dec 2000,5 Jun 2001 x\n", "unknown type letter 'x'"),
        ("Monaco,13 Dec 2000,2001-06-05\n", "unknown date format '2001-06-05'"),
        ("Monaco,31 Feb 2000,\n", "impossible date"),
        ("Narnia,13 Dec 2000,5 Jun 2001\n", "Narnia"),
        ("Monaco,13 Dec 2000 a,5 Jun 2001\n", "after a signature date"),
        ("Monaco,13 Dec 2000\n", "expected 3 fields"),
    ],
)
def test_bad_csv_rows_name_file_and_row(row, message):
    data = (CSV_HEADER + "Albania,12 Dec 2000,21 Aug 2002\n" + row).encode()
    with pytest.raises(DataError) as exc:
        untc.parse_csv(data, "XVIII-12", "test", "bad.csv")
    assert "bad.csv, row 3" in str(exc.value) and message in str(exc.value)


def test_letter_not_in_this_tables_legend_is_an_error():
    """'c' (formal confirmation) exists, but not in a table whose header does not list it."""
    data = (CSV_HEADER + "Albania,12 Dec 2000,21 Aug 2002 c\n").encode()
    with pytest.raises(DataError, match="row 2.*unknown type letter 'c'"):
        untc.parse_csv(data, "XVIII-12", "test", "bad.csv")


def test_unknown_legend_term_is_an_error():
    data = b'Participant,Signature,"Ratification, Definitive signature(s)"\nAlbania,,1 Jan 2001\n'
    with pytest.raises(DataError, match="bad.csv, row 1: unknown term"):
        untc.parse_csv(data, "XVIII-12", "test", "bad.csv")


def test_two_consents_for_one_participant_fail_the_schema():
    data = (CSV_HEADER + "Albania,12 Dec 2000,21 Aug 2002\nAlbania,,1 Jan 2003 a\n").encode()
    # the message names the file's row and the participant, not a dataframe index (D15)
    with pytest.raises(
        DataError,
        match=r"dup\.csv, row 2 \('Albania', read as ALB\): one "
        r"signature and one consent",
    ):
        untc.parse_csv(data, "XVIII-12", "test", "dup.csv")


def _xml(rows: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="iso-8859-1"?><Document><Participants><Table><TGroup>'
        "<Thead><Row><Entry>Participant</Entry><Entry>Signature</Entry>"
        "<Entry>Ratification, Accession(a)</Entry></Row></Thead><Tbody><Rows>"
        + rows
        + "</Rows></Tbody></TGroup></Table></Participants>"
        "\x1c<Declarations><p></Declarations></Document>"
    ).encode("latin-1")


def test_xml_parser_handles_control_characters_and_escaped_footnotes():
    df = untc.parse_xml(
        _xml(
            "<Row><Entry>C\xf4te d'Ivoire&lt;superscript&gt;2&lt;/superscript&gt;</Entry>"
            "<Entry>15 Dec 2000</Entry><Entry>25 Oct 2012 a</Entry></Row>"
        ),
        "XVIII-12",
        "t",
        "t.xml",
    )
    assert df["participant"].tolist() == ["Côte d'Ivoire"] * 2
    assert df["footnotes"].tolist() == ["2", "2"]
    assert df["action"].tolist() == ["signature", "accession"]


def test_bad_xml_rows_name_file_and_row():
    rows = (
        "<Row><Entry>Albania</Entry><Entry /><Entry>8 Feb 2008 a</Entry></Row>"
        "<Row><Entry>Algeria</Entry><Entry /><Entry>25 Aug 2004 AA</Entry></Row>"
    )
    with pytest.raises(DataError, match=r"t.xml, row 2 \('Algeria'\): unknown type letter 'AA'"):
        untc.parse_xml(_xml(rows), "XVIII-12-c", "t", "t.xml")


def test_xml_without_participants_block_is_an_error():
    with pytest.raises(DataError, match="no <Participants> block"):
        untc.parse_xml(
            b'<?xml version="1.0" encoding="iso-8859-1"?><Document/>', "XVIII-12", "t", "t.xml"
        )


def test_tidy_table_passes_the_schema():
    df = untc.snapshot_actions()
    untc.SCHEMA.validate(df)
    assert list(df.columns) == untc.COLUMNS
    assert pd.api.types.is_datetime64_any_dtype(df["date"])


@pytest.mark.parametrize(
    "row,why",
    [
        ("Italy,12 Dec 2000,1 Dec 2000", "before its signature"),  # D16
        ("Italy,12 Dec 1999,2 Aug 2006", "before the treaty's adoption"),
        ("Italy,12 Dec 2030,", "after the snapshot's status date"),
    ],
)
def test_impossible_sequences_in_a_snapshot_are_errors(row, why):
    import datetime as dt

    data = (CSV_HEADER + row + "\n").encode()
    df = untc.parse_csv(data, "XVIII-12", "test", "seq.csv")
    with pytest.raises(DataError, match=rf"seq\.csv, row 2 \('Italy'\): .* {why}"):
        untc.check_sequence(df, "seq.csv", dt.date(2000, 11, 15), dt.date(2014, 1, 27))


def test_the_registered_snapshots_hold_no_impossible_sequence():
    assert len(untc.snapshot_actions()) > 2000  # parse_source checks every snapshot
