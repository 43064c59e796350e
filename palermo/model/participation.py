"""Who took part, and how: participants known to the book, one participant across the
treaties, time from signature to consent, parties by region, UN Member States outside."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from functools import cache

import pandas as pd

from .. import config
from ..data import countries, curated, treaties
from ..errors import UsageError
from . import bounds, merge
from .coverage import Count, Coverage, complete_through, count_on, coverage
from .curves import split_at_coverage
from .dates import require
from .status import is_bracketed, row_of, signatories_by, status, table


def known() -> dict[str, str]:
    """Every participant in the records and every UN Member State: id -> name (a copy)."""
    return dict(_known())


@cache
def _known() -> dict[str, str]:
    out = dict(merge.load().names)
    for m in countries.members().itertuples():
        out.setdefault(m.participant_id, m.name)
    return out


def universe(treaty) -> list[str]:
    """The participants a treaty's tables and counts range over: everyone its records name and
    every UN Member State (a State that took no action has status "none"), sorted."""
    named = table(treaties.resolve(treaty).number)["participant_id"]
    return sorted(set(named) | set(countries.members()["participant_id"]))


def not_yet_members(st: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """``st`` without the rows of States admitted to the UN after as_of that had taken no
    action by then (South Sudan on 2011-03-01: it did not exist yet), so a table on a day
    lists only the States of that day."""
    m = countries.members()
    later = set(
        m.loc[m["admitted_on"].notna() & (m["admitted_on"] > require(as_of)), "participant_id"]
    )
    gone = st["participant_id"].isin(later) & (st["status"] == "none")
    return st[~gone].reset_index(drop=True)


def status_over_universe(treaty, as_of: dt.date) -> pd.DataFrame:
    """:func:`status` on as_of with a row (status "none") for every UN Member State on that
    day the records do not name, so that a table or map of the treaty leaves no State out
    (and lists none admitted later, :func:`not_yet_members`)."""
    st = not_yet_members(status(treaty, as_of), as_of)
    names = known()
    members = set(countries.members_on(as_of)["participant_id"])
    extra = sorted((set(universe(treaty)) & members) - set(st["participant_id"]))
    none = pd.DataFrame({"participant_id": extra, "name": [names[p] for p in extra]})
    return pd.concat([st, none.assign(status="none")], ignore_index=True)


def page_slug(pid: str) -> str:
    """The name of a participant's page: its name in lower case, letters and digits only
    ("Côte d'Ivoire" -> "cote-d-ivoire")."""
    import re
    import unicodedata

    name = unicodedata.normalize("NFKD", known()[pid]).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def resolve(country: str) -> str:
    """ISO3 (or EUU) for a name or code; UsageError naming the closest valid names. UN Member
    States resolve without building the records (cheap enough for checking a run plan)."""
    m = countries.members()
    members = dict(zip(m["participant_id"], m["name"], strict=True))
    try:
        return countries.lookup(str(country), members)
    except UsageError:
        return countries.lookup(str(country), known())


def signature_to_consent(
    instruments: list[str], as_of: dt.date, scheme: str = "m49_region"
) -> pd.DataFrame:
    """One row per State that signed and later consented (consent dated to the day) by as_of."""
    rows = []
    for short in instruments:
        st = status(short, as_of)
        st = st[(st["status"] == "party") & st["signature"].notna() & (st["precision"] == "day")]
        for r in st.itertuples():
            rows.append(
                {
                    "instrument": short,
                    "participant_id": r.participant_id,
                    "name": r.name,
                    "region": countries.region_of(r.participant_id, scheme),
                    "signature": r.signature,
                    "consent": r.consent,
                    "action": r.action,
                    "years": (r.consent - r.signature).days / 365.25,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "instrument",
            "participant_id",
            "name",
            "region",
            "signature",
            "consent",
            "action",
            "years",
        ],
    )


def regional_curves(
    treaty, as_of: dt.date, scheme: str = "m49_region", start=None, members_only: bool = False
) -> pd.DataFrame:
    """Cumulative parties per region, kept on the days a region's count changes; with
    `members_only`, only the parties that are UN Member States on `as_of`."""
    t = treaties.resolve(treaty)
    day = pd.Timestamp(require(as_of))
    st = status(t, day)
    if members_only:
        st = st[st["participant_id"].isin(set(countries.members_on(day)["participant_id"]))]
    p = st[st["status"] == "party"].assign(
        region=lambda d: d["participant_id"].map(lambda x: countries.region_of(x, scheme))
    )
    first = pd.Timestamp(start or treaties.adopted(t))
    rows = []
    for region, g in p.sort_values("consent").groupby("region"):
        by_day = g.groupby("consent").size().cumsum()
        rows.append({"region": region, "date": first, "parties": 0})
        rows += [{"region": region, "date": d, "parties": int(n)} for d, n in by_day.items()]
        rows.append({"region": region, "date": day, "parties": int(by_day.iloc[-1])})
    out = pd.DataFrame(rows, columns=["region", "date", "parties"])
    return split_at_coverage(out, by="region", treaty=t) if len(out) else out.assign(records=[])


def regional_shares(treaty, as_of: dt.date, scheme: str = "m49_region") -> pd.DataFrame:
    """Each region's parties as a share of its UN Member States on `as_of` (parties that are
    not Member States, such as the European Union, are left out of both): region, date,
    parties, states, share, records."""
    day = pd.Timestamp(require(as_of))
    states = (
        countries.members_on(day)["participant_id"]
        .map(lambda x: countries.region_of(x, scheme))
        .value_counts()
    )
    out = regional_curves(treaty, day, scheme, members_only=True)
    out["states"] = out["region"].map(states).astype(int)
    out["share"] = out["parties"] / out["states"]
    return out


def members_outside(treaty, as_of: dt.date) -> tuple[int, int]:
    """(UN Member States not party on as_of, UN Member States on as_of)."""
    st = status(treaty, as_of)
    party = set(st.loc[st["status"] == "party", "participant_id"])
    members = countries.members_on(as_of)
    return int((~members["participant_id"].isin(party)).sum()), len(members)


def _day(v) -> dt.date | None:
    return None if v is None or pd.isna(v) else pd.Timestamp(v).date()


def _iso(v: dt.date | None) -> str | None:
    return None if v is None else str(v)


def _text(v) -> str | None:
    return v if isinstance(v, str) else None


@dataclass(frozen=True)
class StatusRow:
    """One participant's status on a day, as the records give it: the status, the signature
    and consent dates (``consent_latest`` the end of a consent dated only to a year or a
    range, else the consent itself), the action, how its date is known and its evidence."""

    status: str
    signature: dt.date | None = None
    consent: dt.date | None = None
    consent_latest: dt.date | None = None
    action: str | None = None
    precision: str | None = None
    evidence: str | None = None

    def as_dict(self) -> dict:
        """As ``palermo status --json`` and ``participant --json`` print it (dates as ISO
        text, missing values as None)."""
        return {
            "status": self.status,
            "signature": _iso(self.signature),
            "consent": _iso(self.consent),
            "consent_latest": _iso(self.consent_latest),
            "action": self.action,
            "precision": self.precision,
            "evidence": self.evidence,
        }


NO_ROW = StatusRow("none")  # a participant the treaty's records do not name


def status_row(r) -> StatusRow:
    """One row of a status table as a :class:`StatusRow`."""
    return StatusRow(
        status=r["status"],
        signature=_day(r["signature"]),
        consent=_day(r["consent"]),
        consent_latest=_day(r["consent_latest"] if is_bracketed(r["precision"]) else r["consent"]),
        action=_text(r["action"]),
        precision=_text(r["precision"]),
        evidence=_text(r["evidence"]),
    )


@dataclass(frozen=True)
class Participant:
    """A participant in a treaty's summary: its id, its name and its row on the day."""

    id: str
    name: str
    row: StatusRow

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, **self.row.as_dict()}


