from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from districtguard.pii.elements.ssn import (
    SsnVerdict,
    assigned_before_2011,
    classify_ssn,
)


@pytest.mark.parametrize(
    ("digits", "verdict"),
    [
        ("234567891", SsnVerdict.SSN),
        ("001010001", SsnVerdict.SSN),
        ("899999999", SsnVerdict.SSN),
        ("665123456", SsnVerdict.SSN),
        ("667123456", SsnVerdict.SSN),
        ("000123456", SsnVerdict.PLACEHOLDER),
        ("999999999", SsnVerdict.PLACEHOLDER),
        ("666123456", SsnVerdict.INVALID),
        ("234001234", SsnVerdict.INVALID),
        ("234560000", SsnVerdict.INVALID),
        ("078051120", SsnVerdict.INVALID),
        ("219099999", SsnVerdict.INVALID),
        ("457555462", SsnVerdict.INVALID),
        ("123456789", SsnVerdict.INVALID),
        ("222222222", SsnVerdict.INVALID),
        ("912701234", SsnVerdict.ITIN),
        ("900501234", SsnVerdict.ITIN),
        ("999991234", SsnVerdict.ITIN),
        ("912931234", SsnVerdict.INVALID),  # ATIN middle group: not an ITIN
        ("912451234", SsnVerdict.INVALID),  # 900-series outside the ITIN ranges
        ("987654320", SsnVerdict.INVALID),  # advertising range
        ("23456789", SsnVerdict.INVALID),
        ("23456789a", SsnVerdict.INVALID),
    ],
)
def test_classifies_nine_digits(digits: str, verdict: SsnVerdict) -> None:
    assert classify_ssn(digits) is verdict


@pytest.mark.parametrize(
    ("digits", "early"),
    [
        ("665123456", True),
        ("733123456", True),
        ("734123456", False),
        ("750123456", True),
        ("772123456", True),
        ("773123456", False),
    ],
)
def test_knows_areas_assigned_before_randomization(digits: str, early: bool) -> None:
    assert assigned_before_2011(digits) is early


@given(st.from_regex(r"\A[0-9]{9}\Z"))
def test_never_calls_an_ssn_what_the_ssa_never_assigns(digits: str) -> None:
    if classify_ssn(digits) is SsnVerdict.SSN:
        area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
        assert area not in (0, 666) and area < 900
        assert group != 0 and serial != 0
