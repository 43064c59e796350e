"""The one HTML page shell (palermo.render.page)."""

import pytest

pytestmark = pytest.mark.unit


def test_the_page_shell_escapes_its_title_and_keeps_the_styles_in_order():
    from palermo.render.page import page

    got = page("A & B <x>", "<p>body</p>", before="b{}", after="a{}", generator="palermo-test")
    assert got.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>A &amp; B &lt;x&gt;</title>" in got
    from palermo import config

    book = (config.STATIC / "palermo.css").read_text(encoding="utf-8")[:40]
    assert got.index("b{}") < got.index(book) < got.index("a{}")
    assert '<meta name="generator" content="palermo-test">' in got
    assert "<script>" not in got and "<main><p>body</p></main>" in got
