"""Self-checks for the exercise worksheets (notebooks/exercises/). They live here, not in the
worksheets, so a student sees a helpful message rather than the answer. A wrong or missing
answer raises :class:`CheckFailed` (a plain ``raise``, so the checks work under ``python -O``,
which strips ``assert``).

A count past a treaty's records is a pair of bounds (``model.coverage.count_on``): a check
accepts every answer within them and says what they rest on; a share of States outside is then
an upper bound; a True/False is a status, hedged as one, never as a count. The worked answers
the solution cells call (``share_outside``, ``is_party``, ``treaties_joined``, ``peak_year``,
``after_2012``; exercise 1 counts with ``count_on`` itself) and the lines a printed sheet reads
them from (:func:`reach`) are here too, so a key and its check cannot drift apart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..data import countries, treaties
from ..errors import PalermoError
from ..model import status
from ..model.coverage import Count, count_on
from ..model.participation import members_outside, resolve, signature_to_consent


class CheckFailed(PalermoError):
    """The answer is missing, of the wrong kind, or not right; the message says how to go on."""


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise CheckFailed(message)


def _need(answer, kind, hint) -> None:
    _require(answer is not None, f"Give an answer first: replace None with your {hint}.")
    if kind is bool:
        ok = isinstance(answer, bool)
    elif kind is float:
        ok = isinstance(answer, (int, float)) and not isinstance(answer, bool)
    else:
        ok = isinstance(answer, kind) and not isinstance(answer, bool)
    _require(ok, f"Your answer should be {hint} (a {kind.__name__}), not {type(answer).__name__}.")


# what a later action the records do not hold may do to an answer, by the kind of answer
COUNT, STATUS, SHARE, READING = "count", "status", "share", "reading"
_LATER = {
    COUNT: "a later action the records do not hold may raise it (a count is a lower bound)",
    STATUS: "the answer is the status the records last give, and a later action the records "
    "do not hold may change it",
    SHARE: "a later action the records do not hold may lower it (a share outside is an upper "
    "bound)",
    READING: "a later action the records do not hold may change the answer",
}


def _verdict(treaties_, as_of, kind: str = READING, why: str = "") -> str:
    """'Correct.' where the records are complete on as_of for every treaty the answer rests
    on, with the date each is complete through; otherwise what the check can say: the answer
    agrees with the records, which end before the day, so it is not confirmed (records
    incomplete on a day never confirm an answer), worded for the kind of answer (a count, a
    status, a share outside, a reading of the records). ``why`` follows: what the bounds rest
    on, and which answers are accepted."""
    from ..model.coverage import complete_through
    from ..model.dates import require
    from ..render import text

    day = require(as_of)
    late: list[tuple[str, dt.date]] = []  # each treaty with the date its records reach
    held: list[tuple[str, dt.date]] = []
    for t in treaties_:
        through = complete_through(t)
        (late if through < day else held).append((t, through))
    tail = f" {why}" if why else ""
    if not late:
        # the answer key carries the records' coverage date beside every answer
        return f"Correct. The records of {text.through_dates(held)} reach {day}.{tail}"
    return (
        "Consistent with the records, but not confirmed: the records of "
        f"{text.through_dates(late)} end before {day}, so {_LATER[kind]}.{tail}"
    )


# --- counting parties (exercise 1) ------------------------------------------------------------


def _rests_on(c: Count) -> str:
    """What the bounds of an incomplete count rest on (:func:`render.text.count`, the words
    every page uses), and the answers they accept."""
    from ..render import text

    return f"The bounds: {text.count(c)}. {_accepted(c)}"


def _accepted(c: Count) -> str:
    if c.parties_max is None:
        return f"Any count of at least {c.parties} is accepted."
    if c.exact:
        return f"The count is {c.parties}."
    return f"Any count from {c.parties} to {c.parties_max} is accepted."


def check_parties(answer, treaty, as_of) -> str:
    """Accepts every count within the bounds of ``count_on`` and says what they rest on."""
    from ..render import text

    _need(answer, int, "number of parties")
    c = count_on(treaty, as_of)
    if not c.accepts(answer):
        signatories = int(status.signatories_by(treaties.resolve(treaty).number, as_of))
        _require(
            answer != signatories,
            "That is the number of signatories. A party has ratified, accepted, approved or "
            "acceded.",
        )
        _require(
            not c.named <= answer <= c.named_max,
            f"That is the number of parties the records name on that day ({answer}). The "
            f"records of {text.the_treaty(c.treaty)} are complete only through "
            f"{c.complete_through}, and the "
            f"counts show at least {c.parties} parties on {c.day}: {c.unattributed} joined that "
            "no record names. Give the count the evidence requires, not the names alone.",
        )
        _require(
            False,
            "Not quite. Count the parties on that date, and where the records end before it "
            "use the bounds the sheet gives (count_on(treaty, as_of) has them: .parties is the "
            "least, .parties_max the most).",
        )
    if c.complete:
        why = "" if c.exact else f"An action is dated only within a range: {_accepted(c)}"
        return _verdict([treaty], as_of, COUNT, why)
    return _verdict([treaty], as_of, COUNT, _rests_on(c))


@dataclass(frozen=True)
class Share:
    """The share of the UN Member States not party on ``day``: ``outside`` of ``members`` are
    not named as parties; where the records are incomplete (or an action is dated only within a
    range) up to ``unnamed`` more parties may be Member States, ``required`` of them at least
    exist. So the share is at most ``most`` and, on the evidence, at least ``least``."""

    treaty: str
    day: dt.date
    outside: int
    members: int
    required: int
    unnamed: int
    complete: bool

    @property
    def most(self) -> float:
        return self.outside / self.members

    @property
    def least(self) -> float:
        return max(self.outside - self.unnamed, 0) / self.members

    def words(self) -> str:
        """'0.041 (8 of 193)'; past the records 'at most 0.238 (46 of the 193 Member States
        are not named as parties); as low as 0.218 (42 of 193) if all 4 parties the records do
        not name for certain (2 at least) are Member States'."""
        most = f"{self.most:.3f} ({self.outside} of {self.members})"
        if not self.unnamed:
            return (
                most
                if self.complete
                else (
                    f"at most {self.most:.3f} ({self.outside} of the {self.members} Member States "
                    "are not named as parties)"
                )
            )
        n, low = self.unnamed, max(self.outside - self.unnamed, 0)
        if self.required == n:
            who = f"the {n} {_parties(n)} no record names"
        elif self.required:
            who = f"all {n} parties the records do not name for certain ({self.required} at least)"
        else:
            who = f"the {n} {_parties(n)} the records do not name for certain"
        verb = "is a Member State" if n == 1 else "are Member States"
        return (
            f"at most {self.most:.3f} ({self.outside} of the {self.members} Member States are "
            f"not named as parties); as low as {self.least:.3f} ({low} of {self.members}) if "
            f"{who} {verb}"
        )


