"""No curve is drawn solid past its treaty's complete_through in the chart data of every
built page (the chapters' chart data: tests/model/test_curves.py)."""

import json
import re

import pandas as pd
import pytest

from palermo import config
from tests.model.test_curves import assert_honest

ROW = re.compile(r'\{[^{}]*"records": "(?:complete|incomplete)"[^{}]*\}')


@pytest.mark.book
def test_built_pages_draw_no_curve_solid_past_its_records():
    pages = sorted((config.BUILD / "html" / "book").rglob("*.html"))
    assert pages, "build the book first (make book)"
    seen = 0
    for page in pages:
        rows = [json.loads(m) for m in ROW.findall(page.read_text(encoding="utf-8"))]
        rows = [r for r in rows if "instrument" in r and "date" in r]
        if rows:
            seen += 1
            df = pd.DataFrame(rows).assign(
                date=lambda d: pd.to_datetime(d["date"]).dt.tz_localize(None)
            )
            assert_honest(df, lambda r: r["instrument"])
    assert seen >= 4  # Figure 1, Ratified not used (none: one colour), peers, chronology...
