"""Charts (palermo.render.charts): titled and described, offline HTML and PNG, the theme and the
instruments' colours, legends in readers' words, and data that cannot script the page."""

import base64
import json

import altair as alt
import pandas as pd
import pytest

from palermo.chapters import ratified_not_used
from palermo.data import treaties
from palermo.model.params import as_of as read_day
from palermo.render import charts

pytestmark = pytest.mark.unit

DATA = pd.DataFrame({"x": [1, 2], "y": [3, 4]})


def test_chart_without_title_or_description_is_refused():
    with pytest.raises(ValueError, match="title"):
        charts.mimebundle(
            alt.Chart(DATA).mark_line().encode(x="x", y="y").properties(description="d")
        )
    with pytest.raises(ValueError, match="description"):
        charts.mimebundle(alt.Chart(DATA).mark_line().encode(x="x", y="y").properties(title="t"))


def test_mimebundle_has_html_png_and_alt_text_and_no_outside_url():
    c = (
        alt.Chart(DATA)
        .mark_line()
        .encode(x="x", y="y")
        .properties(title="A title", description="What it shows")
    )
    b = charts.mimebundle(c)
    assert base64.b64decode(b["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "A title. What it shows" in b["text/plain"]
    assert 'aria-label="A title. What it shows"' in b["text/html"]
    assert "http://" not in b["text/html"] and "https://" not in b["text/html"]
    assert charts.mimebundle(c)["text/html"] == b["text/html"]  # stable div id: reruns diff cleanly


def test_theme_and_instrument_colours():
    charts.enable_theme()
    assert alt.theme.active == charts.THEME
    colours = treaties.colours()
    assert set(colours) == set(treaties.short_ids())
    assert len(set(colours.values())) == len(colours)
    scale = charts.instrument_scale(["UNTOC", "TIP"]).to_dict()
    assert scale["range"] == [colours["UNTOC"], colours["TIP"]]
    assert charts.instrument_colour("UNTOC") == colours["UNTOC"]


def test_vega_bundle_is_wrapped_and_seeds_altairs_loader():
    js = charts.vega_bundle()
    assert "(function () {" in js and "window.VEGA_DEBUG" in js
    for v in (alt.VEGA_VERSION, alt.VEGALITE_VERSION, alt.VEGAEMBED_VERSION):
        assert f'"{v}"' in js


def test_legend_symbols_are_drawn_at_full_strength():
    """Readers match a legend's symbols to the marks: they are not drawn pale or small."""
    df = pd.DataFrame({"x": [1, 2], "y": [1, 2], "t": ["UNTOC", "TIP"]})
    chart = charts.titled(
        alt.Chart(df).mark_line().encode(x="x", y="y", color="t"), "T", description="D"
    )
    legend = charts._spec(chart)["config"]["legend"]
    assert legend["symbolOpacity"] == 1 and legend["symbolSize"] >= 100


@pytest.mark.unit
def test_the_map_s_statuses_stay_apart_when_printed_in_grey():
    """Teacher trial 2026-12, section 8.5: a class set printed in black and white must still
    tell a party from a party whose date is known to a bracket, and both from every other
    status on the map: each pair of greys at least 25 levels (of 255) apart."""
    from itertools import combinations

    from palermo.render.charts import NOT_PARTICIPANT, STATUS_COLOURS, luma

    greys = {k: luma(v) for k, v in STATUS_COLOURS.items()} | {"outside": luma(NOT_PARTICIPANT)}
    for (a, ga), (b, gb) in combinations(greys.items(), 2):
        assert abs(ga - gb) >= 25, (a, b, round(ga), round(gb))


# regional medians say n, and too few States is not a regional figure
@pytest.mark.review("reader-2026-12", "finding 12")
def test_chart_legends_name_instruments_as_readers_know_them():
    """No legend shows DRUGS1988, ROME or SOM, and none is cut short ("FIREAR…")."""
    from palermo.render import charts

    legend = charts.instrument_legend().to_dict()
    assert legend["labelLimit"] == 0
    for short, words in [("ROME", "Rome Statute"), ("DRUGS1988", "1988 Drugs Convention")]:
        assert f"'{short}': '{words}'" in legend["labelExpr"]
    spec = json.dumps(
        charts._spec(
            ratified_not_used.delay_chart(
                ratified_not_used.signature_to_consent(
                    ["UNTOC", "FIREARMS"], read_day("2020-12-23")
                )
            )
        )
    )
    assert "Firearms Protocol" in spec


# D11: no script from data
@pytest.mark.review("reliability-2026-11", "D11")
def test_script_in_chart_data_cannot_close_the_charts_script():
    import altair as alt
    import pandas as pd

    evil = "Gino</script><script>document.title=`pwned`</script><!--"
    chart = (
        alt.Chart(pd.DataFrame({"speaker": [evil], "n": [1]}))
        .mark_bar()
        .encode(x="n:Q", y="speaker:N")
    )
    html = charts.to_html(charts.titled(chart, "t", description="d"))
    assert "</script><script>" not in html and "<!--" not in html
    assert html.count("</script>") == html.count("<script")  # only the snippet's own tags
    assert "\\u003c/script>\\u003cscript>document.title=`pwned`\\u003c/script>\\u003c!--" in html


def test_a_charts_rows_read_as_words_not_file_names():
    """Curated text in a chart's data (its tooltips, the CSV under it) says 'the project's
    notes on the raw records', never the file's name (a built page showed PROVENANCE.md)."""
    import json

    import altair as alt
    import pandas as pd

    from palermo.render import charts

    df = pd.DataFrame({"x": [1], "note": ["stripped (PROVENANCE.md: keeps only one)"]})
    chart = (
        alt.Chart(df)
        .mark_point()
        .encode(x="x:Q", tooltip=["note:N"])
        .properties(title="t", description="d")
    )
    out = json.dumps(charts._spec(chart))
    assert "PROVENANCE.md" not in out and "the project's notes on the raw records" in out
