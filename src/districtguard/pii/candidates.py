"""The candidate pass: find every number shaped like an element, fast.

Two stages. A prefilter (Hyperscan, when installed) scans the whole text at
gigabytes per second for anything digit-shaped or a licence keyword and returns
the few regions worth a closer look; clean prose yields none. The candidate
expression then runs over those regions only. Without Hyperscan the whole text is
one region: the results are the same, only slower.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from districtguard.pii.protection.tokens import PREFIX

try:  # Hyperscan wheels exist for the common platforms; elsewhere use ``re`` alone.
    import hyperscan
except ImportError:  # pragma: no cover - exercised on platforms without wheels
    hyperscan = None  # type: ignore[assignment]

# Not preceded by a word character or by characters that make a number part of
# something longer (a decimal, a date, an amount, a hyphenated code).
_BEFORE = r"(?<![\w.\-/+$@#])"
_AFTER = r"(?!\w|[-./]\d)"

CANDIDATE_RE = re.compile(
    _BEFORE + r"(?:"
    r"(?P<ssn>\d{3}(?P<d1>[-. ])\d{2}(?P=d1)\d{4})"
    r"|(?P<card>\d{4}(?P<d2>[ -])\d{4}(?P=d2)\d{4}(?P=d2)\d{1,4}(?:(?P=d2)\d{1,3})?"
    r"|\d{4}(?P<d3>[ -])\d{6}(?P=d3)\d{4,5})"
    r"|(?P<aba>\d{4}-\d{4}-\d)"
    r"|(?P<spaced>\d{3} \d{3} \d{3})"
    r"|(?P<digits>\d{6,19})"
    r"|(?P<alnum>[A-Z]{1,3}\d{4,14})"
    r")" + _AFTER
)

# Bytes patterns whose matches end inside every candidate above: five digits in a
# row, three and two across a dash or dot, and each space-separated shape, or a
# capital letter and four digits. Each is specific enough that prose with years
# and counts ("in 2027 147 students") opens no region.
_PREFILTER_PATTERNS: tuple[bytes, ...] = (
    rb"[0-9]{5}",
    rb"[0-9]{3}[-.][0-9]{2}",
    rb"[0-9]{3} [0-9]{2} [0-9]{4}",
    rb"[0-9]{4} [0-9]{4}",
    rb"[0-9]{4} [0-9]{6}",
    rb"[0-9]{3} [0-9]{3} [0-9]{3}",
    rb"[A-Z][0-9]{4}",
)
# Licence keywords open a region of their own: some state formats (all letters,
# or letters between digits) have no digit run the patterns above would catch.
# Short labels count in capitals only ("ID", "DL"); "id" in prose is rarely one.
_ANCHOR_PATTERN = (
    rb"\b(?:[Dd]rivers?|DRIVERS?|[Ll]icen[cs]e|LICEN[CS]E|LIC|DL|CDL|DLN|ID"
    rb"|[Ii]dentification|IDENTIFICATION)\b"
)
_ANCHOR_ID = len(_PREFILTER_PATTERNS)
# Two markers of values already protected ride along in the same pass, each
# reported once, with the ids after the anchor's: an encryption token's prefix,
# then the stars of a redaction. Asking ``PREFIX in text`` of a clean unit
# instead costs almost half as much again as the whole prefilter.
_TOKEN_ID = _ANCHOR_ID + 1
_MARKERS: tuple[bytes, ...] = (re.escape(PREFIX + ".").encode(), rb"\*\*\*")
REACH = 48  # longest candidate (23) plus margin, on either side of a hit
ANCHOR_REACH = 96  # how far after a licence keyword a number is looked for


class Prefilter(NamedTuple):
    """What one pass over a text found: hot regions, and whether it may hold
    encryption tokens or redaction stars (``False`` means it holds none)."""

    regions: list[tuple[int, int]]
    tokens: bool
    stars: bool


class Candidate(NamedTuple):
    """A span that may be an element, and which branch of the expression found it."""

    start: int
    end: int
    shape: str
    text: str


def _compile_database() -> Any:
    if hyperscan is None:
        return None
    database = hyperscan.Database()
    expressions = [*_PREFILTER_PATTERNS, _ANCHOR_PATTERN, *_MARKERS]
    flags = [0] * (len(expressions) - len(_MARKERS))
    flags += [hyperscan.HS_FLAG_SINGLEMATCH] * len(_MARKERS)
    database.compile(
        expressions=expressions,
        ids=list(range(len(expressions))),
        elements=len(expressions),
        flags=flags,
    )
    return database


_DATABASE = _compile_database()


def _merge(spans: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    spans.sort()
    merged: list[tuple[int, int]] = []
    for low, high in spans:
        low, high = max(low, 0), min(high, size)
        if merged and low <= merged[-1][1]:
            if high > merged[-1][1]:
                merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return merged


def hot_regions(text: str) -> list[tuple[int, int]]:
    """Return merged ``(start, end)`` regions of ``text`` that may hold candidates."""
    return prefilter(text).regions


def prefilter(text: str) -> Prefilter:
    """Return the hot regions of ``text`` and its protection markers, in one pass."""
    if _DATABASE is None or len(text) < 256:
        regions = [(0, len(text))] if text else []
        return Prefilter(regions, PREFIX in text, "*" in text)
    data = text.encode("latin-1", errors="replace")  # one byte per character
    # Matches come in order of their end, so most spans fall inside the last one
    # and only widen it; the rest (after a gap, or reaching back before a
    # licence keyword's span) are kept apart and merged at the end.
    spans: list[tuple[int, int]] = []
    last = [-1, -1]  # the span being widened: low, high
    markers = [False, False]  # a token prefix, redaction stars

    def on_match(pattern: int, _start: int, end: int, _flags: int, _ctx: Any) -> None:
        if pattern >= _TOKEN_ID:
            markers[pattern - _TOKEN_ID] = True
            return
        if pattern == _ANCHOR_ID:
            low, high = end, end + ANCHOR_REACH
        else:
            low, high = end - REACH, end + REACH
        if last[0] <= low <= last[1]:
            if high > last[1]:
                last[1] = high
        else:
            if last[1] >= 0:
                spans.append((last[0], last[1]))
            last[0], last[1] = low, high

    _DATABASE.scan(data, match_event_handler=on_match)
    if last[1] >= 0:
        spans.append((last[0], last[1]))
    return Prefilter(_merge(spans, len(text)), markers[0], markers[1])


def find_candidates(text: str, regions: list[tuple[int, int]]) -> Iterator[Candidate]:
    """Yield candidates in ``regions`` of ``text``, each once, in order."""
    last_end = -1
    for low, high in regions:
        for match in CANDIDATE_RE.finditer(text, low, high):
            if match.start() < last_end:
                continue
            last_end = match.end()
            shape = match.lastgroup or ""
            if shape.startswith("d") and shape not in ("digits",):
                shape = next(
                    name
                    for name in ("ssn", "card", "aba", "spaced", "digits", "alnum")
                    if match.group(name)
                )
            yield Candidate(match.start(), match.end(), shape, match.group())


def expand(
    regions: list[tuple[int, int]], reach: int, size: int
) -> list[tuple[int, int]]:
    """Return ``regions`` widened by ``reach`` on both sides and merged again."""
    return _merge([(low - reach, high + reach) for low, high in regions], size)
