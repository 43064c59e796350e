"""The chapter "Palermo among its peers" (notebooks/peers.ipynb): cumulative parties aligned
on adoption, days from adoption to entry into force, what deposits can and cannot show about
9/11, and UNCAC overtaking UNTOC."""

from __future__ import annotations

import datetime as dt
from math import comb

import pandas as pd

from .. import config
from ..data import events, treaties
from ..model import curves, status
from ..model.coverage import complete_through, new_parties_per_year, reach
from ..model.eif import entry_into_force
from ..render import text
from ..render.charts import coverage_line, instrument_legend, instrument_scale, titled


def aligned(instruments: list[str], as_of: dt.date, align: str = "adoption") -> pd.DataFrame:
    """Cumulative parties per instrument, by years since adoption (or by calendar date),
    kept on the days the count changes."""
    frames = []
    for short in held(instruments):
        adopted = treaties.adopted(short)
        if max(adopted, config.MIN_DATE) > as_of:
            continue
        s = curves.step_series(short, None, as_of)
        s["years_since_adoption"] = (s["date"] - pd.Timestamp(adopted)).dt.days / 365.25
        frames.append(
            s[["instrument", "date", "years_since_adoption", "parties", "parties_max", "records"]]
        )
    return pd.concat(frames, ignore_index=True)


def held(instruments: list[str]) -> list[str]:
    """The instruments whose participant records are held (the others are described instead)."""
    return [s for s in instruments if treaties.held(s)]


def not_held_note(instruments: list[str]) -> str:
    """What the book knows of each instrument whose records are not held, from the curated
    records, and that it draws none of them."""
    lines = []
    for short in instruments:
        if treaties.held(short):
            continue
        t = treaties.resolve(short)
        known = events.load()
        mine = known[known["id"].str.startswith(short.lower() + "-")].sort_values("start")
        when = "; ".join(
            f"{r.event.rstrip('.')} ({text.period(r.start, r.end)}, {r.confidence})"
            for r in mine.itertuples()
        )
        lines.append(
            f"**{t.name}**, adopted on {treaties.adopted(t)}: its "
            "participant records are not held, so it is not drawn and not counted. "
            + (f"The chronology holds: {when}. " if when else "")
            + f"`palermo sources update {t.short}` fetches its records from the UN Treaty "
            "Collection."
        )
    return "\n\n".join(lines)


def adoption_to_force(instruments: list[str]) -> pd.DataFrame:
    rows: list[dict[str, object]] = []
    for short in held(instruments):
        e = entry_into_force(short)
        adopted = treaties.adopted(short)
        if e.official is None:  # not in force (treaties.yml: official null): no days to count
            rows.append(
                {
                    "instrument": short,
                    "adopted": str(adopted),
                    "entry into force (official)": "not in force",
                    "days": None,
                    "recomputed from the records": str(e.computed) if e.computed else None,
                    "records agree": None,
                }
            )
            continue
        rows.append(
            {
                "instrument": short,
                "adopted": str(adopted),
                "entry into force (official)": str(e.official),
                "days": (e.official - adopted).days,
                "recomputed from the records": str(e.computed),
                "records agree": "yes" if e.match else "no",
            }
        )
    return pd.DataFrame(rows)


def coverage_notes(instruments: list[str], as_of: dt.date) -> str:
    return text.bullets([text.coverage_note(*reach(t, as_of)) for t in held(instruments)])


# --- deposits around 9/11 (what they can and cannot show) ------------------------------------


