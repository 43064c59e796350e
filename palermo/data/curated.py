"""Records this project curates by hand (``data/curated/``), each behind a schema.

``data/curated/manifest.yml`` lists every curated file with its source, licence, schema and
the chapters that read it. CSV files are checked with pandera schemas, YAML files with
pydantic models; one loader (:func:`load`) reads any of them, and a bad row or entry is a
:class:`DataError` naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pandera.pandas as pa
import pydantic

from .. import config, files
from ..errors import DataError
from . import vocab
from .schema import Strict as _Strict
from .schema import validate

# --- CSV schemas (pandera) ------------------------------------------------------------------------

_TREATY = pa.Check.str_matches(vocab.TREATY_NUMBER)
_TEXT = pa.Check.str_length(min_value=3)


def _frame(columns: dict, **kw) -> pa.DataFrameSchema:
    """A table schema with exactly these columns, in this order."""
    return pa.DataFrameSchema(columns, strict=True, ordered=True, **kw)


@dataclass(frozen=True)
class CsvSchema:
    """A pandera schema plus how to read the text columns: which are ISO dates, which whole
    numbers, and which may be left empty (read as missing)."""

    schema: pa.DataFrameSchema
    dates: tuple[str, ...] = ()
    ints: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()


def _actions_checks() -> list[pa.Check]:
    return [
        pa.Check(
            lambda df: df["earliest"] <= df["latest"],
            element_wise=False,
            error="earliest must not be after latest",
        ),
        pa.Check(
            lambda df: (df["date_precision"] != "day") | (df["earliest"] == df["latest"]),
            element_wise=False,
            error="a 'day' row has earliest == latest",
        ),
        pa.Check(
            lambda df: (
                (df["date_precision"] != "year") | (df["earliest"].dt.year == df["latest"].dt.year)
            ),
            element_wise=False,
            error="a 'year' row has earliest and latest in that year",
        ),
        pa.Check(
            lambda df: (df["date_precision"] != "range") | (df["earliest"] < df["latest"]),
            element_wise=False,
            error="a 'range' row has earliest < latest",
        ),
    ]


def _codebook_themes() -> list[str]:
    return list(load("codebook").themes)


def _codebook_stances() -> list[str]:
    return list(load("codebook").stances)


def _interviews_schema() -> pa.DataFrameSchema:
    themes = set(_codebook_themes())
    return _frame(
        {
            "note": pa.Column(int, pa.Check.in_range(1, 36), unique=True),
            "speaker": pa.Column(str, _TEXT),
            "role": pa.Column(str, _TEXT),
            "section": pa.Column(str),
            "themes": pa.Column(
                str,
                pa.Check(
                    lambda s: s.str.split(";").map(lambda ts: all(t in themes for t in ts)),
                    element_wise=False,
                    error="every theme is in codebook.yml",
                ),
            ),
            "stance": pa.Column(str, pa.Check.isin(_codebook_stances())),
            "stance_on": pa.Column(str, pa.Check.isin(["", "convention", "mechanism"])),
            "paraphrase": pa.Column(str, pa.Check.str_length(min_value=10, max_value=240)),
            "source": pa.Column(str, pa.Check.str_contains("note")),
        },
        checks=[
            pa.Check(
                lambda df: (df["stance"] == "none") == (df["stance_on"] == ""),
                element_wise=False,
                error="a stance names what it is on (convention or mechanism), "
                "and only a stance does",
            )
        ],
    )


CSV_SCHEMAS: dict[str, Callable[[], CsvSchema]] = {
    "treaty_actions": lambda: CsvSchema(
        _frame(
            {
                "treaty": pa.Column(str, _TREATY),
                "participant": pa.Column(str, _TEXT),
                "action": pa.Column(str, pa.Check.isin(vocab.CURATED_ACTIONS)),
                "date_precision": pa.Column(str, pa.Check.isin(vocab.ACTION_PRECISIONS)),
                "earliest": pa.Column("datetime64[ns]"),
                "latest": pa.Column("datetime64[ns]"),
                "evidence": pa.Column(str, pa.Check.isin(vocab.EVIDENCE)),
                "source": pa.Column(str, _TEXT),
                "url": pa.Column(str, nullable=True),
                "note": pa.Column(str, nullable=True),
            },
            checks=_actions_checks(),
        ),
        dates=("earliest", "latest"),
        optional=("url", "note"),
    ),
    "party_counts": lambda: CsvSchema(
        _frame(
            {
                "treaty": pa.Column(str, _TREATY),
                "date": pa.Column("datetime64[ns]"),
                "parties": pa.Column(int, pa.Check.ge(0)),
                "signatories": pa.Column(int, pa.Check.ge(0)),
                "source": pa.Column(str, _TEXT),
                "url": pa.Column(str, nullable=True),
            },
            unique=["treaty", "date"],
        ),
        dates=("date",),
        ints=("parties", "signatories"),
        optional=("url",),
    ),
    "count_statements": lambda: CsvSchema(
        _frame(
            {
                "treaty": pa.Column(str, _TREATY),
                "date": pa.Column("datetime64[ns]"),
                "parties": pa.Column(int, pa.Check.ge(1)),
                # an ordinal names the participant that became the Nth party; a count does not
                "kind": pa.Column(str, pa.Check.isin(vocab.STATEMENT_KINDS)),
                "participant": pa.Column(str, nullable=True),
                "source": pa.Column(str, pa.Check.str_length(min_value=20)),
                "url": pa.Column(str, nullable=True),
                "note": pa.Column(str, nullable=True),
            },
            checks=[
                pa.Check(
                    lambda df: (df["kind"] == "ordinal") == df["participant"].notna(),
                    element_wise=False,
                    error="an ordinal names its participant, and only an ordinal does",
                )
            ],
            unique=["treaty", "date", "parties"],
        ),
        dates=("date",),
        ints=("parties",),
        optional=("participant", "url", "note"),
    ),
    "events": lambda: CsvSchema(
        _frame(
            {
                "id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9][a-z0-9-]*$"), unique=True),
                "start": pa.Column("datetime64[ns]"),
                "end": pa.Column("datetime64[ns]"),
                "precision": pa.Column(str, pa.Check.isin(vocab.EVENT_PRECISIONS)),
                "event": pa.Column(str, pa.Check.str_length(min_value=5)),
                "place": pa.Column(str, nullable=True),
                "category": pa.Column(str, pa.Check.isin(vocab.CATEGORIES)),
                "symbol": pa.Column(str, nullable=True),
                "source": pa.Column(str, pa.Check.str_length(min_value=10)),
                "confidence": pa.Column(str, pa.Check.isin(vocab.CONFIDENCE)),
                "note": pa.Column(str, nullable=True),
                # The participants the event concerns, by participant id (ISO3, EUU for the EU),
                # ';'-separated; empty when it concerns no particular one. A participant is
                # concerned when it acted: its leader or delegation spoke, proposed, presided
                # or deposited; its government issued the act; it hosted, at its invitation, a
                # meeting away from the UN's seats (Naples 1994, Palermo 2000, a Crime Congress
                # in Kyoto); or its people were the ones attacked (Capaci, 9/11). A session at
                # a UN seat (New York, Geneva, Vienna) does not concern the host country. That
                # every code is a known participant is checked by events().
                "countries": pa.Column(
                    str,
                    pa.Check.str_matches(r"^[A-Z]{3}(;[A-Z]{3})*$"),
                    nullable=True,
                ),
            },
            checks=[
                pa.Check(
                    lambda df: df["start"] <= df["end"], element_wise=False, error="start after end"
                ),
                pa.Check(
                    lambda df: (df["precision"] != "day") | (df["start"] == df["end"]),
                    element_wise=False,
                    error="a 'day' event has start == end",
                ),
            ],
        ),
        dates=("start", "end"),
        optional=("place", "symbol", "note", "countries"),
    ),
    "interviews": lambda: CsvSchema(_interviews_schema(), ints=("note",)),
    "people": lambda: CsvSchema(
        _frame(
            {
                "id": pa.Column(
                    str, pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$"), unique=True
                ),
                "name": pa.Column(str, _TEXT),
                "role": pa.Column(str, _TEXT),
                "affiliation": pa.Column(str, nullable=True),
                "group": pa.Column(str, pa.Check.isin(vocab.PEOPLE_GROUPS)),
                "section": pa.Column(str, _TEXT),
                "quote": pa.Column(str, pa.Check.str_length(min_value=10)),
                # interview notes (interviews.csv) the person speaks in, ';'-separated
                "notes": pa.Column(str, pa.Check.str_matches(r"^(\d+(;\d+)*)?$"), nullable=True),
                "source": pa.Column(str, _TEXT),
            }
        ),
        optional=("affiliation", "notes"),
    ),
    "paper_counts": lambda: CsvSchema(
        _frame(
            {
                "treaty": pa.Column(str, _TREATY, unique=True),
                "parties": pa.Column(int, pa.Check.ge(0)),
                "section": pa.Column(str, _TEXT),
                "wording": pa.Column(str, _TEXT),
                "source": pa.Column(str, _TEXT),
            }
        ),
        ints=("parties",),
    ),
    "arms_exporters": lambda: CsvSchema(
        _frame(
            {
                "rank": pa.Column(int, pa.Check.ge(1), unique=True),
                "participant": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
                "name": pa.Column(str, _TEXT),
                "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{4}$")),
                "source": pa.Column(str, _TEXT),
            }
        ),
        ints=("rank",),
    ),
    "leads": lambda: CsvSchema(
        _frame(
            {
                "treaty": pa.Column(
                    str, pa.Check.str_matches(r"^[IVX]+-\d+(-[a-z])?(;[IVX]+-\d+(-[a-z])?)*$")
                ),
                "participant": pa.Column(str, _TEXT),
                "fact": pa.Column(str, pa.Check.str_length(min_value=20)),
                "confidence": pa.Column(str, _TEXT),
                "source": pa.Column(str, _TEXT),
                "url": pa.Column(str, nullable=True),
            }
        ),
        optional=("url",),
    ),
    "un_admissions": lambda: CsvSchema(
        _frame(
            {
                "participant_id": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), unique=True),
                "name": pa.Column(str, _TEXT),
                "admitted": pa.Column("datetime64[ns]"),
                "source": pa.Column(str, _TEXT),
            }
        ),
        dates=("admitted",),
    ),
    "un_names": lambda: CsvSchema(
        _frame(
            {
                "participant_id": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), unique=True),
                "name": pa.Column(str, _TEXT),
                "former": pa.Column(str, _TEXT),
                "changed": pa.Column(int, pa.Check.in_range(1945, 2100)),
                "source": pa.Column(str, _TEXT),
            }
        ),
        ints=("changed",),
    ),
}


def read_csv(path: Path, spec: CsvSchema) -> pd.DataFrame:
    """The one CSV loader: text in, typed and validated frame out; any bad value is a
    DataError naming the file, the row (as a spreadsheet shows it) and the column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{path}: missing") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read it ({exc})") from None
    rows = list(csv.reader(io.StringIO(text)))
    for i, row in enumerate(rows[1:], start=2):
        if row and len(row) != len(rows[0]):
            raise DataError(
                f"{path.name}, row {i}: {len(row)} fields, but the header has "
                f"{len(rows[0])}; quote a value that holds a comma"
            )
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    expected = list(spec.schema.columns)
    if list(df.columns) != expected:
        raise DataError(f"{path.name}: columns {list(df.columns)}; expected {expected}")
    for col in spec.dates:
        parsed = pd.to_datetime(df[col], format="%Y-%m-%d", errors="coerce")
        if parsed.isna().any():
            i = int(parsed.isna().idxmax())
            raise DataError(
                f"{path.name}, row {i + 2}, column {col}: {df.at[i, col]!r} is not an "
                "ISO date YYYY-MM-DD"
            )
        future = parsed > pd.Timestamp(config.today())
        if future.any():
            i = int(future.idxmax())
            raise DataError(
                f"{path.name}, row {i + 2}, column {col}: {df.at[i, col]} is after "
                f"today ({config.today()}); a record cannot speak of the future"
            )
        df[col] = parsed.astype("datetime64[ns]")
    for col in spec.ints:
        bad = ~df[col].str.fullmatch(r"\d+")
        if bad.any():
            i = int(bad.idxmax())
            raise DataError(
                f"{path.name}, row {i + 2}, column {col}: {df.at[i, col]!r} is not a whole number"
            )
        df[col] = df[col].astype(int)
    for col in spec.optional:
        df[col] = df[col].replace("", None)
    try:
        return spec.schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise DataError(
            f"{path.name}, {schema_failure(exc, lambda i: f'row {int(i) + 2}')}"
        ) from None


