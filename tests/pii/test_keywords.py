from __future__ import annotations

import pytest

from districtguard.pii.elements.driver_license import STATES
from districtguard.pii.keywords import STATE, KeywordIndex, find_keywords


def _groups(text: str) -> list[tuple[str, str]]:
    return [(text[h.start : h.end], h.group) for h in find_keywords(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SSN: 1", [("SSN", "ssn")]),
        ("Social Security Number", [("Social Security Number", "ssn")]),
        ("Student ID 1", [("Student ID", "negative")]),
        ("State ID 1", [("State ID", "dl")]),
        ("Driver's License #", [("Driver's License", "dl")]),
        ("public policy duplicate", []),  # "lic" and "id" only as whole words
        ("OK Oklahoma ok", [("OK", "state"), ("Oklahoma", "state")]),
        ("in IN or OR", [("IN", "state"), ("OR", "state")]),
        ("CVV2 and exp date", [("CVV2", "cvv"), ("exp date", "expiry")]),
        (
            "routing number / checking account",
            [("routing number", "routing"), ("checking account", "bank")],
        ),
    ],
)
def test_matches_whole_words_longest_first(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert _groups(text) == expected


def test_state_hits_carry_the_state_code() -> None:
    hits = find_keywords("Texas DL and NY license")
    assert [(h.group, h.value) for h in hits if h.group == "state"] == [
        ("state", "TX"),
        ("state", "NY"),
    ]


def test_offsets_survive_letters_that_grow_when_lowered() -> None:
    text = "İİİ SSN 1"
    (hit,) = find_keywords(text)
    assert text[hit.start : hit.end] == "SSN"


def test_index_returns_hits_inside_a_span() -> None:
    text = "SSN one, card two, routing three"
    index = KeywordIndex(find_keywords(text))
    assert [h.group for h in index.between(5, len(text))] == ["card", "routing"]


@pytest.mark.parametrize("code", sorted(set(STATES) - {"ID"}))
def test_every_state_code_in_capitals_is_a_state_hit(code: str) -> None:
    """Each code on its own, in capitals, is its state ("ID" is the
    identification keyword first)."""
    hits = find_keywords(f"moved to {code} in June")
    assert [(hit.start, hit.end, hit.group, hit.value) for hit in hits] == [
        (9, 11, STATE, code)
    ]
