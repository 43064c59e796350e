"""The deposit's machine-readable metadata (issue 39, section 3; ``palermo.pipeline.crate``):
its RO-Crate passes roc-validator's Process Run Crate profile (which takes in RO-Crate 1.1's)
and its data package passes frictionless's validation; each validator catches a planted fault
(a CreateAction whose result is not in the package; a CSV whose rows break its schema); and the
Zenodo record is CITATION.cff's.

Offline, and shown to be: a guard on the socket records any connection to another host (a test
fails if one was tried, and a test shows the guard sees one). roc-validator runs in its offline
mode, which serves every remote document from its HTTP cache; the one it needs, the RO-Crate
1.1 JSON-LD context, is put there from the context the rocrate library ships, cut down to the
terms listed in TERMS, so a crate using any other term fails.

The unit tests build the crate and the data package from a small deposit made in a temporary
folder (one chapter notebook, two runs of it, a raw file, a few curated tables); one module
packs the real deposit once (needs the built book and the PDF)."""

import dataclasses
import datetime as dt
import hashlib
import io
import json
import shutil
import socket
from pathlib import Path

import pytest

from palermo import __version__, config
from palermo.errors import BuildError
from palermo.pipeline import crate, plan

# Every term the crate uses, each a term of the RO-Crate 1.1 context with the same IRI there
# as in the RO-Crate 1.3 context the rocrate library ships (sha256 apart: the crate adds it).
# Add a term here only after checking it in https://w3id.org/ro/crate/1.1/context.
TERMS = (
    "about",
    "actionStatus",
    "agent",
    "affiliation",
    "author",
    "citation",
    "conformsTo",
    "contentSize",
    "datePublished",
    "description",
    "encodingFormat",
    "endTime",
    "hasPart",
    "identifier",
    "instrument",
    "keywords",
    "license",
    "mentions",
    "name",
    "object",
    "result",
    "startTime",
    "value",
    "version",
    "CreateAction",
    "CreativeWork",
    "Dataset",
    "File",
    "Organization",
    "Person",
    "PropertyValue",
    "ScholarlyArticle",
    "SoftwareSourceCode",
)
CONTEXT_1_1 = "https://w3id.org/ro/crate/1.1/context"
# What the profile recommends and the deposit cannot give, by roc-validator's check: a source
# notebook's URL and an absolute id for it (the repository's address is set nowhere:
# _config.yml's repository url is empty, CITATION.cff names none), a publisher and the
# authoring organisation's URL (CITATION.cff names neither).
KNOWN_SHOULD = {
    "process-run-crate-0.5_3.2",
    "process-run-crate-0.5_5.1",
    "ro-crate-1.1_22.3",
    "ro-crate-1.1_31.2",
}
DAY = dt.date(2026, 12, 6)


# --- no outside host ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outside():
    """Every attempt of this module's tests to reach a host over the network (never one is
    made: each is refused and recorded)."""
    tried = []
    connect, connect_ex, getaddrinfo = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.getaddrinfo,
    )

    def guard(original):
        def call(self, address):
            if self.family in (socket.AF_INET, socket.AF_INET6):
                tried.append(address)
                raise OSError(f"the tests reach no outside host (tried {address})")
            return original(self, address)

        return call

    def no_lookup(host, *args, **kwargs):
        tried.append(host)
        raise OSError(f"the tests reach no outside host (looked up {host})")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", guard(connect))
        mp.setattr(socket.socket, "connect_ex", guard(connect_ex))
        mp.setattr(socket, "getaddrinfo", no_lookup)
        yield tried
    assert getaddrinfo is socket.getaddrinfo


@pytest.fixture(autouse=True)
def offline(outside):
    yield
    assert outside == [], f"a test tried to reach an outside host: {outside}"


@pytest.mark.unit
def test_the_guard_sees_an_outside_request(outside):
    import requests

    with pytest.raises(requests.ConnectionError):
        requests.get(CONTEXT_1_1, timeout=5)
    assert outside and "w3id.org" in str(outside[0])
    outside.clear()


