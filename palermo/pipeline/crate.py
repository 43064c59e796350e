"""The deposit's machine-readable metadata (``palermo export package``): its RO-Crate, its
Frictionless data package and its Zenodo record, each made from what the deposit holds.

* ``ro-crate-metadata.json`` (:func:`ro_crate`): an RO-Crate 1.1, made with the ``rocrate``
  library, that conforms to the Process Run Crate profile 0.5 (the version roc-validator
  checks). The root dataset is described from ``CITATION.cff``; every file of the deposit is a
  File entity with its size and sha256 (the source notebooks also SoftwareSourceCode); and each
  run of the run plan is a CreateAction: the source notebook is its instrument, the raw files,
  the curated files its chapter reads (``data/curated/manifest.yml``) and each parameter (a
  PropertyValue) its object, and the executed notebook the built book holds
  (``_build/html/_sources/book/…``) its result, timed by papermill's record of the run.
* ``datapackage.json`` (:func:`datapackage`): a Frictionless data package with a Table Schema
  for each CSV table readers use: the curated tables, their types and constraints translated
  from their pandera schemas (``data.curated.CSV_SCHEMAS``), and the tables the deposit derives
  (:func:`derived_tables`): the yearly panel of the nine treaties, as ``palermo export panel``
  writes it, and the claims ledger recomputed, as ``palermo claims`` gives it, each with its
  data dictionary. Each resource carries its sha256 and size, so a validator checks the bytes.
* ``.zenodo.json`` (:func:`zenodo`): Zenodo's deposit metadata, from ``CITATION.cff`` (and, for
  a reference that names no DOI there, the DOI ``references.bib`` gives the same title).

All of it follows from the deposit's files, the plan and ``CITATION.cff``, except the day the
deposit is made (the crate's ``datePublished``, the data package's ``created``). The tests
validate the crate with roc-validator and the data package with frictionless, offline
(``tests/pipeline/test_crate.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from .. import config
from ..errors import BuildError
from ..files import read_yaml

CITATION_CFF = config.ROOT / "CITATION.cff"
BIB = config.ROOT / "references.bib"

RO_CRATE_VERSION = "1.1"  # the version the Process Run Crate 0.5 profile extends
PROCESS_RUN_CRATE = "https://w3id.org/ro/wfrun/process/0.5"
# sha256 is no term of the RO-Crate 1.1 context: it is added as schema.org's own property (of a
# MediaObject, which a File is), the way RO-Crate 1.1 adds a term
EXTRA_TERMS = {"sha256": "http://schema.org/sha256"}
# where the built book keeps its copy of each executed notebook: the deposit's run results
EXECUTED = "_build/html/_sources/"
# what every run reads besides its curated files and parameters: the raw files, and the map
# geometry where `make book` looks for it (each pinned in data/sources.yml, so in every run's
# cache key)
RAW_INPUTS = ("raw/", config.DEFAULT_GEO_DIR.relative_to(config.ROOT).as_posix() + "/")
# media types Python's own table (mimetypes' defaults, never the machine's files, so the crate
# is the same on every machine) lacks, or names otherwise from one Python version to the next
MEDIA_TYPES = {
    ".ipynb": "application/x-ipynb+json",
    ".yml": "application/yaml",
    ".yaml": "application/yaml",
    ".cff": "application/yaml",
    ".toml": "application/toml",
    ".lock": "text/plain",
    ".cfg": "text/plain",
    ".po": "text/x-gettext-translation",
    ".mo": "application/x-gettext-translation",
    ".map": "application/json",
    ".cjs": "text/javascript",
    ".js": "text/javascript",
}

DERIVED = "derived"  # the deposit's folder of the tables it derives
PANEL = f"{DERIVED}/panel.csv"
LEDGER = f"{DERIVED}/claims_ledger.csv"
DATAPACKAGE = "datapackage.json"
ZENODO = ".zenodo.json"

# the licences CITATION.cff names, as a reader knows them, and what each covers (README)
LICENCES = {
    "MIT": ("MIT License", "The code (LICENSE)."),
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0 International",
        "The text (LICENSE-TEXT.md) and the records this project curates "
        "(data/curated/manifest.yml); each raw source keeps its own terms (data/sources.yml).",
    ),
}
CC_BY = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}

Entries = list[tuple[str, str, int]]  # (name in the deposit, sha256, size in bytes)


# --- CITATION.cff ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Author:
    """An author of CITATION.cff: a person (given and family names) or an entity (a name)."""

    name: str  # as written: "Ian Tennant", "The Palermo companion project"
    person: bool
    family_first: str  # "Tennant, Ian" (Zenodo's form); an entity's name as it is
    orcid: str = ""  # the ORCID iD's URL
    affiliation: str = ""

    @property
    def id(self) -> str:
        return self.orcid or "#author-" + re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


@dataclasses.dataclass(frozen=True)
class Work:
    """A work CITATION.cff references (the paper this companion supplements)."""

    title: str
    kind: str  # CITATION.cff's type: article, book, ...
    doi: str  # without https://doi.org/, "" when neither CITATION.cff nor references.bib has it
    cited: str  # the reference as a reader cites it


def citation(path: Path = CITATION_CFF) -> dict:
    """CITATION.cff, with the fields the deposit's metadata is made from (a BuildError naming
    what is missing)."""
    doc = read_yaml(path, BuildError, "CITATION.cff")
    missing = [k for k in ("title", "version", "authors", "license", "abstract") if not doc.get(k)]
    if missing:
        raise BuildError(
            f"{path.name} has no {', '.join(missing)}: the deposit's metadata is made from it"
        )
    return doc


def authors(cff: dict) -> list[Author]:
    out = []
    for a in cff["authors"]:
        given, family = a.get("given-names", ""), a.get("family-names", "")
        if family:
            particle = a.get("name-particle", "")
            name = " ".join(x for x in (given, particle, family) if x)
            first = ", ".join(x for x in (" ".join(x for x in (particle, family) if x), given) if x)
        elif a.get("name"):
            name = first = str(a["name"])
        else:
            raise BuildError(f"an author of CITATION.cff has no name: {a}")
        out.append(
            Author(
                name=name,
                person=bool(family),
                family_first=first,
                orcid=str(a.get("orcid", "")),
                affiliation=str(a.get("affiliation", "")),
            )
        )
    return out


def licences(cff: dict) -> list[str]:
    """CITATION.cff's licence(s), SPDX ids."""
    given = cff["license"]
    return [str(x) for x in (given if isinstance(given, list) else [given])]