@dataclass(frozen=True)
class Lead:
    """A curated lead on a party no record names: the participant, what was found, how far it
    can be trusted and where it was found."""

    participant: str
    found: str
    confidence: str
    source: str

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


UNATTRIBUTED_REASON = (
    "The depositary's counts (or an official ordinal) require these parties but the records "
    "name no one, and no depositary notification or official page naming them was found; the "
    "leads are the candidates, each with what was found and why it is not counted."
)


@dataclass(frozen=True)
class Unattributed:
    """The parties the bounds require on a day that no record names: at least ``parties``, at
    most ``parties_max`` (None: nothing bounds them), the observation the lower bound rests
    on, and the curated leads (``candidates``) on participants the records do not count as
    parties."""

    parties: int
    parties_max: int | None
    basis: bounds.Observation | None
    candidates: tuple[Lead, ...]
    reason: str = UNATTRIBUTED_REASON

    def as_dict(self) -> dict:
        return {
            "parties": self.parties,
            "parties_max": self.parties_max,
            "basis": self.basis.as_dict() if self.basis else None,
            "reason": self.reason,
            "candidates": [c.as_dict() for c in self.candidates],
        }


@dataclass(frozen=True)
class Summary:
    """Everything ``palermo status`` prints about a treaty on a day: its count (the bounds,
    :func:`~palermo.model.coverage.count_on`), its signatories (``signatories_only``: those
    that have not consented), how far its records reach (``coverage``), the parties no record
    names (None: none) and every participant's row, by name."""

    treaty: str  # the UNTC number
    short: str
    name: str
    as_of: dt.date
    count: Count
    signatories: int
    signatories_only: int
    coverage: Coverage
    unattributed_parties: Unattributed | None
    participants: tuple[Participant, ...]

    def as_dict(self) -> dict:
        """As ``palermo status --json`` prints it: the count's fields at the top level
        (``parties`` the lower bound)."""
        return {
            "treaty": self.treaty,
            "short": self.short,
            "name": self.name,
            "as_of": str(self.as_of),
            **self.count.as_dict(),
            "signatories": self.signatories,
            "signatories_only": self.signatories_only,
            "coverage": self.coverage.as_dict(),
            "unattributed_parties": (
                self.unattributed_parties.as_dict() if self.unattributed_parties else None
            ),
            "participants": [p.as_dict() for p in self.participants],
        }


