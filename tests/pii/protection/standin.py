"""Stand-ins for the value protection the rewriters call: real redaction rules
are the core's; these are small, reversible and keyless, for format tests."""

from __future__ import annotations

import re

from districtguard.pii.elements import Element
from districtguard.pii.protection.base import Mode

# Letters only, so a token can never look like a number to the detector.
TOKEN_RE = re.compile(r"dgtk\.[a-z]+\.[a-p]*")


def _letters(raw: str) -> str:
    return "".join(chr(97 + (b >> 4)) + chr(97 + (b & 15)) for b in raw.encode("utf-8"))


def _unletters(text: str) -> str:
    pairs = zip(text[::2], text[1::2], strict=True)
    return bytes((ord(a) - 97) << 4 | (ord(b) - 97) for a, b in pairs).decode()


class StandInCipher:
    """Reversible tokens without a key: ``dgtk.<element>.<value as letters>``."""

    mode: Mode = "encrypt"

    def protect(self, element: Element, raw: str) -> str:
        return f"dgtk.{element.value.lower().replace('_', '')}.{_letters(raw)}"

    def restore(self, text: str) -> tuple[str, int]:
        count = 0

        def back(match: re.Match[str]) -> str:
            nonlocal count
            count += 1
            return _unletters(match.group().rsplit(".", 1)[1])

        return TOKEN_RE.sub(back, text), count


class StandInRedactor:
    """Star every letter and digit but the last four; codes and dates go."""

    mode: Mode = "redact"

    def protect(self, element: Element, raw: str) -> str:
        if element in (Element.CARD_SECURITY_CODE, Element.CARD_EXPIRATION):
            return "*" * len(raw)
        keep = 4
        out = []
        remaining = sum(ch.isalnum() for ch in raw)
        for ch in raw:
            if ch.isalnum():
                out.append(ch if remaining <= keep else "*")
                remaining -= 1
            else:
                out.append(ch)
        return "".join(out)
