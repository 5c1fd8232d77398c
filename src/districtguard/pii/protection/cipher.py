"""Value encryption: each value sealed with AES-256-GCM into a token.

The associated data binds the token version, the key id and the element, so a
token cannot be passed off as another element or another key's without failing
authentication. Nonces are 96 random bits; with one data key, rotate well before
2^32 values (``districtguard keys rotate``) to keep the chance of a repeat nil.
"""

from __future__ import annotations

import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from districtguard.pii.elements import Element
from districtguard.pii.protection.base import Mode, ProtectionError
from districtguard.pii.protection.keys import KeyRing
from districtguard.pii.protection.tokens import (
    ELEMENT_CODES,
    NONCE_BYTES,
    PREFIX,
    TOKEN_RE,
    Token,
    decode_token,
    encode_token,
    parse_match,
)


class TokenError(ProtectionError):
    """A token does not decrypt: altered, damaged, or sealed with another key."""


def associated_data(kid: str, element: Element) -> bytes:
    """Return what a token's ciphertext is bound to besides its key."""
    return f"{PREFIX}|{kid}|{ELEMENT_CODES[element]}".encode("ascii")


class ValueCipher:
    """Seal values into tokens and open tokens again, with one keyring.

    One AESGCM object per data key is built once and reused: building it per
    value would cost more than the encryption itself.
    """

    mode: Mode = "encrypt"

    def __init__(self, ring: KeyRing) -> None:
        self.ring = ring
        self.kid = ring.active().kid
        self._aead: dict[str, AESGCM] = {}
        self._ad: dict[tuple[str, Element], bytes] = {}
        self._sealer = self._aead_for(self.kid)

    def _aead_for(self, kid: str) -> AESGCM:
        aead = self._aead.get(kid)
        if aead is None:
            aead = self._aead[kid] = AESGCM(self.ring.data_key(kid))
        return aead

    def _ad_for(self, kid: str, element: Element) -> bytes:
        ad = self._ad.get((kid, element))
        if ad is None:
            ad = self._ad[(kid, element)] = associated_data(kid, element)
        return ad

    def protect(self, element: Element, raw: str) -> str:
        """Return the token that replaces ``raw``."""
        nonce = os.urandom(NONCE_BYTES)
        plain = raw.encode("utf-8", "surrogatepass")
        sealed = self._sealer.encrypt(nonce, plain, self._ad_for(self.kid, element))
        return encode_token(self.kid, element, nonce, sealed)

    def open(self, token: Token) -> str:
        """Return the value sealed in ``token``."""
        try:
            aead = self._aead_for(token.kid)
        except ProtectionError as exc:
            raise TokenError(f"a token cannot be opened: {exc}") from None
        try:
            plain = aead.decrypt(
                token.nonce, token.sealed, self._ad_for(token.kid, token.element)
            )
        except InvalidTag:
            raise TokenError(
                f"a {token.element} token sealed with key {token.kid} fails "
                "authentication: it was altered or damaged"
            ) from None
        return plain.decode("utf-8", "surrogatepass")

    def decrypt_token(self, token: str) -> tuple[Element, str]:
        """Return the element and value of one token."""
        parts = decode_token(token)
        return parts.element, self.open(parts)

    def restore(self, text: str) -> tuple[str, int]:
        """Return ``text`` with every token replaced by its value, and the count."""
        if PREFIX not in text:
            return text, 0
        count = 0

        def one(match: re.Match[str]) -> str:
            nonlocal count
            count += 1
            return self.open(parse_match(match))

        restored = TOKEN_RE.sub(one, text)
        return restored, count


__all__ = ["TokenError", "ValueCipher", "associated_data"]