def summary(treaty, as_of: dt.date = config.PAPER_DATE) -> Summary:
    """Everything `palermo status` prints (see :class:`Summary`)."""
    t = treaties.resolve(treaty)
    day = require(as_of)
    st = not_yet_members(status(t, day), day)
    c = count_on(t, day)
    return Summary(
        treaty=t.number,
        short=t.short,
        name=t.name,
        as_of=day,
        count=c,
        signatories=int(signatories_by(t.number, day)),
        signatories_only=int((st["status"] == "signatory").sum()),
        coverage=coverage(t, day),
        unattributed_parties=unattributed(t, st, c),
        participants=tuple(
            Participant(r["participant_id"], r["name"], status_row(r))
            for _, r in st.sort_values("name").iterrows()
        ),
    )


def unattributed(t, st: pd.DataFrame, c: Count) -> Unattributed | None:
    """The parties the bounds require on the day that no record names (None if there are none),
    with the curated leads on that treaty for participants the records do not count as
    parties: each with what was found and how far it can be trusted."""
    if not c.unattributed:
        return None
    names = merge.load().names
    parties = set(st.loc[st["status"] == "party", "participant_id"])
    leads = curated.load("leads")
    candidates = []
    for r in leads[leads["treaty"].str.split(";").map(lambda x: t.number in x)].itertuples():
        try:
            pid = countries.lookup(r.participant, names)
        except UsageError:
            continue  # a lead about a count, not a participant
        if pid not in parties:
            candidates.append(Lead(r.participant, r.fact, r.confidence, r.source))
    return Unattributed(c.unattributed, c.unattributed_max, c.lower_basis, tuple(candidates))


@dataclass(frozen=True)
class TreatyRow:
    """A participant under one treaty on a day: the treaty (its UNTC number, short id and
    name), the date its records are complete through, whether the row is only the last one
    the records know (``last_known``: the day is later and the status short of party) and
    the row (:data:`NO_ROW` where the records do not name the participant)."""

    treaty: str
    short: str
    name: str
    complete_through: dt.date
    last_known: bool
    row: StatusRow

    def as_dict(self) -> dict:
        return {
            "treaty": self.treaty,
            "short": self.short,
            "name": self.name,
            "complete_through": str(self.complete_through),
            "last_known": self.last_known,
            **self.row.as_dict(),
        }


@dataclass(frozen=True)
class Participation:
    """One participant across every treaty with records, on a day (``palermo participant``)."""

    id: str
    name: str
    as_of: dt.date
    treaties: tuple[TreatyRow, ...]

    def as_dict(self) -> dict:
        """As ``palermo participant --json`` prints it."""
        return {
            "id": self.id,
            "name": self.name,
            "as_of": str(self.as_of),
            "treaties": [t.as_dict() for t in self.treaties],
        }


def participant(query: str, as_of: dt.date = config.PAPER_DATE) -> Participation:
    """One participant across all treaties on as_of (see :class:`Participation`)."""
    day = require(as_of)
    names = merge.load().names
    pid = countries.lookup(query, names)
    rows = []
    for t in treaties.with_records():
        r = row_of(t, pid, day)
        through = complete_through(t)
        rows.append(
            TreatyRow(
                treaty=t.number,
                short=t.short,
                name=t.name,
                complete_through=through,
                # past the records, a status short of party is only the last one they know
                last_known=day > through
                and (r is None or r["status"] not in ("party", "withdrawn")),
                row=NO_ROW if r is None else status_row(r),
            )
        )
    return Participation(pid, names[pid], day, tuple(rows))
