from __future__ import annotations

import pytest

from districtguard.pii.elements.routing_number import routing_valid


@pytest.mark.parametrize(
    "digits",
    ["011000015", "021000021", "103000648", "211274450", "322271627", "061000104"],
)
def test_accepts_checksummed_routing_numbers(digits: str) -> None:
    assert routing_valid(digits)


@pytest.mark.parametrize(
    ("digits", "why"),
    [
        ("011000016", "checksum"),
        ("131000005", "prefix 13 is no Federal Reserve district"),
        ("501000004", "prefix 50"),
        ("000000000", "all digits equal"),
        ("01100001", "eight digits"),
        ("0110000155", "ten digits"),
    ],
)
def test_rejects_malformed_routing_numbers(digits: str, why: str) -> None:
    assert not routing_valid(digits), why
