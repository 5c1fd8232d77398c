"""Person names near other elements: "First Last", "F. Last", "Last, First".

Names are looked for only around a validated element (the same record, within the
context window), never across a whole document, as Microsoft Purview's "All full
names" does it: a given-name dictionary, a surname dictionary and a few ways names
are written. A dictionary first name with a dictionary surname scores high; an
initial or a half missing from the dictionaries scores lower, and such a half must
not be a common English word. Accents are ignored for lookups ("López" is
"Lopez"), surname particles join the surname ("De La Cruz"). Capitalised words that
are far more often something else near an SSN ("Social", "Security", "Bank",
"Main") never count as names.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from typing import Final, NamedTuple

from districtguard.pii.names import (
    STOPWORDS,
    english_words,
    first_names,
    fold,
    surnames,
)

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
# The tokens a name is made of, as the rules state them, each branch named by
# its kind.
TOKEN_RULE: Final = (
    rf"(?<![\w'.-])(?:"
    rf"(?P<honorific>(?:Mr|Mrs|Ms|Mx|Dr)\.?)"
    rf"|(?P<initial>[{_UP}]\.(?:\s?[{_UP}]\.)?)"
    rf"|(?P<word>(?:[{_UP}][{_LOW}]+(?:[{_UP}][{_LOW}]+)?|[{_UP}]'[{_UP}][{_LOW}]+)"
    rf"(?:-[{_UP}][{_LOW}]+)?)"
    rf"|(?P<caps>[{_UP}](?:'[{_UP}])?[{_UP}]+(?:-[{_UP}]{{2,}})?)"
    r")(?![\w'])"
)
# The same expression, written so that the search skips to capitals (as the
# candidate expression skips to digits, ``candidates.CANDIDATE_RE``): it takes
# the capital every token starts with, looks behind it, and each branch goes on
# from the second character (an honorific's after its M or D) and ends with an
# empty group naming its kind, the last group matched. Half the time of
# ``TOKEN_RULE`` on dense text, with the same tokens (a property test).
_TOKEN_RE: Final = re.compile(
    rf"[{_UP}](?<![\w'.-].)(?:"
    rf"(?:(?<=M)(?:r|rs|s|x)|(?<=D)r)\.?(?P<honorific>)"
    rf"|\.(?:\s?[{_UP}]\.)?(?P<initial>)"
    rf"|(?:[{_LOW}]+(?:[{_UP}][{_LOW}]+)?|'[{_UP}][{_LOW}]+)(?:-[{_UP}][{_LOW}]+)?"
    rf"(?P<word>)"
    rf"|(?:'[{_UP}])?[{_UP}]+(?:-[{_UP}]{{2,}})?(?P<caps>)"
    r")(?![\w'])"
)
# Words that begin a surname: "De La Cruz", "Van Buren", "DE LEON".
_PARTICLES: Final = frozenset("DE DEL DELLA LA LE VAN VON DA DI DU DOS DES ST".split())
_STREET_AFTER: Final = re.compile(
    r"\s+(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Ct|Court|"
    r"Way|Pl|Place|Pkwy|Parkway|Hwy|Highway|Cir|Circle|Trl|Trail|Ter|Terrace)\b",
    re.IGNORECASE,
)
# A city before its state and ZIP code: "Broken Arrow, OK 74012".
_CITY_AFTER: Final = re.compile(r",?\s+[A-Z]{2}\.?\s+\d{5}\b")
# A school or building named after a person or a place: "Prairie View Middle
# School", "Will Rogers Elementary", "Carver Early Childhood Center" (one more
# word may come between). The place word must end the run of capitalised words:
# "Maria Lopez School Nurse" and "Maria Lopez Senior Accountant" are people.
_INSTITUTION_AFTER: Final = re.compile(
    r"(?:\s+[A-Z][a-z]+)?\s+(?:Elementary|Middle|High|Junior|Senior|Intermediate|"
    r"Primary|Academy|School|Schools|Campus|Center|Centre|Library|Stadium|"
    r"Gymnasium|Annex|Auditorium|Fieldhouse|College|University|Institute)\b"
    r"(?!\s+[A-Z][a-z])"
)
_JOINERS: Final = (" ", ", ")
# Where two tokens of a name meet: the end of one (a letter, or the full stop
# of an initial or an honorific), a joiner, the capital the next begins with.
# Every name has such a place, so text without one holds none.
_TOKENS_MEET: Final = re.compile(rf"[\w.](?: |, )[{_UP}]")


class NameMatch(NamedTuple):
    """A name found in text, with what the dictionaries made of it."""

    start: int
    end: int
    first: str
    last: str
    confidence: float


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    kind: str
    joiner: str  # what separates this token from the next one ("" if nothing)


# Folding and scoring are pure functions of short strings that repeat a lot (the
# same people and words recur within and across files): cached, they cost a
# dictionary lookup. The caches are bounded, so a share of unique words cannot
# grow them without end.
_fold = functools.lru_cache(maxsize=1 << 16)(fold)
_NAMES: Final = ("word", "caps")
_FIRSTS: Final = ("word", "caps", "initial")
# The words of a surname: "De La Cruz", "Smith-Jones".
_SURNAME_PARTS: Final = re.compile(r"[\s-]+")


def _known_surname(last: str) -> bool:
    parts = [_fold(part) for part in _SURNAME_PARTS.split(last) if part]
    parts = [part for part in parts if part not in _PARTICLES]
    return bool(parts) and any(part in surnames() for part in parts)


def _plain(word: str) -> bool:
    """Return whether ``word`` could be a rare name: not a common word or label."""
    folded = _fold(word)
    return (
        len(folded) >= 3 and folded not in english_words() and folded not in STOPWORDS
    )


@functools.lru_cache(maxsize=1 << 16)
def _score(first: str, last: str) -> float:
    """Return how likely ``first last`` is a person's name; 0 when it is not."""
    first_f = _fold(first.replace(".", ""))
    if first_f in STOPWORDS or any(
        _fold(part) in STOPWORDS
        for part in last.split()
        if _fold(part) not in _PARTICLES
    ):
        return 0.0
    known_first = first_f in first_names()
    known_last = _known_surname(last)
    initial = not first or (len(first_f) <= 2 and first.endswith("."))
    if initial:
        return 0.75 if known_last else 0.6 if _plain(last) else 0.0
    if known_first and known_last:
        return 0.85
    if known_first and _plain(last.split()[-1]):
        return 0.7  # a known first name before a rare surname
    if known_last and _plain(first):
        return 0.65  # a rare first name before a known surname
    return 0.0


