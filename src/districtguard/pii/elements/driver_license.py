"""Know the shapes of US driver license and state ID numbers (``DRIVER_LICENSE``).

Pure functions the engine calls per candidate: which states a token's shape
fits (formats in ``dl_formats``, from ``reference/pii-rules.md`` § 7), which
state a word names, known-bogus values, masking to the last four characters,
and whether a name-coded number (FL, IL, WI, WA before 2018) agrees with a
surname. There is no checksum to validate: a hit needs a state mention and a
licence keyword, which the engine checks. Letters count in upper case only.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

from districtguard.pii.elements.dl_formats import (
    SHAPE_INDEX,
    STATE_SPELLINGS,
    STATES,
    WA_LEGACY_LENGTH,
    WA_LEGACY_RE,
)

__all__ = [
    "LICENSE_TOKEN_PATTERN",
    "LICENSE_TOKEN_RE",
    "STATES",
    "STATE_SPELLINGS",
    "is_bogus_license",
    "is_digits_only_format",
    "mask_license",
    "name_encoding_matches",
    "normalise_license",
    "parse_state",
    "soundex",
    "states_matching",
]

_SEPARATORS = str.maketrans("", "", " -.")
_SHAPE = str.maketrans("0123456789" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "N" * 10 + "A" * 26)
_NONE: frozenset[str] = frozenset()
_WA = frozenset({"WA"})


def normalise_license(token: str) -> str:
    """Remove the spaces, dashes and dots printed between groups; change no case."""
    return token.translate(_SEPARATORS)


def parse_state(word: str) -> str | None:
    """Return the postal code of the state ``word`` names, or None.

    Postal codes count only in upper case ("OK", not "Ok"), since "ok", "in",
    "or", "me" and "hi" are words; names and the other abbreviations in any case.
    """
    text = " ".join(word.split())
    if text in STATES:
        return text
    key = text.lower()
    code = STATE_SPELLINGS.get(key)
    if code is None and key.endswith("."):
        code = STATE_SPELLINGS.get(key[:-1])
    if code is None and "." in key:  # "N.Y" for "N.Y."
        code = STATE_SPELLINGS.get(key + ".")
    return code


def states_matching(token: str) -> frozenset[str]:
    """Return the codes of every state whose format the token fits exactly.

    The token is normalised first. Shapes are looked up in a table built at
    import; only formats with literal letters ("X8N", "SA7N") look further.
    """
    token = token.translate(_SEPARATORS)
    legacy_wa = (
        len(token) == WA_LEGACY_LENGTH and WA_LEGACY_RE.fullmatch(token) is not None
    )
    entry = SHAPE_INDEX.get(token.translate(_SHAPE))
    if entry is None:
        return _WA if legacy_wa else _NONE
    plain, checked = entry
    if not checked and not legacy_wa:
        return plain
    more = {state for state, pattern in checked if pattern.fullmatch(token)}
    if legacy_wa:
        more.add("WA")
    return plain | more


def is_digits_only_format(state: str, token: str) -> bool:
    """Say whether the token fits the state only through a digits-only format."""
    token = normalise_license(token)
    return token.isascii() and token.isdigit() and state in states_matching(token)


def is_bogus_license(token: str) -> bool:
    """Say whether the token is a placeholder rather than a number ever issued.

    Rejected: nothing at all, one character repeated ("AAAAAAAA"), digits that
    are all zero ("A0000000"), and four or more digits all equal or counting
    up or down by one, wrapping 9 to 0 ("1111111", "A123456789", "9876543210").
    Letters are ignored when judging the digits.
    """
    chars = [c for c in normalise_license(token) if c.isalnum()]
    digits = [int(c) for c in chars if "0" <= c <= "9"]
    if not chars or (len(chars) >= 4 and len(set(chars)) == 1):
        return True
    if digits and not any(digits):
        return True
    if len(digits) < 4:
        return False
    steps = {(after - before) % 10 for before, after in pairwise(digits)}
    return steps in ({0}, {1}, {9})


def mask_license(raw: str) -> str:
    """Replace every letter and digit but the last four with '*', keeping the rest.

    A number of four or fewer characters is masked whole: showing "the last
    four" of it would show all of it.
    """
    total = sum(1 for c in raw if c.isalnum())
    hidden = total - 4 if total > 4 else total
    masked: list[str] = []
    for c in raw:
        if c.isalnum():
            masked.append("*" if hidden > 0 else c)
            hidden -= 1
        else:
            masked.append(c)
    return "".join(masked)


_SOUNDEX_CODES = {
    letter: digit
    for letters, digit in (
        ("BFPV", "1"), ("CGJKQSXZ", "2"), ("DT", "3"), ("L", "4"), ("MN", "5"),
        ("R", "6"),
    )
    for letter in letters
}  # fmt: skip


def _letters(name: str) -> str:
    """Return the ASCII letters of a name, upper-cased, accents dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isascii() and c.isalpha()).upper()


def _soundex(letters: str, *, vowels_split: bool, hw_split: bool) -> str:
    previous = _SOUNDEX_CODES.get(letters[0], "")
    digits: list[str] = []
    for c in letters[1:]:
        code = _SOUNDEX_CODES.get(c)
        if code is not None:
            if code != previous:
                digits.append(code)
            previous = code
        elif hw_split if c in "HW" else vowels_split:
            previous = ""
    return (letters[0] + "".join(digits) + "000")[:4]


