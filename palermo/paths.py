"""Where the repository's own data lives."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CURATED = DATA / "curated"
SOURCES_YML = DATA / "sources.yml"
