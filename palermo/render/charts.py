"""One look for every chart in the book, and a renderer that works with no network.

* :func:`enable_theme` - readable type, a colour-blind-safe palette (Okabe & Ito), one fixed
  colour per instrument (``data/curated/treaties.yml``; :func:`instrument_scale`).
* :func:`show` - display a chart as interactive HTML (Vega-Embed, loaded from the book's
  ``_static``, never a CDN) *and* a PNG made by vl-convert, in one output, so the same
  notebook serves the web book, print/PDF and plain notebook viewers. Every chart must have
  a title and a description (alt text), or :func:`show` refuses it.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
import os

import altair as alt
import pandas as pd

from .. import config
from ..data import treaties
from .tables import csv_href, file_stem
from .text import plural, readable

# Okabe & Ito (2008) colour-blind-safe palette
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
# a status's colour; their greys (luma, 0-255) step about 33 apart, so a map printed in
# grey still tells a party from a party whose date is known to a bracket, and both from a
# signatory, a withdrawal, no action and a State outside the records (NOT_PARTICIPANT)
STATUS_COLOURS = {
    "party": "#005A9C",
    "possibly_party": "#6FC0EE",
    "signatory": "#E0700A",
    "withdrawn": "#A0457F",
    "none": "#CACACA",
}
NOT_PARTICIPANT = "#EEEEEE"


def luma(colour: str) -> float:
    """A colour's grey level as printed in black and white (ITU-R BT.601 weights), 0-255."""
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b


FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
VL_VERSION = ".".join(alt.VEGALITE_VERSION.split(".")[:2])  # vl-convert takes major.minor
THEME = "palermo"


def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": 560, "continuousHeight": 300, "stroke": None},
            "title": {
                "fontSize": 16,
                "anchor": "start",
                "fontWeight": "bold",
                "subtitleFontSize": 12,
                "subtitleColor": "#444444",
            },
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "gridColor": "#E6E6E6"},
            # legend symbols at full strength and size, so they read as the marks they stand for
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "symbolOpacity": 1,
                "symbolSize": 150,
                "symbolStrokeWidth": 3,
            },
            "range": {"category": OKABE_ITO},
            "line": {"strokeWidth": 2.5},
        }
    }


_registered = False


def enable_theme() -> None:
    """The book's theme, registered once per process (Altair's list of theme names reads the
    installed packages' entry points, a hundredth of a second each time)."""
    global _registered
    if not _registered:
        if THEME not in alt.theme.names():
            alt.theme.register(THEME, enable=False)(_theme)
        _registered = True
    if alt.theme.active != THEME:
        alt.theme.enable(THEME)


def instrument_scale(instruments: list[str]) -> alt.Scale:
    colours = treaties.colours()
    return alt.Scale(domain=list(instruments), range=[colours[i] for i in instruments])


def instrument_legend(**kw) -> alt.Legend:
    """A legend of instruments that names each as a reader knows it (``Rome Statute``, not
    ``ROME``), never cut short."""
    return alt.Legend(labelExpr=instrument_names(), labelLimit=0, **kw)


def instrument_names(of: str = "label") -> str:
    """A Vega expression that reads an instrument's short id as its name for readers (``of``:
    the datum's field holding the id: a legend's ``label``, a facet header's ``value``)."""
    names = ", ".join(f"{k!r}: {v!r}" for k, v in treaties.labels().items())
    return f"({{{names}}})[datum.{of}] || datum.{of}"


def titled(chart, title: str, *, description: str, subtitle: str | list[str] | None = None, **size):
    """The one way a chart gets its title, subtitle, alt text (``description``) and size."""
    heading = alt.Title(title, subtitle=subtitle) if subtitle else alt.Title(title)
    return chart.properties(title=heading, description=description, **size)


RECORDS_DASH = alt.StrokeDash(
    "records:N",
    title="records",
    scale=alt.Scale(domain=["complete", "incomplete"], range=[[1, 0], [5, 4]]),
    legend=alt.Legend(
        orient="bottom",
        direction="horizontal",
        labelLimit=300,
        labelExpr="datum.label == 'complete' ? 'complete' : 'incomplete (a lower bound)'",
    ),
)


def coverage_line(data, x, y, colour, tooltip, **mark):
    """Step lines drawn solid while the records are complete and dashed after (the data carry
    a ``records`` column: model.curves.split_at_coverage)."""
    return (
        alt.Chart(data)
        .mark_line(interpolate="step-after", **mark)
        .encode(
            x=x,
            y=y,
            color=colour,
            strokeDash=RECORDS_DASH,
            detail="records:N",
            tooltip=[*tooltip, alt.Tooltip("records:N", title="records")],
        )
    )