_CHECK_WORDS = {
    "multiple_fields_uniqueness": "the same values appear in two rows",
    "field_uniqueness": "the value appears in two rows",
}


def schema_failure(exc: pa.errors.SchemaErrors, row_of) -> str:
    """'row 5, column confidence: 'certain' fails isin(...)' (or, for a check across columns,
    'row 5: earliest must not be after latest'), from pandera's first failure. ``row_of`` turns
    a dataframe index into the row a reader can find."""
    fc = exc.failure_cases
    first = fc.iloc[0]
    idx = first["index"]
    row = row_of(idx) if pd.notna(idx) else "the table"
    check = _CHECK_WORDS.get(str(first["check"]), str(first["check"]))
    more = f" ({len(fc)} failure(s) in all)" if len(fc) > 1 else ""
    if first.get("schema_context") == "DataFrameSchema" or pd.isna(first["column"]):
        same = fc[fc["check"] == first["check"]]["column"].dropna()
        cols = ", ".join(dict.fromkeys(map(str, same)))
        return f"{row}: {check}{f' ({cols})' if cols and check != first['check'] else ''}{more}"
    return f"{row}, column {first['column']}: {first['failure_case']!r} fails {check}{more}"


# --- YAML schemas (pydantic) ----------------------------------------------------------------------


