"""Count values already protected, per element and mode, without reading them.

An encryption token names its element (its last letter, see
:mod:`districtguard.pii.protection.tokens`). A redacted value names it only by
its shape: ``***-**-6789`` is an SSN, ``**** **** **** 1111`` a card number.
Other redactions (``****1234``, ``[REDACTED]``) could be any of several
elements, so they are not counted here: the breach determination must not be
told an element was redacted when it cannot say which.
"""

from __future__ import annotations

import re
from collections import Counter

from districtguard.pii.elements import Element
from districtguard.pii.protection.tokens import CODE_ELEMENTS, PREFIX, TOKEN_RE

ENCRYPTED = "encrypted"
REDACTED = "redacted"

_REDACTED_SHAPES: tuple[tuple[Element, re.Pattern[str]], ...] = (
    (Element.SSN, re.compile(r"(?<![\w*])\*{3}-\*{2}-\d{4}(?![\w*])")),
    (
        Element.PAYMENT_CARD,
        re.compile(r"(?<![\w*])\*{4}([ -]?)\*{4}\1\*{4}\1\d{4}(?![\w*])"),
    ),
)

# (element, mode) -> values
ProtectedCounts = Counter[tuple[str, str]]


def count_protected(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    tokens: bool = True,
    stars: bool = True,
) -> ProtectedCounts:
    """Return the protected values starting in ``text[start:end]``, by element.

    ``tokens=False`` or ``stars=False`` says the caller knows ``text`` holds no
    token prefix or no redaction stars (the prefilter's markers), so it is not
    searched for them again.
    """
    counts: ProtectedCounts = Counter()
    stop = len(text) if end is None else end
    if tokens and PREFIX in text:
        for match in TOKEN_RE.finditer(text):
            if start <= match.start() < stop:
                element = CODE_ELEMENTS[match.group("element")]
                counts[str(element), ENCRYPTED] += 1
    if stars and "*" in text:
        for element, shape in _REDACTED_SHAPES:
            for match in shape.finditer(text):
                if start <= match.start() < stop:
                    counts[str(element), REDACTED] += 1
    return counts


def encrypted(counts: ProtectedCounts) -> int:
    """Return how many of ``counts`` are encryption tokens, whatever their element."""
    return sum(values for (_, mode), values in counts.items() if mode == ENCRYPTED)


def as_rows(counts: ProtectedCounts) -> tuple[tuple[str, str, int], ...]:
    """Return ``counts`` as sorted ``(element, mode, values)`` rows."""
    return tuple(sorted((el, mode, n) for (el, mode), n in counts.items() if n))
