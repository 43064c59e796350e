import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from palermo import config
from palermo.data import registry


def _pin_inputs() -> Path:
    """Before any test module is imported: the raw files are read from where this machine
    holds them (``$PALERMO_RAW_DIR``, the mirror beside the repository, or the copies
    `palermo sources fetch` kept in the developer's data folder, which `make test` fills on a
    bare clone), and the data folder is a fresh empty one, so tests never see snapshots a
    developer fetched (tests that fetch set their own folder)."""
    if not os.environ.get(config.RAW_DIR_ENV) and not config.DEFAULT_RAW_DIR.is_dir():
        os.environ[config.RAW_DIR_ENV] = str(registry.fetched_raw_dir())
    os.environ[config.DATA_DIR_ENV] = tempfile.mkdtemp(prefix="palermo-test-data-")
    registry.forget_fetched()
    return Path(os.environ.get(config.RAW_DIR_ENV) or config.DEFAULT_RAW_DIR)


RAW = _pin_inputs()  # where the tests read the raw files
TESTS = Path(__file__).resolve().parent  # the tests' own files: fixtures/, schemas/, helpers
PAPER = (
    config.ROOT.parent / "shared" / "paper" / "tennant-2021-fulfilling-the-promise-of-palermo.txt"
)


# the short ids a researcher types; a reader never reads them (UNTOC and UNCAC are also the
# acronyms readers of the field use, and the book's names for the two conventions)
SHORT = re.compile(r"\b(?:TIP|SOM|FIREARMS|DRUGS1988|ROME|BOMBINGS|FINANCING|CYBERCRIME)\b")
UNTC_NUMBER = re.compile(r"\b(?:XVIII|VI)-\d+(?:-[a-z])?\b")
# short and informal forms of States' names the UN does not use
NOT_UN = re.compile(
    r"\bSt\. |\bUSA\b|\bUS\b|\bUnited States\b(?! of America)|\bRussia\b|\bSouth Korea\b"
    r"|\bUK\b|\bUnited Kingdom\b(?! of Great Britain)"
)


def paper_text() -> str:
    """The paper's plain text, which lies beside the repository (never in it, and not needed by
    the build); a test that reads it is skipped, saying why, where it is absent."""
    if not PAPER.is_file():
        pytest.skip(
            f"the paper's text is not at {PAPER} (it is not part of the repository); "
            "this test compares the book with the paper's words"
        )
    return PAPER.read_text(encoding="utf-8")


