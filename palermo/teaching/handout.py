"""The seminar handout: two printed pages for the session (the paper's argument, its key figure
redrawn from the records, the rival explanations to weigh, the questions), as HTML that needs no
script and, through Chromium, a PDF. Every number in it comes from the records or the curated
files; every quotation is the paper's text, with whose words it gives: the author's own, an
interviewee's it quotes, or a view it reports (:data:`VOICES`)."""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

from .. import config
from ..chapters import figure1
from ..data import curated, treaties
from ..errors import BuildError
from ..model.coverage import count_on
from ..render import charts, tables, text
from ..render.page import page
from . import printable

# whose words each explanation's quotation is (data/curated/explanations.yml, by id): the author's
# own (``None``); an interviewee's, quoted with the paper's interview note (``("quoted", n)``);
# or the author reporting an interviewee's view, in the paper's words (``("reported", n)``, or
# the person's name where the paper gives no note). tests/teaching/test_handout.py reads each
# against the paper's text.
VOICES: dict[str, tuple[str, int | str] | None] = {
    "terrorism-9-11": ("quoted", 24),
    "uncac-attention": ("reported", 25),
    "secretariat-split": ("reported", "Eduardo Vetere"),
    "geopolitics-2008": ("quoted", 26),
    "uk-budget-cop-2012": None,
    "civil-society-2014": None,
    "review-stumbling-blocks": None,
    "low-political-will": None,
    "mandates-proliferation": None,
}

QUESTIONS = [
    "Near-universal ratification: is it a success, as the count suggests, or a promise not yet "
    "kept, as the paper concludes? What would count as evidence either way?",
    "Take two of the explanations above. For each, what in the paper supports it, what cuts "
    "against it, and what evidence outside the treaty records would settle it?",
    "Which of the explanations could ratification dates ever show, and which never could?",
    "Whose voices does the paper rest on? Would the argument change if the interviewees were "
    "practitioners from the States that ratified last?",
]


def facts(as_of: dt.date = config.PAPER_DATE) -> dict:
    got = {t: count_on(t, as_of) for t in treaties.group("convention")}
    counts = {t: text.count(c, short=True) for t, c in got.items()}
    late = [c for c in got.values() if not c.complete]
    ends = sorted({str(c.complete_through) for c in late})
    names = text.join([text.the_treaty(c.treaty) for c in late])
    caveat = (
        f" (&ldquo;at least&rdquo;: the records of {names} are "
        f"complete only through {text.join(ends)}; after that a count rests on the parties "
        "they name and on the depositary's and official counts since, and a deposit neither "
        "holds may be missing)"
        if late
        else ""
    )
    return {"as_of": as_of, "counts": counts, "caveat": caveat}


def _figure(day: dt.date) -> str:
    """The key figure as an image whose alt text is the chart's description: what it shows
    and the numbers a reader needs (each count on the day, where the records end, the dates of
    entry into force)."""
    chart = figure1.curve_chart(treaties.group("convention"), day)
    spec = chart.to_dict()
    png = base64.b64encode(charts.to_png(chart)).decode("ascii")
    alt_text = html.escape(spec["description"])
    return (
        f'<figure><img alt="{alt_text}" src="data:image/png;base64,{png}">'
        "<figcaption>The paper's Figure 1, redrawn from the treaty records: each line is named "
        "at its end with its count on the day; a dashed stretch counts only the parties the "
        "records name after they end, so it is a lower bound; a dot marks entry into force."
        "</figcaption></figure>"
    )


def voice(explanation_id: str) -> str:
    """Whose words an explanation's quotation is, for readers: 'Eduardo Vetere (UN Secretariat
    official), quoted by the paper (interview note 24)', 'Tennant, reporting Jean-Paul
    Laborde's view (interview note 25)', 'Tennant, the author'."""
    if explanation_id not in VOICES:
        raise BuildError(
            f"the handout does not know whose words the quotation of explanation "
            f"{explanation_id!r} is: add it to VOICES in palermo/teaching/handout.py"
        )
    said = VOICES[explanation_id]
    if said is None:
        return "Tennant, the author"
    how, who = said
    if isinstance(who, int):
        iv = curated.load("interviews").set_index("note")
        name, role = iv.loc[who, "speaker"], str(iv.loc[who, "role"])
        if role[1:2].islower():  # 'Former UN official', not 'UN Secretariat official'
            role = role[0].lower() + role[1:]
        note = f" (interview note {who})"
    else:
        name, role, note = who, None, ""
    if how == "quoted":
        return f"{name}{f' ({role})' if role else ''}, quoted by the paper{note}"
    return f"Tennant, reporting {name}\u2019s view{note}"