def _plain_title(text: str) -> str:
    return " ".join(re.sub(r"[{}]", "", text).split()).casefold()


def _bib_dois(bib: Path = BIB) -> dict[str, str]:
    """references.bib's DOIs, by title (braces and case set aside)."""
    if not bib.is_file():
        return {}
    from pybtex.database import parse_file

    return {
        _plain_title(e.fields.get("title", "")): e.fields["doi"]
        for e in parse_file(str(bib)).entries.values()
        if e.fields.get("doi")
    }


def works(cff: dict, bib: Path = BIB) -> list[Work]:
    """The works CITATION.cff references, each with its DOI (CITATION.cff's, else the one
    references.bib gives the same title)."""
    dois = None
    out = []
    for r in cff.get("references") or []:
        title = str(r.get("title", ""))
        doi = str(r.get("doi", ""))
        if not doi:
            dois = _bib_dois(bib) if dois is None else dois
            doi = dois.get(_plain_title(title), "")
        who = "; ".join(
            ", ".join(x for x in (a.get("family-names"), a.get("given-names")) if x)
            or str(a.get("name", ""))
            for a in r.get("authors") or []
        )
        where = str(r.get("journal", ""))
        if r.get("volume"):
            where += f" {r['volume']}" + (f"({r['issue']})" if r.get("issue") else "")
        if r.get("start"):
            where += f", {r['start']}" + (f"-{r['end']}" if r.get("end") else "")
        parts = [f"{who} ({r.get('year', 'n.d.')})", title, where, f"https://doi.org/{doi}"]
        out.append(
            Work(
                title=title,
                kind=str(r.get("type", "")),
                doi=doi,
                cited=". ".join(p for p in parts if p and p != "https://doi.org/") + ".",
            )
        )
    return out


