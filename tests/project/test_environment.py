"""pyproject.toml and environment.yml agree on Python, and pyproject's ranges keep the pins the
README explains. (That requirements.lock pins every package inside pyproject's ranges, with
hashes, and that environment.yml installs from it, is tests/project/test_lock.py.)"""

import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from palermo.config import ROOT

pytestmark = pytest.mark.unit


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _ranges(reqs: list[str]) -> dict[str, SpecifierSet]:
    return {canonicalize_name(r.name): r.specifier for r in map(Requirement, reqs)}


def test_environment_python_is_inside_requires_python():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert Version(python.removeprefix("python").lstrip("=")) in SpecifierSet(
        _project()["requires-python"]
    )


def test_pandas_is_pinned_below_3_for_country_converter():
    """country_converter 1.3.2 fails at import under pandas 3.x (README, 'Dependencies'): the
    ranges themselves keep pandas 2.x, so `make lock` cannot pull pandas 3."""
    deps = _ranges(_project()["dependencies"])
    assert str(deps["country-converter"]) == "==1.3.2"
    assert "<3" in str(deps["pandas"]) and Version("3") not in deps["pandas"]