def soundex(name: str) -> str:
    """Return the American Soundex code of a name ("Tymczak" -> "T522").

    National Archives rules: vowels (and Y) separate equal codes, H and W do
    not. Characters other than ASCII letters are dropped after removing accents;
    a name with no letters gives "".
    """
    letters = _letters(name)
    return _soundex(letters, vowels_split=True, hw_split=False) if letters else ""


def _soundex_variants(name: str) -> set[str]:
    # Which Soundex variant each DMV runs is UNCONFIRMED: a 1992 Illinois post
    # cites dBase's (nothing separates equal codes), others the American one or
    # the simplified one (H and W separate too). Any of them counts as agreeing.
    letters = _letters(name)
    if not letters:
        return set()
    return {
        _soundex(letters, vowels_split=vowels, hw_split=hw)
        for vowels, hw in ((True, False), (True, True), (False, False))
    }


# A Soundex block pads with zeros and never codes 7-9: a number whose first
# block is not one was not built from a surname (Florida's numbers are
# reportedly random since 2024-07-31), so it can neither agree nor disagree.
_SOUNDEX_BLOCK = re.compile(r"[A-Z](?:[1-6]{3}|[1-6]{2}0|[1-6]00|000)")
# The length of the surname-coded form: FL 1A12N, IL 1A11N, WI 1A13N.
_SOUNDEX_LENGTHS = {"FL": 13, "IL": 12, "WI": 14}


def name_encoding_matches(
    state: str, number: str, last_name: str, first_name: str | None = None
) -> bool | None:
    """Say whether a name-coded number agrees with the surname, None if it codes none.

    FL, IL and WI: the first block is the surname's Soundex (De Smet, SECONDARY);
    their first-name block is not checked, its tables resting on one source.
    WA before 2018: the surname's first five letters padded with '*', then the
    first initial, which is checked when ``first_name`` is given.
    """
    token = normalise_license(number)
    if state == "WA":
        return _wa_legacy_matches(token, last_name, first_name)
    if len(token) != _SOUNDEX_LENGTHS.get(state) or state not in states_matching(token):
        return None
    block = token[:4]
    codes = _soundex_variants(last_name)
    if not codes or _SOUNDEX_BLOCK.fullmatch(block) is None:
        return None
    return block in codes


def _wa_legacy_matches(
    token: str, last_name: str, first_name: str | None
) -> bool | None:
    if (
        len(token) != WA_LEGACY_LENGTH
        or token.startswith("WDL")  # random since 2018
        or WA_LEGACY_RE.fullmatch(token) is None
    ):
        return None
    surname = _letters(last_name)
    if not surname:
        return None
    if token[:5] != surname[:5].ljust(5, "*"):
        return False
    initial = _letters(first_name or "")[:1]
    return not initial or token[5] == initial


_LEFT = r"(?<![^\W_])(?<![^\W_]-)"  # not inside a word, nor hyphen-joined to one
_RIGHT = r"(?![^\W_])(?!-[^\W_])"
_SEP = "[- ]"
_SHAPES = (
    # Grouped as printed: FL 4-3-2-3-1, IL 4-4-4 (WI adds -2), MD 1-3-3-3-3, and
    # nine digits as 3-3-3, 3-2-4 and 2-3-4. They come first so that a bare
    # form cannot take the first group alone. WI's last group takes "-" only,
    # lest "S123 4567 8901 12 pupils" swallow the count.
    f"[A-Z][0-9]{{3}}{_SEP}[0-9]{{3}}{_SEP}[0-9]{{2}}{_SEP}[0-9]{{3}}{_SEP}[0-9]",
    f"[A-Z][0-9]{{3}}{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}}(?:-[0-9]{{2}})?",
    f"[A-Z]{_SEP}?[0-9]{{3}}{_SEP}[0-9]{{3}}{_SEP}[0-9]{{3}}{_SEP}[0-9]{{3}}",
    f"[0-9]{{3}}{_SEP}[0-9]{{3}}{_SEP}[0-9]{{3}}",
    f"[0-9]{{3}}{_SEP}[0-9]{{2}}{_SEP}[0-9]{{4}}",
    f"[0-9]{{2}}{_SEP}[0-9]{{3}}{_SEP}[0-9]{{4}}",
    # WA legacy, exactly 12 characters with the letters stopping by the 8th;
    # the lookahead fixes the length without nested repetition.
    r"(?=[A-Z0-9*]{12}(?![^\W_]|\*))[A-Z]{1,7}[0-9*][A-Z0-9*]{4,10}",
    "WDL[A-Z0-9]{9}",
    # Letters then digits, with MO's and ID's trailing letter; KS; NY's 8A.
    "[A-Z]{1,3}[0-9]{1,18}[A-Z]?",
    "[A-Z][0-9][A-Z][0-9][A-Z]",
    "[A-Z]{8}",
    # Digits first: bare runs from 4 (shorter ones fill every document and
    # cannot be told from counts), NH/IA/MO mixes, ME/VT/MO letter tails.
    "[0-9]{4,16}",
    "[0-9]{2,3}[A-Z]{1,3}[0-9]{4,6}",
    "[0-9]{7,9}[A-Z]{1,2}",
)
LICENSE_TOKEN_PATTERN = _LEFT + "(?:" + "|".join(_SHAPES) + ")" + _RIGHT
LICENSE_TOKEN_RE = re.compile(LICENSE_TOKEN_PATTERN)