def share_outside(treaty, as_of) -> Share:
    """Exercise 1, question 2: the share of UN Member States not party, as bounds."""
    c = count_on(treaty, as_of)
    outside, members = members_outside(treaty, as_of)
    # the parties the bounds allow beyond those named for certain: unnamed ones and those whose
    # action is dated only within a range (where no upper bound holds, those the bounds require)
    unnamed = (
        c.unattributed_max
        if c.unattributed_max is not None
        else max(c.unattributed, c.named_max - c.named)
    )
    return Share(c.treaty, c.day, outside, members, c.unattributed, unnamed, c.complete)


TOLERANCE = 0.005


def check_share_outside(answer, treaty, as_of) -> str:
    """Accepts a share within the bounds (and ``TOLERANCE`` of them); past the records the
    share is worded as what it is, an upper bound."""
    _need(answer, float, "share as a decimal between 0 and 1")
    _require(0 <= answer <= 1, "A share lies between 0 and 1 (0.25 means a quarter).")
    s = share_outside(treaty, as_of)
    _require(
        s.least - TOLERANCE < answer < s.most + TOLERANCE,
        "Not quite. Count only UN Member States (countries.members_on) and those of them "
        "not party, then divide."
        + (
            ""
            if s.complete
            else " Where the records end before the day, the parties no record names may be "
            "Member States: the share is at most what the records name."
        ),
    )
    if s.complete and not s.unnamed:
        return _verdict([treaty], as_of, SHARE)
    accepted = (
        f"Any share from {s.least:.3f} to {s.most:.3f} is accepted."
        if s.unnamed
        else f"A share of {s.most:.3f} is accepted."
    )
    return _verdict([treaty], as_of, SHARE, f"The share is {s.words()}. {accepted}")


def slowest_in_region(region, treaty, as_of) -> pd.DataFrame:
    d = signature_to_consent([treaty], as_of, countries.scheme_of(region))
    return d[d["region"] == region].sort_values("years", ascending=False)


