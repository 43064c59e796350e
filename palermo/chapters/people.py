"""The chapter "Who's who, and the Convention and criminals" (notebooks/people.ipynb): the
people the paper names, with their roles as the paper gives them (people.csv), who is heard in
its interview notes (interviews.csv), and its section on Naples 1994 as it reports it
(naples.yml)."""

from __future__ import annotations

import pandas as pd

from ..data import curated
from ..render import text

GROUP_LABELS = {
    "polish-actors": "Poland's initiative",
    "chair": "The chair of the negotiations",
    "secretariat": "The UN Secretariat",
    "review-brokers": "The review mechanism's brokers",
    "naples": "Naples and the Convention and criminals",
    # Presidents Clinton and Yeltsin; Secretary-General Ban; Costa and Fedotov of UNODC; Mueller
    # of the FBI: a name that fits every member (reader review G14)
    "leaders": "Heads of State, of the UN and its crime office, and of the FBI",
    "interviewee": "Interviewees",
    "other": "Others the paper names",
}


def people(groups: list[str]) -> pd.DataFrame:
    """The who's who for readers, in the groups asked for, in the file's order."""
    p = curated.load("people")
    p = p[p["group"].isin(groups)]
    return pd.DataFrame(
        {
            "name": [
                f"{n} ({a})" if a else n
                for n, a in zip(p["name"], p["affiliation"].fillna(""), strict=True)
            ],
            "part in the story": p["group"].map(GROUP_LABELS),
            "role, as the paper gives it": p["role"],
            "the paper's section": p["section"],
            "interview notes": p["notes"].fillna("").str.replace(";", ", "),
        }
    )


def heard() -> pd.DataFrame:
    """Who is heard in the interview notes: each speaker, their role as the paper gives it (the
    who's who's, for a named person; the notes' own, for a speaker the paper does not name), and
    how many notes are theirs, most first."""
    iv = curated.load("interviews")
    people_ = curated.load("people")
    by_note = {
        int(n): r for r in people_.to_dict("records") for n in str(r["notes"] or "").split(";") if n
    }
    rows = []
    for speaker, notes in iv.groupby("speaker", sort=False)["note"]:
        person = by_note.get(int(notes.iloc[0]))
        if person is not None:
            role = person["role"]
            if person.get("affiliation"):
                role = f"{role} ({person['affiliation']})"
        else:
            role = "; ".join(dict.fromkeys(iv.loc[notes.index, "role"]))
        rows.append(
            {
                "speaker": speaker,
                "role, as the paper gives it": role,
                "notes": len(notes),
                "the notes": ", ".join(str(n) for n in notes),
            }
        )
    return (
        pd.DataFrame(rows)
        .sort_values(["notes", "speaker"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )


def naples() -> list:
    """The section on Naples 1994 and the Convention and criminals, statement by statement."""
    return curated.load("naples").statements


def naples_markdown() -> str:
    """The statements as a list: our words, then the paper's and the sources it cites."""
    out = []
    for s in naples():
        # the sources the paper cites, unless the quoted words already carry them
        cites = f" {s.cites}" if s.cites and s.cites not in s.quote else ""
        out.append(f'- {" ".join(s.statement.split())}\n\n  *The paper:* "{s.quote}"{cites}')
    return "\n\n".join(out)


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues (groups)."""
    p = curated.load("people")
    iv = curated.load("interviews")
    unnamed = iv["speaker"].str.contains("not named", case=False)
    h = heard()
    given = ~h["role, as the paper gives it"].str.contains("not given in the paper")
    return {
        "n_people": text.plural(len(p), "person", "people"),
        "n_groups": len(params["groups"]),
        "n_notes": len(iv),
        "n_named_notes": int((~unnamed).sum()),
        "n_unnamed_notes": int(unnamed.sum()),
        "n_speakers": int(h.loc[~h["speaker"].str.contains("not named", case=False)].shape[0]),
        "n_roles_given": int(given.sum()),
        "n_roles_missing": int((~given).sum()),
        "n_naples": len(naples()),
    }
