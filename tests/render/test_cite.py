"""Citing the book and its claims (palermo.render.cite)."""

import pytest

from palermo.render import cite

pytestmark = pytest.mark.unit


def test_the_build_fills_in_the_edition_where_a_page_marks_it():
    from types import SimpleNamespace

    from palermo.pipeline.book import sphinx_ext

    app = SimpleNamespace(config=SimpleNamespace(palermo_edition="edition 9.9, commit abcdef1"))
    ctx = {"body": f"<p>Cite: {cite.claim('x-1')}</p>"}
    sphinx_ext._edition_html(app, "book/claims", "page.html", ctx, None)
    assert "edition 9.9, commit abcdef1" in ctx["body"] and cite.UNFILLED not in ctx["body"]


def test_a_claims_citation_names_the_book_and_the_claim_and_marks_the_edition():
    """The edition is a marker the build fills in: a chapter's output cannot know its commit."""
    assert cite.claim("adhoc-sessions-12") == (
        "The Palermo companion, claim <code>adhoc-sessions-12</code>, "
        '<span class="palermo-edition">this edition</span>'
    )
    assert cite.claim("a<b&c").count("<code>a&lt;b&amp;c</code>") == 1  # the id escaped
    assert cite.claim("adhoc-sessions-12", markdown=True) == (
        "The Palermo companion, claim `adhoc-sessions-12`, {palermo-edition}`this edition`"
    )