def check_slowest(answer, region, treaty, as_of) -> str:
    from ..render import text

    _need(answer, str, "State's name or ISO3 code")
    d = slowest_in_region(region, treaty, as_of)
    _require(
        not d.empty,
        f"No State in {region} signed and then ratified {text.the_treaty(treaty)} by {as_of}: "
        "the answer is 'none'.",
    )
    top = d.iloc[0]
    _require(
        answer.strip().upper() == top["participant_id"]
        or answer.strip().lower() == top["name"].lower(),
        "Not quite. Keep the States that signed first, compute consent minus signature, "
        "and take the largest.",
    )
    return _verdict([treaty], as_of, READING)


def check_median_years(answer, region, treaty, as_of) -> str:
    _need(answer, float, "number of years (a decimal)")
    d = slowest_in_region(region, treaty, as_of)
    _require(
        abs(answer - d["years"].median()) < 0.1,
        "Not quite: take the median of the years of the States in the table, not the mean.",
    )
    return _verdict([treaty], as_of, READING)


def is_party(country, treaty, as_of) -> bool:
    """Whether the records make a country a party to a treaty on as_of (exercise 3)."""
    return bool(status.is_party(treaty, resolve(country), as_of))


def check_is_party(answer, country, treaty, as_of) -> str:
    """A status, not a count: past the records it is the last status they give."""
    _need(answer, bool, "True or False")
    _require(
        answer == is_party(country, treaty, as_of),
        "Not quite. Look at its status on that date, not today.",
    )
    return _verdict([treaty], as_of, STATUS)


def treaties_joined(country, as_of) -> int:
    """How many of the book's treaties a country was party to on as_of."""
    from ..data import treaties

    pid = resolve(country)
    return sum(status.is_party(t, pid, as_of) for t in treaties.with_records())


def check_treaties_joined(answer, country, as_of) -> str:
    from ..data import treaties

    _need(answer, int, "number of treaties")
    _require(
        answer == treaties_joined(country, as_of),
        "Not quite. Count the treaties whose status is 'party' on that date (a signature "
        "alone does not make a State a party).",
    )
    return _verdict([t.short for t in treaties.with_records()], as_of, COUNT)


# --- for the printed worksheets: the data a student reads the answers from, and the answers ---


def answer(value, words: str | None = None):
    """The worked answer, shown under a solution cell (and in the teacher's printed sheet);
    ``words`` say it as a reader may quote it where one number would say too much ('at least
    187 (182 named; ...)', 'at most 0.078 (...)')."""
    from IPython.display import Markdown

    shown = words or (f"{value:.3f}" if isinstance(value, float) else str(value))
    return Markdown(f"**Answer:** {shown}")


def _parties(n) -> str:
    return "party" if n == 1 else "parties"


def _unnamed(c: Count) -> str | None:
    """The parties on the day no record names: '5 parties joined that no record names', '2 to
    4 parties ...', '2 or more ...', 'up to 1 party may have joined ...'; None if none."""
    lo, hi = c.unattributed, c.unattributed_max
    if lo == 0:
        return None if not hi else f"up to {hi} {_parties(hi)} may have joined that no record names"
    many = f"{lo} or more" if hi is None else str(lo) if hi == lo else f"{lo} to {hi}"
    return f"{many} {_parties(hi or 2)} joined that no record names"


def _count_words(c: Count) -> str:
    """'190', 'at least 187', 'at least 150 and at most 152'."""
    if c.exact:
        return str(c.parties)
    if c.parties_max is None:
        return f"at least {c.parties}"
    return f"at least {c.parties} and at most {c.parties_max}"


# what the records leave out of each sheet's data, where they end before the day
_MISSING = {
    "count": "",
    "delays": " A State of your region that ratified after {through} is in the table only "
    "where a curated record names it, so the slowest State and the median are those of the "
    "States the records name.",
    "pace": " The bars after {through} (pale) count only the parties the records name: each "
    "is a lower bound.",
}