def end_labels(
    data: pd.DataFrame,
    x: str,
    y: str,
    colour,
    labels: dict[str, str],
    size: tuple[int, int],
    series: str = "instrument",
    domain: tuple | None = None,
):
    """A text label at the end of each line (its last point), so a grey print names every line
    without its colour: ``labels`` maps each series to its words ('UNTOC: 190'). ``x`` is a
    date field, ``size`` the chart's (width, height) in pixels and ``domain`` its dates' span
    (default: the data's). Labels closer than a line of text are moved apart, each joined to
    its line's end by a short leader, so none is read against the wrong line."""
    last = data.sort_values(x).groupby(series, sort=False).tail(1)
    width, height = size
    top = float(pd.to_numeric(data[y]).max() or 1)
    gap = 14 * top * 1.05 / height  # one line of 11-pixel text, in the y axis's units
    lo, hi = (pd.Timestamp(d) for d in (domain or (data[x].min(), data[x].max())))
    reach = (hi - lo) * (16 / width)  # the leader's length: 16 pixels, as time
    rows = sorted(
        (
            {series: s, "end": pd.Timestamp(d), "at": float(v), "label_y": float(v)}
            for s, d, v in zip(last[series], last[x], last[y], strict=True)
        ),
        key=lambda r: -r["at"],
    )
    for above, row in zip(rows, rows[1:], strict=False):
        row["label_y"] = min(row["label_y"], above["label_y"] - gap)
    low = rows[-1]["label_y"] if rows else 0.0
    if low < 0:  # pushed below the axis: lift them all
        for row in rows:
            row["label_y"] -= low
    for row in rows:
        row["label"] = labels[row[series]]
        row["label_x"] = row["end"] + reach
    frame = pd.DataFrame(rows)
    leaders = (
        alt.Chart(frame)
        .mark_rule(strokeWidth=1)
        .encode(
            x=alt.X("end:T", title=None),
            x2="label_x:T",
            y=alt.Y("at:Q", title=None),
            y2="label_y:Q",
            color=colour,
        )
    )
    words = (
        alt.Chart(frame)
        # dark words (a pale colour fades in a grey print); the leader carries the colour
        .mark_text(
            align="left", baseline="middle", dx=2, fontSize=11, fontWeight="bold", color="#222"
        )
        .encode(
            x=alt.X("label_x:T", title=None),
            y=alt.Y("label_y:Q", title=None),
            text="label:N",
        )
    )
    return leaders + words


def instrument_colour(instrument: str) -> str:
    return treaties.colours()[instrument]


def _spec(chart: alt.TopLevelMixin) -> dict:
    enable_theme()
    spec = chart.to_dict()
    # the rows a chart carries reach readers (tooltips, the CSV under it): curated text's
    # file references in words, as in every table (text.readable)
    for rows in spec.get("datasets", {}).values():
        if not isinstance(rows, list):  # a map's geometry (TopoJSON), not rows
            continue
        for row in rows:
            if isinstance(row, dict):
                for k, v in row.items():
                    if isinstance(v, str):
                        row[k] = readable(v)
    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    if not text:
        raise ValueError("every chart needs a title: chart.properties(title=...)")
    if not spec.get("description"):
        raise ValueError(
            "every chart needs a description (alt text): chart.properties(description=...)"
        )
    return spec


def _title(spec: dict) -> str:
    t = spec["title"]
    text = t.get("text") if isinstance(t, dict) else t
    return " ".join(text) if isinstance(text, list) else str(text)


def _spec_of(chart: alt.TopLevelMixin | dict) -> dict:
    """A chart's checked spec; a spec already made is taken as it is (making one validates
    the whole chart against the Vega-Lite schema, a twentieth of a second)."""
    return chart if isinstance(chart, dict) else _spec(chart)


