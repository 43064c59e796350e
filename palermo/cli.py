"""The ``palermo`` command line: a thin layer over the library.

One error handler serves every command: bad input (unknown treaty, bad or out-of-range date,
unknown participant, a path it must not write) exits with code 2 and one line saying what is
allowed; a missing or altered input, or a failed build, exits with code 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from typer.core import TyperGroup

from .errors import PalermoError, UsageError

AS_OF_HELP = (
    "ISO date (YYYY-MM-DD), 1988-01-01 to today, or 'latest' (the latest date the "
    "records speak for); default: the paper's submission date, 2020-12-23."
)
MAX_PANEL_ROWS = 5_000_000
PERIODS = {"year": "yearly", "month": "monthly", "day": "daily"}
CSV_BYTES_PER_ROW = 91  # measured: a monthly panel of the nine, 768,246 rows in 69.8 MB
TREATY_HELP = (
    "Short id (UNTOC, TIP, SOM, FIREARMS, UNCAC, DRUGS1988, ROME, BOMBINGS, FINANCING, and "
    "CYBERCRIME, whose records `sources update` fetches) or UNTC number (XVIII-12)."
)


class _Handled(TyperGroup):
    """Runs every command under one error handler."""

    def invoke(self, ctx):
        from .pipeline.execute import RunFailed, quiet_asyncio

        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            quiet_asyncio()  # no reports of the tasks a cut-short kernel call left behind
            typer.echo("error: interrupted", err=True)
            raise typer.Exit(130) from None
        except RunFailed as exc:
            typer.echo(
                f"error: {exc}; earlier outputs and the previous book are unchanged", err=True
            )
            raise typer.Exit(1) from None
        except PalermoError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2 if isinstance(exc, UsageError) else 1) from None
        except BrokenPipeError:  # `palermo status UNTOC | head`: the reader has all it wants
            _pipe_closed()
            raise typer.Exit(0) from None
        except OSError as exc:  # a full disk, a read-only folder, a path that is a folder
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            typer.echo(f"error: {exc.strerror or exc}{where}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Handled,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Treaty status from raw UN Treaty Collection records (the Palermo companion).",
)


def _dump(obj) -> None:
    typer.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def _consent(row) -> str:
    """A status row's consent as a table cell (a bracket where it is dated only to a year or a
    range)."""
    from .render import text

    return text.consent(row.consent, row.consent_latest, row.precision)


def _table(columns: list[tuple[str, int]], rows: list[list]) -> None:
    """Print rows under their headings in fixed-width columns (width 0: the rest of the line)."""
    for values in [[h for h, _ in columns], *rows]:
        cells = [
            f"{str(v)[:w]:{w}}" if w else str(v) for v, (_, w) in zip(values, columns, strict=True)
        ]
        typer.echo(("  " + " ".join(cells)).rstrip())


def _as_of(value: str | None, option: str = "--as-of"):
    """The CLI's one reading of a date option (the model takes the date it gives)."""
    from .model.dates import parse_as_of

    return parse_as_of(value, option)


def _group(name: str, help: str) -> typer.Typer:
    """A command with subcommands, under the same error handler."""
    group = typer.Typer(
        cls=_Handled, add_completion=False, pretty_exceptions_enable=False, help=help
    )
    app.add_typer(group, name=name)
    return group


sources_app = _group(
    "sources",
    "The raw sources: list, verify, fetch from their public origins, update from the UN "
    "Treaty Collection.",
)


