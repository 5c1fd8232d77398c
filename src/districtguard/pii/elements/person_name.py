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

_TOKEN_RE = re.compile(
    r"(?<![\w'.-])(?:"
    r"(?P<honorific>(?:Mr|Mrs|Ms|Mx|Dr)\.?)"
    r"|(?P<initial>[A-Z]\.(?:\s?[A-Z]\.)?)"
    r"|(?P<word>(?:[A-Z][a-z]+(?:[A-Z][a-z]+)?|[A-Z]'[A-Z][a-z]+)(?:-[A-Z][a-z]+)?)"
    r"|(?P<caps>[A-Z]{2,}(?:['-][A-Z]{2,})?)"
    r")(?![\w'])"
)
_JOINERS = (" ", ", ")


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A name found in text, with what the dictionaries made of it."""

    start: int
    end: int
    first: str
    last: str
    confidence: float


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str
    kind: str
    joiner: str  # what separates this token from the next one ("" if nothing)


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
    if known_first and len(last) > 2 and not last.isupper():
        return 0.7  # a known first name before a rare surname
    return 0.0


def _tokens(text: str, start: int, end: int) -> list[_Token]:
    found: list[_Token] = []
    for match in _TOKEN_RE.finditer(text, start, end):
        kind = match.lastgroup or "word"
        after = match.end()
        joiner = next((j for j in _JOINERS if text.startswith(j, after)), "")
        found.append(_Token(match.start(), after, match.group(), kind, joiner))
    return found


def _parses(tokens: list[_Token], i: int) -> list[tuple[float, int, str, str]]:
    """Return (score, index of last token, first, last) for names starting at ``i``."""

    def joined(a: int, b: int) -> bool:
        return all(
            tokens[k].end + len(tokens[k].joiner) == tokens[k + 1].start
            and tokens[k].joiner
            for k in range(a, b)
        )

    out: list[tuple[float, int, str, str]] = []
    head = tokens[i]
    if i + 1 < len(tokens) and joined(i, i + 1):
        nxt = tokens[i + 1]
        if head.joiner == ", " and head.kind in ("word", "caps"):
            span = (
                i + 2
                if i + 2 < len(tokens)
                and tokens[i + 2].kind == "initial"
                and joined(i + 1, i + 2)
                and nxt.joiner == " "
                else i + 1
            )
            out.append((_score(nxt.text, head.text), span, nxt.text, head.text))
        elif head.joiner == " " and nxt.kind in ("word", "caps"):
            first = "" if head.kind == "honorific" else head.text
            out.append((_score(first, nxt.text), i + 1, first, nxt.text))
        if (
            head.joiner == " "
            and nxt.joiner == " "
            and head.kind in ("word", "caps")
            and i + 2 < len(tokens)
            and joined(i, i + 2)
            and tokens[i + 2].kind in ("word", "caps")
            and (nxt.kind == "initial" or nxt.text.upper() in first_names())
        ):
            last = tokens[i + 2].text
            out.append((_score(head.text, last), i + 2, head.text, last))
    return [parse for parse in out if parse[0] > 0]


def find_names(text: str, start: int, end: int) -> Iterator[NameMatch]:
    """Yield names in ``text[start:end]``; unlikely matches are skipped.

    At each token the best-scoring reading wins ("First M. Last" over "First M."),
    and the next search starts after it.
    """
    tokens = _tokens(text, start, end)
    i = 0
    while i < len(tokens):
        parses = _parses(tokens, i)
        if not parses:
            i += 1
            continue
        score, last_index, first, last = max(parses, key=lambda p: (p[0], p[1]))
        yield NameMatch(tokens[i].start, tokens[last_index].end, first, last, score)
        i = last_index + 1


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
