"""Pages the book's adapter writes from the pipeline's data (palermo.pipeline.book.pages)."""

import pytest

from palermo.pipeline import content
from palermo.pipeline.book import pages

pytestmark = pytest.mark.unit


def test_text_is_escaped_for_myst():
    assert pages.md_escape("$5 *bold* [x](y) `c` a|b") == r"\$5 \*bold\* \[x\](y) \`c\` a\|b"
    assert pages.md_escape(190) == "190"


def test_a_files_page_offers_each_file_as_a_download(tmp_path):
    page = content.FilesPage(
        "Seminar sheets",
        (
            ("The handout: ", content.Download("PDF", "/_build/seminar-pack/handout.pdf")),
            ("Plain words only.",),
        ),
    )
    text = pages.files_page(page, tmp_path)
    assert text.startswith("# Seminar sheets")
    assert "The handout: {download}`PDF </_build/seminar-pack/handout.pdf>`" in text
    assert "Plain words only." in text
