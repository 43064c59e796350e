import shutil
from pathlib import Path

import pytest

from palermo import config
from palermo.data import registry

RAW = config.DEFAULT_RAW_DIR


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
def no_fetched_snapshots(tmp_path_factory):
    """Tests see only the registered raw files, never snapshots a developer fetched into the
    per-user data folder (tests that fetch set their own folder)."""
    import os

    old = os.environ.get(config.DATA_DIR_ENV)
    os.environ[config.DATA_DIR_ENV] = str(tmp_path_factory.mktemp("palermo-data"))
    registry.forget_fetched()
    yield
    if old is None:
        os.environ.pop(config.DATA_DIR_ENV, None)
    else:
        os.environ[config.DATA_DIR_ENV] = old


def forget_caches() -> None:
    """What a new process would see: every cache of the registry, the curated files, the
    parsed snapshots and the model dropped, so a test can swap an input."""
    from palermo.data import countries, curated, treaties, untc
    from palermo.model import claims, coverage, merge, status

    for cached in (
        curated.manifest,
        curated._load,
        registry._load,
        treaties.all_treaties,
        countries._un_names,
        claims.ledger,
        merge.load,
        status.table,
        status.arrays,
        coverage._complete_through,
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