# --- the RO-Crate ---------------------------------------------------------------------------


def _curated_inputs() -> dict[str, list[str]]:
    """chapter -> the curated files it reads (data/curated/manifest.yml), as deposit names."""
    from ..data import curated

    out: dict[str, list[str]] = {}
    for m in curated.manifest().values():
        for chapter in m.chapters:
            out.setdefault(chapter, []).append(m.path.relative_to(config.ROOT).as_posix())
    return out


def _executed_metadata(path: Path) -> dict:
    """The executed notebook's metadata (what palermo and papermill recorded of its run)."""
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata")
    except (OSError, ValueError) as exc:
        raise BuildError(f"{path}: cannot read the executed notebook ({exc})") from None
    return meta if isinstance(meta, dict) else {}


def _when(stamp) -> str:
    """A time papermill recorded (ISO, to the microsecond, UTC) to the second, with its
    offset, as the Process Run Crate profile writes it; "" when there is none."""
    try:
        t = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        return ""
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return t.isoformat(timespec="seconds")


def media_type(name: str) -> str:
    """A file's media type by its name: the table above, then Python's defaults; a file with no
    suffix is text here (LICENSE, Makefile, .gitignore, .ci/run), any other unknown one bytes."""
    suffix = Path(name).suffix.lower()
    if suffix in MEDIA_TYPES:
        return MEDIA_TYPES[suffix]
    found, _ = _python_types().guess_type(name, strict=False)
    return found or ("text/plain" if not suffix else "application/octet-stream")


@functools.cache
def _python_types():
    import mimetypes

    return mimetypes.MimeTypes()


def _one(values: list):
    """A list as RO-Crate 1.1 writes a property: a single value alone, not in a list."""
    return values[0] if len(values) == 1 else values


def _value(value) -> str | int | float | bool:
    """A parameter's value as a PropertyValue holds it: a scalar as it is, anything else (a
    list of treaties) as its JSON text, which keeps its order."""
    if isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, ensure_ascii=False)


