"""The prefilter never hides a candidate the full expression would find."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from districtguard.pii import DetectOptions, Element, candidates
from districtguard.pii.candidates import ANCHOR_REACH, find_candidates, hot_regions
from districtguard.pii.documents.base import TextUnit
from districtguard.pii.engine import detect

_PIECES = st.sampled_from(
    [
        "SSN ",
        "234-56-7891",
        "234 56 7891",
        "234567891",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "378282246310005",
        "0110-0001-5",
        "D482917503",
        "DL ",
        "license ",
        "ID ",
        "phone 405-555-0143",
        "2025-03-14",
        " ",
        "\n",
        "\n\n",
        "x",
        "Maria Lopez",
        "1234",
        "12345",
        "$",
        "-",
        ".",
        "/",
        "é",
        "名",
    ]
)


@settings(max_examples=300)
@given(st.lists(_PIECES, max_size=120), st.integers(min_value=0, max_value=400))
def test_prefilter_keeps_every_candidate(pieces: list[str], padding: int) -> None:
    text = "lorem ipsum " * padding + "".join(pieces)
    whole = list(find_candidates(text, [(0, len(text))]))
    assert list(find_candidates(text, hot_regions(text))) == whole


def test_clean_prose_has_no_hot_region() -> None:
    prose = "The board approved the technology plan for 2025 and 2026.\n" * 1000
    assert hot_regions(prose) == []


# Every spelling the licence keywords take where a keyword opens a region: words
# in any of three cases, short labels in capitals.
_ANCHOR_SPELLINGS = [
    spelling
    for word in ("driver", "drivers", "licence", "license", "identification")
    for spelling in (word, word.capitalize(), word.upper())
] + ["LIC", "DL", "CDL", "DLN", "ID"]


def test_a_licence_keyword_opens_a_region_reaching_past_it() -> None:
    padding = "The board approved the plan. " * 12
    for spelling in _ANCHOR_SPELLINGS:
        text = f"{padding}{spelling} " + "x" * (ANCHOR_REACH + 40)
        keyword_end = len(padding) + len(spelling)
        assert any(
            low <= keyword_end and keyword_end + ANCHOR_REACH <= high
            for low, high in hot_regions(text)
        ), spelling


def test_a_keyword_finds_a_licence_with_no_digit_shape() -> None:
    # Eight letters (New York) have none of the digit or letter-digit shapes:
    # only the keyword before them opens the region they are found in.
    options = DetectOptions(fingerprint_key=b"k" * 32)
    padding = "The board approved the plan. " * 12
    for keyword in ("DRIVER LICENSE", "Driver's license", "identification card", "DL"):
        text = f"{padding}New York {keyword}: KQWMZRTB\n{padding}"
        assert candidates.prefilter(text).regions != [(0, len(text))]
        found = detect(TextUnit(text), "t.txt", options)
        assert [f.element for f in found] == [Element.DRIVER_LICENSE], keyword