class _EifRule(_Strict):
    n: int
    days: int
    reio_counted: bool = True
    first_of_month: bool = False
    not_before: str | None = None


class _Eif(_Strict):
    rule: _EifRule
    article: str
    official: dt.date | None  # None: not in force
    source: str


class _Treaty(_Strict):
    short: str
    colour: str = pydantic.Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    # the name in every table, chart and sentence: short enough for a legend on one line
    # ("Terrorist Financing Convention")
    label: str = pydantic.Field(min_length=1, max_length=32)
    number: str = pydantic.Field(pattern=vocab.TREATY_NUMBER)
    mtdsg_xml: str = pydantic.Field(pattern=r"^Volume%20[IVX]+/Chapter%20[IVX]+/[\w-]+\.en\.xml$")
    name: str
    entry_into_force: _Eif
    # for a treaty newer than the raw UNTC index: its adoption, with a source
    adopted: dt.date | None = None
    adopted_source: str | None = None
    # False for a treaty whose participant records are not held (yet): no snapshot is needed
    records_expected: bool = True


class TreatiesDoc(_Strict):
    treaties: list[_Treaty]
    groups: dict[str, list[str]]

    @pydantic.model_validator(mode="after")
    def _groups_name_treaties(self):
        known = {t.short for t in self.treaties}
        for name, members in self.groups.items():
            unknown = [m for m in members if m not in known]
            if unknown:
                raise ValueError(f"group {name!r} names unknown treaties {unknown}")
        return self


