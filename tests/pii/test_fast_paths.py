"""Each shortcut on the detector's hot path gives what the plain rule gives."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from districtguard.pii import candidates
from districtguard.pii.keywords import KeywordIndex, find_keywords
from districtguard.pii.masking import mask_tail
from districtguard.pii.protection.edits import _in_token, _redacted_tail

_PIECES = st.sampled_from(
    [
        "234-56-7891",
        "4111 1111 1111 1111",
        "12345",
        "123456789012345678901234567890",
        "D4829",
        "license ",
        "DL ",
        "ssn ",
        "phone ",
        "Maria De La Cruz",
        "LOPEZ, MARIA",
        "Mr. Smith",
        "J. Lee",
        "ok ",
        "OK ",
        " ",
        "\n",
        "x",
        "*",
        "-",
        ".",
        "é",
        "名",
    ]
)
_TEXT = st.lists(_PIECES, max_size=60).map("".join)


def _all_spans(text: str) -> list[tuple[int, int]]:
    """Return every prefilter span, unmerged, as the prefilter defines them."""
    data = text.encode("latin-1", errors="replace")
    spans: list[tuple[int, int]] = []

    def on_match(pattern: int, _start: int, end: int, _flags: int, _ctx: Any) -> None:
        if pattern == candidates._ANCHOR_ID:
            spans.append((end, end + candidates.ANCHOR_REACH))
        else:
            spans.append((end - candidates.REACH, end + candidates.REACH))

    candidates._DATABASE.scan(data, match_event_handler=on_match)
    return spans


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=8).map("   ".join))
def test_regions_merged_while_scanning_equal_regions_merged_after(text: str) -> None:
    text = text.ljust(256)  # shorter texts are one region without the prefilter
    expected = candidates._merge(_all_spans(text), len(text))
    assert candidates.hot_regions(text) == expected


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.integers(0, 400), st.integers(0, 400))
def test_keyword_hits_between_bounds_are_those_inside_them(
    text: str, low: int, high: int
) -> None:
    hits = find_keywords(text)
    inside = [hit for hit in hits if low <= hit.start < high and hit.end <= high]
    assert KeywordIndex(hits).between(low, high) == inside


@given(st.text(alphabet="0123456789AbZé- .*名", max_size=30), st.integers(0, 6))
def test_masking_without_separators_equals_the_general_rule(
    raw: str, visible: int
) -> None:
    remaining = sum(ch.isalnum() for ch in raw)
    expected = []
    for ch in raw:
        if ch.isalnum():
            expected.append(ch if remaining <= visible else "*")
            remaining -= 1
        else:
            expected.append(ch)
    assert mask_tail(raw, visible) == "".join(expected)


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(1, 6)), max_size=8),
    st.integers(0, 80),
    st.integers(1, 10),
)
def test_token_overlap_by_bisection_equals_checking_every_token(
    gaps: list[tuple[int, int]], start: int, width: int
) -> None:
    spans, at = [], 0
    for gap, length in gaps:  # sorted, disjoint spans, as tokens are
        spans.append((at + gap, at + gap + length))
        at += gap + length
    end = start + width
    expected = any(low < end and start < high for low, high in spans)
    assert _in_token(spans, [low for low, _ in spans], start, end) is expected


def test_redaction_tail_needs_stars_before_at_most_four_characters() -> None:
    text = "SSN ***-**-6789, card ************1111, ref 6789, *12345"
    assert _redacted_tail(text, text.index("6789"), text.index("6789") + 4)
    assert _redacted_tail(text, text.index("1111"), text.index("1111") + 4)
    last = text.rindex("6789")
    assert not _redacted_tail(text, last, last + 4)  # no star before it
    assert not _redacted_tail(text, text.index("12345"), len(text))  # five digits
