"""A page renamed in the run plan, through the real `palermo build` of a small plan: renamed
everywhere on the next build, and not run again (reliability review 2026-12b, S5)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from palermo import config
from tests.pipeline.book.test_sphinx_ext import NEW, OLD, _notebook, shown

NAMES = ("s5_first", "s5_second", "s5_third")


def _plan(root: Path, second: str) -> Path:
    lines = ["root: book/intro", "parts: [Pages]", "entries:"]
    for name, title in zip(NAMES, ["The first page", second, "The third page"], strict=True):
        lines += [
            f"  - title: {title}",
            "    part: Pages",
            f"    notebook: notebooks/{name}.ipynb",
            f"    output: book/{name}.ipynb",
            "    parameters: {}",
        ]
    path = root / "book" / "runs.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _palermo_build(plan: Path) -> str:
    palermo = Path(sys.executable).parent / "palermo"
    proc = subprocess.run(
        [str(palermo), "build", "--plan", str(plan)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


# the whole build: `palermo build` on a small plan, then the plan renames a page
@pytest.mark.review("reliability-2026-12b", "S5")
@pytest.mark.book
def test_palermo_build_renames_a_page_everywhere_without_rerunning_it(tmp_path):
    """A small book beside nothing else; each chapter's notebook is headed with its first
    title, as ``palermo build`` heads a page of the book's own plan when it runs it."""
    root = tmp_path
    for name in ("_config.yml", "references.bib"):
        shutil.copy(config.ROOT / name, root / name)
    shutil.copytree(config.STATIC, root / "_static")
    for name, title in zip(NAMES, ["The first page", OLD, "The third page"], strict=True):
        _notebook(root / "notebooks" / f"{name}.ipynb", title, code="n = 0")
    (root / "book").mkdir()
    (root / "book" / "intro.md").write_text(
        "# A small book\n\nSee {doc}`s5_second`.\n", encoding="utf-8"
    )
    _palermo_build(_plan(root, OLD))
    book = root / "_build" / "html" / "book"
    assert shown(book / "s5_second.html")["h1"] == OLD

    log = _palermo_build(_plan(root, NEW))
    assert "3 cached, 0 to run" in log  # a new title alone reruns nothing
    second = shown(book / "s5_second.html")
    assert second["h1"] == NEW and second["title"].startswith(NEW), second
    assert shown(book / "s5_first.html")["next"] == NEW
    assert shown(book / "s5_third.html")["prev"] == NEW
    assert shown(book / "intro.html")["links"]["s5_second.html"] == NEW
    stale = [
        str(p.relative_to(root))
        for p in (root / "_build" / "html").rglob("*.html")
        if OLD in p.read_text(encoding="utf-8")
    ]
    assert stale == []
