"""Value encryption: each value sealed with AES-256-GCM into a token.

The associated data binds the token version, the key id and the element, so a
token cannot be passed off as another element or another key's without failing
authentication. Nonces are 96 random bits; with one data key, rotate well before
2^32 values (``districtguard keys rotate``) to keep the chance of a repeat nil.
"""

from __future__ import annotations

import base64
import binascii
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from districtguard.pii.elements import Element
from districtguard.pii.protection.base import Mode, ProtectionError
from districtguard.pii.protection.keys import KeyRing
from districtguard.pii.protection.tokens import (
    CODE_ELEMENTS,
    ELEMENT_CODES,
    NONCE_BYTES,
    PREFIX,
    TOKEN_RE,
    Token,
    decode_token,
)


class TokenError(ProtectionError):
    """A token does not decrypt: altered, damaged, or sealed with another key."""


def associated_data(kid: str, element: Element) -> bytes:
    """Return what a token's ciphertext is bound to besides its key."""
    return f"{PREFIX}|{kid}|{ELEMENT_CODES[element]}".encode("ascii")


# Nonces come from a buffer of CSPRNG output refilled per 4096 values: one
# system call per value cost as much as the encryption. The buffer is dropped in
# a forked child (the pid changes), so two processes never share nonces.
_NONCE_BATCH = 4096
_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")


class ValueCipher:
    """Seal values into tokens and open tokens again, with one keyring.

    Built for speed: one AESGCM object per data key, the associated data and the
    token's fixed parts computed once per key and element, nonces drawn from a
    buffer, and :meth:`restore` one pass of one expression.
    """

    mode: Mode = "encrypt"

    def __init__(self, ring: KeyRing) -> None:
        self.ring = ring
        self.kid = ring.active().kid
        self._aead: dict[str, AESGCM] = {}
        self._sealer = self._aead_for(self.kid)
        # element -> (associated data, token head, token tail) for the active key
        self._seal_parts: dict[Element, tuple[bytes, str, str]] = {
            element: (
                associated_data(self.kid, element),
                f"{PREFIX}.{self.kid}.",
                f".{code}",
            )
            for element, code in ELEMENT_CODES.items()
        }
        self._open_ad: dict[tuple[str, str], bytes] = {}
        self._nonces = b""
        self._nonce_at = 0
        self._pid = -1

    def __reduce__(self) -> tuple[type[ValueCipher], tuple[KeyRing]]:
        # AESGCM objects cannot be pickled: a worker process builds its own
        # from the ring (and draws its own nonces).
        return (ValueCipher, (self.ring,))

    def _aead_for(self, kid: str) -> AESGCM:
        aead = self._aead.get(kid)
        if aead is None:
            aead = self._aead[kid] = AESGCM(self.ring.data_key(kid))
        return aead

    def _nonce(self) -> bytes:
        at = self._nonce_at
        if at >= len(self._nonces) or self._pid != os.getpid():
            self._pid = os.getpid()
            self._nonces = os.urandom(NONCE_BYTES * _NONCE_BATCH)
            at = 0
        self._nonce_at = at + NONCE_BYTES
        return self._nonces[at : at + NONCE_BYTES]

    def protect(self, element: Element, raw: str) -> str:
        """Return the token that replaces ``raw``."""
        ad, head, tail = self._seal_parts[element]
        nonce = self._nonce()
        sealed = self._sealer.encrypt(nonce, raw.encode("utf-8", "surrogatepass"), ad)
        body = binascii.b2a_base64(nonce + sealed, newline=False)
        return head + body.translate(_TO_URLSAFE).rstrip(b"=").decode("ascii") + tail

    def _open(self, kid: str, code: str, body: str) -> str:
        ad = self._open_ad.get((kid, code))
        if ad is None:
            if code not in CODE_ELEMENTS:
                raise TokenError("a protection token names no known element")
            ad = self._open_ad[(kid, code)] = associated_data(kid, CODE_ELEMENTS[code])
        try:
            aead = self._aead.get(kid) or self._aead_for(kid)
        except ProtectionError as exc:
            raise TokenError(f"a token cannot be opened: {exc}") from None
        try:
            raw = binascii.a2b_base64(
                (body + "=" * (-len(body) % 4))
                .encode("ascii")
                .translate(_FROM_URLSAFE),
                strict_mode=True,
            )
        except (binascii.Error, ValueError):
            raise TokenError("a protection token is damaged (bad base64)") from None
        try:
            plain = aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], ad)
        except (InvalidTag, ValueError):
            raise TokenError(
                f"a {CODE_ELEMENTS[code]} token sealed with key {kid} fails "
                "authentication: it was altered or damaged"
            ) from None
        return plain.decode("utf-8", "surrogatepass")

    def open(self, token: Token) -> str:
        """Return the value sealed in ``token``."""
        body = base64.urlsafe_b64encode(token.nonce + token.sealed).decode("ascii")
        return self._open(token.kid, ELEMENT_CODES[token.element], body.rstrip("="))

    def decrypt_token(self, token: str) -> tuple[Element, str]:
        """Return the element and value of one token."""
        parts = decode_token(token)
        return parts.element, self.open(parts)

    def restore(self, text: str) -> tuple[str, int]:
        """Return ``text`` with every token replaced by its value, and the count."""
        if PREFIX not in text:
            return text, 0
        count = 0
        open_ = self._open

        def one(match: re.Match[str]) -> str:
            nonlocal count
            count += 1
            kid, body, code = match.group("kid", "body", "element")
            return open_(kid, code, body)

        restored = TOKEN_RE.sub(one, text)
        return restored, count


__all__ = ["TokenError", "ValueCipher", "associated_data"]