def reach(treaty, as_of, about: str = "count"):
    """What a sheet says of how far its treaty's records reach on as_of, so a student can
    answer from the paper alone (Markdown). ``about``: the sheet's data, "count" (parties by
    region: the parties the records name, and the bounds the counts set), "delays" (signature
    to ratification) or "pace" (new parties per year)."""
    from IPython.display import Markdown

    from ..model.coverage import coverage
    from ..render import text

    if about not in _MISSING:
        raise ValueError(about)
    cov = coverage(treaty, as_of)
    c = count_on(treaty, as_of)
    head = (
        f"**How far the records reach.** The records of {text.the_treaty(c.treaty)} are "
        f"{text.through(cov)}"
    )
    if c.complete:
        covers = {
            "count": f"the table counts every party on {c.day}"
            + (
                ""
                if c.exact
                else " except any whose action is dated only within a range: "
                f"{text.parties_text(c)}"
            ),
            "delays": "the table lists every State of your region that signed and then "
            f"ratified by {c.day}",
            "pace": "every bar counts all the new parties of its year",
        }[about]
        return Markdown(f"{head}, which covers your date: {covers}.")
    out = f"{head}; your date, {c.day}, is later."
    unnamed = _unnamed(c)
    if about == "count":
        named = str(c.named) if c.named == c.named_max else f"{c.named} to {c.named_max}"
        out += f" The table names {named} parties on your date, only those the records name."
        if c.lower_basis is not None:
            out += (
                f" The depositary's and official counts show at least {c.parties} on that day "
                f"({c.lower_basis.label()}, with the joins the records name after it)"
            )
        else:
            out += " The depositary's and official counts require no more parties than these"
        if c.parties_max is None:
            out += "; no later count sets an upper bound."
        elif c.upper_basis is not None:
            out += (
                f"; they allow at most {c.parties_max} ({c.upper_basis.label()}, less the "
                "joins the records name after your date)."
            )
        else:
            out += f"; they allow at most {c.parties_max}."
        if unnamed:
            out += (
                f" So {unnamed}, and the table cannot say in which region they are or whether "
                "they are UN Member States."
            )
        out += f" Your treaty had {_count_words(c)} parties on your date."
    else:
        out += _MISSING[about].format(through=c.complete_through)
        if unnamed:
            out += (
                f" The depositary's and official counts leave room for more: by your date, "
                f"{unnamed}."
            )
    return Markdown(out)


def parties_by_region(treaty, as_of) -> pd.DataFrame:
    """Exercise 1 on paper: for each region, the participants that were parties, the UN
    Member States, and the Member States that were parties, on as_of (with a total row)."""
    st = status.status(treaty, as_of)
    parties = set(st.loc[st["status"] == "party", "participant_id"])
    members = set(countries.members_on(as_of)["participant_id"])
    ids = sorted(set(st["participant_id"]) | members)
    d = pd.DataFrame({"participant_id": ids})
    d["region"] = [countries.region_of(p) for p in ids]
    d["party"] = d["participant_id"].isin(parties)
    d["member"] = d["participant_id"].isin(members)
    d["member_party"] = d["party"] & d["member"]
    g = d.groupby("region")
    out = pd.DataFrame(
        {
            "parties (all participants)": g["party"].sum(),
            "UN Member States": g["member"].sum(),
            "Member States that were parties": g["member_party"].sum(),
        }
    ).astype(int)
    out.loc["all regions"] = out.sum()
    return out.reset_index()


def region_delays(region, treaty, as_of) -> pd.DataFrame:
    """Exercise 2 on paper: the region's States that signed and then ratified, by name."""
    d = slowest_in_region(region, treaty, as_of).sort_values("name")
    d = d.assign(
        # an empty table (no State yet) has no dates: to_datetime gives it their type
        signature=pd.to_datetime(d["signature"]).dt.date.astype(str),
        consent=pd.to_datetime(d["consent"]).dt.date.astype(str),
    )
    return d[["name", "signature", "consent", "years"]].round({"years": 2})


def peak_year(treaty, as_of) -> int:
    """The calendar year in which the treaty gained most new parties (the earliest, on a tie)."""
    from ..model.coverage import peak_year as peak

    return peak(treaty, as_of).year


def check_peak_year(answer, treaty, as_of) -> str:
    """'Correct.' where the records are complete on the day, or where no year past them could
    overtake the peak even if every party the bounds allow beyond the named ones had joined in
    it; otherwise the answer agrees with the records but is not confirmed."""
    from ..model.coverage import new_parties_per_year
    from ..model.coverage import peak_year as peak

    _need(answer, int, "year, as a whole number")
    p = peak(treaty, as_of)
    _require(
        answer == p.year,
        "Not quite. Find the tallest bar in the chart of new parties per year.",
    )
    c = count_on(treaty, as_of)
    if c.complete:
        return "Correct."
    if p.complete and c.unattributed_max is not None:
        from ..data import treaties

        y = new_parties_per_year(treaty, treaties.adopted(treaty), as_of)
        late = y[y["records"] != "complete"]["new_parties"]
        most = int(late.max()) if len(late) else 0
        if most + c.unattributed_max < p.new_parties:
            return (
                f"Correct. {p.year} gained {p.new_parties} new parties; no year after the "
                f"records' end ({c.complete_through}) could match it, even with the "
                f"{c.unattributed_max} the counts allow beyond the named ones."
            )
    return _verdict(
        [treaty],
        as_of,
        READING,
        f"{p.year} gained {p.new_parties} new parties on the records; the pale years count "
        "only the parties the records name.",
    )