def deposits_by_year(instruments: list[str], first: int, last: int) -> pd.DataFrame:
    """Instruments of consent deposited per calendar year (a 'ratification' here means any
    ratification, acceptance, approval or accession)."""
    rows = []
    for short in instruments:
        y = new_parties_per_year(
            short, dt.date(max(first - 1, config.MIN_DATE.year), 12, 31), dt.date(last, 12, 31)
        )
        for r in y.itertuples():
            if first <= r.year <= last:
                rows.append({"instrument": short, "year": r.year, "deposits": int(r.new_parties)})
    return pd.DataFrame(rows)


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher exact test for the 2x2 table [[a, b], [c, d]] (sum of the
    probabilities of all tables with the same margins no more likely than the observed one)."""
    n, r1, c1 = a + b + c + d, a + b, a + c

    def p(x):
        return comb(c1, x) * comb(n - c1, r1 - x) / comb(n, r1)

    observed = p(a)
    lo, hi = max(0, r1 + c1 - n), min(r1, c1)
    return min(1.0, sum(p(x) for x in range(lo, hi + 1) if p(x) <= observed * (1 + 1e-9)))


def nine_eleven_test(
    window_days: int = 365, terrorism: list[str] | None = None, untoc: str = "UNTOC"
) -> dict:
    """Deposits for the two terrorism conventions and for UNTOC in equal windows before and
    after 11 September 2001, and a Fisher exact test of whether the split between them changed."""
    terrorism = terrorism or treaties.group("terrorism")
    attack = events.event("sept-11")["start"]
    before = (attack - pd.Timedelta(days=window_days), attack - pd.Timedelta(days=1))
    after = (attack, attack + pd.Timedelta(days=window_days - 1))

    def count(shorts, lo, hi):
        n = 0
        for s in shorts:
            st = status.status(s, hi.date())
            n += int(
                ((st["consent"] >= lo) & (st["consent"] <= hi) & (st["precision"] == "day")).sum()
            )
        return n

    t_b, t_a = count(terrorism, *before), count(terrorism, *after)
    u_b, u_a = count([untoc], *before), count([untoc], *after)
    return {
        "window_days": window_days,
        "before": f"{before[0].date()} to {before[1].date()}",
        "after": f"{after[0].date()} to {after[1].date()}",
        "terrorism_before": t_b,
        "terrorism_after": t_a,
        "untoc_before": u_b,
        "untoc_after": u_a,
        "terrorism_change": t_a - t_b,
        "untoc_change": u_a - u_b,
        "terrorism_share_before": t_b / (t_b + u_b) if t_b + u_b else float("nan"),
        "terrorism_share_after": t_a / (t_a + u_a) if t_a + u_a else float("nan"),
        "p_value": fisher_exact(t_b, u_b, t_a, u_a),
    }


def nine_eleven_reading(t: dict) -> str:
    """A plain reading of the test's counts (written from the numbers, not typed in prose)."""
    rose = [
        name
        for name, ch in (
            ("the terrorism conventions", t["terrorism_change"]),
            ("UNTOC", t["untoc_change"]),
        )
        if ch > 0
    ]
    if len(rose) == 2:
        return (
            "Both counts rose after 9/11. The terrorism conventions' rise is what resolution "
            "1373's call alone would produce, and UNTOC's is what any young treaty shows; the "
            "records show that States went on joining UNTOC in the year after the attacks, "
            "and no more."
        )
    if rose == ["the terrorism conventions"]:
        return (
            "Deposits for the terrorism conventions rose after 9/11 while UNTOC's did not. "
            "Resolution 1373's call would produce that rise by itself, so it is no evidence "
            "that attention left organized crime."
        )
    if rose == ["UNTOC"]:
        return (
            "UNTOC's deposits rose after 9/11 and the terrorism conventions' did not: States "
            "went on joining UNTOC. That says nothing about attention or money either way."
        )
    return "Neither count rose after 9/11 in these records; deposits cannot say why."


def opening_dates() -> dict:
    """When UNTOC opened for signature (its first signatures) and when the terrorism
    conventions were adopted."""
    st = status.status("UNTOC", config.today())
    return {
        "untoc_opened": f"{st['signature'].min():%B %Y}",
        "terrorism_adopted": " and ".join(
            str(treaties.adopted(t).year) for t in treaties.group("terrorism")
        ),
    }


# --- UNCAC overtaking UNTOC -------------------------------------------------------------------


def overtaking(a: str = "UNCAC", b: str = "UNTOC", as_of: dt.date | None = None) -> dict:
    """When `a` pulls ahead of `b` for good: the age (years since adoption) from which `a`
    always had more parties than `b` had at the same age, and the calendar day from which `a`
    always had more parties than `b`; None where the records never show it."""
    day = as_of or config.today()
    al = aligned([a, b], day)
    grid = pd.Series(sorted(set(al["years_since_adoption"].round(3))))

    def at(inst, ages):
        g = al[al["instrument"] == inst].sort_values("years_since_adoption")
        idx = g["years_since_adoption"].searchsorted(ages, side="right") - 1
        vals = g["parties"].to_numpy()
        return [vals[i] if i >= 0 else 0 for i in idx]

    # compare only as far as both records are complete
    def complete_age(inst):
        through = min(pd.Timestamp(complete_through(inst)), pd.Timestamp(day))
        return (through - pd.Timestamp(treaties.adopted(inst))).days / 365.25

    top = min(complete_age(a), complete_age(b))
    grid = grid[grid <= top]
    pa_, pb_ = at(a, grid), at(b, grid)
    behind = [i for i, (x, y) in enumerate(zip(pa_, pb_, strict=True)) if x <= y]
    last = behind[-1] if behind else -1
    age = float(grid.iloc[last + 1]) if last + 1 < len(grid) else None
    cal_end = min(day, complete_through(a), complete_through(b))
    cal = pd.date_range(treaties.adopted(a), cal_end, freq="D")
    sa = status.series(a, cal[0].date(), cal_end, "D")["parties"].to_numpy()
    sb = status.series(b, cal[0].date(), cal_end, "D")["parties"].to_numpy()
    behind_days = [i for i in range(len(cal)) if sa[i] <= sb[i]]
    j = behind_days[-1] + 1 if behind_days else 0
    first_day = cal[j].date() if j < len(cal) else None
    return {
        "a": a,
        "b": b,
        "age_years": age,
        "compared_to_age": round(top, 1),
        "calendar_day": str(first_day) if first_day else None,
        "compared_to_day": str(cal_end),
    }


