"""Every outside address the book links to is on its page "Outside links" (which the publishing
workflow checks with Sphinx's linkcheck); the "Rerun this book" page links the source notebooks
only when a repository is configured. No test here reaches an outside host."""

import html
import re
from pathlib import Path

import pytest

from palermo import config
from palermo.pipeline import sphinx_ext

HTML = config.BUILD / "html"
HREF = re.compile(r'href="(https?://[^"]+)"')


def _main(page) -> str:
    """The page's content (the theme's frame links nowhere outside; a page without <main>, such
    as the search page, is read whole)."""
    text = page.read_text(encoding="utf-8")
    return text[text.index("<main") : text.index("</main>")] if "<main" in text else text


@pytest.mark.unit
def test_the_list_holds_the_papers_doi_the_sources_and_each_treaty_record():
    rows = sphinx_ext.outside_links()
    urls = [u for _, _, u in rows]
    assert len(urls) == len(set(urls))
    assert f"https://doi.org/{sphinx_ext.PAPER_DOI}" in urls
    assert any("XVIII-12-a.en.xml" in u for u in urls)  # the TIP Protocol's record
    assert all(u.startswith(("http://", "https://")) for u in urls)


@pytest.mark.unit
def test_each_link_is_labelled_as_a_reader_names_it_and_the_conventions_documents_are_listed():
    """The review read raw keys ("untc-chapter18: ...", "stadler2017") and found no link to the
    Convention's text, its status page, the Legislative Guides, the travaux, res. 9/1 or the
    article's page."""
    rows = sphinx_ext.outside_links()
    keys = {"untc-chapter18", "jones-untreaties", "stadler2017", "rose2020", "UNTOC", "CYBERCRIME"}
    for _, label, _ in rows:
        assert label.split(":")[0].strip() not in keys, label
        assert not re.match(r"^[a-z0-9-]+$", label), label
    by_url = {u: label for _, label, u in rows}
    assert (
        "Stadler (2017), The country converter coco"
        in by_url["https://doi.org/10.21105/joss.00332"]
    )
    assert by_url["https://jied.lse.ac.uk/articles/10.31389/jied.90"].startswith("Tennant (2021)")
    status = sphinx_ext.untc_status_page("XVIII-12")
    assert status == (
        "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12&chapter=18"
        "&clang=_en"
    )
    assert by_url[status].startswith("UN Convention against Transnational Organized Crime")
    assert sphinx_ext.untc_status_page("VI-19").endswith("mtdsg_no=VI-19&chapter=6&clang=_en")
    convention = " ".join(label for g, label, _ in rows if g == "The Convention and its documents")
    for words in ("Protocols Thereto", "Legislative Guides", "Travaux", "Resolution 9/1"):
        assert words in convention, words
    assert sphinx_ext._rst_text("a `toolbox' *b*_") == "a \\`toolbox' \\*b\\*\\_"


@pytest.mark.unit
def test_launch_text_says_plainly_when_no_repository_is_configured():
    default = sphinx_ext.JUPYTER_BOOK_DEFAULT
    for options in ({}, {"repository_url": ""}, {"repository_url": default}):
        assert sphinx_ext.repository(options) is None
        text = sphinx_ext.launch_markdown(options)
        assert "names no public repository" in text
        # written for readers: no configuration key or file name (the PDF printed one)
        assert not re.search(r"_config|repository: url|\.yml|`", text), text
    text = sphinx_ext.launch_markdown(
        {"repository_url": "https://example.org/me/palermo/", "repository_branch": "main"}
    )
    assert "<https://example.org/me/palermo/tree/main/notebooks>" in text
    assert "https://example.org/me/palermo" in {
        u
        for _, _, u in sphinx_ext.outside_links(
            {"repository_url": "https://example.org/me/palermo"}
        )
    }


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


# G21: the launch paragraph, when no repository is configured
@pytest.mark.unit
@pytest.mark.review("reader-2026-12b", "G21")
def test_the_launch_paragraph_names_no_file_or_setting():
    text = sphinx_ext.launch_markdown({})
    assert text.startswith("This edition names no public repository for the notebooks")
    assert "_config" not in text and "url:" not in text