class Claim(_Strict):
    id: str
    claim: str
    section: str
    refers_to: dt.date | int | str
    reasoning: str | None = None
    computation: str
    args: dict[str, Any] = {}
    compare: Literal[vocab.COMPARES]  # type: ignore[valid-type]
    paper_value: Any
    # one of vocab.VERDICTS, a partial match written "match: <what it confirms>"
    verdict: str
    explanation: str | None = None
    # a causal claim: the evidence that would test it (treaty records cannot)
    would_test: str | None = None
    evidence: str

    @pydantic.field_validator("verdict")
    @classmethod
    def _a_verdict(cls, v: str) -> str:
        kind = vocab.verdict_kind(v)
        if kind not in vocab.VERDICTS or v == vocab.PARTIAL_MATCH or v == vocab.PARTIAL_PREFIX:
            whole = ", ".join(k for k in vocab.VERDICTS if k != vocab.PARTIAL_MATCH)
            raise ValueError(
                f"verdict {v!r}: allowed: {whole}"
                f", or '{vocab.PARTIAL_PREFIX}<what it confirms>' (e.g. 'match: year only')"
            )
        return v

    @pydantic.model_validator(mode="after")
    def _explained(self):
        if self.verdict != "match" and not self.explanation:
            raise ValueError(f"a {self.verdict!r} verdict needs an explanation")
        if (self.compare == "causal") != (self.verdict == vocab.NOT_TESTABLE):
            raise ValueError(
                f"compare 'causal' and the verdict {vocab.NOT_TESTABLE!r} go together "
                f"(compare {self.compare!r}, verdict {self.verdict!r})"
            )
        if self.compare == "causal" and not self.would_test:
            raise ValueError("a causal claim needs 'would_test': the evidence that would test it")
        return self


class Ungraded(_Strict):
    """Statements of the paper the ledger leaves ungraded on purpose, with the reason (the
    page prints them, so that silence is never mistaken for a check)."""

    section: str
    statements: list[str]
    reason: str
    source: str | None = None


class ClaimsDoc(_Strict):
    sections: list[str]
    claims: list[Claim]
    ungraded: list[Ungraded] = []

    @pydantic.model_validator(mode="after")
    def _unique_and_placed(self):
        seen = set()
        for c in self.claims:
            if c.id in seen:
                raise ValueError(f"claim {c.id!r} appears twice")
            seen.add(c.id)
            if c.section not in self.sections:
                raise ValueError(f"claim {c.id!r}: section {c.section!r} is not under 'sections'")
        for u in self.ungraded:
            if u.section not in self.sections:
                raise ValueError(f"ungraded: section {u.section!r} is not under 'sections'")
        return self


class CodebookDoc(_Strict):
    themes: dict[str, str]
    # each theme's name for readers: every theme has one, and only themes do
    labels: dict[str, str]
    stances: dict[str, str]

    @pydantic.model_validator(mode="after")
    def _every_theme_labelled(self):
        if set(self.labels) != set(self.themes):
            missing = sorted(set(self.themes) - set(self.labels))
            extra = sorted(set(self.labels) - set(self.themes))
            raise ValueError(
                f"labels: every theme needs one label and no other key is allowed "
                f"(missing: {missing or 'none'}; not a theme: {extra or 'none'})"
            )
        return self