def ro_crate(
    entries: Entries,
    runs: list,
    root: Path = config.ROOT,
    today: dt.date | None = None,
    cff: dict | None = None,
) -> dict:
    """The deposit's RO-Crate metadata document for ``entries`` (the deposit's files, named
    relative to ``root``, where their copies are read) and ``runs`` (``plan.Run``; their
    notebooks and outputs under ``root``). A run is described when the files hold its source
    notebook (the deposit holds every one git tracks); BuildError if they then lack its executed
    notebook."""
    from rocrate.model import ContextEntity
    from rocrate.rocrate import ROCrate

    cff = cff or citation()
    root = Path(root).resolve()
    version = str(cff["version"])
    crate = ROCrate(version=RO_CRATE_VERSION)
    crate.metadata.extra_terms.update(EXTRA_TERMS)

    def entity(id_: str, **props):
        return crate.add(ContextEntity(crate, id_, properties=props))

    people = []
    for a in authors(cff):
        # an entity's properties: JSON-LD values (text, lists, other entities)
        props: dict[str, object] = {
            "@type": "Person" if a.person else "Organization",
            "name": a.name,
        }
        if a.affiliation:
            props["affiliation"] = entity(
                "#organization-" + re.sub(r"[^a-z0-9]+", "-", a.affiliation.lower()).strip("-"),
                **{"@type": "Organization", "name": a.affiliation},
            )
        people.append(entity(a.id, **props))
    terms = []
    for spdx in licences(cff):
        name, covers = LICENCES.get(spdx, (spdx, ""))
        props = {"@type": "CreativeWork", "name": name, "identifier": spdx}
        terms.append(entity(f"https://spdx.org/licenses/{spdx}", **props, description=covers))
    profile = entity(
        PROCESS_RUN_CRATE,
        **{"@type": "CreativeWork", "name": "Process Run Crate", "version": "0.5"},
    )
    cited = [
        entity(
            f"https://doi.org/{w.doi}",
            **{"@type": "ScholarlyArticle" if w.kind == "article" else "CreativeWork"},
            name=w.title,
            description=w.cited,
        )
        for w in works(cff)
        if w.doi
    ]

    ds = crate.root_dataset
    ds["name"] = str(cff["title"])
    ds["description"] = (
        " ".join(str(cff["abstract"]).split()) + " This is its replication package: the code, "
        "the lock files, the raw and curated data, the built book and its PDF, the tables "
        "derived for research, and REPLICATION.md, which says how to rebuild every figure, "
        "table and number; each run of a chapter notebook is a CreateAction here."
    )
    ds["version"] = version
    ds["datePublished"] = (today or config.today()).isoformat()
    ds["license"] = _one(terms)
    ds["author"] = _one(people)
    ds["conformsTo"] = profile
    if cff.get("keywords"):
        ds["keywords"] = [str(k) for k in cff["keywords"]]
    if cited:
        ds["citation"] = _one(cited)

    names = {}
    for name, sha, size in entries:
        props = {
            "name": Path(name).name,
            "contentSize": str(size),
            "sha256": sha,
            "encodingFormat": media_type(name),
        }
        if name.startswith("notebooks/") and name.endswith(".ipynb"):  # a source notebook
            props |= {"@type": ["File", "SoftwareSourceCode"], "version": version}
        names[name] = crate.add_file(dest_path=name, properties=props)

    raw = [f for n, f in names.items() if n.startswith(RAW_INPUTS)]
    reads = _curated_inputs()
    values: dict[tuple[str, str], object] = {}

    def parameter(key: str, value):
        shown = _value(value)
        text = shown if isinstance(shown, str) else json.dumps(shown)
        if (key, text) not in values:
            values[key, text] = entity(
                "#parameter-" + quote(f"{key}={text}", safe="=:_-."),
                **{"@type": "PropertyValue"},
                name=key,
                value=shown,
            )
        return values[key, text]

    actions = []
    for run in runs:
        source = run.notebook.resolve().relative_to(root).as_posix()
        page = run.output.resolve().relative_to(root).as_posix()
        result = EXECUTED + page
        if source not in names:  # no notebook of the deposit's: no run of it to describe
            continue
        if result not in names:
            raise BuildError(
                f"the run of {source} into {page}: its executed notebook {result} is not in "
                "the deposit; run `make book` first"
            )
        meta = _executed_metadata(root / result)
        recorded = meta["palermo"] if isinstance(meta.get("palermo"), dict) else {}
        papermill = meta["papermill"] if isinstance(meta.get("papermill"), dict) else {}
        params = recorded.get("parameters", run.parameters) or {}
        chapter = Path(source).stem
        inputs = raw + [names[n] for n in reads.get(chapter, []) if n in names]
        said = ", ".join(f"{k}={_value(v)}" for k, v in params.items()) or "no parameters"
        key = recorded.get("cache_key")
        props = {
            "@type": "CreateAction",
            "name": f"Run of {source} into {page}",
            "description": (
                f"papermill ran the chapter notebook {source} with {said} (the run plan's "
                f"parameters, as the run recorded them) into the executed notebook {page}"
                + (f", the page “{run.title}”" if run.title else "")
                + "; the built book keeps it as the result named here."
                + (
                    f" Its cache key (palermo.pipeline.cache: the notebook's cells, its "
                    f"parameters and every input: the raw-source registry, the curated files, "
                    f"the library and the lock file) is {key}."
                    if key
                    else ""
                )
            ),
            "instrument": names[source],
            "object": inputs + [parameter(k, v) for k, v in params.items()],
            "result": names[result],
            "agent": _one(people),
        }
        start, end = _when(papermill.get("start_time")), _when(papermill.get("end_time"))
        if start:
            props["startTime"] = start
        if end:
            props["endTime"] = end
        if papermill and not papermill.get("exception"):
            # the profile's validator takes the status as the text of its IRI
            props["actionStatus"] = "http://schema.org/CompletedActionStatus"
        actions.append(entity("#run-" + quote(page.removesuffix(".ipynb"), safe="/_-."), **props))
    if actions:
        ds["mentions"] = _one(actions)
    return crate.metadata.generate()


