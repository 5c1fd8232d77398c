"""Card security codes and expiration dates, only where they belong to a card.

Three or four digits mean nothing on their own: a security code is reported only
right after a verification keyword (CVV, CVC, CID, "security code") in the same
record as a validated card number, or in a security-code column of the card's row
(AWS and Purview both demand the keyword). An expiration date is a month and year
after an expiry keyword, or directly after the card number, in the card's record.
Redaction removes both entirely, so ``masked`` shows no digit of either.
"""

from __future__ import annotations

import re

CODE_AFTER_KEYWORD = re.compile(
    r"[\s:#=\-\"']*(?:is\s+|code\s+|no\.?\s*)?(\d{3,4})(?!\d)"
)
EXPIRY_AFTER_KEYWORD = re.compile(
    r"[\s:#=\-\"']*(?:date\s*|on\s+)?[:\"']*\s*(0?[1-9]|1[0-2])\s?[/-]\s?(\d{4}|\d{2})(?![\d/])"
)
EXPIRY_CELL = re.compile(r"\s*(0?[1-9]|1[0-2])\s?[/-]\s?(\d{4}|\d{2})\s*\Z")
CODE_CELL = re.compile(r"\s*(\d{3,4})\s*\Z")
KEYWORD_REACH = 24  # how far after its keyword a code or date may start
CARD_REACH = 32  # how far after the card number an unlabelled date may start


def plausible_expiry(month: str, year: str) -> bool:
    """Return whether a month/year pair could be a card's expiration date."""
    if not 1 <= int(month) <= 12:
        return False
    full = int(year) if len(year) == 4 else 2000 + int(year)
    return 2000 <= full <= 2060


def mask_code(raw: str) -> str:
    """Hide every digit: redaction removes codes and dates entirely."""
    return "".join("*" if ch.isdigit() else ch for ch in raw)