class _Correction(_Strict):
    id: str
    topic: str
    paper: str
    section: str
    research: str
    events: list[str]
    source: str


class CorrectionsDoc(_Strict):
    corrections: list[_Correction]


class _Era(_Strict):
    id: str
    label: str
    start: dt.date | None = None
    start_basis: str | None = None
    start_event: str | None = None
    end: dt.date | None = None
    end_basis: str | None = None
    end_event: str | None = None
    section: str
    voice: str = pydantic.Field(min_length=20)  # whose era: the paper's, or an interviewee's
    notes: list[int] = []

    @pydantic.model_validator(mode="after")
    def _one_start(self):
        if (self.start is None) == (self.start_event is None):
            raise ValueError("give exactly one of start and start_event")
        if self.end is not None and self.end_event is not None:
            raise ValueError("give at most one of end and end_event")
        return self


class ErasDoc(_Strict):
    eras: list[_Era]


class _StateGroup(_Strict):
    id: str
    label: str
    # what the paper names them for: joining (the chapter "Who joined"), or the negotiation
    # or the review (their profiles only)
    topic: Literal["joining", "negotiation", "review"] = "joining"
    participants: list[str]
    section: str
    source: str


class PaperStatesDoc(_Strict):
    groups: list[_StateGroup]


class _Explanation(_Strict):
    id: str = pydantic.Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    label: str = pydantic.Field(min_length=3)
    claim: str = pydantic.Field(min_length=20)
    section: str
    quote: str = pydantic.Field(min_length=10)
    notes: list[int]
    events: list[str]
    for_: str = pydantic.Field(alias="for", min_length=10)
    against: str = pydantic.Field(min_length=10)
    records_can_show: str = pydantic.Field(min_length=10)
    would_test_it: str = pydantic.Field(min_length=10)
    # the event the account turns on, drawn on the pace chart (default: its earliest event)
    turns_on: str | None = None

    @pydantic.model_validator(mode="after")
    def _turns_on_is_an_event(self):
        if self.turns_on is not None and self.turns_on not in self.events:
            raise ValueError(f"turns_on {self.turns_on!r} is not one of its events {self.events}")
        return self


def _once_each(what: str, values) -> None:
    """Refuse a list in which a value (an id, a term) appears more than once, naming them."""
    values = list(values)
    dup = sorted({v for v in values if values.count(v) > 1})
    if dup:
        raise ValueError(f"{what} used twice: {dup}")


class ExplanationsDoc(_Strict):
    question: str
    explanations: list[_Explanation] = pydantic.Field(min_length=2)

    @pydantic.model_validator(mode="after")
    def _unique(self):
        _once_each("ids", (e.id for e in self.explanations))
        return self


class _PaperSection(_Strict):
    section: str
    argues: str = pydantic.Field(min_length=20)
    pages: list[str] = pydantic.Field(min_length=1)
    missing: str | None = None


class SectionsDoc(_Strict):
    sections: list[_PaperSection] = pydantic.Field(min_length=2)


_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class _Quoted(_Strict):
    """An entry that speaks for the paper: a verbatim quote and the paper's section heading
    (tests/project/test_convention_doc.py checks both against the paper's text)."""

    id: str = pydantic.Field(pattern=_ID)
    quote: str = pydantic.Field(min_length=10)
    section: str = pydantic.Field(min_length=3)


class _Element(_Quoted):
    element: str = pydantic.Field(min_length=3)
    explained: str = pydantic.Field(min_length=20)


class _Point(_Quoted):
    point: str = pydantic.Field(min_length=20)
    event: str | None = None


class _Block(_Quoted):
    block: str = pydantic.Field(min_length=3)
    explained: str = pydantic.Field(min_length=20)


class _Terrorism(_Strict):
    explained: str = pydantic.Field(min_length=20)
    opposed: list[str]
    advocated_inclusion: list[str] = []
    quote: str = pydantic.Field(min_length=10)
    section: str


class _ReviewMechanism(_Strict):
    design: list[_Point] = pydantic.Field(min_length=1)
    stumbling_blocks: list[_Block] = pydantic.Field(min_length=4, max_length=4)
    reform_ideas: list[_Point] = pydantic.Field(min_length=1)


class _CyberFact(_Strict):
    event: str
    fact: str = pydantic.Field(min_length=20)


class _Bearing(_Strict):
    conclusion: str
    point: str = pydantic.Field(min_length=20)


class _Cybercrime(_Strict):
    facts: list[_CyberFact] = pydantic.Field(min_length=1)
    bearing: list[_Bearing] = pydantic.Field(min_length=1)