def actions(doc: dict) -> list[dict]:
    """The CreateActions of a crate's metadata document."""
    return [e for e in doc["@graph"] if "CreateAction" in _types(e)]


def _types(e: dict) -> list[str]:
    t = e.get("@type", [])
    return t if isinstance(t, list) else [t]


# --- the derived tables ---------------------------------------------------------------------

# the recomputed claims ledger (model.claims.ClaimResult), one column each
LEDGER_COLUMNS = {
    "id": ("the claim's id in data/curated/claims.yml", True),
    "claim": ("the paper's statement, paraphrased", True),
    "section": ("the paper's section that makes it", True),
    "refers_to": ("the day, year or years the claim speaks of (YYYY, YYYY-MM-DD or A/B)", True),
    "reasoning": ("why the claim is read that way", False),
    "computation": ("the function of palermo.model.claims that recomputes it, or none", True),
    "args": ("the computation's arguments, as a JSON object (dates as ISO text)", True),
    "paper": ("the paper's value, as text", True),
    "recomputed": ("the value the records give, as text", True),
    "verdict": ("the verdict the comparison gives now", True),
    "pinned": (
        "the verdict data/curated/claims.yml pins (palermo claims fails if they differ)",
        True,
    ),
    "explanation": ("why the verdict is what it is, where it is not a plain match", False),
    "would_test": ("for a causal claim, the evidence that would test it", False),
    "evidence": ("the page of the book that shows the evidence", True),
}
DICTIONARY_SCHEMA = {
    "fields": [
        {"name": "column", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "meaning", "type": "string", "constraints": {"required": True}},
    ],
    "primaryKey": ["column"],
}
PANEL_OPTIONAL = ("signature", "consent", "consent_latest", "action", "precision", "evidence")
PANEL_TYPES = {
    "period_end": "date",
    "signature": "date",
    "consent": "date",
    "consent_latest": "date",
    "un_member": "boolean",
    "records_complete": "boolean",
}


def ledger_frame():
    """The claims ledger recomputed, one row per claim, as ``palermo claims --json`` gives it
    (the arguments as JSON text)."""
    import pandas as pd

    from ..model import claims

    rows = [r.as_dict() for r in claims.evaluate_all()]
    fields = [f.name for f in dataclasses.fields(claims.ClaimResult)]
    if fields != list(LEDGER_COLUMNS):  # a new field of the ledger needs its description here
        raise BuildError(
            f"the claims ledger's fields {fields} differ from the columns described in "
            f"palermo.pipeline.crate.LEDGER_COLUMNS {list(LEDGER_COLUMNS)}"
        )
    df = pd.DataFrame(rows, columns=fields)
    df["args"] = df["args"].map(lambda a: json.dumps(a, sort_keys=True, ensure_ascii=False))
    return df


def panel_treaties() -> list[str]:
    """The treaties of the deposit's panel: all nine with records, as `export panel` takes."""
    from ..data import treaties

    return [t.short for t in treaties.with_records()]


