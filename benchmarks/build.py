"""Build benchmark (`make bench`): one run, the same notebooks, five ways.

1. clean build        - no executed notebooks, no _build: `palermo build`
2. no-op rebuild      - `make book` again (everything cached, the book up to date)
3. one-parameter change - a copy of the plan with one parameter changed: exactly one notebook runs
4. Jupyter Book, execute_notebooks: force - jupyter-book executes the same notebooks itself
5. Jupyter Book, execution off - the plain render of the same executed notebooks, then again
   (its own incremental no-op build on the same tree)

It rebuilds the repository's own book (the outputs are build products) and restores the
plan's outputs at the end. Figures are wall-clock seconds on this machine.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PALERMO = [str(BIN / "palermo")]
JB = str(BIN / "jupyter-book")


def timed(label: str, cmd: list[str], **kw) -> float:
    print(f"==> {label}: {' '.join(cmd)}", flush=True)
    t = time.perf_counter()
    subprocess.run(
        cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw
    )
    s = time.perf_counter() - t
    print(f"    {s:.1f} s", flush=True)
    return s


def main() -> None:
    results = {}
    for p in (ROOT / "book").rglob("*.ipynb"):
        p.unlink()
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    results["clean build (palermo build)"] = timed("clean build", PALERMO + ["build"])
    results["no-op rebuild (make book)"] = timed("no-op rebuild", ["make", "book"])

    plan = yaml.safe_load((ROOT / "book" / "runs.yml").read_text())
    first_run = next(
        e for e in plan["entries"] if "notebook" in e and e.get("parameters", {}).get("as_of")
    )
    first_run["parameters"]["as_of"] = "2019-06-30"
    changed = ROOT / "book" / ".bench-runs.yml"
    changed.write_text(yaml.safe_dump(plan))
    try:
        results["one-parameter change"] = timed(
            "one-parameter change", PALERMO + ["build", "--plan", str(changed)]
        )
    finally:
        changed.unlink()

    with tempfile.TemporaryDirectory() as tmp:
        cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
        cfg["execute"] = {"execute_notebooks": "force", "timeout": 300}
        force_cfg = Path(tmp) / "force.yml"
        force_cfg.write_text(yaml.safe_dump(cfg))
        results["jupyter-book build, execute force"] = timed(
            "jupyter-book, execute force",
            [
                JB,
                "build",
                str(ROOT),
                "--config",
                str(force_cfg),
                "--path-output",
                str(Path(tmp) / "force"),
                "--all",
            ],
        )
        results["jupyter-book build, execution off"] = timed(
            "jupyter-book, execution off",
            [JB, "build", str(ROOT), "--path-output", str(Path(tmp) / "off"), "--all"],
        )
        results["jupyter-book build, execution off, again"] = timed(
            "jupyter-book, execution off, again",
            [JB, "build", str(ROOT), "--path-output", str(Path(tmp) / "off")],
        )

    # put the real plan's outputs back (the changed plan re-ran one of them)
    timed("restore the plan's outputs", PALERMO + ["build"])

    force = results["jupyter-book build, execute force"]
    noop = results["jupyter-book build, execution off, again"]
    print("\n| step | seconds | ratio |\n|---|---:|---|")
    for k, v in results.items():
        ratio = ""
        if k.startswith("clean"):
            ratio = f"{v / force:.2f}x the force build (target <= 0.6x)"
        elif k.startswith("no-op"):
            ratio = f"{v / noop:.2f}x Jupyter Book's incremental no-op build (target <= 1.3x)"
        print(f"| {k} | {v:.1f} | {ratio} |")


if __name__ == "__main__":
    main()
