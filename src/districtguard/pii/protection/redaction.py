"""Redaction: cut a value down to what the statute lets a document keep.

24 O.S. § 162 calls data redacted when no more than five digits of an SSN, or
the last four digits of a driver licence, state ID card or account number, are
part of it (``reference/law.md`` § 1.2). So:

- SSN, driver licence, government ID, bank account, card number: every letter
  and digit but the last four becomes ``*``; separators stay, so the shape stays
  readable (``***-**-6789``, ``**** **** **** 1111``).
- Card security code, card expiration date, routing number: the statute has no
  truncation for them, so they are removed entirely and :data:`REMOVED` stands
  in their place (a fixed marker with no digits: the document stays readable
  and a later scan finds nothing in it).
- Names are never redacted: a name alone is not personal information, and
  removing the element breaks the link.

Whether "other government IDs" may keep four digits is an open question for
counsel (law.md § 1.2 marks it UNCONFIRMED); ``Redactor(strict=True)`` removes
them entirely instead.
"""

from __future__ import annotations

from districtguard.pii.elements import Element
from districtguard.pii.masking import mask_tail
from districtguard.pii.protection.base import Mode, ProtectionError

REMOVED = "[REDACTED]"
VISIBLE_TAIL = 4

TRUNCATED = frozenset(
    {
        Element.SSN,
        Element.DRIVER_LICENSE,
        Element.GOVERNMENT_ID,
        Element.BANK_ACCOUNT,
        Element.PAYMENT_CARD,
    }
)
REMOVED_ENTIRELY = frozenset(
    {Element.CARD_SECURITY_CODE, Element.CARD_EXPIRATION, Element.ROUTING_NUMBER}
)


def redact_value(element: Element, raw: str, *, strict: bool = False) -> str:
    """Return ``raw`` redacted to the statutory truncation for ``element``.

    With ``strict``, government IDs are removed rather than truncated.
    """
    if element is Element.PERSON_NAME:
        raise ProtectionError("names are not redacted; redact the element instead")
    if element in REMOVED_ENTIRELY or (strict and element is Element.GOVERNMENT_ID):
        return REMOVED
    if element in TRUNCATED:
        return mask_tail(raw, VISIBLE_TAIL)
    raise ProtectionError(f"no redaction rule for {element}")


class Redactor:
    """The redacting :class:`~districtguard.pii.protection.base.ValueProtector`."""

    mode: Mode = "redact"

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict

    def protect(self, element: Element, raw: str) -> str:
        """Return ``raw`` redacted."""
        return redact_value(element, raw, strict=self.strict)


__all__ = ["REMOVED", "REMOVED_ENTIRELY", "TRUNCATED", "Redactor", "redact_value"]
