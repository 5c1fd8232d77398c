from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from districtguard.pii.elements.payment_card import classify_card, luhn_valid


def _with_check_digit(body: str) -> str:
    for digit in "0123456789":
        if luhn_valid(body + digit):
            return body + digit
    raise AssertionError("unreachable")


@pytest.mark.parametrize(
    ("body", "brand"),
    [
        ("411111111111111", "visa"),
        ("400000000000", "visa"),  # 13 digits
        ("414709000000000000", "visa"),  # 19 digits
        ("555555555555444", "mastercard"),
        ("222100000000000", "mastercard"),  # 2-series low end
        ("272099999999999", "mastercard"),  # 2-series high end
        ("37828224631000", "amex"),
        ("601111111111111", "discover"),
        ("644000000000000", "discover"),
        ("352800000000000", "jcb"),
        ("3056930902590", "diners"),
        ("620000000000000", "unionpay"),
    ],
)
def test_recognises_each_network(body: str, brand: str) -> None:
    assert classify_card(_with_check_digit(body)) == brand


@pytest.mark.parametrize(
    "digits",
    [
        "4111111111111112",  # Luhn fails
        _with_check_digit("272100000000000"),  # beyond Mastercard's 2-series
        _with_check_digit("222000000000000"),  # below it
        _with_check_digit("11111111111111"),  # no network starts with 1
        _with_check_digit("3400000000000000"),  # Amex prefix, 17 digits
        "0000000000000000",
        "4444444444444444",  # one repeated digit
    ],
)
def test_rejects_card_like_numbers(digits: str) -> None:
    assert classify_card(digits) is None


@given(st.from_regex(r"\A[0-9]{12,18}\Z"))
def test_exactly_one_check_digit_completes_any_body(body: str) -> None:
    assert sum(luhn_valid(body + d) for d in "0123456789") == 1
