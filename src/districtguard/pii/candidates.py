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
from typing import Any, Final, NamedTuple

from districtguard.pii.protection.tokens import PREFIX

try:  # Hyperscan wheels exist for the common platforms; elsewhere use ``re`` alone.
    import hyperscan
except ImportError:  # pragma: no cover - exercised on platforms without wheels
    hyperscan = None  # type: ignore[assignment]

# Not preceded by a word character or by characters that make a number part of
# something longer (a decimal, a date, an amount, a hyphenated code).
_BEFORE = r"(?<![\w.\-/+$@#])"
_AFTER = r"(?!\w|[-./]\d)"

# The candidate shapes as the rules state them, each branch named by its shape.
CANDIDATE_RULE: Final = (
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

# The same expression, written so that the search can skip to the characters a
# candidate starts with: a digit (``\d``: any script's) or a capital. ``re``
# skips ahead only for a pattern that begins by taking a character from a set,
# so this one takes the first character, then looks behind it for what comes
# before (two characters back), then says which kind it was (``(?<=\d)``),
# and each branch goes on from the second character. An empty group at the end
# of each branch names its shape: it is the last group matched, so
# ``lastgroup`` gives the shape. The matches and shapes are those of
# ``CANDIDATE_RULE`` (a property test holds them to it); the search takes a
# quarter less time on dense text.
CANDIDATE_RE: Final = re.compile(
    r"[\dA-Z](?<![\w.\-/+$@#].)(?:"
    r"(?<=\d)(?:"
    r"\d{2}(?P<d1>[-. ])\d{2}(?P=d1)\d{4}(?P<ssn>)"
    r"|(?:\d{3}(?P<d2>[ -])\d{4}(?P=d2)\d{4}(?P=d2)\d{1,4}(?:(?P=d2)\d{1,3})?"
    r"|\d{3}(?P<d3>[ -])\d{6}(?P=d3)\d{4,5})(?P<card>)"
    r"|\d{3}-\d{4}-\d(?P<aba>)"
    r"|\d{2} \d{3} \d{3}(?P<spaced>)"
    r"|\d{5,18}(?P<digits>)"
    r")"
    r"|(?<=[A-Z])[A-Z]{0,2}\d{4,14}(?P<alnum>)"
    r")" + _AFTER
)

# What opens a region, in two Hyperscan databases. The first holds the shapes:
# one pattern of digit shapes whose matches end inside every numeric candidate
# above (five digits in a row, three and two across a dash or dot, and each
# space-separated shape), a capital letter and four digits, and the two markers
# of values already protected. Each shape is specific enough that prose with
# years and counts ("in 2027 147 students") opens no region. The digit shapes are
# one alternation rather than a pattern each: Hyperscan compiles the separate
# patterns into an automaton less than half as fast on prose.
_DIGIT_SHAPES = (
    rb"[0-9]{3}(?:[0-9]{2}|[-.][0-9]{2}|[0-9] [0-9]{4}"
    rb"| [0-9]{2} [0-9]{4}| [0-9]{3} [0-9]{3})"
)
_LETTER_SHAPE = rb"[A-Z][0-9]{4}"
# Two markers of values already protected ride along in the same pass, each
# reported once: an encryption token's prefix, then the stars of a redaction.
# Asking ``PREFIX in text`` of a clean unit instead costs almost half as much
# again as the whole prefilter.
_MARKERS: tuple[bytes, ...] = (re.escape(PREFIX + ".").encode(), rb"\*\*\*")
_TOKEN_ID: Final = 2  # the markers' ids, after the two shapes
# The second database holds the licence keywords, as plain literals: some state
# formats (all letters, or letters between digits) have no shape above, so a
# keyword opens a region of its own. Literals are found by Hyperscan's literal
# matcher, several times faster than the same words as a pattern with word
# boundaries, and slower again when mixed into the shapes' database. Each
# literal is a piece of the keywords it stands for ("icen" for licence and
# license, "ID" for ID and IDENTIFICATION); short labels count in capitals only
# ("ID", "DL"), as "id" in prose is rarely one. A literal inside a longer word
# ("IDAHO") opens a region needlessly, never hides one: the keyword rules
# decide later what is a keyword.
_ANCHOR_LITERALS: tuple[bytes, ...] = (
    b"Driver", b"driver", b"DRIVER", b"icen", b"LIC", b"DL", b"ID", b"dentification"
)  # fmt: skip
# The most a keyword reaches past its literal's end ("IDENTIFICATION" past "ID").
_ANCHOR_SLACK: Final = len("IDENTIFICATION") - len("ID")
REACH: Final = 48  # longest candidate (23) plus margin, on either side of a hit
ANCHOR_REACH: Final = 96  # how far after a licence keyword a number is looked for


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


def _compile(expressions: list[bytes], flags: list[int]) -> Any:
    database = hyperscan.Database()
    database.compile(
        expressions=expressions,
        ids=list(range(len(expressions))),
        elements=len(expressions),
        flags=flags,
    )
    return database


def _compile_databases() -> tuple[Any, Any]:
    if hyperscan is None:
        return None, None
    single = hyperscan.HS_FLAG_SINGLEMATCH
    shapes = _compile(
        [_DIGIT_SHAPES, _LETTER_SHAPE, *_MARKERS], [0, 0] + [single] * len(_MARKERS)
    )
    anchors = _compile(list(_ANCHOR_LITERALS), [0] * len(_ANCHOR_LITERALS))
    return shapes, anchors


_SHAPES, _ANCHORS = _compile_databases()


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
    """Return the hot regions of ``text`` and its protection markers."""
    if _SHAPES is None or len(text) < 256:
        regions = [(0, len(text))] if text else []
        return Prefilter(regions, PREFIX in text, "*" in text)
    data = text.encode("latin-1", errors="replace")  # one byte per character
    # Matches come in order of their end, so most spans fall inside the last one
    # and only widen it; the rest (after a gap) are kept apart and merged at the
    # end with the keywords' spans.
    spans: list[tuple[int, int]] = []
    last = [-1, -1]  # the span being widened: low, high
    markers = [False, False]  # a token prefix, redaction stars

    def on_shape(pattern: int, _start: int, end: int, _flags: int, _ctx: Any) -> None:
        if pattern >= _TOKEN_ID:
            markers[pattern - _TOKEN_ID] = True
            return
        low, high = end - REACH, end + REACH
        if last[0] <= low <= last[1]:
            if high > last[1]:
                last[1] = high
        else:
            if last[1] >= 0:
                spans.append((last[0], last[1]))
            last[0], last[1] = low, high

    def on_anchor(_pattern: int, _start: int, end: int, _flags: int, _ctx: Any) -> None:
        spans.append((end, end + _ANCHOR_SLACK + ANCHOR_REACH))

    _SHAPES.scan(data, match_event_handler=on_shape)
    if last[1] >= 0:
        spans.append((last[0], last[1]))
    _ANCHORS.scan(data, match_event_handler=on_anchor)
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
            # tuple.__new__: a named tuple's own __new__ is Python code, even compiled.
            span = (match.start(), match.end(), shape, match.group())
            yield tuple.__new__(Candidate, span)


def expand(
    regions: list[tuple[int, int]], reach: int, size: int
) -> list[tuple[int, int]]:
    """Return ``regions`` widened by ``reach`` on both sides and merged again."""
    return _merge([(low - reach, high + reach) for low, high in regions], size)
