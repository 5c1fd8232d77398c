"""Table columns: classify them by header and by a sample of their values.

A column's hints act as a label at distance zero for every cell in it, so a
column headed ``ssn`` makes its bare nine-digit values SSNs and a column headed
``student_id`` makes them nothing. Headers that say nothing are judged by their
values: a column whose sampled values are mostly formatted SSNs, valid card
numbers or dictionary names gets that hint. Name columns feed the linking step.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from districtguard.pii import keywords as kw
from districtguard.pii.documents.base import Column
from districtguard.pii.elements.payment_card import classify_card
from districtguard.pii.elements.person_name import split_name_cell
from districtguard.pii.elements.ssn import SsnVerdict, classify_ssn
from districtguard.pii.names import first_names, surnames

FIRST_NAME = "first_name"
LAST_NAME = "last_name"
FULL_NAME = "full_name"
NAME_HINTS = frozenset({FIRST_NAME, LAST_NAME, FULL_NAME})

_FIRST = {
    "first",
    "fname",
    "given",
    "firstname",
    "forename",
    "first name",
    "given name",
}
_LAST = {"last", "lname", "surname", "lastname", "family name", "last name"}
# Headers with "name" that name something other than a person.
_NOT_PERSON = set(
    "user file host school vendor bank district street building site company course "
    "class device computer domain product item org organization department team "
    "group display app application server database table column field sheet city "
    "county state country program plan brand business".split()
)
_FORMATTED_SSN = re.compile(r"\d{3}([-. ])\d{2}\1\d{4}\Z")
SAMPLE_SHARE = 0.8
NAME_SHARE = 0.6


def _words(header: str) -> str:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", header)
    return " ".join(re.split(r"[\s_\-./#:]+", spaced.strip().lower())).strip()


def header_hints(header: str) -> frozenset[str]:
    """Return the hints a header gives by itself."""
    words = _words(header)
    if not words:
        return frozenset()
    hints = {hit.group for hit in kw.find_keywords(words) if hit.group != kw.STATE}
    tokens = set(words.split())
    if words in _FIRST or (tokens & {"first", "fname", "firstname", "given"}):
        hints.add(FIRST_NAME)
    elif words in _LAST or (tokens & {"last", "lname", "surname", "lastname"}):
        if "4" not in tokens and "four" not in tokens:
            hints.add(LAST_NAME)
    elif ("name" in tokens or "cardholder" in tokens) and not tokens & _NOT_PERSON:
        hints.add(FULL_NAME)
    if hints & NAME_HINTS:
        hints.discard(kw.NEGATIVE)
    return frozenset(hints)


def _share(values: Sequence[str], test: Callable[[str], bool]) -> float:
    present = [v.strip() for v in values if v.strip()]
    if not present:
        return 0.0
    return sum(1 for v in present if test(v)) / len(present)


def _looks_like_person(value: str) -> bool:
    parts = split_name_cell(value)
    if parts is None or not parts[0]:
        return False
    first, last = parts
    return first.upper() in first_names() and last.upper() in surnames()


def value_hints(values: Sequence[str]) -> frozenset[str]:
    """Return the hints a sample of a column's values gives."""

    def is_ssn(value: str) -> bool:
        return (
            bool(_FORMATTED_SSN.match(value))
            and classify_ssn(re.sub(r"\D", "", value)) is SsnVerdict.SSN
        )

    def is_card(value: str) -> bool:
        digits = re.sub(r"[ -]", "", value)
        return digits.isdigit() and classify_card(digits) is not None

    if _share(values, is_ssn) >= SAMPLE_SHARE:
        return frozenset({kw.SSN})
    if _share(values, is_card) >= SAMPLE_SHARE:
        return frozenset({kw.CARD})
    if _share(values, _looks_like_person) >= NAME_SHARE:
        return frozenset({FULL_NAME})
    return frozenset()


def classify_columns(
    headers: Sequence[str], sample_rows: Sequence[Sequence[str]]
) -> list[Column]:
    """Return one :class:`Column` per header, with hints from header and values."""
    columns: list[Column] = []
    for index, header in enumerate(headers):
        hints = header_hints(header)
        if not hints:
            values = [row[index] for row in sample_rows if index < len(row)]
            hints = value_hints(values)
        columns.append(Column(header, hints))
    return columns