class ConventionDoc(_Strict):
    elements: list[_Element] = pydantic.Field(min_length=5)
    terrorism: _Terrorism
    review_mechanism: _ReviewMechanism
    conclusions: list[_Point] = pydantic.Field(min_length=2)
    cybercrime: _Cybercrime

    @pydantic.model_validator(mode="after")
    def _ids_and_references(self):
        lists = {
            "elements": self.elements,
            "review_mechanism.design": self.review_mechanism.design,
            "review_mechanism.stumbling_blocks": self.review_mechanism.stumbling_blocks,
            "review_mechanism.reform_ideas": self.review_mechanism.reform_ideas,
            "conclusions": self.conclusions,
        }
        for name, items in lists.items():
            _once_each(f"{name}: ids", (i.id for i in items))
        known = {c.id for c in self.conclusions}
        for b in self.cybercrime.bearing:
            if b.conclusion not in known:
                raise ValueError(
                    f"cybercrime.bearing names conclusion {b.conclusion!r}; known: {sorted(known)}"
                )
        return self


class _NaplesStatement(_Strict):
    id: str = pydantic.Field(pattern=_ID)
    statement: str = pydantic.Field(min_length=20)
    quote: str = pydantic.Field(min_length=10)
    cites: str
    people: list[str]


class NaplesDoc(_Strict):
    statements: list[_NaplesStatement] = pydantic.Field(min_length=3)

    @pydantic.model_validator(mode="after")
    def _unique(self):
        _once_each("statement ids", (st.id for st in self.statements))
        return self


class _TextNote(_Strict):
    id: str = pydantic.Field(pattern=_ID)
    paper_text: str = pydantic.Field(min_length=5)
    section: str
    note: str = pydantic.Field(min_length=20)
    source: str = pydantic.Field(min_length=10)


class TextNotesDoc(_Strict):
    notes: list[_TextNote] = pydantic.Field(min_length=1)

    @pydantic.model_validator(mode="after")
    def _unique(self):
        _once_each("note ids", (n.id for n in self.notes))
        return self


class _GlossaryTerm(_Strict):
    id: str = pydantic.Field(pattern=_ID)
    term: str = pydantic.Field(min_length=2)
    match: list[str] = pydantic.Field(min_length=1)
    definition: str = pydantic.Field(min_length=30)
    source: str = pydantic.Field(min_length=5)

    @pydantic.field_validator("match")
    @classmethod
    def _patterns_compile(cls, v: list[str]) -> list[str]:
        for pattern in v:
            try:
                if re.compile(pattern).search(""):
                    raise ValueError(f"pattern {pattern!r} matches the empty string")
            except re.error as exc:
                raise ValueError(
                    f"pattern {pattern!r} is not a regular expression ({exc})"
                ) from None
        return v


class GlossaryDoc(_Strict):
    terms: list[_GlossaryTerm] = pydantic.Field(min_length=5)

    @pydantic.model_validator(mode="after")
    def _unique(self):
        for field in ("id", "term"):
            _once_each(f"glossary {field}s", (getattr(t, field) for t in self.terms))
        return self


class _CountReading(_Strict):
    id: str = pydantic.Field(pattern=_ID)
    label: str = pydantic.Field(min_length=3)
    date: dt.date
    counts: dict[str, int]
    source: str = pydantic.Field(min_length=20)
    confidence: Literal[vocab.CONFIDENCE]  # type: ignore[valid-type]
    against: str = pydantic.Field(min_length=20)


class CountReadingsDoc(_Strict):
    readings: list[_CountReading] = pydantic.Field(min_length=1)

    @pydantic.model_validator(mode="after")
    def _unique(self):
        _once_each("reading ids", (r.id for r in self.readings))
        return self


# --- the seminar kit (seminar_kit.yml): the printable sheets of the teaching stage -------------

# a page a kit entry sends the reader to: the paper (with its pages), or a page of the book by
# its path without suffix ("book/claims", "book/figure1/paper-date")
_WHERE = r"^(paper|book/[a-z0-9_]+(/[a-z0-9_-]+)*)$"
_SOURCE = pydantic.Field(min_length=3)


class _PreReading(_Strict):
    what: str = pydantic.Field(min_length=3)
    where: str = pydantic.Field(pattern=_WHERE)
    # "53-58", "55" or "53-54, 60" (a bare number, which YAML reads as one, is taken as text)
    pages: str | None = pydantic.Field(default=None, pattern=r"^\d+([-–,] ?\d+)*$")

    @pydantic.field_validator("pages", mode="before")
    @classmethod
    def _pages_text(cls, v):
        return str(v) if isinstance(v, int) else v

    @pydantic.model_validator(mode="after")
    def _paper_has_pages(self):
        if self.where == "paper" and not self.pages:
            raise ValueError("a reading in the paper gives its pages (e.g. pages: '53-58')")
        return self


