"""Building the book with Jupyter Book (palermo.pipeline.jupyterbook)."""

import pytest

from palermo.errors import BuildError

pytestmark = pytest.mark.unit


# S13, S12: an alias bomb, a date an exercise cannot draw, no TeX
@pytest.mark.review("reliability-2026-12b", "S12")
def test_the_pdf_edition_without_tex_live_is_one_line_naming_it(tmp_path, monkeypatch):
    from palermo.pipeline.book import jupyterbook

    monkeypatch.setenv("PATH", str(tmp_path))  # no latexmk, no pdflatex
    old = tmp_path / "_build" / "pdf" / jupyterbook.PDF_NAME
    old.parent.mkdir(parents=True)
    old.write_bytes(b"%PDF the previous edition")
    with pytest.raises(BuildError, match=r"needs TeX Live: latexmk, pdflatex not found"):
        jupyterbook.build_pdf(root=tmp_path, log=lambda s: None)
    assert old.read_bytes() == b"%PDF the previous edition"