@sources_app.callback(invoke_without_command=True)
def sources(
    ctx: typer.Context,
    verify: bool = typer.Option(False, "--verify", help="Check every raw file's sha256."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """List the raw sources (data/sources.yml and fetched snapshots); --verify checks hashes."""
    if ctx.invoked_subcommand is not None:
        return
    from .data import fetch, registry

    fetch.fetches()  # a malformed fetch manifest: one line naming it (and no entry read outside)
    sources = registry.registry()
    checks = {r.id: r for r in registry.verify_all()} if verify else {}
    if as_json:
        _dump(
            [
                # with --verify, where each file was found, whether it matched and why not
                {**s.as_dict(), **({} if not verify else _verified(checks[s.id]))}
                for s in sources
            ]
        )
    else:
        w = max(len(s.id) for s in sources)
        typer.echo(f"{'id':{w}} {'treaty':11} {'kind':8} {'status':10}  sha256")
        for s in sources:
            mark = "" if not verify else ("  ok" if checks[s.id].ok else "  FAILED")
            typer.echo(
                f"{s.id:{w}} {s.treaty or '-':11} {s.kind:8} {str(s.status_date):10}  "
                f"{s.sha256[:12]}…{mark}"
            )
        if verify:
            for s in sources:
                if not checks[s.id].ok:
                    typer.echo(f"error: {checks[s.id].message}", err=True)
            roots = sorted(
                {checks[s.id].path[: -len(s.path) - 1] for s in sources if checks[s.id].ok}
            )
            typer.echo(f"raw files found in: {', '.join(roots) or '-'}")
    if verify and not all(c.ok for c in checks.values()):
        raise typer.Exit(1)


def _verified(c) -> dict:
    """A raw file's check as ``sources --verify --json`` adds it to the file's row."""
    return {"ok": c.ok, "found": c.path, "message": c.message}


@app.command()
def status(
    treaty: str = typer.Argument(..., help=TREATY_HELP),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    """Status of every participant in TREATY on a date, with counts and coverage."""
    from .model.participation import summary
    from .render import text

    s = summary(treaty, _as_of(as_of))
    note = text.coverage_note(s.coverage, s.count)
    if as_json:
        out = s.as_dict()
        out["coverage"]["note"] = note
        _dump(out)
        return
    typer.echo(f"{s.short} ({s.treaty}) {s.name}, on {s.as_of}")
    typer.echo(f"  parties: {text.count(s.count)}")
    typer.echo(f"  signatories: {s.signatories} ({s.signatories_only} signed only)")
    typer.echo(f"  coverage: {note}")
    if s.unattributed_parties:
        u = s.unattributed_parties
        typer.echo(
            f"  unnamed: at least {u.parties} of the parties on that day no record names; "
            f"candidates from the leads: "
            + (", ".join(f"{c.participant} ({c.confidence})" for c in u.candidates) or "none")
        )
    typer.echo("")
    _table(
        [
            ("id", 4),
            ("participant", max(len("participant"), *(len(p.name) for p in s.participants))),
            ("status", 15),
            ("signature", 11),
            ("consent", 24),
            ("action", 0),
        ],
        [
            [
                p.id,
                p.name,
                p.row.status,
                text.iso(p.row.signature),
                _consent(p.row),
                p.row.action or "",
            ]
            for p in s.participants
        ],
    )


@app.command()
def participant(
    name: str = typer.Argument(
        ...,
        metavar="NAME_OR_ISO3",
        help="A participant name (any spelling country_converter "
        "knows) or ISO3 code; EUU for the European Union.",
    ),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    """One participant's status across all nine treaties on a date."""
    from .model.participation import participant as record
    from .render import text

    p = record(name, _as_of(as_of))
    if as_json:
        _dump(p.as_dict())
        return
    typer.echo(f"{p.name} ({p.id}), on {p.as_of}")
    _table(
        [
            ("treaty", 10),
            ("status", 31),
            ("signature", 11),
            ("consent", 24),
            ("action", 13),
            ("records complete through", 0),
        ],
        [
            [
                r.short,
                text.standing(r.row.status, p.as_of, r.complete_through),
                text.iso(r.row.signature),
                _consent(r.row),
                r.row.action or "",
                str(r.complete_through),
            ]
            for r in p.treaties
        ],
    )


@sources_app.command("fetch")
def sources_fetch(
    base_url: str | None = typer.Option(
        None,
        "--base-url",
        help="A mirror of the raw-file host, laid out as BASE/OWNER/NAME/COMMIT/PATH "
        "(default: $PALERMO_RAW_BASE_URL, else the public host of each file's repository).",
    ),
    timeout: float = typer.Option(
        30.0, "--timeout", help="Seconds to wait for a server, 1 to 3600 (a whole file: ten times)."
    ),
    quiet: bool = typer.Option(
        False, "--quiet", help="Print nothing when every raw file is already held."
    ),
):
    """Download every registered raw file not already held (data/sources.yml: each file's
    public repository, commit and path), check its sha256 and keep it in the data folder
    ($PALERMO_DATA_DIR). A file that fails (404, wrong hash, truncated, timed out) is not kept."""
    from .data import fetch, raw, registry

    fetch.fetches()  # a malformed fetch manifest: one line naming it, before anything
    kept = raw.fetch(base_url, timeout, log=typer.echo)
    if not kept and not quiet:
        n = len(raw.registered())
        places = sorted({str(registry.root_of(s)) for s in raw.registered()})
        typer.echo(f"all {n} raw files are held and verified (in {', '.join(places)})")


@sources_app.command("update")
def sources_update(
    treaty: list[str] = typer.Argument(
        None, help="Treaties to fetch (default: all). " + TREATY_HELP
    ),
    base_url: str | None = typer.Option(
        None,
        "--base-url",
        help="The UNTC host or a mirror with its path layout (default: "
        "$PALERMO_UNTC_BASE_URL, else the UN Treaty Collection).",
    ),
    timeout: float = typer.Option(
        30.0, "--timeout", help="Seconds to wait for a server, 1 to 3600 (a whole file: ten times)."
    ),
):
    """Fetch each treaty's official UNTC XML into the data folder ($PALERMO_DATA_DIR), checked:
    kept only if it parses, its table agrees with its header and it is not older than what is
    held, and it holds every curated action dated before today; all or nothing."""
    from . import config
    from .data import download, fetch
    from .model import merge

    download.check_timeout(timeout)
    fetch.base_url(base_url)  # a bad --base-url is refused before anything is printed
    typer.echo(f"==> fetching into {config.data_dir() / fetch.FOLDER}")
    fetch.update(treaty or None, base_url, timeout, log=typer.echo, verify=merge.check_fetched)


@sources_app.command("forget")
def sources_forget(
    day: str = typer.Argument(..., help="The date of the fetch to drop (YYYY-MM-DD)."),
    treaty: list[str] = typer.Argument(
        None, help="Only these treaties' files (default: the whole fetch). " + TREATY_HELP
    ),
):
    """Drop a fetch kept by `sources update` from the data folder (all its files, or only the
    treaties named): the way out when a fetched file is wrong or stale. The repository's
    snapshots and the raw files are never touched."""
    import datetime as dt

    from .data import fetch

    try:
        when = dt.date.fromisoformat(day)
    except ValueError:
        raise UsageError(f"DAY: {day!r} is not a date; give YYYY-MM-DD") from None
    dropped = fetch.forget(when, treaty or None, log=typer.echo)
    if dropped:
        typer.echo(f"==> dropped {len(dropped)} fetched file(s) of {when}")
    else:  # a manifest that could not be read: the whole folder went
        typer.echo(f"==> dropped the fetch of {when}")


def _not_a_repository_file(out: Path) -> None:
    """``sources record -o``, even with --force, never replaces a file of the repository: in a
    git checkout, any file git tracks; elsewhere (an unpacked deposit), any existing file in the
    project folder. Allowed: a file outside the project folder, or one git does not track."""
    import subprocess

    from . import config

    root = config.ROOT.resolve()
    if not out.is_relative_to(root):
        return
    rel = out.relative_to(root).as_posix()
    tracked = None
    if (root / ".git").exists():
        try:
            listed = subprocess.run(
                ["git", "-C", str(root), "ls-files", "-z", "--", rel],
                capture_output=True,
                timeout=60,
            )
            if listed.returncode == 0:
                tracked = bool(listed.stdout.strip(b"\0"))
        except (OSError, subprocess.SubprocessError):
            tracked = None
    if tracked is None:  # not a checkout, or no git: every existing file is the project's
        tracked = out.exists()
    if tracked:
        raise UsageError(
            f"-o {out}: that is a file of the repository ({rel}), never replaced, even with "
            f"--force; give a path outside {root}, or a new file git does not track"
        )


@sources_app.command("record")
def sources_record(
    output: Path | None = typer.Option(
        None,
        "-o",
        "--output",
        help="Also write the Markdown table of changes here (a .md file; if any).",
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing -o file."),
):
    """Compare the newest fetch with the newest record in data/snapshots; if any treaty's counts
    changed, write a record of the fetch there (counts and hashes, no raw files) and print the
    changes. Exit code 0 either way; -o is written only when something changed."""
    from .data import fetch
    from .files import write_atomic
    from .pipeline.export import output_path

    if output is not None:  # checked before anything is written
        output = output_path(output, ".md", force)
        _not_a_repository_file(output)
    path, summary = fetch.record()
    typer.echo(summary.rstrip())
    if path is not None:
        typer.echo(f"==> wrote {path}")
        if output is not None:
            write_atomic(output, summary)


@app.command()
def check(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Every verification in one: raw-file hashes, the merge's rules, snapshot disagreements,
    entry into force recomputed, the claims' verdicts and the TOC against the plan. Exit code 1
    if a raw file fails its hash, a verdict has changed or the TOC is stale."""
    from .data import registry, treaties
    from .model import claims, merge
    from .model.coverage import set_aside, signatory_disagreements, unattributed_parties
    from .model.eif import entry_into_force
    from .pipeline import plan
    from .render import text

    files = registry.verify_all()
    bad_files = [f for f in files if not f.ok]
    if bad_files:  # the rest needs the raw files
        for f in bad_files:
            typer.echo(f"error: {f.message}", err=True)
        raise typer.Exit(1)
    rec = merge.load()
    eif = [entry_into_force(t) for t in treaties.with_records()]
    rows = claims.evaluate_all()
    changed = [r.id for r in rows if r.verdict != r.pinned]
    p = plan.load()
    toc_stale = (p.base / "_toc.yml").read_text(encoding="utf-8") != plan.toc_text(p)
    dis = rec.disagreements.to_dict("records")
    sig = signatory_disagreements()
    unattributed = unattributed_parties()
    aside = set_aside()
    if as_json:
        _dump(
            {
                "signatory_disagreements": [s.as_dict() for s in sig],
                "unattributed_parties": [u.as_dict() for u in unattributed],
                "stated_counts_set_aside": [a.as_dict() for a in aside],
                "raw_files": [f.as_dict() for f in files],
                "disagreements": dis,
                "entry_into_force": [e.as_dict() for e in eif],
                "claims_changed": changed,
                "toc_stale": toc_stale,
            }
        )
    else:
        typer.echo(f"Raw files: {len(files)}, every sha256 matches")
        typer.echo(
            f"Snapshot disagreements (older snapshot vs the newer, authoritative one): {len(dis)}"
        )
        for d in dis:
            typer.echo(
                f"  {d['treaty']} {d['participant']}: {d['fact']} {d['older']} in "
                f"{d['older_source']} (row {d['older_row']}); {d['newer']} in "
                f"{d['newer_source']} (row {d['newer_row']})"
            )
        typer.echo(f"Headline signatory counts the records do not match: {len(sig)}")
        for s in sig:
            typer.echo(
                f"  {s.treaty} on {s.date}: headline {s.headline}, records {s.records} ({s.source})"
            )
        typer.echo(f"Party counts the records cannot name in full: {len(unattributed)}")
        for u in unattributed:
            typer.echo(
                f"  {u.treaty} on {u.date}: {u.observation}, records name "
                f"{text.span(u.records_parties, u.records_parties_max)}, so "
                f"{text.span(u.unattributed, u.unattributed_max)} unnamed"
            )
        typer.echo(
            f"Stated counts set aside (a depositary headline count contradicts them): {len(aside)}"
        )
        for a in aside:
            typer.echo(
                f"  {a.treaty} on {a.date}: {a.observation} would require "
                f"{a.would_require}, the headline count allows {a.headline_allows}"
            )
        typer.echo("Entry into force, computed from the records vs official:")
        for e in eif:
            mark = "ok" if e.match else "DIFFERS"
            typer.echo(
                f"  {e.treaty:10} computed {e.computed} (instrument no. {e.n} on "
                f"{e.nth_date}, {e.article}), official {e.official}: {mark}"
            )
        typer.echo(
            f"Claims: {len(rows)}, verdicts as pinned in claims.yml"
            if not changed
            else f"Claims whose verdict changed: {', '.join(changed)}"
        )
        typer.echo(
            "_toc.yml: stale, run `palermo build`" if toc_stale else "_toc.yml: matches the plan"
        )
    if changed or toc_stale:
        raise typer.Exit(1)


@app.command()
def claims(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """The claims ledger: the paper's checkable numbers, recomputed, with verdicts."""
    from .data.vocab import VERDICTS, verdict_kind
    from .model import claims as ledger

    rows = ledger.evaluate_all()
    if as_json:
        _dump([r.as_dict() for r in rows])
        return
    for r in rows:
        typer.echo(f"{r.id:36} {r.verdict:33} paper: {r.paper:<22} recomputed: {r.recomputed}")
        if r.explanation:
            typer.echo(f"{'':36} {r.explanation}")
    counts = {v: sum(verdict_kind(r.verdict) == v for r in rows) for v in VERDICTS}
    typer.echo(f"{len(rows)} claims: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    changed = [r.id for r in rows if r.verdict != r.pinned]
    if changed:
        typer.echo(
            f"error: verdicts differ from data/curated/claims.yml for: {', '.join(changed)}",
            err=True,
        )
        raise typer.Exit(1)


PLAN_HELP = "The run plan (default: book/runs.yml)."
# `build` and `replicate` run the plan the same way
JOBS_OPTION = typer.Option(
    None, "-j", "--jobs", min=1, help="Parallel notebook runs (default: one more than the cores)."
)


@app.command()
def build(
    jobs: int | None = JOBS_OPTION,
    force: bool = typer.Option(False, "--force", help="Run every notebook and rebuild the book."),
    no_book: bool = typer.Option(False, "--no-book", help="Run the notebooks only."),
    plan: Path | None = typer.Option(None, "--plan", help=PLAN_HELP),
    pdf: bool = typer.Option(False, "--pdf", help="Also build the PDF edition (needs TeX Live)."),
    edition: str | None = typer.Option(
        None,
        "--edition",
        metavar="NAME",
        help="Keep the book built as the edition NAME in _build/editions/NAME (its HTML, PDF if "
        "built, and record of every fact and exhibit); later books serve it beside themselves. "
        "NAME: lower-case letters, digits, '.', '_', '-'; {records} stands for the records' "
        "latest date (records-{records}). A NAME kept already is refused without --force.",
    ),
):
    """Run the plan's notebooks with papermill (parallel, cached), write _toc.yml, build the
    book."""
    from .pipeline.build import build as run_build
    from .teaching.seminar import sheets_page

    run_build(
        plan_path=plan,
        jobs=jobs,
        force=force,
        book=not no_book,
        pdf=pdf,
        log=typer.echo,
        write_page=sheets_page,
        edition_name=edition,
    )


def _record_of(spec: str, p) -> tuple[str, dict]:
    """(a name for it, the record) of an edition name, `current`, `previous` or a record.json."""
    from .pipeline import edition, facts

    if spec in ("current", "previous"):
        current = facts.record(p)
        if spec == "current":
            return "current", current
        name, base = facts.baseline(p.base, current)
        if base is None:
            raise UsageError(
                "previous: no earlier edition is kept in "
                f"{edition.editions_dir(p.base)} to compare the current book with (kept: "
                f"{', '.join(k.name for k in edition.kept(p.base)) or 'none'})"
            )
        return base.name, facts.load(base.record)
    path = Path(spec)
    if path.suffix == ".json" or "/" in spec:
        return str(path), facts.load(path)
    return spec, facts.load(edition.find(p.base, spec).record)


@app.command()
def diff(
    a: str = typer.Argument(
        ..., metavar="EDITION_A", help="An edition's name, current, previous or a record.json."
    ),
    b: str = typer.Argument(
        ..., metavar="EDITION_B", help="An edition's name, current, previous or a record.json."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    plan: Path | None = typer.Option(None, "--plan", help=PLAN_HELP),
):
    """Every fact, table and chart that changed from EDITION_A to EDITION_B, by page. An
    edition is a name kept by `palermo build --edition` (in _build/editions), `current` (the
    book built now), `previous` (the edition its page "What changed" compares with) or the
    path of a record.json (replication/record.json is the shipped one). Exit code 0 either
    way."""
    from .pipeline import facts
    from .pipeline import plan as plans

    p = plans.load(plan)
    (name_a, rec_a), (name_b, rec_b) = _record_of(a, p), _record_of(b, p)
    d = facts.diff(rec_a, rec_b)
    if as_json:
        _dump({"a": name_a, "b": name_b, **d})
    else:
        typer.echo(facts.text(d, (name_a, name_b)).rstrip())


@app.command()
def replicate(
    jobs: int | None = JOBS_OPTION,
    base_url: str | None = typer.Option(
        None,
        "--base-url",
        help="A mirror of the raw-file host for the records not held (as `sources fetch`).",
    ),
    timeout: float = typer.Option(
        30.0, "--timeout", help="Seconds to wait for a server, 1 to 3600 (a whole file: ten times)."
    ),
    plan: Path | None = typer.Option(None, "--plan", help=PLAN_HELP),
    no_book: bool = typer.Option(
        False, "--no-book", help="Rerun the notebooks only; compare without building the HTML."
    ),
):
    """Reproduce the book: fetch and verify the raw records, rerun every notebook, rebuild the
    book, compare every fact, table and chart with the shipped record (replication/record.json)
    and the book as found, and print a verdict in the AEA's four levels (full reproduction;
    with minor issues; partial; not reproduced) with the differences. Exit code 0 only for a
    full reproduction."""
    from .pipeline.build import replicate as run_replicate
    from .teaching.seminar import sheets_page

    result = run_replicate(
        plan_path=plan,
        jobs=jobs,
        base_url=base_url,
        timeout=timeout,
        log=typer.echo,
        write_page=sheets_page,
        book=not no_book,
    )
    typer.echo("")
    typer.echo(result.text().rstrip())
    if not result.full:
        raise typer.Exit(1)


@app.command()
def profile(
    country: str = typer.Argument(..., metavar="COUNTRY", help="A participant name or ISO3 code."),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="HTML file to write (default: ./profile-<ISO3>-<date>.html)."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace an existing file palermo did not write."
    ),
):
    """One country's profile across the nine treaties, as a single HTML file that reads offline."""
    from .pipeline.build import profile_html

    profile_html(country, _as_of(as_of), output, force=force, log=typer.echo)


@app.command()
def seminar(
    groups: int = typer.Option(..., "--groups", min=1, max=60, help="Number of groups (1 to 60)."),
    output: Path = typer.Option(
        ..., "-o", "--output", help="Folder for the worksheets and the index."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    seed: int = typer.Option(
        1, "--seed", help="Seed for assigning parameters to groups (same seed, same worksheets)."
    ),
    assign: Path | None = typer.Option(
        None,
        "--assign",
        help="YAML file giving each group's exercise and parameters instead of the seed.",
    ),
    force: bool = typer.Option(
        False, "--force", help="Write into a folder that holds files palermo did not write."
    ),
):
    """Seminar pack: a student and a teacher worksheet per group, and an index."""
    from .teaching import seminar as pack

    pack.pack_folder(output, force)  # checked before anything runs
    rows = pack.from_plan(assign) if assign else pack.assign(groups, seed, _as_of(as_of))
    pack.build_pack(output, rows, log=typer.echo, force=force)


export_app = _group(
    "export",
    "Tables for research (a participant x treaty x period panel, the actions), REPLICATION.md "
    "and a replication package.",
)


@export_app.command("panel")
def export_panel(
    output: Path = typer.Option(
        ..., "-o", "--output", help="The file to write (.csv or .parquet)."
    ),
    treaties: str | None = typer.Option(
        None, "--treaties", help="Short ids, e.g. 'UNTOC TIP' (default: all nine)."
    ),
    freq: str = typer.Option("year", "--freq", help="year, month or day."),
    start: str = typer.Option("1988-01-01", "--start", help="First day (YYYY-MM-DD)."),
    end: str = typer.Option("latest", "--end", help="Last day (YYYY-MM-DD or 'latest')."),
    fmt: str = typer.Option("csv", "--format", help="csv or parquet (parquet needs pyarrow)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
    max_rows: int = typer.Option(
        MAX_PANEL_ROWS,
        "--max-rows",
        min=1,
        help="Refuse a panel larger than this (a daily panel of all nine treaties since 1988 "
        "has some 25 million rows).",
    ),
):
    """Participant x treaty x period: status at each period's end, the dates known by then,
    UN membership, and whether the records are complete (a data dictionary is written beside)."""
    from .data import treaties as tr
    from .model import panel, params
    from .pipeline import export

    chosen = params.treaty_list(treaties) if treaties else [t.short for t in tr.with_records()]
    out = export.table_output(output, fmt, force)
    export.output_path(out.with_name(out.stem + ".dictionary.csv"), ".csv", force)
    start_day, end_day = _as_of(start, "--start"), _as_of(end, "--end")
    rows = panel.size(chosen, freq, start_day, end_day)
    about = f"about {rows * CSV_BYTES_PER_ROW / 1e6:,.0f} MB as CSV" if fmt == "csv" else fmt
    if rows > max_rows:
        raise UsageError(
            f"the panel would have {rows:,} rows ({about}), above --max-rows {max_rows:,}; "
            "narrow --treaties, --start, --end or --freq, or raise --max-rows"
        )
    what = f"{len(chosen)} {'treaty' if len(chosen) == 1 else 'treaties'}, {PERIODS[freq]}"
    typer.echo(f"==> {rows:,} rows ({what}; {about})")
    df = panel.panel(chosen, freq, start_day, end_day, log=typer.echo)
    export.write_table(df, out, fmt, panel.DICTIONARY, log=typer.echo)
    typer.echo(
        f"==> wrote {out}: {len(df):,} rows ({what} periods "
        f"{df['period_end'].min():%Y-%m-%d} to {df['period_end'].max():%Y-%m-%d}) and its data "
        "dictionary"
    )


@export_app.command("actions")
def export_actions(
    output: Path = typer.Option(
        ..., "-o", "--output", help="The file to write (.csv or .parquet)."
    ),
    fmt: str = typer.Option("csv", "--format", help="csv or parquet (parquet needs pyarrow)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
):
    """Every merged action (raw snapshots and curated rows) with its source."""
    from .model import panel
    from .pipeline import export

    out = export.table_output(output, fmt, force)
    df = panel.actions()
    export.write_table(df, out, fmt)
    typer.echo(f"==> wrote {out}: {len(df):,} actions")


@export_app.command("replication")
def export_replication(
    check: bool = typer.Option(
        False, "--check", help="Only say whether REPLICATION.md is current (exit 1 if stale)."
    ),
):
    """Write REPLICATION.md (data availability, requirements, instructions, and every figure,
    table and number with the code that makes it) from the plan, the notebooks, the registry
    and the claims ledger; and, from the built book, replication/record.json (every page's
    facts, and a digest of every table and chart), which `palermo replicate` compares a
    rebuild with. --check checks REPLICATION.md only."""
    from .pipeline import replication

    current = replication.write(check=check)
    path = replication.REPLICATION_MD
    if not check:
        _write_shipped_record()
    if current:
        typer.echo(f"{path.name} is current")
    elif check:
        why = replication.stale_reason()  # e.g. records fetched since, which it does not list
        typer.echo(
            f"error: {path.name} is stale{': ' + why if why else ''}: run `palermo export "
            "replication`",
            err=True,
        )
        raise typer.Exit(1)
    else:
        typer.echo(f"==> wrote {path}")


def _write_shipped_record() -> None:
    from .pipeline import facts, plan

    p = plan.load()
    current, why = facts.write_shipped(p)
    where = facts.shipped_path(p.base)
    if current:
        typer.echo(f"{where.relative_to(p.base)} is current")
    elif why:
        typer.echo(f"{where.relative_to(p.base)} not written: {why}", err=True)
    else:
        typer.echo(f"==> wrote {where} ({where.stat().st_size:,} bytes)")


@export_app.command("package")
def export_package(
    output: Path = typer.Option(..., "-o", "--output", help="The zip file to write."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
):
    """A deposit for a journal's data editor: code, lock files, curated and raw data (with their
    terms), the built HTML and PDF, REPLICATION.md, the panel and the ledger as CSV with a
    Frictionless datapackage.json, .zenodo.json, SHA256SUMS and an RO-Crate (a Process Run
    Crate, one CreateAction per notebook run)."""
    from .pipeline import replication

    replication.package(output, force, log=typer.echo)


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


@app.command(
    name="run", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
)
def run_notebook(
    ctx: typer.Context,
    notebook: Path = typer.Argument(..., help="A source notebook, e.g. notebooks/figure1.ipynb."),
    output: Path | None = typer.Option(
        None,
        "-o",
        "--output",
        help="The executed notebook to write (default: ./<notebook>-run.ipynb).",
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace an existing file palermo did not write."
    ),
):
    """Run one chapter with other parameters: palermo run NOTEBOOK -p NAME VALUE ... [-o OUT].

    NOTEBOOK is any .ipynb with a cell tagged 'parameters' (the book's chapters are in
    notebooks/; a copy elsewhere runs too, as the user chooses). Parameters are validated like
    the run plan's: as_of is an ISO date or 'latest' (on or after the earliest day the chapter
    can draw), treaties a list of short ids ('UNTOC TIP' or 'UNTOC,TIP')."""
    from .pipeline.build import run_one

    run_one(notebook, parse_param_args(list(ctx.args)), output, force=force, log=typer.echo)


def _pipe_closed() -> None:
    """The reader of stdout went away: point stdout at the null device, so that the final
    flush of what is still buffered cannot fail again and exit with 120 or a traceback."""
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # no real stdout: nothing is left to flush into the pipe
        pass


def _terminated(signum, frame):  # SIGTERM: unwind like Ctrl-C, so temporary files go
    raise KeyboardInterrupt


def main() -> None:  # console-script entry point
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # a pipe closed after the last write fails here, not at exit
    except BrokenPipeError:  # e.g. `palermo status UNTOC | head`: exit 0, quietly
        _pipe_closed()
        sys.exit(0)


if __name__ == "__main__":
    main()
