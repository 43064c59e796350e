"""Every outside address on any built page is on its page "Outside links", and the "Rerun
this book" page says whether the source notebooks can be linked. No test here reaches an
outside host."""

import html
import re
from pathlib import Path

import pytest

from palermo import config

HTML = config.BUILD / "html"


HREF = re.compile(r'href="(https?://[^"]+)"')


def _main(page) -> str:
    """The page's content (the theme's frame links nowhere outside; a page without <main>, such
    as the search page, is read whole)."""
    text = page.read_text(encoding="utf-8")
    return text[text.index("<main") : text.index("</main>")] if "<main" in text else text


@pytest.mark.book
def test_every_outside_link_on_any_page_is_on_the_links_page():
    listed = {html.unescape(u) for u in HREF.findall(_main(HTML / "book" / "links.html"))}
    assert len(listed) >= 10, listed
    missing = {}
    for page in HTML.rglob("*.html"):
        # an earlier edition kept beside the book is checked against its own links page
        if page.name == "links.html" or {"_static", "editions"} & set(page.parts):
            continue
        for url in {html.unescape(u) for u in HREF.findall(_main(page))}:
            if url not in listed:
                missing.setdefault(url, []).append(str(page.relative_to(HTML)))
    assert not missing, f"outside links not on book/links.md's list: {missing}"


@pytest.mark.book
def test_the_rerun_page_says_whether_the_source_notebooks_can_be_linked():
    text = re.sub(r"<[^>]+>", "", _main(HTML / "book" / "rerun.html"))
    assert "{palermo-launch}" not in text
    assert "names no public repository" in text or "/notebooks" in text


@pytest.mark.book
def test_generated_pages_declare_the_files_they_read():
    """The extension's directives declare their data files to Sphinx (env.note_dependency), so
    a page is reread when one of them changes, and only then; every page that links glossary
    terms depends on the glossary."""
    import pickle

    from palermo import config
    from palermo.data import curated

    with (config.BUILD / "stage" / "_build" / ".doctrees" / "environment.pickle").open("rb") as f:
        env = pickle.load(f)  # noqa: S301 - the build's own file
    deps = {doc: {Path(p).resolve() for p in paths} for doc, paths in env.dependencies.items()}
    glossary = curated.entry("glossary").path
    assert {config.ROOT / "references.bib", config.SOURCES_YML} <= deps["book/links"]
    assert {config.PLAN, curated.entry("sections").path} <= deps["book/intro"]
    assert glossary in deps["book/glossary"]
    assert glossary in deps["book/figure1/paper-date"] and glossary not in deps["book/links"]
