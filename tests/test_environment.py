"""pyproject.toml and environment.yml name the same packages with the same ranges."""
import re
import tomllib

import yaml

from palermo.paths import ROOT

CONDA_NAMES = {"pyyaml": "pyyaml"}  # conda and PyPI names agree for everything we use


def _norm(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    name = m.group(1).lower().replace("_", "-")
    spec = ",".join(sorted(s.strip() for s in m.group(2).split(",") if s.strip()))
    return name, spec


def test_pyproject_and_environment_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    py = dict(_norm(r) for r in project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            name, spec = _norm(dep)
            if name not in ("python", "pip"):
                conda[name] = spec
    assert conda == py
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert _norm(python)[1] == ",".join(sorted(s.strip() for s in project["requires-python"].split(",")))


def test_pandas_is_pinned_below_3_for_country_converter():
    """country_converter 1.3.2 fails at import under pandas 3.x (README, 'Dependencies')."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = dict(_norm(r) for r in project["dependencies"])
    assert deps["country-converter"] == "==1.3.2"
    assert "<3" in deps["pandas"]