def _tokens(text: str, start: int, end: int) -> list[_Token]:
    found: list[_Token] = []
    append = found.append
    previous: _Token | None = None
    for match in _TOKEN_RE.finditer(text, start, end):
        kind = match.lastgroup or "word"
        first, after = match.span()
        # Slices and comparisons rather than method calls: the compiled build
        # does these in C (a token every fifteen characters of dense text).
        follow = text[after : after + 2]
        if follow[:1] == " ":
            joiner = " "
        elif follow == ", ":
            joiner = ", "
        else:
            joiner = ""
        if (
            previous is not None
            and kind in _NAMES
            and previous.kind in _NAMES
            and previous.joiner == " "
            and previous.end + 1 == first
            and _fold(previous.text.split()[-1]) in _PARTICLES
        ):
            text_ = f"{previous.text} {text[first:after]}"
            joined = (previous.start, after, text_, kind, joiner)
            previous = found[-1] = tuple.__new__(_Token, joined)
            continue
        # tuple.__new__: a named tuple's own __new__ is Python code, even compiled.
        token = (first, after, text[first:after], kind, joiner)
        previous = tuple.__new__(_Token, token)
        append(previous)
    return found


def _links(tokens: list[_Token]) -> list[bool]:
    """Return, per token, whether its joiner alone separates it from the next."""
    links = [
        bool(token.joiner) and token.end + len(token.joiner) == following.start
        for token, following in itertools.pairwise(tokens)
    ]
    links.append(False)
    return links