def derived_tables(folder: Path, log: Callable[[str], None] = lambda line: None):
    """The tables the deposit derives, written into ``folder/derived/`` with the same code as
    the commands that export them, each with its data dictionary: the yearly panel of the nine
    treaties from 1988 to the latest day the records speak for (``palermo export panel``'s
    defaults) and the claims ledger recomputed. (name in the deposit, file) for each."""
    from ..model import panel
    from ..model.dates import latest_record_date
    from . import export

    out = Path(folder) / DERIVED
    out.mkdir(parents=True, exist_ok=True)
    chosen = panel_treaties()
    # `export panel`'s --start 1988-01-01 and --end latest, as the CLI reads them
    start, end = config.MIN_DATE, latest_record_date()
    df = panel.panel(chosen, "year", start, end)
    export.write_table(df, out / Path(PANEL).name, "csv", panel.DICTIONARY)
    log(f"    {PANEL}: {len(df):,} rows, {len(chosen)} treaties by year, {start} to {end}")
    ledger = ledger_frame()
    meanings = {k: d for k, (d, _) in LEDGER_COLUMNS.items()}
    export.write_table(ledger, out / Path(LEDGER).name, "csv", meanings)
    log(f"    {LEDGER}: the claims ledger recomputed, {len(ledger)} claims")
    return sorted((f"{DERIVED}/{p.name}", p) for p in out.iterdir() if p.is_file())


# --- the data package -----------------------------------------------------------------------


def _pattern(regex: str) -> str:
    """A pandera pattern (matched from the start: ``re.match``) as a Table Schema pattern
    (matched whole)."""
    p = regex.removeprefix("^")
    if p.endswith("$") and not p.endswith("\\$"):
        return p[:-1]
    return p + ".*"


def _constraints(check) -> dict:
    """A pandera check as Table Schema constraints; {} for one that has no such form."""
    s, name = check.statistics or {}, check.name
    if name == "str_matches":
        return {"pattern": _pattern(s["pattern"])}
    if name == "str_contains":
        return {"pattern": f".*{s['pattern']}.*"}
    if name == "isin":  # an empty text is a missing value in a CSV: allowed by not requiring one
        return {"enum": [v for v in s["allowed_values"] if v != ""]}
    if name == "str_length":
        if s.get("exact_value") is not None:
            return {"minLength": s["exact_value"], "maxLength": s["exact_value"]}
        out = {"minLength": s.get("min_value"), "maxLength": s.get("max_value")}
        return {k: v for k, v in out.items() if v is not None}
    if name == "in_range" and s.get("include_min", True) and s.get("include_max", True):
        return {"minimum": s["min_value"], "maximum": s["max_value"]}
    if name == "greater_than_or_equal_to":
        return {"minimum": s["min_value"]}
    if name == "less_than_or_equal_to":
        return {"maximum": s["max_value"]}
    return {}


def _refuses_empty(name: str, column) -> bool:
    """Whether the column's schema refuses an empty value (so the CSV must give one)."""
    import pandas as pd
    import pandera.pandas as pa

    try:
        column.validate(pd.DataFrame({name: pd.Series([""], dtype=object)}))
    except (pa.errors.SchemaError, pa.errors.SchemaErrors, TypeError, ValueError):
        return True
    return False


def table_schema(spec) -> tuple[dict, list[str]]:
    """A curated table's Table Schema, from its pandera schema (``curated.CsvSchema``): each
    column's type (an ISO date, a whole number, else text), whether it must be given (not
    optional, and its checks refuse an empty value), its uniqueness and the constraints its
    checks have a form for; the primary key is the schema's unique columns. With it, the rules
    the schema checks that a Table Schema cannot say (across columns, against another file),
    in words."""
    fields, rules = [], []
    for name, col in spec.schema.columns.items():
        kind = "date" if name in spec.dates else "integer" if name in spec.ints else "string"
        c: dict = {}
        if name not in spec.optional and not col.nullable and _refuses_empty(name, col):
            c["required"] = True
        if col.unique:
            c["unique"] = True
        for check in col.checks:
            found = _constraints(check)
            c |= found
            if not found and check.error:
                rules.append(f"{name}: {check.error}")
        fields.append({"name": name, "type": kind, **({"constraints": c} if c else {})})
    rules += [str(ch.error) for ch in spec.schema.checks if ch.error]
    unique = spec.schema.unique
    key = [unique] if isinstance(unique, str) else list(unique or [])
    if not key:
        key = [f["name"] for f in fields if f.get("constraints", {}).get("unique")][:1]
    return ({"fields": fields, **({"primaryKey": key} if key else {})}, rules)