# --- the validators, offline ----------------------------------------------------------------


def _cache(url: str, doc: dict) -> None:
    """Put ``doc`` in roc-validator's HTTP cache as the answer to a GET of ``url``."""
    import requests
    from rocrate_validator.utils.http import HttpRequester
    from urllib3.response import HTTPResponse

    body = json.dumps(doc).encode()
    r = requests.Response()
    r.status_code, r.url, r.encoding, r._content = 200, url, "utf-8", body
    r.headers["Content-Type"] = "application/ld+json"
    r.request = requests.Request("GET", url).prepare()
    r.raw = HTTPResponse(
        body=io.BytesIO(body),
        headers=dict(r.headers),
        status=200,
        preload_content=False,
        request_url=url,
    )
    HttpRequester().session.cache.save_response(r)


@pytest.fixture(scope="module")
def roc(tmp_path_factory):
    """roc-validator on a crate's folder, offline (its HTTP cache holds the RO-Crate 1.1
    context, cut to TERMS): (passed, [(check, message), ...]) at ``severity``."""
    from rocrate import vocabs
    from rocrate_validator import services
    from rocrate_validator.models import ValidationSettings

    cache = tmp_path_factory.mktemp("roc-validator") / "http_cache"
    context = {"@context": {t: vocabs.RO_CRATE["@context"][t] for t in TERMS}}

    def validate(folder: Path, severity: str = "REQUIRED", profile: str = "process-run-crate"):
        settings = ValidationSettings(
            rocrate_uri=str(folder),
            profile_identifier=profile,
            requirement_severity=severity,
            offline=True,
            cache_path=cache,
        )
        _cache(CONTEXT_1_1, context)
        result = services.validate(settings)
        return result.passed(), [(i.check.identifier, i.message) for i in result.get_issues()]

    return validate


def frictionless_errors(descriptor: Path) -> list[tuple[str, str, str]]:
    """frictionless's validation of a data package: (table, error type, note) for each error."""
    import frictionless

    report = frictionless.validate(str(descriptor))
    out = [("", e.type, e.note) for e in report.errors]
    for task in report.tasks:
        out += [(task.name, e.type, e.note) for e in task.errors]
    assert out or report.valid
    return out


# --- a small deposit ------------------------------------------------------------------------

PARAMS = ({"as_of": "2020-12-23", "treaties": ["UNTOC", "TIP"]}, {"as_of": "2024-05-04"})