def _explanations() -> str:
    doc = curated.load("explanations")
    rows = [
        [str(n), e.label, f"\u201c{e.quote}\u201d \u2014 {voice(e.id)}"]
        for n, e in enumerate(doc.explanations, start=1)
    ]
    sections = sorted({e.section for e in doc.explanations})
    return (
        tables.html_table(["n", "Explanation", "Quoted from the paper, and whose words"], rows)
        + '<p class="palermo-sheet-kind">From the paper\'s '
        + ("sections " if len(sections) > 1 else "section ")
        + "; ".join(f"&ldquo;{html.escape(s)}&rdquo;" for s in sections)
        + ". A quotation is the author's own unless an interviewee is named: the paper quotes "
        "some interviewees and reports the views of others in its own words. The chapter "
        "&ldquo;Why the momentum went&rdquo; sets out what supports and what cuts against "
        "each.</p>"
    )


def quotations() -> dict[str, str]:
    """The author's own words the handout quotes for the paper's argument, by id
    (data/curated/seminar_kit.yml, ``handout``: each checked against the paper's text)."""
    return {q.id: q.quote for q in curated.load("seminar_kit").handout}


def handout_html(as_of: dt.date = config.PAPER_DATE) -> str:
    f = facts(as_of)
    c = f["counts"]
    quote = quotations()
    argument = (
        "<p>Tennant (2021) tells the political history of the UN Convention against "
        "Transnational Organized Crime from interviews with those who made, serviced and used "
        "it, and from UN documents. The Convention was, in Tennant's own words, "
        f"&ldquo;{html.escape(quote['product-of'])}&rdquo;. Its ratification is near-universal: on "
        f"{f['as_of']} the treaty records show {c['UNTOC']} parties "
        f"to the Convention, {c['TIP']} to the Trafficking in Persons Protocol, {c['SOM']} to "
        f"the Smuggling of Migrants Protocol and {c['FIREARMS']} to the Firearms Protocol"
        f"{f['caveat']}. Yet "
        f"for Tennant &ldquo;{html.escape(quote['disparity'])}&rdquo;, and its review "
        "mechanism was agreed only after years of deadlock.</p>"
    )
    questions = "".join(f"<li>{html.escape(q)}</li>" for q in QUESTIONS)
    body = (
        "<h1>Fulfilling the promise of Palermo? Seminar handout</h1>"
        "<h2>The argument</h2>"
        + argument
        + "<h2>The key figure</h2>"
        + _figure(f["as_of"])
        + "<h2>Why did the momentum go? The explanations to weigh</h2>"
        + _explanations()
        + "<h2>Questions</h2><ol>"
        + questions
        + '</ol><p class="palermo-sheet-kind">Source: Tennant, I. (2021), Journal of Illicit '
        "Economies and Development 2(1), 53&ndash;71, doi:10.31389/jied.90. Counts from the UN "
        "Treaty Collection's records as this book reads them.</p>"
    )
    return page(
        "Seminar handout: Fulfilling the promise of Palermo?",
        body,
        after=printable.PRINT_CSS + HANDOUT_CSS,
        generator="palermo-seminar",
    )


HANDOUT_CSS = """
body { font-size: 10pt; } figure { margin: 0.5em 0; } figure img { max-height: 75mm; }
figcaption { font-size: 0.85em; color: #444; } table.palermo-table { font-size: 0.8em; }
"""


def write(
    out: Path,
    pdf: bool,
    as_of: dt.date = config.PAPER_DATE,
    printer: printable.Printer | None = None,
) -> list[Path]:
    """handout.html (and handout.pdf, by ``printer`` when given) in the pack's folder."""
    return printable.write_sheet(handout_html(as_of), Path(out) / "handout", pdf, printer)
