"""Parsers for the raw UNTC status records, into one tidy table of treaty actions.

Two formats (see ../shared/untc-raw/PROVENANCE.md):

* ``untc-csv`` - the 2014 scrapes: ``Participant,Signature,<legend>``, dates like
  ``7 Jun 2004 a`` with the type letter after the date (no letter = ratification);
  footnote markers already stripped by the scraper.
* ``mtdsg-xml`` - the official UNTC XML of January 2018: ISO-8859-1, raw control characters,
  a ``<Declarations>`` part that is not well-formed. Only the ``<Participants>`` block (and,
  for headline counts, ``<ExternalData>``) is cut out, cleaned of the characters
  ``\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f`` and parsed. Footnote markers
  (``China<superscript>1</superscript>``) are removed from the name and kept in ``footnotes``.

Nothing is guessed: an unknown type letter, date format, legend term or participant name is
a :class:`DataError` naming the file and the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from ..errors import DataError
from . import countries, registry, treaties
from .curated import schema_failure
from .vocab import ACTIONS, RATIFY_LIKE, SIGNATURE, TREATY_NUMBER

# Legend terms in the UNTC column header -> (type letter, action). No letter = ratification.
LEGEND = {
    "ratification": (None, "ratification"),
    "acceptance(a)": ("A", "acceptance"),
    "approval(aa)": ("AA", "approval"),
    "accession(a)": ("a", "accession"),
    "succession(d)": ("d", "succession"),
    "formal confirmation(c)": ("c", "formal_confirmation"),
}
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_DATE = re.compile(rf"^(?P<d>\d{{1,2}}) (?P<m>{_MONTHS}) (?P<y>\d{{4}})(?: (?P<t>\S+))?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SUP = re.compile(r"<superscript>\s*(.*?)\s*</superscript>", re.S)

COLUMNS = [
    "treaty",
    "participant",
    "participant_id",
    "action",
    "date",
    "footnotes",
    "source",
    "row",
]

SCHEMA = pa.DataFrameSchema(
    {
        "treaty": pa.Column(str, pa.Check.str_matches(TREATY_NUMBER)),
        "participant": pa.Column(str, pa.Check.str_length(min_value=2)),
        "participant_id": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "action": pa.Column(str, pa.Check.isin(ACTIONS)),
        "date": pa.Column(
            "datetime64[ns]",
            pa.Check.in_range(pd.Timestamp("1945-01-01"), pd.Timestamp("2030-12-31")),
        ),
        "footnotes": pa.Column(str),
        "source": pa.Column(str),
        "row": pa.Column(int, pa.Check.ge(1)),
    },
    checks=[
        # one signature and at most one instrument of consent per participant and treaty
        pa.Check(
            lambda df: (
                ~df.assign(kind=(df["action"] == SIGNATURE)).duplicated(
                    ["source", "treaty", "participant_id", "kind"], keep=False
                )
            ),
            element_wise=False,
            error="one signature and one consent per participant, treaty and source",
        ),
    ],
    strict=True,
    ordered=True,
    coerce=False,
)


def _legend(header: str, where: str) -> dict[str | None, str]:
    """Allowed type letters from a column header such as 'Ratification, Accession(a), ...'."""
    allowed = {}
    for term in (t.strip() for t in header.split(",")):
        key = " ".join(term.split()).lower()
        if key not in LEGEND:
            raise DataError(
                f"{where}: unknown term {term!r} in the column header; known: {sorted(LEGEND)}"
            )
        letter, action = LEGEND[key]
        allowed[letter] = action
    return allowed


def parse_date(text: str, where: str) -> tuple[dt.date, str | None]:
    m = _DATE.match(text.strip())
    if not m:
        raise DataError(
            f"{where}: unknown date format {text!r}; expected e.g. '7 Jun 2004' or '7 Jun 2004 a'"
        )
    try:
        day = dt.datetime.strptime(f"{m['d']} {m['m']} {m['y']}", "%d %b %Y").date()
    except ValueError as exc:
        raise DataError(f"{where}: impossible date {text!r}") from exc
    return day, m["t"]


def _rows_to_actions(treaty: str, source_id: str, fname: str, legend: dict, rows) -> list[dict]:
    """rows: iterable of (row number, raw name, footnotes, signature text, consent text)."""
    out = []
    for rowno, name, foot, sig, consent in rows:
        where = f"{fname}, row {rowno} ({name!r})"
        if not name:
            raise DataError(f"{where}: empty participant name")
        try:
            pid = countries.participant_id(name)
        except countries.UnknownName as exc:
            raise DataError(f"{where}: {exc}") from None
        base = {
            "treaty": treaty,
            "participant": name,
            "participant_id": pid,
            "footnotes": foot,
            "source": source_id,
            "row": rowno,
        }
        if sig.strip():
            day, letter = parse_date(sig, where + ", signature")
            if letter is not None:
                raise DataError(
                    f"{where}: type letter {letter!r} after a signature date; signatures carry none"
                )
            out.append({**base, "action": SIGNATURE, "date": day})
        if consent.strip():
            day, letter = parse_date(consent, where)
            if letter not in legend:
                allowed = ", ".join(repr(k) if k else "none (ratification)" for k in legend)
                raise DataError(
                    f"{where}: unknown type letter {letter!r}; this table allows {allowed}"
                )
            out.append({**base, "action": legend[letter], "date": day})
    return out


def _frame(records: list[dict], where: str) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records, columns=COLUMNS)
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    df["row"] = df["row"].astype(int)
    try:
        return SCHEMA.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:

        def row_of(i) -> str:
            r = df.loc[int(i)]
            return f"row {r['row']} ({r['participant']!r}, read as {r['participant_id']})"

        raise DataError(f"{where}, {schema_failure(exc, row_of)}") from None


def parse_csv(data: bytes, treaty: str, source_id: str, fname: str) -> pd.DataFrame:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{fname}: not UTF-8 ({exc})") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or len(header) != 3 or header[0] != "Participant" or header[1] != "Signature":
        raise DataError(
            f"{fname}, row 1: expected header 'Participant,Signature,<types>', got {header!r}"
        )
    legend = _legend(header[2], f"{fname}, row 1")

    def rows():
        for rowno, rec in enumerate(reader, start=2):
            if not rec:
                continue
            if len(rec) != 3:
                raise DataError(f"{fname}, row {rowno}: expected 3 fields, got {len(rec)}")
            yield rowno, rec[0].strip(), "", rec[1], rec[2]

    return _frame(_rows_to_actions(treaty, source_id, fname, legend, rows()), fname)


def _cut(text: str, tag: str, fname: str) -> ET.Element:
    i, j = text.find(f"<{tag}>"), text.find(f"</{tag}>")
    if i < 0 or j < 0:
        raise DataError(f"{fname}: no <{tag}> block")
    block = _CONTROL.sub("", text[i : j + len(tag) + 3])
    try:
        return ET.fromstring(block)
    except ET.ParseError as exc:
        raise DataError(
            f"{fname}: <{tag}> block is not well-formed after cleaning ({exc})"
        ) from None


def _decode_xml(data: bytes, fname: str) -> str:
    head = data[:100].decode("ascii", "replace").lower()
    if 'encoding="iso-8859-1"' not in head:
        raise DataError(f"{fname}: expected an XML declaration with encoding iso-8859-1")
    return data.decode("latin-1")


def _entry_text(entry: ET.Element) -> tuple[str, str]:
    """Text of a table cell and its footnote markers (escaped or as child elements)."""
    parts, notes = [entry.text or ""], []
    for child in entry:
        if child.tag == "superscript":
            notes.append((child.text or "").strip())
        else:
            parts.append(child.text or "")
        parts.append(child.tail or "")
    text = "".join(parts)
    notes += [n for n in _SUP.findall(text)]
    text = _SUP.sub("", text)
    return " ".join(text.split()), ",".join(n for n in notes if n)


def parse_xml(data: bytes, treaty: str, source_id: str, fname: str) -> pd.DataFrame:
    text = _decode_xml(data, fname)
    table = _cut(text, "Participants", fname)
    head = [" ".join((e.text or "").split()) for e in table.iterfind(".//Thead/Row/Entry")]
    if len(head) != 3 or head[:2] != ["Participant", "Signature"]:
        raise DataError(
            f"{fname}: participants table header {head!r}; expected Participant, Signature, <types>"
        )
    legend = _legend(head[2], f"{fname}, table header")

    def rows():
        for rowno, row in enumerate(table.iterfind(".//Tbody//Row"), start=1):
            cells = [_entry_text(e) for e in row.findall("Entry")]
            if len(cells) != 3:
                raise DataError(f"{fname}, table row {rowno}: expected 3 cells, got {len(cells)}")
            (name, foot), (sig, _), (consent, _) = cells
            yield rowno, name, foot, sig, consent

    return _frame(_rows_to_actions(treaty, source_id, fname, legend, rows()), fname)


def parse_header(data: bytes, fname: str) -> dict:
    """Headline counts and entry-into-force text from a UNTC XML file's header."""
    ext = _cut(_decode_xml(data, fname), "ExternalData", fname)
    out: dict[str, int | str | dt.date | None] = {}
    for key in ("Signatories", "Parties"):
        node = ext.find(f".//Status/{key}")
        if node is None or not (node.text or "").strip().isdigit():
            raise DataError(f"{fname}: header has no numeric <{key}>")
        out[key.lower()] = int((node.text or "").strip())
    chapter = re.search(r"<Header>\s*CHAPTER\s+([IVXLC]+)\s*</Header>", _decode_xml(data, fname))
    num, sub = ext.findtext("Numsect"), ext.findtext("Subnumsect")
    out["number"] = (
        "-".join(x.strip() for x in (chapter.group(1), num or "", sub or "") if x and x.strip())
        if chapter and (num or "").strip()
        else None
    )
    eif = ext.find(".//EIF/Labeltext")
    m = re.match(r"\s*(\d{1,2} [A-Z][a-z]+ \d{4})", eif.text or "") if eif is not None else None
    out["entry_into_force"] = dt.datetime.strptime(m.group(1), "%d %B %Y").date() if m else None
    return out


