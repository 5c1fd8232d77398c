"""Person names near other elements: "First Last", "F. Last", "Last, First".

Names are looked for only around a validated element (the same record, within the
context window), never across a whole document, as Microsoft Purview's "All full
names" does it: a given-name dictionary, a surname dictionary and a few ways names
are written. A dictionary first name with a dictionary surname scores high; an
initial or an unknown half scores lower; ALL-CAPS names need both halves in the
dictionaries. Capitalised words that are far more often something else near an
SSN ("Social", "Security", "Bank", "Main") never count as names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from districtguard.pii.names import STOPWORDS, first_names, surnames

_WORD = r"(?:[A-Z][a-z]+(?:[A-Z][a-z]+)?|[A-Z]'[A-Z][a-z]+)"
_CAPS = r"[A-Z]{2,}(?:['-][A-Z]{2,})?"
_PART = rf"(?:{_WORD}(?:-{_WORD})?|{_CAPS})"
_INITIAL = r"[A-Z]\.(?:\s?[A-Z]\.)?"

NAME_RE = re.compile(
    r"(?<![\w'.-])(?:"
    rf"(?P<lf_last>{_PART}),\s(?P<lf_first>{_PART}|{_INITIAL})(?:\s[A-Z]\.?)?"
    rf"|(?P<honorific>(?:Mr|Mrs|Ms|Mx|Dr)\.?)\s(?P<h_last>{_PART})"
    rf"|(?P<first>{_PART}|{_INITIAL})(?:\s(?P<middle>[A-Z]\.?|{_WORD}))?"
    rf"\s(?P<last>{_PART})"
    r")(?![\w'])"
)


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A name found in text, with what the dictionaries made of it."""

    start: int
    end: int
    first: str
    last: str
    confidence: float


def _score(first: str, last: str) -> float:
    """Return how likely ``first last`` is a person's name; 0 when it is not."""
    first_u, last_u = first.replace(".", "").strip().upper(), last.upper()
    if first_u in STOPWORDS or last_u in STOPWORDS:
        return 0.0
    known_first = first_u in first_names()
    known_last = last_u in surnames() or "-" in last_u
    initial = not first or (len(first_u.replace(" ", "")) <= 2 and first.endswith("."))
    caps = first.isupper() and last.isupper() and not initial
    if caps:
        return 0.85 if known_first and known_last else 0.0
    if initial:
        return 0.75 if known_last else 0.0
    if known_first and known_last:
        return 0.85
    if known_first and len(last) > 2:
        return 0.7
    if known_last and len(first) > 2:
        return 0.6
    return 0.0


def find_names(text: str, start: int, end: int) -> Iterator[NameMatch]:
    """Yield names in ``text[start:end]``; unlikely matches are skipped."""
    position = start
    while True:
        match = NAME_RE.search(text, position, end)
        if match is None:
            return
        if match.group("lf_last"):
            first, last = match.group("lf_first"), match.group("lf_last")
        elif match.group("honorific"):
            # An honorific stands in for a first initial: "Dr. Lopez".
            first, last = "", match.group("h_last")
        else:
            first, last = match.group("first"), match.group("last")
        confidence, end = _score(first, last), match.end()
        middle = match.group("middle")
        if not confidence and middle and len(middle) > 2:
            # "M. Lopez SSN": the optional middle word took the surname.
            confidence, last, end = _score(first, middle), middle, match.end("middle")
        if confidence:
            yield NameMatch(match.start(), end, first, last, confidence)
            position = end
        else:
            # Try again one word later: "Dear Maria Lopez" must still find the name.
            space = text.find(" ", match.start() + 1, match.end())
            position = space + 1 if space != -1 else match.end()


def split_name_cell(value: str) -> tuple[str, str] | None:
    """Return (first, last) from a name-column cell: "Last, First" or "First Last"."""
    value = value.strip()
    if not value or len(value) > 80 or any(ch.isdigit() for ch in value):
        return None
    if "," in value:
        last, _, first = value.partition(",")
        return first.strip().split(" ")[0], last.strip()
    parts = value.split()
    if len(parts) == 1:
        return ("", parts[0])
    return parts[0], parts[-1]


def mask_name(first: str, last: str) -> str:
    """Show initials only: ``M. L****``."""
    first_part = f"{first[0]}." if first else ""
    last_part = f"{last[0]}{'*' * (len(last) - 1)}" if last else ""
    return " ".join(part for part in (first_part, last_part) if part)


def normalise_name(first: str, last: str) -> str:
    """Return the form fingerprints are taken of: first initial and surname."""
    initial = first[:1].upper()
    return f"{initial} {last.upper()}".strip()