def _parses(
    tokens: list[_Token], links: list[bool], i: int
) -> list[tuple[float, int, str, str]]:
    """Return (score, index of last token, first, last) for names starting at ``i``.

    The caller has checked that token ``i`` is joined to the next one.
    """
    out: list[tuple[float, int, str, str]] = []
    head = tokens[i]
    nxt = tokens[i + 1]
    if head.joiner == ", " and head.kind in _NAMES and nxt.kind in _FIRSTS:
        # "Last, First" and "Last, First M."
        end = i + 1
        if (
            nxt.joiner == " "
            and i + 2 < len(tokens)
            and tokens[i + 2].kind == "initial"
            and links[i + 1]
        ):
            end = i + 2
        out.append((_score(nxt.text, head.text), end, nxt.text, head.text))
    elif head.joiner == " " and nxt.kind in _NAMES:
        first = "" if head.kind == "honorific" else head.text
        out.append((_score(first, nxt.text), i + 1, first, nxt.text))
    if (
        head.joiner == " "
        and nxt.joiner == " "
        and head.kind in _FIRSTS
        and i + 2 < len(tokens)
        and links[i + 1]
        and tokens[i + 2].kind in _NAMES
        and (nxt.kind == "initial" or _fold(nxt.text) in first_names())
    ):
        # "First M. Last" and "First Middle Last"
        last = tokens[i + 2].text
        out.append((_score(head.text, last), i + 2, head.text, last))
    return [parse for parse in out if parse[0] > 0]


def may_hold_name(text: str, start: int, end: int) -> bool:
    """Return whether ``text[start:end]`` may hold a name :func:`find_names`
    finds: whether two tokens meet there as a name's do. ``False`` is certain;
    ``True`` only means looking is needed."""
    return _TOKENS_MEET.search(text, start, end) is not None


def find_names(text: str, start: int, end: int) -> Iterator[NameMatch]:
    """Yield names in ``text[start:end]``; unlikely matches are skipped.

    At each token the best-scoring reading wins ("First M. Last" over "First M."),
    and the next search starts after it. A name followed by a street word ("Will
    Rogers Pkwy") is a street, one followed by a state and ZIP code a city, and
    one followed by a school or building word ("Will Rogers Elementary") a school.
    """
    tokens = _tokens(text, start, end)
    links = _links(tokens)
    i = 0
    count = len(tokens)
    while i < count:
        parses = _parses(tokens, links, i) if links[i] else None
        if not parses:
            i += 1
            continue
        score, last_index, first, last = max(parses, key=lambda p: (p[0], p[1]))
        name_end = tokens[last_index].end
        if _STREET_AFTER.match(text, name_end, end) or _CITY_AFTER.match(
            text, name_end, end
        ):
            i = last_index + 1
            continue
        institution = _INSTITUTION_AFTER.match(text, name_end, end)
        if institution:
            # Skip the whole place name, so "Childhood Center" is not read next.
            i = last_index + 1
            while i < count and tokens[i].start < institution.end():
                i += 1
            continue
        yield tuple.__new__(NameMatch, (tokens[i].start, name_end, first, last, score))
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
    if not last:
        return f"{first[0]}." if first else ""
    stars = f"{last[0]}{'*' * (len(last) - 1)}"
    return f"{first[0]}. {stars}" if first else stars


def normalise_name(first: str, last: str) -> str:
    """Return the form fingerprints are taken of: first initial and surname."""
    initial = first[:1].upper()
    return f"{initial} {last.upper()}".strip()