def panel_schema(chosen: list[str]) -> dict:
    from ..data import vocab
    from ..model import panel
    from ..model.status import STATUS_NAMES

    extra: dict[str, dict[str, object]] = {
        "treaty": {"enum": chosen},
        "treaty_number": {"pattern": _pattern(vocab.TREATY_NUMBER)},
        "participant_id": {"pattern": "[A-Z]{3}"},
        "status": {"enum": [str(s) for s in STATUS_NAMES]},
    }
    fields = []
    for name in panel.COLUMNS:
        c: dict[str, object] = {"required": True} if name not in PANEL_OPTIONAL else {}
        c |= extra.get(name, {})
        fields.append(
            {
                "name": name,
                "type": PANEL_TYPES.get(name, "string"),
                "description": panel.DICTIONARY[name],
                **({"constraints": c} if c else {}),
            }
        )
    return {"fields": fields, "primaryKey": ["treaty", "participant_id", "period_end"]}


def ledger_schema() -> dict:
    fields = []
    for name, (meaning, required) in LEDGER_COLUMNS.items():
        c = {"required": True} if required else {}
        if name == "id":
            c["unique"] = True
        field = {"name": name, "type": "string", "description": meaning}
        fields.append(field | ({"constraints": c} if c else {}))
    return {"fields": fields, "primaryKey": ["id"]}


def _curated_licence(text: str) -> list[dict]:
    return [CC_BY | {"title": text}] if "CC BY 4.0" in text else []


def tables(entries: Entries) -> list[dict]:
    """The data package's resources, without their sizes and hashes: each CSV table of the
    deposit that readers use, with its Table Schema, in the deposit's order."""
    from ..data import curated

    held = {name for name, _, _ in entries}
    out = []
    for m in curated.manifest().values():
        path = m.path.relative_to(config.ROOT).as_posix()
        if not path.endswith(".csv") or path not in held:
            continue
        schema, rules = table_schema(curated.CSV_SCHEMAS[m.schema]())
        description = " ".join(m.source.split())
        if rules:  # in the words of the messages palermo gives when one fails
            description += (
                " Beyond this schema, palermo checks (palermo/data/curated.py, by its "
                "messages): " + "; ".join(f"“{r}”" for r in rules) + "."
            )
        out.append(
            {
                "name": m.name,
                "path": path,
                "title": m.records,
                "description": description,
                "licenses": _curated_licence(m.licence),
                "schema": schema,
            }
        )
    derived = {
        PANEL: (
            "panel",
            "Participant x treaty x year: status at each year's end",
            "The yearly panel of the nine treaties from 1988 to the latest day the records "
            "speak for, as `palermo export panel --freq year` writes it: each participant's "
            "status at the end of each year, the dates known by then, UN membership, and "
            "whether the records are complete (each column described in its schema).",
            panel_schema(panel_treaties()),
        ),
        LEDGER: (
            "claims_ledger",
            "The claims ledger, recomputed",
            "Each checkable number or date of Tennant (2021), recomputed from the records, with "
            "the verdict the comparison gives and the one data/curated/claims.yml pins, as "
            "`palermo claims --json` gives them.",
            ledger_schema(),
        ),
    }
    for path, (name, title, description, schema) in derived.items():
        for p, n, t, d, s in (
            (path, name, title, description, schema),
            (
                path.removesuffix(".csv") + ".dictionary.csv",
                f"{name}.dictionary",
                f"{title}: data dictionary",
                f"What each column of {path} means.",
                DICTIONARY_SCHEMA,
            ),
        ):
            if p in held:
                out.append(
                    {
                        "name": n,
                        "path": p,
                        "title": t,
                        "description": d,
                        "licenses": [CC_BY],
                        "schema": s,
                    }
                )
    order = {name: i for i, (name, _, _) in enumerate(entries)}
    return sorted(out, key=lambda r: order[r["path"]])


