"""ABA routing transit numbers.

Nine digits (bare or 4-4-1 with dashes) whose first two digits are a Federal
Reserve routing symbol (00-12, 21-32, 61-72, 80) and whose 3-7-1 weighted sum is
a multiple of ten. Source: Microsoft Purview ``sit-defn-aba-routing``. Routing
numbers identify banks, not people: they are reported only beside a routing
keyword or in a routing column, and matter as the amended Act's "routing code"
and as evidence that a nearby digit run is an account number.
"""

from __future__ import annotations

_PREFIXES = frozenset([*range(13), *range(21, 33), *range(61, 73), 80])
_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7, 1)


def routing_valid(digits: str) -> bool:
    """Return whether nine digits are a well-formed ABA routing number."""
    if len(digits) != 9 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    if int(digits[:2]) not in _PREFIXES:
        return False
    total = sum(w * (ord(c) - 48) for w, c in zip(_WEIGHTS, digits, strict=True))
    return total % 10 == 0
