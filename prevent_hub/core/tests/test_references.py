"""References typed into a search box: PREFIX-YEAR-NUMBER in any shape a
person might type one, and nothing else."""

import pytest

from prevent_hub.core.search import prefixed_reference_in, reference_in


@pytest.mark.parametrize(("typed", "prefixes", "reference"), [
    ("CMP-2026-000012", ("CMP",), "CMP-2026-000012"),
    (" cmp 2026 12 ", ("CMP",), "CMP-2026-000012"),
    ("Cmp-2026-12", ("CMP",), "CMP-2026-000012"),
    ("ven2026 7", ("VEN",), "VEN-2026-000007"),
    ("ch 2027-45", ("PRV", "CH"), "CH-2027-000045"),
    ("CMP-2026-000012", ("VEN",), ""),  # another kind of record's
    ("CMP-26-12", ("CMP",), ""),  # a year has four digits
    ("CMP-2026-", ("CMP",), ""),
    ("Pat Example", ("CMP",), ""),
    ("CMP.*2026", ("CMP",), ""),
])
def test_a_reference_is_read_in_any_shape_with_its_own_prefix(typed, prefixes, reference):
    assert prefixed_reference_in(typed, *prefixes) == reference


def test_referral_and_case_references_still_read_as_before():
    assert reference_in("prv 2026 123") == "PRV-2026-000123"
    assert reference_in("VEN-2026-000123") is None
