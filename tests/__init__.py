"""The Palermo companion's tests (pytest; see pyproject.toml for the markers)."""
