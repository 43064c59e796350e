"""Standalone HTML: one executed notebook as a single file that reads offline."""

from __future__ import annotations

import html
from pathlib import Path

from .. import config

HIDDEN_TAGS = {"parameters", "injected-parameters", "remove-cell"}


def notebook_to_html(notebook: Path, title: str) -> str:
    """Code hidden, the book's CSS and the Vega libraries inline, no outside script, font or
    stylesheet. Inline scripts cannot be closed early by data: charts escape ``</``."""
    import nbformat
    from nbconvert import HTMLExporter

    from ..render.charts import vega_bundle

    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells = [c for c in nb.cells if not HIDDEN_TAGS & set(c.metadata.get("tags", []))]
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    css = (config.STATIC / "palermo.css").read_text(encoding="utf-8")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:54em;"
        "margin:2em auto;padding:0 1em;line-height:1.5;color:#222}" + css + "</style>"
        f"<script>{vega_bundle()}</script></head><body><main>{body}</main></body></html>\n"
    )
