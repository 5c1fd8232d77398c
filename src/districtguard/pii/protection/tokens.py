"""Protection tokens: the text that stands in a document for an encrypted value.

A token reads ``dgp1.<kid>.<body>.<E>``:

- ``dgp1`` names the format and its version (DistrictGuard protection, version 1);
- ``<kid>`` is the id of the data key that sealed it: 8 characters of ``a-z2-7``;
- ``<body>`` is the 12-byte nonce followed by the AES-GCM ciphertext and its
  16-byte tag, in URL-safe base64 without padding (``A-Z a-z 0-9 - _``);
- ``<E>`` is one capital letter naming the element (``S`` for an SSN, ...).

Every character is a letter, a digit, ``.``, ``-`` or ``_``, so a token sits in a
CSV cell, a JSON string, XML text or an email body without quoting or escaping.
The element letter closes the token: the body holds no ``.``, and exactly one
letter follows it, so a token stays whole beside any text (``...Q.S-visa``).
The format is a contract (``docs/protection.md``): change it only by adding a
new version.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass

from districtguard.pii.elements import Element
from districtguard.pii.protection.base import ProtectionError

PREFIX = "dgp1"
VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
KID_LENGTH = 8
KID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"

ELEMENT_CODES: dict[Element, str] = {
    Element.SSN: "S",
    Element.DRIVER_LICENSE: "D",
    Element.GOVERNMENT_ID: "G",
    Element.PAYMENT_CARD: "P",
    Element.CARD_SECURITY_CODE: "C",
    Element.CARD_EXPIRATION: "E",
    Element.BANK_ACCOUNT: "B",
    Element.ROUTING_NUMBER: "R",
    Element.PERSON_NAME: "N",
}
CODE_ELEMENTS: dict[str, Element] = {code: el for el, code in ELEMENT_CODES.items()}

# The shortest body: a nonce and a tag around an empty value (28 bytes).
_MIN_BODY = -(-(NONCE_BYTES + TAG_BYTES) * 4 // 3)
TOKEN_RE = re.compile(
    rf"{PREFIX}\.(?P<kid>[a-z2-7]{{{KID_LENGTH}}})"
    rf"\.(?P<body>[A-Za-z0-9_-]{{{_MIN_BODY},}})"
    rf"\.(?P<element>[{''.join(sorted(CODE_ELEMENTS))}])"
)


@dataclass(frozen=True, slots=True)
class Token:
    """The parts of a token, decoded but still sealed."""

    kid: str
    element: Element
    nonce: bytes
    sealed: bytes


def is_kid(text: str) -> bool:
    """Return whether ``text`` is shaped like a key id."""
    return len(text) == KID_LENGTH and all(ch in KID_ALPHABET for ch in text)


def encode_token(kid: str, element: Element, nonce: bytes, sealed: bytes) -> str:
    """Return the token text for a sealed value (ciphertext followed by its tag)."""
    if not is_kid(kid):
        raise ProtectionError("a key id is 8 characters of a-z and 2-7")
    if len(nonce) != NONCE_BYTES or len(sealed) < TAG_BYTES:
        raise ProtectionError("a token needs a 12-byte nonce and a tagged ciphertext")
    body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
    return f"{PREFIX}.{kid}.{body}.{ELEMENT_CODES[element]}"


def parse_match(match: re.Match[str]) -> Token:
    """Return the parts of a token that :data:`TOKEN_RE` matched."""
    body = match.group("body")
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise ProtectionError("a protection token is damaged (bad base64)") from None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise ProtectionError("a protection token is damaged (too short)")
    return Token(
        match.group("kid"),
        CODE_ELEMENTS[match.group("element")],
        raw[:NONCE_BYTES],
        raw[NONCE_BYTES:],
    )


def decode_token(text: str) -> Token:
    """Return the parts of ``text``, which must be exactly one token."""
    match = TOKEN_RE.fullmatch(text)
    if match is None:
        raise ProtectionError("not a protection token")
    return parse_match(match)


def find_tokens(text: str) -> Iterator[re.Match[str]]:
    """Yield every token in ``text``, in order."""
    if PREFIX not in text:  # a substring test is far faster than the expression
        return
    yield from TOKEN_RE.finditer(text)


def count_tokens(text: str, start: int = 0, end: int | None = None) -> int:
    """Return how many tokens start in ``text[start:end]``."""
    if PREFIX not in text:
        return 0
    stop = len(text) if end is None else end
    return sum(1 for m in TOKEN_RE.finditer(text) if start <= m.start() < stop)


def token_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` of every token in ``text``."""
    return [match.span() for match in find_tokens(text)]


__all__ = [
    "CODE_ELEMENTS",
    "ELEMENT_CODES",
    "PREFIX",
    "TOKEN_RE",
    "VERSION",
    "Token",
    "count_tokens",
    "decode_token",
    "encode_token",
    "find_tokens",
    "is_kid",
    "parse_match",
    "token_spans",
]