def parse_source(src: registry.Source) -> pd.DataFrame:
    """The tidy action table of one registered snapshot (hash-verified)."""
    if src.kind != "snapshot":
        raise DataError(f"{src.id} is a {src.kind}, not a snapshot")
    data = registry.read_bytes(src)
    fname = src.path
    if src.format == "untc-csv":
        df = parse_csv(data, src.treaty_number, src.id, fname)
    elif src.format == "mtdsg-xml":
        df = parse_xml(data, src.treaty_number, src.id, fname)
    else:
        raise DataError(f"{src.id}: no parser for format {src.format!r}")
    check_sequence(df, fname, treaties.adopted(src.treaty_number), src.status_date)
    return df


def check_sequence(df: pd.DataFrame, fname: str, adopted: dt.date, status_date: dt.date) -> None:
    """Dates a depositary record cannot hold: before the treaty's adoption, after the snapshot's
    own status date, or a ratification, acceptance or approval before the State's signature."""

    def fail(r, why: str):
        raise DataError(
            f"{fname}, row {r.row} ({r.participant!r}): {r.action} on {r.date.date()} {why}"
        )

    for r in df.itertuples():
        if r.date < pd.Timestamp(adopted):
            fail(r, f"is before the treaty's adoption ({adopted})")
        if r.date > pd.Timestamp(status_date):
            fail(r, f"is after the snapshot's status date ({status_date})")
    signed = df[df["action"] == SIGNATURE].set_index("participant_id")["date"]
    for r in df[df["action"].isin(RATIFY_LIKE)].itertuples():
        if r.participant_id in signed.index and r.date < signed[r.participant_id]:
            fail(r, f"is before its signature ({signed[r.participant_id].date()})")


@lru_cache(maxsize=1)
def _all_snapshots() -> pd.DataFrame:
    frames = [parse_source(s) for s in registry.registry() if s.kind == "snapshot"]
    if not frames:
        raise DataError(
            "sources.yml registers no snapshot (kind: snapshot); the records need one per treaty"
        )
    return pd.concat(frames, ignore_index=True)


def forget_parsed() -> None:
    """After the registry changed (a fetch): parse the snapshots again."""
    _all_snapshots.cache_clear()


def snapshot_actions() -> pd.DataFrame:
    """Every action in every registered snapshot, one row each (a copy)."""
    return _all_snapshots().copy()


def headers() -> pd.DataFrame:
    """Headline counts read from every raw XML file (snapshots and header-only files)."""
    rows = []
    for s in registry.registry():
        if s.format == "mtdsg-xml":
            h = parse_header(registry.read_bytes(s), s.path)
            rows.append(
                {"treaty": s.treaty, "date": pd.Timestamp(s.status_date), "source": s.id, **h}
            )
    return pd.DataFrame(rows)
