"""A pytest plugin (``-p tests.nbval_scope`` in pyproject.toml): what nbval reruns under book/.

nbval reruns every executed notebook of the book and compares its outputs. The ~200 country
profiles are one notebook run with one template for each participant, about four seconds each
under nbval; it reruns a sample of them (tests.browser.SAMPLE_PROFILES), while
tests/book/test_profiles.py checks every profile page of the built book."""

from tests.browser import PROFILES, SAMPLE_PROFILES


def pytest_ignore_collect(collection_path, config):
    p = collection_path
    if (
        p.suffix == ".ipynb"
        and p.parent.name == PROFILES
        and p.parent.parent.name == "book"
        and p.stem not in SAMPLE_PROFILES
    ):
        return True
    return None
