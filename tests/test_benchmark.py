"""Benchmark: daily and yearly series for all nine treaties, 1988 to today.

`make bench` times it (pytest-benchmark); under `make test` it runs once as a plain check.
The records are loaded (parsed and merged) before timing: the benchmark measures the series.
"""

import pytest

from palermo import config
from palermo.data import treaties
from palermo.model import merge, status
from palermo.model.dates import parse_as_of
from palermo.model.params import as_of as read_day

# unit: under `make unit` and `make test` it runs once as a plain check; benchmark: `make bench`
pytestmark = [pytest.mark.unit, pytest.mark.benchmark]

START = read_day("1988-01-01")


def all_series():
    out = []
    end = config.today()
    for t in treaties.with_records():
        out.append(status.series(t, START, end, "D"))
        out.append(status.series(t, START, end, "Y"))
    return out


def test_series_for_all_nine_treaties(benchmark):
    merge.load()
    status.series("UNTOC", START, None, "Y")  # warm the per-treaty tables
    result = benchmark(all_series)
    assert len(result) == 2 * len(treaties.with_records())
    days = (config.today() - parse_as_of(START)).days + 1
    assert all(len(s) == days for s in result[::2])
