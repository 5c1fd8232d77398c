"""Element names: the stable identifiers every part of DistrictGuard uses."""

from __future__ import annotations

from enum import StrEnum


class Element(StrEnum):
    """A kind of personal information the detector can report."""

    SSN = "SSN"
    DRIVER_LICENSE = "DRIVER_LICENSE"
    GOVERNMENT_ID = "GOVERNMENT_ID"
    PAYMENT_CARD = "PAYMENT_CARD"
    CARD_SECURITY_CODE = "CARD_SECURITY_CODE"
    CARD_EXPIRATION = "CARD_EXPIRATION"
    BANK_ACCOUNT = "BANK_ACCOUNT"
    ROUTING_NUMBER = "ROUTING_NUMBER"
    PERSON_NAME = "PERSON_NAME"


# The order findings are reported in when several start at the same offset.
ELEMENT_ORDER: tuple[Element, ...] = tuple(Element)