class _CardLine(_Strict):
    """One line a camp argues from: its words (verbatim when ``quote``) and where they are."""

    text: str = pydantic.Field(min_length=5)
    quote: bool = False
    source: str = _SOURCE
    url: str | None = None


class _Camp(_Strict):
    name: str = pydantic.Field(min_length=2)
    members: str = pydantic.Field(min_length=2)
    lines: list[_CardLine] = pydantic.Field(min_length=1)


class _RoleCard(_Strict):
    id: str = pydantic.Field(pattern=_ID)
    title: str = pydantic.Field(min_length=3)
    setting: str = pydantic.Field(min_length=10)
    source: str = _SOURCE
    camps: list[_Camp] = pydantic.Field(min_length=2)
    outcome: str = pydantic.Field(min_length=10)
    outcome_source: str = _SOURCE


class _PrimarySource(_Strict):
    id: str = pydantic.Field(pattern=_ID)
    title: str = pydantic.Field(min_length=3)
    symbol: str = pydantic.Field(min_length=2)
    date: dt.date
    excerpt: str = pydantic.Field(min_length=10)
    url: str | None = None
    note: str | None = None


class _ReadingItem(_Strict):
    cite: str | None = None  # its key in references.bib, where it has one
    text: str = pydantic.Field(min_length=5)
    annotation: str = pydantic.Field(min_length=10)
    url: str | None = None


class _ReadingList(_Strict):
    core: list[_ReadingItem] = pydantic.Field(min_length=1)
    advanced: list[_ReadingItem] = []
    # the texts and tools a student uses online (the Convention, the guides, SHERLOC)
    online: list[_ReadingItem] = []


class _QuizItem(_Strict):
    question: str = pydantic.Field(min_length=5)
    answer: str = pydantic.Field(min_length=1)
    where: str = pydantic.Field(pattern=_WHERE)


class _DiscussionNote(_Strict):
    prompt: str = pydantic.Field(min_length=5)
    note: str = pydantic.Field(min_length=10)
    where: str = pydantic.Field(pattern=_WHERE)


class _NotHeard(_Strict):
    who: str = pydantic.Field(min_length=3)
    why_it_matters: str = pydantic.Field(min_length=10)
    source: str = _SOURCE


class _OutsideEvidence(_Strict):
    explanation: str  # an id of explanations.yml
    evidence: str = pydantic.Field(min_length=10)
    source: str = _SOURCE
    url: str | None = None
    found: bool  # False: looked for and not found (``evidence`` says where)


class _HandoutQuote(_Strict):
    id: str
    quote: str  # verbatim, on one line of the paper's text
    # the heading it stands under, or "Introduction" for the paragraphs before the first one
    section: str


class SeminarKitDoc(_Strict):
    outcomes: list[str] = pydantic.Field(min_length=1)
    pre_reading: list[_PreReading] = pydantic.Field(min_length=1)
    role_cards: list[_RoleCard] = pydantic.Field(min_length=1)
    primary_sources: list[_PrimarySource] = pydantic.Field(min_length=1)
    reading: _ReadingList
    quiz: list[_QuizItem] = pydantic.Field(min_length=1)
    essays: list[str] = pydantic.Field(min_length=1)
    discussion_notes: list[_DiscussionNote] = pydantic.Field(min_length=1)
    not_heard: list[_NotHeard] = pydantic.Field(min_length=1)
    outside_evidence: list[_OutsideEvidence] = pydantic.Field(min_length=1)
    handout: list[_HandoutQuote] = pydantic.Field(min_length=1)

    @pydantic.model_validator(mode="after")
    def _ids_and_explanations(self):
        _once_each("role card ids", (c.id for c in self.role_cards))
        _once_each("primary source ids", (s.id for s in self.primary_sources))
        _once_each("handout quotation ids", (q.id for q in self.handout))
        known = {e.id for e in load("explanations").explanations}
        unknown = sorted({o.explanation for o in self.outside_evidence} - known)
        if unknown:
            raise ValueError(
                f"outside_evidence names explanations {unknown} that the argument map does not "
                f"hold; known: {', '.join(sorted(known))}"
            )
        return self


YAML_SCHEMAS: dict[str, type[_Strict]] = {
    "convention": ConventionDoc,
    "glossary": GlossaryDoc,
    "naples": NaplesDoc,
    "text_notes": TextNotesDoc,
    "count_readings": CountReadingsDoc,
    "explanations": ExplanationsDoc,
    "sections": SectionsDoc,
    "treaties": TreatiesDoc,
    "claims": ClaimsDoc,
    "codebook": CodebookDoc,
    "corrections": CorrectionsDoc,
    "eras": ErasDoc,
    "paper_states": PaperStatesDoc,
    "seminar_kit": SeminarKitDoc,
}