# the three calendar years either side of the 2012 Conference of the Parties (exercise 4)
BEFORE_2012, AFTER_2012 = (2010, 2011, 2012), (2013, 2014, 2015)


def after_2012(treaty, as_of) -> str:
    """'more', 'fewer' or 'the same' new parties in 2013-2015 than in 2010-2012; 'cannot say'
    when the treaty was not open all those years or the date falls before the end of 2015."""
    from ..chapters import explanations

    d = explanations.new_parties(treaty, as_of).set_index("year")
    years = BEFORE_2012 + AFTER_2012
    day = pd.Timestamp(str(as_of))
    if not set(years) <= set(d.index) or day < pd.Timestamp(AFTER_2012[-1], 12, 31):
        return "cannot say"
    if (d.loc[list(years), "records"] != "complete").any():
        return "cannot say"
    before = int(d.loc[list(BEFORE_2012), "new_parties"].sum())
    after = int(d.loc[list(AFTER_2012), "new_parties"].sum())
    return "more" if after > before else "fewer" if after < before else "the same"


def check_after_2012(answer, treaty, as_of) -> str:
    _need(answer, str, "answer as text: 'more', 'fewer', 'the same' or 'cannot say'")
    allowed = ("more", "fewer", "the same", "cannot say")
    given = " ".join(answer.strip().lower().split())
    _require(given in allowed, f"Answer with one of: {', '.join(allowed)}.")
    _require(
        given == after_2012(treaty, as_of),
        "Not quite. Add up the bars for 2010, 2011 and 2012, then those for 2013, 2014 and "
        "2015. If your date comes before the end of 2015, your treaty was not open in 2010, "
        "or some of those bars are pale (records incomplete), the records cannot say.",
    )
    return "Correct."


def weighing() -> pd.DataFrame:
    """Exercise 4's worked answer: for each explanation, what the paper offers for and against
    it and what treaty records can show."""
    from ..chapters import explanations

    m = explanations.argument_map()[["n", "explanation", "for", "against"]]
    return m.merge(explanations.what_would_test()[["n", "what treaty records can show"]], on="n")


# a line of exercise 4's chart whose day is this book's choice, where the paper gives none: why
BOOK_DATED = {
    "secretariat-split": "the paper says only that the secretariats were split \u2018in this "
    "period\u2019; the book puts the line at the opening of the negotiations on the Convention "
    "against Corruption, to which, the paper says, staff and delegates moved",
}


def pace_lines(treaty, as_of):
    """What a sheet says of the numbered lines on exercise 4's chart (Markdown): that the book
    places them, which line's day is the book's own where the paper gives none (BOOK_DATED),
    and why an explanation has no line (no event of the chronology; or its day falls outside
    the chart), with the day the book's eras give it, where they do."""
    from IPython.display import Markdown

    from ..chapters import chronology, explanations

    table = explanations.table().set_index("n")
    dated = explanations.dates().set_index("n")
    years = explanations.new_parties(treaty, as_of)["year"]
    first, last = int(years.min()), int(years.max())
    out = [
        "**The numbered lines.** Each stands at an event in this book's chronology that the "
        "explanation names: the book places them, not the paper."
    ]
    for n, r in dated.iterrows():
        why = BOOK_DATED.get(table.loc[n, "id"])
        if why and first <= r["date"].year <= last:
            out.append(f"Line {n} is this book's dating ({r['date'].date()}): {why}.")
    eras = chronology.eras()
    for n, e in table.iterrows():
        if n in dated.index:
            day = dated.loc[n, "date"]
            if not first <= day.year <= last:
                out.append(
                    f"No line {n}: its event ({day.date()}) falls outside the years of your "
                    f"chart ({first} to {last})."
                )
            continue
        said = f"No line {n} ({e['label']}): it names no event in the book's chronology"
        era = eras[[bool(set(v) & set(e["notes"])) for v in eras["notes"]]]
        if len(era) and e["notes"]:
            x = era.iloc[0]
            said += (
                f". The book's chronology begins its era \u201c{x['label']}\u201d, which rests "
                f"on the same interview {'note' if len(e['notes']) == 1 else 'notes'} "
                f"({', '.join(map(str, e['notes']))}), on {x['start'].date()}, a day the book "
                "chose, not the paper: read the explanation from there"
            )
        out.append(said + ".")
    return Markdown(" ".join(out))