@pytest.fixture
def raw_copy(tmp_path, monkeypatch):
    """A private copy of the raw files, set as $PALERMO_RAW_DIR, with the default place hidden,
    so a test may break one file without touching the shared mirror."""
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    for p in dst.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    monkeypatch.setenv(config.RAW_DIR_ENV, str(dst))
    monkeypatch.setattr(config, "DEFAULT_RAW_DIR", tmp_path / "no-such-dir")
    registry._verified.clear()
    yield dst
    registry._verified.clear()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def pytest_collection_modifyitems(config, items):
    """A test is `unit` (the fast loop, `make unit`) or `integration` (a kernel, a process, a
    build or a deadline: `make test` only), never both."""
    both = [
        i.nodeid
        for i in items
        if i.get_closest_marker("unit") and i.get_closest_marker("integration")
    ]
    if both:
        raise pytest.UsageError("marked both unit and integration: " + ", ".join(both))


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` (which must be there) by `new` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def run(*args, env=None):
    """`palermo ARGS` in this process (typer's CliRunner: stdout and stderr apart)."""
    from typer.testing import CliRunner

    from palermo.cli import app

    return CliRunner(env=env).invoke(app, list(args))


def one_line_error(r, code=None, says=()) -> str:
    """stderr is exactly one line starting 'error:', with no traceback (the exit code checked
    if given, and each of `says` in the line). `r` is a CliRunner result or a subprocess's."""
    if getattr(r, "exception", None) is not None:  # CliRunner: an exit, not an exception
        assert isinstance(r.exception, SystemExit), repr(r.exception)
    err = r.stderr if isinstance(r.stderr, str) else r.stderr.decode()
    assert "Traceback" not in err and err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in getattr(r, "output", ""), r.output
    if code is not None:
        assert r.exit_code == code if hasattr(r, "exit_code") else r.returncode == code
    for s in says:
        assert str(s) in err, (s, err)
    return err


def run_cells(nb, as_of, **given) -> None:
    """Every code cell of a notebook (its jupytext .md twin) in this process, its as_of (a date)
    replaced: the library entry points the notebook calls, in its order (output discarded)."""
    import contextlib
    import io

    import jupytext

    ns: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in jupytext.read(nb).cells:
            if cell.cell_type != "code":
                continue
            exec(cell.source, ns)  # noqa: S102 - the project's own notebooks
            if "parameters" in cell.metadata.get("tags", []):
                ns["as_of"] = as_of.isoformat()
                ns.update(given)
            ns["display"] = lambda *a, **k: None


@pytest.fixture(scope="session")
def merge_cache(tmp_path_factory):
    """One folder for the merged records of the tests that change their inputs (a data folder
    of their own, a copy of data/), kept apart from the repository's _build/cache. The merge is
    keyed on every input (model.merge.load), so a test whose inputs differ builds its own; tests
    with the same inputs build it once between them."""
    return tmp_path_factory.mktemp("merged-records")


@pytest.fixture
def data_copy(tmp_path, monkeypatch, merge_cache):
    """A copy of data/ the test may break: curated files and the registry read from it."""
    dst = tmp_path / "data"
    shutil.copytree(config.DATA, dst)
    monkeypatch.setattr(config, "DATA", dst)
    monkeypatch.setattr(config, "CURATED", dst / "curated")
    monkeypatch.setattr(config, "SOURCES_YML", dst / "sources.yml")
    monkeypatch.setattr(config, "MANIFEST_YML", dst / "curated" / "manifest.yml")
    from palermo.model import merge

    forget_caches()
    monkeypatch.setattr(merge, "CACHE", merge_cache)
    yield dst
    monkeypatch.undo()
    forget_caches()


@pytest.fixture
def records_elsewhere(tmp_path, monkeypatch):
    """`sources record` writes its records into a temporary folder, never the repository's
    data/snapshots (on code that accepts a bad manifest, it would write one)."""
    monkeypatch.setattr(config, "SNAPSHOT_RECORDS", tmp_path / "snapshots")


@pytest.fixture(autouse=True, scope="session")
def kernel_logs(tmp_path_factory):
    """The kernel logs of the notebooks the tests run go to a temporary folder, not to the
    repository's _build/logs."""
    from palermo.pipeline import execute
    from palermo.teaching import seminar

    logs = tmp_path_factory.mktemp("kernel-logs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(execute, "LOGS", logs)
        mp.setattr(seminar, "LOGS", logs)
        yield logs


@pytest.fixture(autouse=True, scope="session")
def no_fetched_snapshots():
    """The empty data folder of :func:`_pin_inputs` goes when the session ends."""
    yield
    shutil.rmtree(os.environ[config.DATA_DIR_ENV], ignore_errors=True)


def forget_caches() -> None:
    """What a new process would see: every cache of the registry, the curated files, the
    parsed snapshots and the model dropped, so a test can swap an input."""
    from palermo.data import countries, curated, treaties, untc
    from palermo.model import bounds, claims, coverage, merge, participation, status

    for cached in (
        curated.manifest,
        curated._load,
        registry._load,
        treaties.all_treaties,
        countries._un_names,
        claims.ledger,
        merge.load,
        status._table,
        status._dates,
        status._signatures,
        status._steps,
        status._by_participant,
        participation._known,
        countries._rows,
        countries._members,
        coverage._complete_through,
        bounds.observations,
        bounds.ledger,
    ):
        cached.cache_clear()
    registry.forget_fetched()
    untc.forget_parsed()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright, for the tests marked `browser`."""
    from tests.browser import launch

    with launch() as b:
        yield b


@pytest.fixture(scope="session")
def packed_deposit(tmp_path_factory):
    """The real deposit, packed once by `palermo export package` for the tests that read it
    (tests/book/test_deposit.py): (the zip, the folder it unpacks into)."""
    import zipfile

    from typer.testing import CliRunner

    from palermo.cli import app

    out = tmp_path_factory.mktemp("deposit")
    zipped = out / "deposit.zip"
    r = CliRunner().invoke(app, ["export", "package", "-o", str(zipped)])
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(zipped) as z:
        z.extractall(out / "unpacked")
    return zipped, out / "unpacked"


@pytest.fixture(scope="session")
def seminar_pack(tmp_path_factory):
    """One seminar pack of four groups (one per exercise, seed 7, on the paper's date), made
    once for the tests that read a pack: (its folder, the groups). They are all in
    tests/book/test_seminar_pack.py, so that under pytest-xdist one worker makes it."""
    from palermo.model.params import as_of
    from palermo.teaching import seminar

    out = tmp_path_factory.mktemp("seminar") / "pack"
    rows = seminar.assign(4, 7, as_of("2020-12-23"))
    seminar.build_pack(out, rows, log=lambda s: None)
    return out, rows


@pytest.fixture
def bare(tmp_path, monkeypatch):
    """No $PALERMO_RAW_DIR, no mirror beside the repository, an empty data folder."""
    monkeypatch.delenv(config.RAW_DIR_ENV, raising=False)
    monkeypatch.delenv(config.RAW_BASE_ENV, raising=False)
    monkeypatch.setattr(config, "DEFAULT_RAW_DIR", tmp_path / "no-shared" / "untc-raw")
    data = tmp_path / "data"
    monkeypatch.setenv(config.DATA_DIR_ENV, str(data))
    registry.forget_verified()
    forget_caches()
    yield data
    monkeypatch.undo()
    registry.forget_verified()
    forget_caches()


# the loopback servers of the download tests (tests/loopback.py)


@pytest.fixture
def untc_server():
    """A loopback server for `palermo sources update` (the UNTC paths: tests.loopback.TIP_PATH)."""
    from tests.loopback import Server

    s = Server()
    yield s
    s.close()


@pytest.fixture
def data_dir(tmp_path, monkeypatch, merge_cache):
    """An empty data folder of the test's own (the merged records' cache: `merge_cache`)."""
    from palermo.model import merge

    d = tmp_path / "data"
    monkeypatch.setenv(config.DATA_DIR_ENV, str(d))
    monkeypatch.setattr(merge, "CACHE", merge_cache)
    forget_caches()
    yield d
    monkeypatch.undo()
    forget_caches()


@pytest.fixture
def origin():
    """The raw files as their public host serves them, from the copies the tests read."""
    from palermo.data import raw
    from tests.loopback import Server, origin_path

    srv = Server()
    for s in raw.registered():
        srv.serve(origin_path(s), (RAW / s.path).read_bytes())
    yield srv
    srv.close()


def notebook_file(path: Path, *sources: str, parameters: str = 'as_of = "2020-12-23"') -> Path:
    """A notebook for the runner's tests at ``path``: a cell tagged ``parameters``, then one code
    cell per source, on the plain ``python3`` kernel."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell] + [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(path))
    return path
