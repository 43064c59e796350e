"""The package's folders are the pipeline's stages, and each imports only from the stages
below it (imports inside functions included); chapters do not import each other."""

import ast
import sys
from pathlib import Path

import pytest

from palermo import config

pytestmark = pytest.mark.unit

PACKAGE = config.ROOT / "palermo"
# the stages, lowest first; the package's own top-level modules are the base
LAYERS = ["base", "data", "model", "render", "chapters", "pipeline", "teaching", "cli"]
BASE = {"palermo", "palermo.errors", "palermo.config", "palermo.files"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    if module in BASE:
        return 0
    if module == "palermo.cli":
        return LAYERS.index("cli")
    return LAYERS.index(module.split(".")[1])


def imported(path: Path) -> set[str]:
    """The palermo modules a file imports, relative imports resolved."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "palermo"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "palermo":
                continue
            for alias in node.names:  # `from ..data import curated` imports palermo.data.curated
                sub = f"{target}.{alias.name}"
                out.add(
                    sub
                    if (PACKAGE.parent / sub.replace(".", "/")).with_suffix(".py").exists()
                    or (PACKAGE.parent / sub.replace(".", "/")).is_dir()
                    else target
                )
    return out


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_stage():
    for path in MODULES:
        layer(module_name(path))  # raises ValueError for a folder that is not a stage


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_pipeline(path):
    me = module_name(path)
    for target in imported(path):
        assert layer(target) <= layer(me), (
            f"{me} ({LAYERS[layer(me)]}) imports {target} ({LAYERS[layer(target)]}), a later stage"
        )
        if me.startswith("palermo.chapters.") and target.startswith("palermo.chapters."):
            assert target in (me, "palermo.chapters"), f"chapter {me} imports chapter {target}"


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The test above could fail: an upward import in a data module is caught."""
    fake = tmp_path / "palermo" / "data" / "bad.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from ..pipeline import params\nfrom ..chapters.figure1 import facts\n")
    (tmp_path / "palermo" / "pipeline").mkdir()
    (tmp_path / "palermo" / "pipeline" / "params.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "palermo")
    got = imported(fake)
    assert "palermo.pipeline.params" in got
    assert any(layer(t) > layer("palermo.data.bad") for t in got)


def test_one_chapter_module_per_chapter_notebook():
    notebooks = {p.stem for p in config.NOTEBOOKS.glob("*.ipynb")}
    modules = {p.stem for p in (PACKAGE / "chapters").glob("*.py")} - {"__init__"}
    assert notebooks == modules