# --- charts -------------------------------------------------------------------------------------


def aligned_chart(al: pd.DataFrame, align: str):
    import altair as alt

    instruments = list(dict.fromkeys(al["instrument"]))
    x = (
        alt.X("years_since_adoption:Q", title="years since adoption")
        if align == "adoption"
        else alt.X("date:T", title=None)
    )
    return titled(
        coverage_line(
            al,
            x=x,
            y=alt.Y("parties:Q", title="parties"),
            colour=alt.Color(
                "instrument:N",
                scale=instrument_scale(instruments),
                title=None,
                legend=instrument_legend(),
            ),
            tooltip=[
                "instrument",
                alt.Tooltip("date:T"),
                alt.Tooltip("years_since_adoption:Q", format=".1f"),
                "parties",
            ],
        ),
        "Palermo among its peers",
        subtitle="cumulative parties, "
        + ("aligned on each treaty's adoption" if align == "adoption" else "by calendar date"),
        description="Step lines of the cumulative parties to "
        f"{text.join(text.treaty_names(instruments))}, "
        + ("by years since each treaty's adoption." if align == "adoption" else "by date."),
        width=560,
        height=320,
    )


def nine_eleven_chart(by_year: pd.DataFrame):
    import altair as alt

    instruments = list(dict.fromkeys(by_year["instrument"]))
    bars = (
        alt.Chart(by_year)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None),
            xOffset=alt.XOffset("instrument:N", sort=instruments),
            y=alt.Y("deposits:Q", title="instruments deposited"),
            color=alt.Color(
                "instrument:N",
                scale=instrument_scale(instruments),
                title=None,
                legend=instrument_legend(),
            ),
            tooltip=["instrument", "year", "deposits"],
        )
    )
    return titled(
        bars,
        "Deposits around 9/11",
        subtitle="ratifications and accessions per year: terrorism conventions and UNTOC",
        description="Grouped bar chart of instruments deposited per year for the Terrorist "
        "Bombings and Terrorist Financing Conventions and for UNTOC, in the years around "
        "September 2001.",
        width=560,
        height=260,
    )


def nine_eleven_instruments() -> list[str]:
    """The terrorism conventions and UNTOC, as the 9/11 chart compares them."""
    return treaties.group("terrorism") + ["UNTOC"]


def nine_eleven_years() -> tuple[int, int]:
    """The calendar years the 9/11 chart shows."""
    return 1998, 2005


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues (as_of, treaties, align)."""
    as_of = params["as_of"]
    a2f = adoption_to_force(params["treaties"])
    test = nine_eleven_test()
    over = overtaking(as_of=as_of)
    fastest = a2f.sort_values("days").iloc[0]
    out = {
        "as_of": str(as_of),
        "fastest": text.the_treaty(fastest["instrument"]),
        "fastest_days": int(fastest["days"]),
    }
    for k in (
        "before",
        "after",
        "terrorism_before",
        "terrorism_after",
        "untoc_before",
        "untoc_after",
        "window_days",
    ):
        out[f"t_{k}"] = test[k]
    for k in ("terrorism_before", "terrorism_after", "untoc_before", "untoc_after"):
        out[f"t_{k}_text"] = text.plural(test[k], "instrument")
    out |= {
        "t_share_before": f"{test['terrorism_share_before']:.0%}",
        "t_share_after": f"{test['terrorism_share_after']:.0%}",
        "t_p": f"{test['p_value']:.2f}",
        "over_age": "never" if over["age_years"] is None else f"{over['age_years']:.1f}",
        "over_upto": over["compared_to_age"],
        "over_day": over["calendar_day"] or "no day",
        "over_upto_day": over["compared_to_day"],
        **opening_dates(),
        "reading": nine_eleven_reading(test),
    }
    return out
