"""The prefilter never hides a candidate the full expression would find."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from districtguard.pii.candidates import find_candidates, hot_regions

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