def datapackage(entries: Entries, today: dt.date | None = None, cff: dict | None = None) -> dict:
    """The deposit's Frictionless data package descriptor (``datapackage.json``): every CSV
    table readers use (:func:`tables`), each with its size and sha256."""
    cff = cff or citation()
    sizes = {name: (sha, size) for name, sha, size in entries}
    resources = []
    for r in tables(entries):
        sha, size = sizes[r["path"]]
        resources.append(
            {
                "name": r["name"],
                "path": r["path"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": r["title"],
                "description": r["description"],
                "bytes": size,
                "hash": f"sha256:{sha}",
                **({"licenses": r["licenses"]} if r["licenses"] else {}),
                "schema": r["schema"],
            }
        )
    day = today or config.today()
    return {
        "name": "palermo-companion-deposit",
        "title": f"{cff['title']}: its tables",
        "description": (
            "The CSV tables of the Palermo companion's deposit that readers use: the records "
            "this project curates (data/curated/), the yearly panel and the claims ledger "
            "derived from them and the raw records (derived/). Each table's schema says its "
            "columns, their types and constraints; REPLICATION.md says how each is made."
        ),
        "version": str(cff["version"]),
        "created": dt.datetime.combine(day, dt.time(), dt.UTC).isoformat().replace("+00:00", "Z"),
        "keywords": [str(k) for k in cff.get("keywords") or []],
        "contributors": [{"title": a.name, "role": "author"} for a in authors(cff)],
        "licenses": [CC_BY],
        "resources": resources,
    }


# --- Zenodo -----------------------------------------------------------------------------------


def zenodo(cff: dict | None = None) -> dict:
    """Zenodo's deposit metadata (``.zenodo.json``) from CITATION.cff: the title, the kind of
    upload (CITATION.cff's type), the abstract, the creators (with ORCID and affiliation where
    given), the version, its release date, the licence (Zenodo takes one: the first; the note
    names them all), the keywords, and each referenced work's DOI as the work this deposit
    supplements."""
    cff = cff or citation()
    creators = []
    for a in authors(cff):
        c = {"name": a.family_first}
        if a.affiliation:
            c["affiliation"] = a.affiliation
        if a.orcid:
            c["orcid"] = a.orcid.rstrip("/").rsplit("/", 1)[-1]
        creators.append(c)
    spdx = licences(cff)
    covers = " ".join(f"{LICENCES[s][0]} ({s}): {LICENCES[s][1]}" for s in spdx if s in LICENCES)
    refs = works(cff)
    doc = {
        "title": str(cff["title"]),
        "upload_type": "dataset" if cff.get("type") == "dataset" else "software",
        "description": " ".join(str(cff["abstract"]).split()),
        "creators": creators,
        "access_right": "open",
        "license": spdx[0],
        "version": str(cff["version"]),
        "keywords": [str(k) for k in cff.get("keywords") or []],
        "language": "eng",
        "notes": f"Licences: {covers}".strip(),
        "related_identifiers": [
            {
                "identifier": w.doi,
                "relation": "isSupplementTo",
                "resource_type": "publication-article" if w.kind == "article" else "other",
                "scheme": "doi",
            }
            for w in refs
            if w.doi
        ],
        "references": [w.cited for w in refs],
    }
    if cff.get("date-released"):
        doc["publication_date"] = str(cff["date-released"])
    return doc


def metadata_files(entries: Entries, today: dt.date | None = None) -> list[tuple[str, bytes]]:
    """The deposit's data package and Zenodo record for ``entries``: (name, bytes) each."""
    cff = citation()
    return [
        (DATAPACKAGE, _json(datapackage(entries, today, cff))),
        (ZENODO, _json(zenodo(cff))),
    ]


def _json(doc: dict) -> bytes:
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
