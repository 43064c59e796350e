"""A bare clone builds: the repository cloned into an empty folder (no ../shared beside it,
$PALERMO_RAW_DIR unset, an empty data folder), its raw files fetched from a loopback server
laid out as their public host, then its records answer and a small plan builds, all with the
clone's own code. No test reaches any outside host."""

import os
import shutil
import subprocess
import sys
import time

import pytest

from palermo import config
from palermo.data import raw

pytestmark = pytest.mark.book

SMALL_ROOT = "# A small book\n\nOne chapter, built from a bare clone.\n"
SMALL_PLAN = """\
root: book/small
parts: [The records]
entries:
  - title: "Figure 1 in October 2010"
    part: The records
    notebook: notebooks/figure1.ipynb
    output: book/figure1/2010.ipynb
    parameters:
      as_of: "2010-10-18"
      treaties: [UNTOC, TIP]
  - title: "The paper's numbers, checked"
    part: The records
    notebook: notebooks/claims.ipynb
    output: book/claims.ipynb
  - title: Rerun this book
    part: The records
    page: book/rerun.md
  - title: Bibliography
    part: The records
    page: book/bibliography.md
"""


@pytest.fixture
def clone(tmp_path):
    if not shutil.which("git") or not (config.ROOT / ".git").exists():
        pytest.skip("needs git and this repository's history")
    where = tmp_path / "empty" / "palermo"
    where.parent.mkdir()
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(config.ROOT), str(where)], check=True
    )
    assert not (where.parent / "shared").exists()
    return where


def palermo(clone, env, *args, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "palermo.cli", *args],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_bare_clone_fetches_its_raw_files_answers_and_builds_a_small_plan(
    clone,
    origin,
    tmp_path,
):
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PALERMO_")}
    env.update(
        PYTHONPATH=str(clone),  # the clone's own code, not this checkout's editable install
        PALERMO_DATA_DIR=str(data),
        PALERMO_RAW_BASE_URL=origin.base,
        # the map geometry still comes from the npm package `make book` installs
        PALERMO_GEO_DIR=str(config.DEFAULT_GEO_DIR),
    )
    # before the fetch: a command that needs a raw file says how to get it
    before = palermo(clone, env, "status", "UNTOC")
    assert before.returncode == 1 and "palermo sources fetch" in before.stderr
    assert f"download it from {origin.base}/" in before.stderr  # the mirror it would use
    start = time.monotonic()
    got = palermo(clone, env, "sources", "fetch")
    took = time.monotonic() - start
    assert got.returncode == 0, got.stdout + got.stderr
    n = len(raw.registered())
    assert f"==> {n} raw file(s) kept in {data / config.RAW_FOLDER}" in got.stdout
    assert took < 60, took
    status = palermo(clone, env, "status", "UNTOC", "--as-of", "2010-10-18")
    assert status.returncode == 0, status.stderr
    assert "parties: 157" in status.stdout
    verify = palermo(clone, env, "sources", "--verify")
    assert verify.returncode == 0 and f"raw files found in: {data / config.RAW_FOLDER}" in (
        verify.stdout
    )
    (clone / "book" / "small.md").write_text(SMALL_ROOT)
    plan = clone / "book" / "small.yml"
    plan.write_text(SMALL_PLAN)
    built = palermo(clone, env, "build", "--plan", str(plan), "-j", "1", timeout=900)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr
    page = clone / "_build" / "html" / "book" / "figure1" / "2010.html"
    assert page.is_file(), built.stdout[-2000:]
    assert "157" in page.read_text(encoding="utf-8")