def to_png(chart: alt.TopLevelMixin | dict, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(_spec_of(chart), scale=scale, vl_version=VL_VERSION)


def to_html(chart: alt.TopLevelMixin | dict) -> str:
    """A <div> + <script> snippet that draws the chart with the page's local Vega libraries."""
    from altair.utils.html import spec_to_html

    spec = {k: v for k, v in _spec_of(chart).items() if k != "$schema"}  # no outside URL
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    div = f"palermo-chart-{digest}"  # stable across runs, so executed notebooks diff cleanly
    snippet = spec_to_html(
        spec,
        mode="vega-lite",
        vega_version=alt.VEGA_VERSION,
        vegaembed_version=alt.VEGAEMBED_VERSION,
        vegalite_version=alt.VEGALITE_VERSION,
        base_url="_static/vega",
        output_div=div,
        template="universal",
        # the export menu (SVG, PNG) only: no "open in editor" link to an outside host
        embed_options={"renderer": "svg", "actions": EXPORT_ONLY},
    )
    # the spec sits in an inline <script>: text from the data must not be able to close it
    dumped = json.dumps(spec)
    if dumped not in snippet:
        raise ValueError("the chart's JSON is not where it was expected in Altair's HTML")
    snippet = snippet.replace(dumped, script_safe(dumped))
    label = html_lib.escape(f"{_title(spec)}. {spec['description']}", quote=True)
    links = data_links(spec)
    return (
        f'<figure class="palermo-chart" role="figure" aria-label="{label}">{snippet}'
        f"{links}</figure>"
    )


EXPORT_ONLY = {"export": True, "source": False, "compiled": False, "editor": False}


def chart_data(spec: dict) -> list[pd.DataFrame]:
    """The tables a chart draws: each inline dataset of its spec that is a list of records (a
    map's boundaries, which are not, are left out)."""
    out = []
    for values in (spec.get("datasets") or {}).values():
        if isinstance(values, list) and values and all(isinstance(r, dict) for r in values):
            df = pd.DataFrame.from_records(values)
            for c in df.columns:  # nested values (a list, a dict) as JSON text
                if df[c].map(lambda v: isinstance(v, (list, dict))).any():
                    df[c] = df[c].map(json.dumps)
            out.append(df)
    return out


def data_links(spec: dict) -> str:
    """Under the chart, a link per table it draws: the CSV of exactly those rows, inside the
    page (a data: address), so it downloads offline."""
    frames = chart_data(spec)
    if not frames:
        return ""
    name = file_stem(_title(spec), "chart")
    items = []
    for i, df in enumerate(frames, start=1):
        href = csv_href(df)
        file = f"{name}.csv" if len(frames) == 1 else f"{name}-{i}.csv"
        cols = ", ".join(map(str, df.columns[:5])) + (", …" if len(df.columns) > 5 else "")
        link = f'<a class="palermo-csv" download="{file}" href="{href}">{file}</a>'
        items.append(f"{link} ({plural(len(df), 'row')}: {html_lib.escape(cols)})")
    return (
        '<figcaption class="palermo-data">The data behind this chart (CSV): '
        + "; ".join(items)
        + "</figcaption>"
    )


def script_safe(text: str) -> str:
    """JSON for an inline <script>: every '<' written as \\u003c, so no '</script>' or '<!--' in
    the data can end or disturb the script (the JSON still reads the same; '<' can only occur
    inside its strings)."""
    return text.replace("<", "\\u003c")


def mimebundle(chart: alt.TopLevelMixin) -> dict:
    spec = _spec(chart)  # once: the HTML, the PNG and the text are drawn from the same spec
    out = {"text/html": to_html(spec)}
    if os.environ.get(config.CHART_PNG_ENV, "1") != "0":
        out["image/png"] = base64.b64encode(to_png(spec)).decode("ascii")
    out["text/plain"] = f"Chart: {_title(spec)}. {spec['description']}"
    return out


def show(chart: alt.TopLevelMixin) -> None:
    """Display a chart as HTML + PNG (+ its alt text as plain text)."""
    from IPython.display import display

    display(mimebundle(chart), raw=True)


def vega_bundle_stamp() -> str:
    """First line of the bundle: which library versions it holds (so it is rebuilt only when
    one of them changes; making it takes vl-convert a second or two)."""
    from importlib.metadata import version

    return (
        f"/* Vega, Vega-Lite, Vega-Embed bundled by vl-convert {version('vl-convert-python')} "
        f"for Altair {alt.__version__} (Vega {alt.VEGA_VERSION}, Vega-Lite "
        f"{alt.VEGALITE_VERSION}, Vega-Embed {alt.VEGAEMBED_VERSION}), for offline reading */"
    )


def vega_bundle() -> str:
    """The Vega, Vega-Lite and Vega-Embed libraries as one local script for the book's _static.

    vl-convert's bundle is wrapped in a function (its top-level ``const _`` would clash with
    Sphinx's ``_``) and followed by a line that tells Altair's loader the libraries are
    already there (``window.VEGA_DEBUG``), so it never reaches for a CDN."""
    import vl_convert as vlc

    seed = {
        "vega_version": alt.VEGA_VERSION,
        "vegalite_version": alt.VEGALITE_VERSION,
        "vegaembed_version": alt.VEGAEMBED_VERSION,
    }
    # vl-convert's stub (its __init__.pyi) makes `snippet` required, but the function itself
    # is (snippet=None, vl_version=None), and without a snippet it gives its default bundle
    bundle = vlc.javascript_bundle(vl_version=VL_VERSION)  # type: ignore[call-arg]
    return (
        vega_bundle_stamp() + "\n"
        "(function () {\n" + bundle + "\n})();\n"
        f"window.VEGA_DEBUG = Object.assign(window.VEGA_DEBUG || {{}}, {json.dumps(seed)});\n"
    )
