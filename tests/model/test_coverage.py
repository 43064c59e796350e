"""How far the records reach (palermo.model.coverage): complete through, the count on a day
and the parties a headline count implies that no record names."""

import pytest

from palermo.model.coverage import count_on, unattributed_parties
from palermo.model.params import as_of as read_day

pytestmark = pytest.mark.unit


# peer treaties brought forward from 2014
@pytest.mark.review("reader-2026-12", "finding 1")
def test_uncac_names_more_of_the_2018_header_and_check_lists_the_rest():
    c = count_on("UNCAC", read_day("2018-01-15"))
    assert c.named >= 179  # 171 in the 2014 table, 8 sourced rows since
    gap = [
        u for u in unattributed_parties() if u["treaty"] == "UNCAC" and u["date"] == "2018-01-15"
    ]
    # the 2018 header's 183: either every one is named now, or check lists the gap
    if c.named_max < 183:
        assert gap and gap[0]["headline"] == 183 and gap[0]["unattributed"] == 183 - c.named_max
    else:
        assert not gap and c.named == 183
