"""Opening the built book in headless Chromium: Debian's /usr/bin/chromium driven by Playwright
(no browser download). The `browser` fixture in conftest.py launches it once per session."""

import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from palermo.config import BUILD

HTML = BUILD / "html"
CHROMIUM = os.environ.get("PALERMO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


# the country profiles the page-by-page tests open: ~200 pages made by one notebook and one
# template; tests/book/test_profiles.py checks every one of them
PROFILES = "country_profile"
SAMPLE_PROFILES = {"italy", "poland", "united-states-of-america", "european-union", "fiji"}


def pages(everything: bool = False, profiles: bool = False) -> list[Path]:
    """The book's pages; with `everything`, the generated index, the search page and the
    seminar sheets offered for download (printable pages, not the book's) too; with
    `profiles`, every country profile (else a sample of them)."""
    skip = () if everything else ("genindex.html", "search.html")
    never = {"_static", "_sources", "editions"} | (set() if everything else {"_downloads"})
    found = sorted(
        p
        for p in HTML.rglob("*.html")
        if not never & set(p.relative_to(HTML).parts)
        and p.name not in skip
        and (profiles or p.parent.name != PROFILES or p.stem in SAMPLE_PROFILES)
    )
    # the library of sheets: the same page for every treaty and date, so one of each exercise
    # and kind (tests/book/test_seminar_in_book.py checks every one of its files)
    seen, out = set(), []
    for p in found:
        m = LIBRARY_SHEET.match(p.name)
        if m and m.groups() in seen:
            continue
        if m:
            seen.add(m.groups())
        out.append(p)
    return out


LIBRARY_SHEET = re.compile(
    r"^(ex\d_[a-z_]+)-[A-Za-z0-9_-]+-\d{4}-\d{2}-\d{2}-(student|teacher)-sheet\.html$"
)


@contextmanager
def launch():
    if not (HTML / "index.html").is_file():
        pytest.fail(f"the book is not built ({HTML} is missing): run `make book` first")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install Debian's chromium (see .ci/run) "
            "or set PALERMO_CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()
