"""The real deposit, packed from the built book, to the data editors' checklist (issue 39,
section 3): no empty file, no duplicate, no archive inside, no path of the machine."""

import pytest

from palermo.pipeline import replication


@pytest.mark.book
def test_the_real_deposit_passes_the_data_editors_checks():
    assert replication.deposit_faults(replication.contents()) == []
