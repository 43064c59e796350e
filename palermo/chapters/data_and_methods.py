"""The chapter "Data and methods" (notebooks/data_and_methods.ipynb): tables generated from
data/sources.yml, the curated files and the merged records, so the page never types what the
data say."""

from __future__ import annotations

import re

import pandas as pd

from ..data import curated, registry, treaties
from ..model import merge
from ..model.coverage import count_on, coverage, reach
from ..model.eif import entry_into_force
from ..render import tables, text


def sources_table() -> pd.DataFrame:
    rows = []
    for s in registry.registry():
        rows.append(
            {
                "id": s.id,
                "treaty": s.treaty or "-",
                "kind": s.kind,
                "status date": str(s.status_date),
                "repository @ commit": (
                    f"{s.repository_url.removeprefix('https://github.com/')} @ {s.commit[:7]}"
                ),
            }
        )
    return pd.DataFrame(rows)


def hashes_table() -> pd.DataFrame:
    return pd.DataFrame([{"file": s.path, "sha256": s.sha256} for s in registry.registry()])


def licences() -> pd.DataFrame:
    """Licence notes: each raw source's repository, the map geometry, and the book itself."""
    seen: dict[str, str] = {}
    for s in registry.registry():
        seen.setdefault(s.repository_url, s.licence)
    rows = [{"what": f"raw UNTC records from {repo}", "licence": lic} for repo, lic in seen.items()]
    g = registry.geometry()
    rows.append(
        {
            "what": f"map geometry: {g.registry} package {g.package} {g.version}",
            "licence": g.licence,
        }
    )
    rows.append({"what": "this book: code", "licence": "MIT licence"})
    rows.append(
        {"what": "this book: text", "licence": "Creative Commons Attribution 4.0 International"}
    )
    return pd.DataFrame(rows)


def curated_summary() -> pd.DataFrame:
    """Curated later actions by treaty, date precision and evidence."""
    df = curated.treaty_actions()
    df["instrument"] = [treaties.resolve(t).short for t in df["treaty"]]
    return (
        df.groupby(["instrument", "date_precision", "evidence"])
        .size()
        .rename("actions")
        .reset_index()
    )


def headline_table() -> pd.DataFrame:
    c = merge.load().counts.copy()
    c["instrument"] = [treaties.resolve(t).short for t in c["treaty"]]
    c["date"] = c["date"].dt.date.astype(str)
    return c[["instrument", "date", "parties", "signatories", "source"]]


def disagreements_table() -> pd.DataFrame:
    """Where two snapshots of a treaty disagree: each record named by its table's date."""
    d = merge.load().disagreements.copy()
    dated = {s.id: f"UNTC table of {s.status_date}" for s in registry.registry()}
    for c in ("older_source", "newer_source"):
        d[c] = d[c].map(lambda v: dated.get(v, v))
    d["treaty"] = [treaties.resolve(t).label for t in d["treaty"]]
    d = d.rename(columns={"older_source": "older record", "newer_source": "newer record"})
    return d[["treaty", "participant", "fact", "older record", "older", "newer record", "newer"]]


def eif_table() -> pd.DataFrame:
    rows = []
    for t in treaties.with_records():
        e = entry_into_force(t)
        rows.append(
            {
                "instrument": t.short,
                "rule": f"{e.n} instruments ({e.article})",
                "n-th instrument deposited": str(e.nth_date),
                "computed": str(e.computed),
                "official": str(e.official),
                "matches": "yes" if e.match else "no",
            }
        )
    return pd.DataFrame(rows)


def coverage_notes(as_of) -> str:
    """One Markdown bullet per treaty: how far its records reach on as_of."""
    return text.bullets(
        [text.coverage_note(*reach(t.short, as_of)) for t in treaties.with_records()]
    )


