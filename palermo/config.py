"""Where things are, the paper's date, and the environment variables the project reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CURATED = DATA / "curated"
SOURCES_YML = DATA / "sources.yml"
# records of fetched snapshots (counts and hashes, no raw files), written by `sources record`
SNAPSHOT_RECORDS = DATA / "snapshots"
MANIFEST_YML = CURATED / "manifest.yml"
NOTEBOOKS = ROOT / "notebooks"
BOOK = ROOT / "book"
PLAN = BOOK / "runs.yml"
TOC = ROOT / "_toc.yml"
STATIC = ROOT / "_static"
BUILD = ROOT / "_build"
LOCK = ROOT / "requirements.lock"

# raw UNTC files: $PALERMO_RAW_DIR, else the read-only mirror beside the repository where it
# exists, else the copies `palermo sources fetch` keeps in the data folder (RAW_FOLDER)
RAW_DIR_ENV = "PALERMO_RAW_DIR"
DEFAULT_RAW_DIR = ROOT.parent / "shared" / "untc-raw"
RAW_FOLDER = "raw"
# where `palermo sources fetch` downloads them: each registered file's public repository, in
# the raw-file layout {base}/{owner}/{name}/{commit}/{path}, or a mirror with that layout
RAW_BASE_ENV = "PALERMO_RAW_BASE_URL"
RAW_BASE_URL = "https://raw.githubusercontent.com"
# the map geometry: $PALERMO_GEO_DIR, else what `make book` installs with npm
GEO_DIR_ENV = "PALERMO_GEO_DIR"
DEFAULT_GEO_DIR = ROOT / ".npm-data"

# snapshots fetched by `palermo sources update`: $PALERMO_DATA_DIR, else the per-user data folder
DATA_DIR_ENV = "PALERMO_DATA_DIR"
# the UN Treaty Collection's host, or a mirror with the same path layout
UNTC_BASE_ENV = "PALERMO_UNTC_BASE_URL"
UNTC_BASE_URL = "https://treaties.un.org"

# "0": charts draw no PNG beside their HTML. The executor sets it in the kernel before each run
# of a page left out of the PDF edition, which would drop that print copy anyway.
CHART_PNG_ENV = "PALERMO_CHART_PNG"

PAPER_DATE = dt.date(2020, 12, 23)  # the paper's submission date, the default as_of
MIN_DATE = dt.date(1988, 1, 1)  # the earliest as_of (the 1988 Convention's adoption year)
HISTORY_START = dt.date(1945, 1, 1)  # the chronology reaches back before the treaty records


def today() -> dt.date:
    return dt.date.today()


def data_dir() -> Path:
    """Where fetched raw files and snapshots are kept (never inside the repository)."""
    import os

    env = os.environ.get(DATA_DIR_ENV)
    if env:
        try:
            return Path(env).expanduser()
        except RuntimeError:  # ~user for a user this machine does not know
            from .errors import UsageError

            raise UsageError(
                f"${DATA_DIR_ENV} is {env!r}: cannot expand {env.split('/')[0]} (no such "
                "user); give a full path"
            ) from None
    from platformdirs import user_data_dir

    return Path(user_data_dir("palermo-companion", appauthor=False))
