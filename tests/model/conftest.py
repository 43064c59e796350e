"""What the model's tests share (tests/model/test_merge.py, test_status.py): a curated later
action added to a copy of treaty_actions.csv that the library reads instead."""

import shutil

import pytest

from palermo import config
from palermo.model import merge
from tests.conftest import forget_caches

ROW = (
    'XVIII-10,Gambia,withdrawal,day,2019-06-01,2019-06-01,stated,"test row: a made-up '
    'withdrawal taking effect on 1 Jun 2019",,\n'
)


@pytest.fixture
def with_row(tmp_path, monkeypatch):
    def add(row: str):
        dst = tmp_path / "curated"
        shutil.copytree(config.CURATED, dst)
        (dst / "treaty_actions.csv").write_text((dst / "treaty_actions.csv").read_text() + row)
        monkeypatch.setattr(config, "CURATED", dst)
        monkeypatch.setattr(config, "MANIFEST_YML", dst / "manifest.yml")
        monkeypatch.setattr(merge, "CACHE", tmp_path / "cache")
        forget_caches()

    yield add
    monkeypatch.undo()
    forget_caches()
