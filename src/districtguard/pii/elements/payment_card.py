"""Payment card numbers: Luhn plus an issuer prefix that allows the length.

Matches 13-19 digits, bare or in groups separated by one kind of separator (space
or dash). Rejects anything failing the Luhn check, and numbers whose prefix (IIN)
belongs to no network or whose length that network does not issue: Luhn alone
passes one random digit string in ten. The IIN table follows the published issuer
tables summarised in ``reference/pii-rules.md`` § 4, Mastercard's 2-series
included (a range Presidio misses).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

# (brand, prefix ranges as (low, high) of equal digit count, allowed lengths)
_IIN_TABLE: tuple[tuple[str, tuple[tuple[int, int], ...], frozenset[int]], ...] = (
    ("visa", ((4, 4),), frozenset({13, 16, 19})),
    ("mastercard", ((51, 55), (2221, 2720)), frozenset({16})),
    ("amex", ((34, 34), (37, 37)), frozenset({15})),
    (
        "discover",
        ((6011, 6011), (644, 649), (65, 65), (622126, 622925)),
        frozenset(range(16, 20)),
    ),
    ("jcb", ((3528, 3589),), frozenset(range(16, 20))),
    (
        "diners",
        ((36, 36), (300, 305), (3095, 3095), (38, 39)),
        frozenset(range(14, 20)),
    ),
    ("unionpay", ((62, 62),), frozenset(range(16, 20))),
    ("maestro", ((50, 50), (56, 69)), frozenset(range(12, 20))),
    ("rupay", ((60, 60), (65, 65), (81, 82), (508, 508)), frozenset({16})),
)


# Each digit doubled, less nine when that makes two digits: 7 -> 14 -> 5.
_DOUBLED: Final = str.maketrans("0123456789", "0246813579")


def luhn_valid(digits: str) -> bool:
    """Return whether a digit string passes the Luhn (mod 10) check."""
    if digits.isascii() and digits.isdigit():
        # Every other digit from the right doubled by a table, and the sum of
        # all of them from their character codes: no Python loop.
        backwards = digits[::-1]
        codes = backwards[::2] + backwards[1::2].translate(_DOUBLED)
        return (sum(codes.encode()) - 48 * len(codes)) % 10 == 0
    return luhn_digit_by_digit(digits)


def luhn_digit_by_digit(digits: str) -> bool:
    """Return the Luhn check digit by digit: the rule as written, for strings
    :func:`luhn_valid` does not sum by table (digits of other scripts)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _prefix_in(digits: str, ranges: Iterable[tuple[int, int]]) -> bool:
    for low, high in ranges:
        width = len(str(low))
        if low <= int(digits[:width]) <= high:
            return True
    return False


def card_brand(digits: str) -> str | None:
    """Return the network whose prefix and length fit ``digits``, if any."""
    for brand, ranges, lengths in _IIN_TABLE:
        if len(digits) in lengths and _prefix_in(digits, ranges):
            return brand
    return None


def classify_card(digits: str) -> str | None:
    """Return the brand of a valid card number, or ``None`` if it is not one."""
    if not 13 <= len(digits) <= 19 or not digits.isdigit():
        return None
    if len(set(digits)) == 1 or not luhn_valid(digits):
        return None
    return card_brand(digits)
