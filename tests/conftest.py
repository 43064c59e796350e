import shutil
from pathlib import Path

import pytest

from palermo import sources

RAW = sources.DEFAULT_RAW_DIR


@pytest.fixture
def raw_copy(tmp_path, monkeypatch):
    """A private copy of the raw files, set as $PALERMO_RAW_DIR, with the default place hidden,
    so a test may break one file without touching the shared mirror."""
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    for p in dst.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    monkeypatch.setenv(sources.ENV_VAR, str(dst))
    monkeypatch.setattr(sources, "DEFAULT_RAW_DIR", tmp_path / "no-such-dir")
    sources._verified.clear()
    yield dst
    sources._verified.clear()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
