"""The ``palermo`` command line.

Bad input (unknown treaty, bad or out-of-range date, unknown participant) exits with code 2
and one line saying what is allowed; a missing or altered raw file exits with code 1.
"""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from .errors import DataError, UsageError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Treaty status from raw UN Treaty Collection records (the Palermo companion).")

AS_OF_HELP = "ISO date (YYYY-MM-DD), 1988-01-01 to today; default: the paper's submission date, 2020-12-23."


def _fail(exc: Exception) -> None:
    code = 2 if isinstance(exc, UsageError) else 1
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(code)


def _consent(row: dict) -> str:
    """A consent date, or its bracket when the source gives only a year or a range."""
    if row["precision"] in ("year", "range"):
        return f"{row['consent']}..{row['consent_latest']}"
    return row["consent"] or ""


def _dump(obj) -> None:
    typer.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


@app.command()
def sources(verify: bool = typer.Option(False, "--verify", help="Check every raw file's sha256."),
            as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """List the raw sources in data/sources.yml (and, with --verify, check their hashes)."""
    from . import sources as src

    try:
        entries = src.registry()
    except DataError as exc:
        _fail(exc)
    checks = {r["id"]: r for r in src.verify_all()} if verify else {}
    rows = []
    for s in entries:
        row = {"id": s.id, "treaty": s.treaty, "kind": s.kind, "format": s.format,
               "status_date": str(s.status_date), "path": s.path, "sha256": s.sha256,
               "repository": s.repository_url, "commit": s.commit, "untc_page": s.untc_page}
        if verify:
            row.update(ok=checks[s.id]["ok"], found=checks[s.id]["path"], message=checks[s.id]["message"])
        rows.append(row)
    if as_json:
        _dump(rows)
    else:
        typer.echo(f"{'id':28} {'treaty':11} {'kind':8} {'status':10}  sha256")
        for r in rows:
            mark = "" if not verify else ("  ok" if r["ok"] else "  FAILED")
            typer.echo(f"{r['id']:28} {r['treaty'] or '-':11} {r['kind']:8} {r['status_date']:10}  {r['sha256'][:12]}…{mark}")
        if verify:
            for r in rows:
                if not r["ok"]:
                    typer.echo(f"error: {r['message']}", err=True)
            roots = sorted({r["found"][: -len(r["path"]) - 1] for r in rows if r["ok"]})
            typer.echo(f"raw files found in: {', '.join(roots) or '-'}")
    if verify and not all(r["ok"] for r in rows):
        raise typer.Exit(1)


@app.command()
def status(treaty: str = typer.Argument(..., help="Short id (UNTOC, TIP, SOM, FIREARMS, UNCAC, DRUGS1988, ROME, BOMBINGS, FINANCING) or UNTC number (XVIII-12)."),
           as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
           as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")):
    """Status of every participant in TREATY on a date, with counts and coverage."""
    from . import status as st

    try:
        s = st.summary(treaty, st.parse_as_of(as_of, "--as-of"))
    except (UsageError, DataError) as exc:
        _fail(exc)
    if as_json:
        _dump(s)
        return
    rng = f" (up to {s['parties_max']} counting actions dated only to a year or bracket)" if s["parties_max"] != s["parties"] else ""
    typer.echo(f"{s['short']} ({s['treaty']}) {s['name']}, on {s['as_of']}")
    typer.echo(f"  parties: {s['parties']}{rng}")
    typer.echo(f"  signatories: {s['signatories']} ({s['signatories_only']} signed only)")
    typer.echo(f"  coverage: {s['coverage']['note']}")
    typer.echo("")
    typer.echo(f"  {'id':4} {'participant':40} {'status':15} {'signature':11} {'consent':23} action")
    for p in s["participants"]:
        typer.echo(f"  {p['id']:4} {p['name'][:40]:40} {p['status']:15} {p['signature'] or '':11} {_consent(p):23} {p['action'] or ''}")


@app.command()
def participant(name: str = typer.Argument(..., metavar="NAME_OR_ISO3", help="A participant name (any spelling country_converter knows) or ISO3 code; EUU for the European Union."),
                as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
                as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")):
    """One participant's status across all nine treaties on a date."""
    from . import status as st

    try:
        p = st.participant(name, st.parse_as_of(as_of, "--as-of"))
    except (UsageError, DataError) as exc:
        _fail(exc)
    if as_json:
        _dump(p)
        return
    typer.echo(f"{p['name']} ({p['id']}), on {p['as_of']}")
    typer.echo(f"  {'treaty':10} {'status':15} {'signature':11} {'consent':23} {'action':13} records complete through")
    for r in p["treaties"]:
        typer.echo(f"  {r['short']:10} {r['status']:15} {r['signature'] or '':11} {_consent(r):23} {r['action'] or '':13} {r['complete_through']}")


@app.command()
def check(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Cross-checks: snapshot disagreements, headline counts, computed vs official entry into force."""
    from . import records, status as st, treaties

    try:
        rec = records.load()
        eif = [st.entry_into_force(t) for t in treaties.all_treaties()]
    except DataError as exc:
        _fail(exc)
    dis = rec.disagreements.to_dict("records")
    if as_json:
        _dump({"disagreements": dis, "entry_into_force": eif})
        return
    typer.echo(f"Snapshot disagreements (older snapshot vs the newer, authoritative one): {len(dis)}")
    for d in dis:
        typer.echo(f"  {d['treaty']} {d['participant']}: {d['fact']} {d['older']} in {d['older_source']} "
                   f"(row {d['older_row']}); {d['newer']} in {d['newer_source']} (row {d['newer_row']})")
    typer.echo("Entry into force, computed from the records vs official:")
    for e in eif:
        mark = "ok" if e["match"] else "DIFFERS"
        typer.echo(f"  {e['treaty']:10} computed {e['computed']} (instrument no. {e['n']} on {e['nth_date']}, {e['article']}), "
                   f"official {e['official']}: {mark}")


@app.command()
def build(jobs: Optional[int] = typer.Option(None, "-j", "--jobs", help="Parallel notebook runs (default: one per core)."),
          force: bool = typer.Option(False, "--force", help="Run every notebook, ignoring the cache."),
          no_book: bool = typer.Option(False, "--no-book", help="Run the notebooks only; do not build the HTML book."),
          plan: Optional[str] = typer.Option(None, "--plan", help="Run plan (default: book/runs.yml)."),
          pdf: bool = typer.Option(False, "--pdf", help="Also build the PDF edition (needs TeX Live; see .ci/run).")):
    """Run the plan's notebooks with papermill (parallel, cached), then build the book."""
    from . import run as pipeline

    try:
        pipeline.build(plan=plan, jobs=jobs, force=force, book=not no_book, log=typer.echo, pdf=pdf)
    except pipeline.RunFailed:
        typer.echo("error: the build stopped; earlier outputs and the previous book are unchanged", err=True)
        raise typer.Exit(1)
    except (UsageError, DataError) as exc:
        _fail(exc)


@app.command()
def claims(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """The claims ledger: the paper's checkable numbers, recomputed, with verdicts."""
    from . import claims as ledger

    try:
        rows = ledger.evaluate_all()
    except (UsageError, DataError) as exc:
        _fail(exc)
    if as_json:
        _dump(rows)
        return
    for r in rows:
        typer.echo(f"{r['id']:36} {r['verdict']:33} paper: {r['paper']:<22} recomputed: {r['recomputed']}")
        if r["explanation"]:
            typer.echo(f"{'':36} {r['explanation']}")
    counts = {v: sum(r["verdict"] == v for r in rows) for v in ledger.VERDICTS}
    typer.echo(f"{len(rows)} claims: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    changed = [r["id"] for r in rows if r["verdict"] != r["pinned"]]
    if changed:
        typer.echo(f"error: verdicts differ from data/curated/claims.yml for: {', '.join(changed)}", err=True)
        raise typer.Exit(1)


@app.command()
def profile(country: str = typer.Argument(..., metavar="COUNTRY", help="A participant name or ISO3 code."),
            as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
            output: Optional[str] = typer.Option(None, "-o", "--output", help="HTML file to write (default: ./profile-<ISO3>-<date>.html).")):
    """One country's profile across the nine treaties, as a single HTML file that reads offline."""
    from . import run as pipeline
    from . import status as st

    try:
        day = str(st.parse_as_of(as_of, "--as-of"))
        pipeline.profile_html(country, day, output, log=typer.echo)
    except pipeline.RunFailed:
        raise typer.Exit(1)
    except (UsageError, DataError) as exc:
        _fail(exc)


@app.command()
def seminar(groups: int = typer.Option(..., "--groups", min=1, help="Number of groups."),
            out: str = typer.Option(..., "--out", help="Folder for the worksheets and the index."),
            as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
            seed: int = typer.Option(1, "--seed", help="Seed for assigning parameters to groups (same seed, same worksheets)."),
            plan: Optional[str] = typer.Option(None, "--plan", help="YAML file assigning each group's exercise and parameters instead.")):
    """Seminar pack: a student and a teacher worksheet per group, and an index."""
    from . import exercises
    from . import status as st

    try:
        rows = exercises.from_plan(plan) if plan else exercises.assign(groups, seed, st.parse_as_of(as_of, "--as-of"))
        exercises.build_pack(out, rows, log=typer.echo)
    except (UsageError, DataError) as exc:
        _fail(exc)


def parse_param_args(args: list[str]) -> dict:
    """`-p NAME VALUE` pairs (papermill's convention), repeatable."""
    given, i = {}, 0
    while i < len(args):
        if args[i] not in ("-p", "--param"):
            raise UsageError(f"unexpected argument {args[i]!r}; give parameters as -p NAME VALUE")
        if i + 2 >= len(args):
            raise UsageError(f"{args[i]} needs NAME and VALUE")
        given[args[i + 1]] = args[i + 2]
        i += 3
    return given


@app.command(name="run", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def run_notebook(ctx: typer.Context,
                 notebook: str = typer.Argument(..., help="A source notebook, e.g. notebooks/ratification_status.ipynb."),
                 output: Optional[str] = typer.Option(None, "-o", "--output", help="Where to write the executed notebook (default: ./<notebook>-run.ipynb).")):
    """Run one chapter with other parameters: palermo run NOTEBOOK -p NAME VALUE ... [-o OUT].

    Parameters are validated like the run plan's: as_of is an ISO date (or 'latest'),
    treaties a list of short ids ('UNTOC TIP' or 'UNTOC,TIP')."""
    from . import run as pipeline

    try:
        given = parse_param_args(list(ctx.args))
        pipeline.run_one(notebook, given, output, log=typer.echo)
    except pipeline.RunFailed:
        raise typer.Exit(1)
    except (UsageError, DataError) as exc:
        _fail(exc)


def main() -> None:  # console-script entry point
    try:
        app()
    except BrokenPipeError:  # e.g. `palermo status UNTOC | head`
        sys.exit(0)


if __name__ == "__main__":
    main()
