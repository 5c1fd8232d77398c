"""The contract between value protection and the format rewriters.

A rewriter (one per format) finds the statutory values in a document and asks a
:class:`ValueProtector` for the text to put in each one's place; it never knows
whether it is redacting or encrypting. Undoing encryption goes the other way: a
:class:`TokenRestorer` finds every protection token in a piece of text and puts
the original value back. Redaction cannot be undone, by design.
"""

from __future__ import annotations

from typing import Literal, Protocol

from districtguard.pii.elements import Element

Mode = Literal["redact", "encrypt"]


class ProtectionError(Exception):
    """Protection or restoration cannot go on; the message says why, without data."""


class ValueProtector(Protocol):
    """Turn one raw value of a known element into its protected text."""

    mode: Mode

    def protect(self, element: Element, raw: str) -> str:
        """Return what replaces ``raw`` in the document (a redaction or a token)."""
        ...


class TokenRestorer(Protocol):
    """Put the original values back in place of protection tokens."""

    def restore(self, text: str) -> tuple[str, int]:
        """Return ``text`` with every token decrypted, and how many there were."""
        ...


__all__ = ["Mode", "ProtectionError", "TokenRestorer", "ValueProtector"]