def executed(params: dict) -> str:
    """An executed notebook as palermo and papermill record one."""
    return json.dumps(
        {
            "cells": [],
            "metadata": {
                "palermo": {"cache_key": "c0ffee" * 10 + "abcd", "parameters": params},
                "papermill": {
                    "start_time": "2026-12-06T21:16:56.715755+00:00",
                    "end_time": "2026-12-06T21:17:01.771282+00:00",
                    "exception": None,
                },
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def entries_of(folder: Path) -> crate.Entries:
    return [
        (
            p.relative_to(folder).as_posix(),
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_size,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "ro-crate-metadata.json"
    ]


@dataclasses.dataclass
class Deposit:
    folder: Path
    runs: list

    @property
    def entries(self) -> crate.Entries:
        return entries_of(self.folder)

    def crate(self, today=DAY) -> dict:
        return crate.ro_crate(self.entries, self.runs, root=self.folder, today=today)

    def write_crate(self, doc: dict | None = None) -> dict:
        doc = doc or self.crate()
        (self.folder / "ro-crate-metadata.json").write_text(json.dumps(doc, indent=1))
        return doc


@pytest.fixture
def deposit(tmp_path) -> Deposit:
    """Two runs of the Figure 1 notebook (its source from the repository), a raw file and two
    curated tables, one of which the chapter reads (party_counts.csv) and one it does not
    (events.csv)."""
    folder = tmp_path / "deposit"

    def put(name: str, data: bytes | str) -> None:
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode())

    put("notebooks/figure1.ipynb", (config.NOTEBOOKS / "figure1.ipynb").read_bytes())
    put("raw/zmjones-untreaties/18-12.csv", "participant,signature\nAlbania,12 Dec 2000\n")
    for name in ("party_counts.csv", "events.csv"):
        put(f"data/curated/{name}", (config.CURATED / name).read_bytes())
    runs = []
    for page, params in zip(("paper-date", "latest"), PARAMS, strict=True):
        put(f"{crate.EXECUTED}book/figure1/{page}.ipynb", executed(params))
        runs.append(
            plan.Run(
                notebook=folder / "notebooks" / "figure1.ipynb",
                output=folder / "book" / "figure1" / f"{page}.ipynb",
                parameters=params,
                title=f"Figure 1 ({page})",
            )
        )
    return Deposit(folder, runs)


def graph(doc: dict) -> dict[str, dict]:
    return {e["@id"]: e for e in doc["@graph"]}


def ids(value) -> list[str]:
    return [v["@id"] for v in (value if isinstance(value, list) else [value])]


# --- the RO-Crate ---------------------------------------------------------------------------


@pytest.mark.integration
def test_a_small_deposits_crate_is_a_process_run_crate(deposit, roc):
    doc = deposit.write_crate()
    g = graph(doc)
    root = g["./"]
    assert ids(root["conformsTo"]) == [crate.PROCESS_RUN_CRATE]
    assert g["ro-crate-metadata.json"]["conformsTo"] == {"@id": "https://w3id.org/ro/crate/1.1"}
    assert root["version"] == __version__ and root["datePublished"] == DAY.isoformat()
    assert root["name"] == crate.citation()["title"]
    assert ids(root["license"]) == [f"https://spdx.org/licenses/{s}" for s in ("MIT", "CC-BY-4.0")]
    assert g[ids(root["author"])[0]]["name"] == "The Palermo companion project"
    # every file, with the size and sha256 SHA256SUMS would give
    assert ids(root["hasPart"]) == [name for name, _, _ in deposit.entries]
    for name, sha, size in deposit.entries:
        assert (g[name]["sha256"], g[name]["contentSize"]) == (sha, str(size))
    assert g["notebooks/figure1.ipynb"]["@type"] == ["File", "SoftwareSourceCode"]
    # one CreateAction per run: instrument, inputs, parameters, result, times
    runs = crate.actions(doc)
    assert ids(root["mentions"]) == [a["@id"] for a in runs]
    assert [a["@id"] for a in runs] == ["#run-book/figure1/paper-date", "#run-book/figure1/latest"]
    first = runs[0]
    assert ids(first["instrument"]) == ["notebooks/figure1.ipynb"]
    assert ids(first["result"]) == [f"{crate.EXECUTED}book/figure1/paper-date.ipynb"]
    inputs = ids(first["object"])
    assert inputs[:2] == ["raw/zmjones-untreaties/18-12.csv", "data/curated/party_counts.csv"]
    assert "data/curated/events.csv" not in inputs  # the manifest: figure1 does not read it
    values = {g[i]["name"]: g[i]["value"] for i in inputs[2:]}
    assert values == {"as_of": "2020-12-23", "treaties": '["UNTOC", "TIP"]'}
    assert first["startTime"] == "2026-12-06T21:16:56+00:00"
    assert first["endTime"] == "2026-12-06T21:17:01+00:00"
    assert ("c0ffee" * 10) in first["description"]
    # a parameter shared by two runs is one PropertyValue
    shared = [i for i in ids(runs[1]["object"]) if g[i]["@type"] == "PropertyValue"]
    assert shared == ["#parameter-as_of=2024-05-04"]
    assert sum(e["@type"] == "PropertyValue" for e in doc["@graph"]) == 3

    passed, issues = roc(deposit.folder)
    assert passed, issues
    passed, issues = roc(deposit.folder, "RECOMMENDED")
    assert {check for check, _ in issues} <= KNOWN_SHOULD, issues


@pytest.mark.integration
def test_a_run_whose_result_is_not_in_the_package_is_caught(deposit, roc):
    result = f"{crate.EXECUTED}book/figure1/latest.ipynb"
    doc = deposit.write_crate()
    # the crate names the executed notebook, the package lacks it
    (deposit.folder / result).unlink()
    passed, issues = roc(deposit.folder)
    assert not passed
    assert any(result in message for _, message in issues), issues
    # a run whose result is no file of the crate at all
    for action in crate.actions(doc):
        if action["@id"].endswith("/latest"):
            action["result"] = {"@id": "book/figure1/latest.ipynb"}
    (deposit.folder / result).write_text(executed(PARAMS[1]))
    deposit.write_crate(doc)
    passed, issues = roc(deposit.folder, "RECOMMENDED")
    assert {check for check, _ in issues} - KNOWN_SHOULD == {"process-run-crate-0.5_10.1"}, issues
    # and the crate is never built so: palermo refuses a run whose result it does not hold
    (deposit.folder / result).unlink()
    with pytest.raises(BuildError, match="executed notebook .*latest.ipynb is not in the deposit"):
        deposit.crate()


@pytest.mark.integration
def test_a_term_outside_ro_crate_1_1_fails_the_validation(deposit, roc):
    """The context the validator reads is TERMS alone: a crate that used a term beyond them
    would fail, so the list above is every term the crate uses."""
    doc = deposit.crate()
    graph(doc)["./"]["publisher"] = {"@id": ids(graph(doc)["./"]["author"])[0]}
    deposit.write_crate(doc)
    passed, issues = roc(deposit.folder)
    assert not passed and any('"publisher"' in message for _, message in issues), issues


@pytest.mark.unit
def test_the_crate_is_the_same_but_for_the_day(deposit):
    once, again = deposit.crate(), deposit.crate()
    assert once == again
    later = deposit.crate(today=DAY + dt.timedelta(days=3))
    assert graph(later)["./"].pop("datePublished") != graph(once)["./"].pop("datePublished")
    assert later == once


# --- the data package -----------------------------------------------------------------------


@pytest.fixture
def tables(tmp_path) -> Path:
    """Every curated CSV table of the repository, with its data package."""
    folder = tmp_path / "tables"
    (folder / "data" / "curated").mkdir(parents=True)
    for p in sorted(config.CURATED.glob("*.csv")):
        shutil.copy(p, folder / "data" / "curated" / p.name)
    write_datapackage(folder)
    return folder


def write_datapackage(folder: Path) -> dict:
    entries = [e for e in entries_of(folder) if e[0] != crate.DATAPACKAGE]
    doc = crate.datapackage(entries, DAY)
    (folder / crate.DATAPACKAGE).write_text(json.dumps(doc, indent=1))
    return doc


@pytest.mark.unit
def test_the_curated_tables_pass_their_table_schemas(tables):
    doc = json.loads((tables / crate.DATAPACKAGE).read_text())
    res = {r["name"]: r for r in doc["resources"]}
    assert sorted(r["path"] for r in res.values()) == sorted(
        f"data/curated/{p.name}" for p in config.CURATED.glob("*.csv")
    )
    # the keys and the required columns are the pandera schemas'
    assert res["party_counts"]["schema"]["primaryKey"] == ["treaty", "date"]
    assert res["events"]["schema"]["primaryKey"] == ["id"]
    assert "primaryKey" not in res["treaty_actions"]["schema"]  # rows need not be unique
    fields = {f["name"]: f for f in res["interviews"]["schema"]["fields"]}
    assert fields["speaker"]["constraints"]["required"] is True
    assert "required" not in fields.get("section", {}).get("constraints", {})
    assert fields["stance_on"]["constraints"] == {"enum": ["convention", "mechanism"]}
    assert fields["note"]["type"] == "integer"
    assert "codebook.yml" in res["interviews"]["description"]  # a rule no schema can say
    assert frictionless_errors(tables / crate.DATAPACKAGE) == []


@pytest.mark.unit
def test_a_csv_whose_rows_break_its_schema_is_caught(tables):
    events = tables / "data" / "curated" / "events.csv"
    first = events.read_text().splitlines()[1]
    # the first event again (its id twice), and one dated on no day of the calendar
    bad = first.replace(first.split(",")[1], "2001-02-30", 1)
    events.write_text(events.read_text() + first + "\n" + bad + "\n")
    write_datapackage(tables)  # its sha256 and size are the new file's: the rows are the fault
    found = frictionless_errors(tables / crate.DATAPACKAGE)
    kinds = {(table, kind) for table, kind, _ in found}
    assert ("events", "primary-key") in kinds and ("events", "type-error") in kinds, found
    assert {table for table, _, _ in found} == {"events"}
    # a file changed after its data package was written: its bytes are caught
    (tables / "data" / "curated" / "un_names.csv").write_text("participant_id,name\n")
    kinds = {(table, kind) for table, kind, _ in frictionless_errors(tables / crate.DATAPACKAGE)}
    assert ("un_names", "hash-count") in kinds


@pytest.mark.unit
def test_the_derived_tables_schemas_describe_every_column():
    from palermo.model import claims, panel

    assert [f["name"] for f in crate.panel_schema(["UNTOC"])["fields"]] == panel.COLUMNS
    assert set(crate.PANEL_OPTIONAL) < set(panel.COLUMNS) and set(panel.DICTIONARY) == set(
        panel.COLUMNS
    )
    fields = [f.name for f in dataclasses.fields(claims.ClaimResult)]
    assert [f["name"] for f in crate.ledger_schema()["fields"]] == fields


# --- Zenodo ---------------------------------------------------------------------------------


@pytest.mark.unit
def test_the_zenodo_record_is_citation_cffs():
    cff = crate.citation()
    z = crate.zenodo(cff)
    assert z["title"] == cff["title"] and z["version"] == __version__ == str(cff["version"])
    assert z["upload_type"] == "software" and z["license"] == "MIT" and "CC-BY-4.0" in z["notes"]
    assert z["creators"] == [{"name": "The Palermo companion project"}]
    assert z["keywords"] == cff["keywords"]
    assert z["publication_date"] == str(cff["date-released"])
    # CITATION.cff names the paper without its DOI; references.bib gives it for the same title
    assert z["related_identifiers"] == [
        {
            "identifier": "10.31389/jied.90",
            "relation": "isSupplementTo",
            "resource_type": "publication-article",
            "scheme": "doi",
        }
    ]


@pytest.mark.unit
def test_a_person_with_orcid_and_affiliation_is_carried_to_zenodo_and_the_crate(deposit):
    cff = crate.citation() | {
        "authors": [
            {
                "given-names": "Ada",
                "family-names": "Lovelace",
                "orcid": "https://orcid.org/0000-0002-1825-0097",
                "affiliation": "Analytical Engines Ltd",
            }
        ]
    }
    assert crate.zenodo(cff)["creators"] == [
        {
            "name": "Lovelace, Ada",
            "affiliation": "Analytical Engines Ltd",
            "orcid": "0000-0002-1825-0097",
        }
    ]
    g = graph(crate.ro_crate(deposit.entries, deposit.runs, deposit.folder, DAY, cff))
    person = g["https://orcid.org/0000-0002-1825-0097"]
    assert person["@type"] == "Person" and person["name"] == "Ada Lovelace"
    assert g[person["affiliation"]["@id"]] == {
        "@id": "#organization-analytical-engines-ltd",
        "@type": "Organization",
        "name": "Analytical Engines Ltd",
    }
