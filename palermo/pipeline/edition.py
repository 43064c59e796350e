"""The edition a built book belongs to: the package's version and the commit it was built
from, as a citation gives them ("edition 0.2.0, commit 3903005"). The book's extension
(``sphinx_ext``) fills it in where a page has the marker of ``render.cite``.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, config


@dataclass(frozen=True)
class Edition:
    version: str
    commit: str | None  # the commit's short hash; None outside a git checkout
    changed: bool = False  # the working tree differs from the commit

    @property
    def label(self) -> str:
        if self.commit is None:
            return f"edition {self.version} (commit not recorded)"
        local = " with local changes" if self.changed else ""
        return f"edition {self.version}, commit {self.commit}{local}"


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def current(root: Path = config.ROOT) -> Edition:
    """This checkout's edition: the version and HEAD's short hash, and whether tracked files
    differ from it (untracked files, such as build outputs, do not count)."""
    head = _git(root, "rev-parse", "--short=7", "HEAD")
    if not head:
        return Edition(__version__, None)
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    return Edition(__version__, head.strip(), changed=bool(status and status.strip()))