def read_yaml(path: Path, model: type[_Strict]) -> _Strict:
    """A YAML file checked against its model, returned as that model (frozen, read by
    attribute: ``load("claims").claims[0].verdict``); a DataError names the file, the entry
    and the field (:func:`.schema.validate`)."""
    return validate(model, files.read_yaml(path, DataError), path.name)


# --- the manifest and the one loader --------------------------------------------------------------


@dataclass(frozen=True)
class CuratedFile:
    name: str  # the file's stem: treaty_actions, claims, ...
    path: Path
    records: str  # what it records, as a reader names it ("The chronology")
    schema: str  # a key of CSV_SCHEMAS or YAML_SCHEMAS
    source: str
    licence: str
    chapters: tuple[str, ...]
    pages: tuple[str, ...] = ()  # prose pages (book/*.md) whose text is drawn from the file


@lru_cache(maxsize=1)
def manifest() -> dict[str, CuratedFile]:
    path = config.MANIFEST_YML
    doc = files.read_yaml(path, DataError, "the curated-file manifest")
    out = {}
    for i, (fname, entry) in enumerate((doc.get("files") or {}).items(), start=1):
        where = f"{path.name}, file #{i} ({fname})"
        missing = sorted({"records", "schema", "source", "licence", "chapters"} - set(entry or {}))
        if missing:
            raise DataError(f"{where}: missing field(s) {missing}")
        stem = Path(fname).stem
        known = CSV_SCHEMAS if fname.endswith(".csv") else YAML_SCHEMAS
        if entry["schema"] not in known:
            raise DataError(f"{where}: schema {entry['schema']!r}; allowed: {', '.join(known)}")
        out[stem] = CuratedFile(
            name=stem,
            path=config.CURATED / fname,
            records=" ".join(str(entry["records"]).split()),
            schema=entry["schema"],
            source=" ".join(str(entry["source"]).split()),
            licence=" ".join(str(entry["licence"]).split()),
            chapters=tuple(entry["chapters"]),
            pages=tuple(entry.get("pages") or ()),
        )
    return out


def entry(name: str) -> CuratedFile:
    files = manifest()
    if name not in files:
        raise DataError(
            f"no curated file {name!r} in {config.MANIFEST_YML.name}; known: {', '.join(files)}"
        )
    return files[name]


# the curated files each file's checks read (the interviews' themes are the codebook's), as
# found while the file was first checked: see :func:`requires`
_reads_while_checking: dict[str, set[str]] = {}
_checking: list[str] = []


@lru_cache(maxsize=32)
def _load(name: str, path: Path) -> Any:
    f = entry(name)
    _checking.append(name)
    try:
        if path.suffix == ".csv":
            return read_csv(path, CSV_SCHEMAS[f.schema]())
        return read_yaml(path, YAML_SCHEMAS[f.schema])
    finally:
        _checking.pop()


def load(name: str, path: Path | None = None) -> Any:
    """A curated file by its manifest name, validated: a DataFrame for CSV (a copy), its
    frozen pydantic model for YAML. ``path`` swaps in another file under the same schema
    (tests, what-ifs)."""
    if _checking:
        _reads_while_checking.setdefault(_checking[-1], set()).add(name)
    got = _load(name, Path(path) if path else entry(name).path)
    return got.copy() if isinstance(got, pd.DataFrame) else got


def requires(name: str) -> set[str]:
    """The curated files that reading ``name`` reads, itself included: its checks may read
    others (the interviews' themes must be the codebook's), recorded when the file is first
    checked (:func:`_load`), so read here once if it has not been."""
    if name not in _reads_while_checking:
        load(name)
        _reads_while_checking.setdefault(name, set())
    out, todo = set(), [name]
    while todo:
        n = todo.pop()
        if n not in out:
            out.add(n)
            todo += sorted(_reads_while_checking.get(n, ()))
    return out


def treaty_actions(path: Path | None = None) -> pd.DataFrame:
    """Curated later actions, with ``row`` (the CSV line number) for messages."""
    df = load("treaty_actions", path)
    return df.assign(row=df.index + 2)


def party_counts(path: Path | None = None) -> pd.DataFrame:
    return load("party_counts", path)


def count_statements(path: Path | None = None) -> pd.DataFrame:
    """Official statements of a count or an ordinal, with ``row`` (the CSV line number)."""
    df = load("count_statements", path)
    return df.assign(row=df.index + 2)