def coverage_table(as_of) -> pd.DataFrame:
    rows = []
    for t in treaties.with_records():
        snap = merge.load().snapshots[t.number]
        cov = coverage(t, as_of)
        c = count_on(t, as_of)
        # the snapshot's id is in the sources table above; a stretch carried past the status
        # table only by a matching headline count is consistent with it, not proven complete
        rows.append(
            {
                "instrument": t.short,
                "snapshot date": str(snap.status_date),
                "complete through": str(cov.complete_through),
                "by": "status table" if not cov.carried else "a matching headline count",
                "named": text.span(c.named, c.named_max),
                "at least": c.parties,
                "at most": "no bound" if c.parties_max is None else c.parties_max,
                "unattributed (at least)": c.unattributed,
            }
        )
    return pd.DataFrame(rows)


def curated_files() -> pd.DataFrame:
    """The curated files of data/curated/manifest.yml: source, licence, chapters."""
    return pd.DataFrame(
        [
            {
                "records": f.records,
                "file": f.path.name,
                "source": f.source,
                "licence": f.licence,
                "read by": ", ".join(f.chapters),
            }
            for f in curated.manifest().values()
        ]
    )


def curated_files_bundle() -> dict:
    """The curated files for every reader: on the web with each file's path, set as code; in
    print by what each records only (a path is of use only beside the files)."""
    files = curated_files()
    return tables.mimebundle(files, code=["file"], printed=files.drop(columns=["file"]))


def facts(params: dict) -> dict:
    """Every value the chapter's prose glues (as_of)."""
    src = sources_table()
    eif = eif_table()
    drugs = entry_into_force("DRUGS1988")
    return {
        "as_of": str(params["as_of"]),
        "n_sources": len(src),
        "n_snapshots": int((src["kind"] == "snapshot").sum()),
        "n_curated": int(curated_summary()["actions"].sum()),
        "n_headlines": len(headline_table()),
        "n_disagreements": len(merge.load().disagreements),
        "n_eif": len(eif),
        "n_eif_match": int((eif["matches"] == "yes").sum()),
        "drugs_official": str(drugs.official),
        "drugs_computed": str(drugs.computed),
        "drugs_nth": str(drugs.nth_date),
    }


def leads_table() -> pd.DataFrame:
    """Facts after the snapshots that the counts leave out, with their sources."""
    df = curated.load("leads")
    labels = {t.number: t.label for t in treaties.all_treaties()}
    df["treaty"] = [text.join([labels.get(n, n) for n in str(v).split(";")]) for v in df["treaty"]]
    df["participant"] = df["participant"].str.replace(";", ", ")
    for c in ("fact", "source"):
        df[c] = df[c].map(text.readable)
    return df[["treaty", "participant", "fact", "confidence", "source"]]


def _publishers(source: str) -> list[str]:
    """Who published a lead's sources: each citation's first part ('UNODC, press release
    ...' -> 'UNODC')."""
    out = []
    for cite in str(text.readable(source)).split(";"):
        out.append(re.split(r",| \(| via ", cite.strip(), maxsplit=1)[0].strip())
    return out


def leads_summary() -> pd.DataFrame:
    """The leads by treaty, for print: how many, whom they are about (a participant, or the
    party count) and who published their sources; the web page lists every lead."""
    df = curated.load("leads")
    rows = []
    for t in treaties.all_treaties():
        mine = df[df["treaty"].str.split(";").map(lambda x, n=t.number: n in x)]
        if mine.empty:
            continue
        named: list[str] = []
        counts = 0
        pubs: list[str] = []
        for r in mine.itertuples():
            if str(r.participant).startswith("("):
                counts += 1
            for who in str(r.participant).split(";"):
                if not who.startswith("(") and who not in named:
                    named.append(who.strip())
            pubs += [p for p in _publishers(r.source) if p.lower() not in map(str.lower, pubs)]
        about = ", ".join(named)
        if counts:
            about += ("; " if about else "") + "the party count"
        rows.append(
            {
                "treaty": t.label,
                "leads": len(mine),
                "about": about,
                "sources": "; ".join(pubs),
            }
        )
    return pd.DataFrame(rows)


def panel_dictionary() -> pd.DataFrame:
    """The columns of `palermo export panel`, with their meaning."""
    from ..model.panel import DICTIONARY

    return pd.DataFrame(list(DICTIONARY.items()), columns=["column", "meaning"])
