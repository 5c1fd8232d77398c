"""Redaction leaves only what the statute allows, in the value's own shape."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from districtguard.pii import DetectOptions, Element, scan_text
from districtguard.pii.protection.base import ProtectionError, ValueProtector
from districtguard.pii.protection.redaction import REMOVED, Redactor, redact_value


@pytest.mark.parametrize(
    ("element", "raw", "redacted"),
    [
        (Element.SSN, "234-56-7891", "***-**-7891"),
        (Element.SSN, "234 56 7891", "*** ** 7891"),
        (Element.SSN, "234567891", "*****7891"),
        (Element.PAYMENT_CARD, "4111 1111 1111 1111", "**** **** **** 1111"),
        (Element.PAYMENT_CARD, "4111-1111-1111-1111", "****-****-****-1111"),
        (Element.PAYMENT_CARD, "378282246310005", "***********0005"),
        (Element.DRIVER_LICENSE, "D482917503", "******7503"),
        (Element.DRIVER_LICENSE, "S123-4567-8901", "****-****-8901"),
        (Element.GOVERNMENT_ID, "512345678", "*****5678"),
        (Element.BANK_ACCOUNT, "000123456789", "********6789"),
        (Element.BANK_ACCOUNT, "1234", "1234"),
        (Element.CARD_SECURITY_CODE, "737", REMOVED),
        (Element.CARD_SECURITY_CODE, "1234", REMOVED),
        (Element.CARD_EXPIRATION, "04/28", REMOVED),
        (Element.CARD_EXPIRATION, "04/2028", REMOVED),
        (Element.ROUTING_NUMBER, "011000015", REMOVED),
    ],
)
def test_redacts_to_the_statutory_truncation(
    element: Element, raw: str, redacted: str
) -> None:
    assert redact_value(element, raw) == redacted


def test_a_name_is_never_redacted() -> None:
    with pytest.raises(ProtectionError, match="names are not redacted"):
        redact_value(Element.PERSON_NAME, "Maria Lopez")


def test_strict_removes_government_ids_entirely() -> None:
    assert redact_value(Element.GOVERNMENT_ID, "512345678", strict=True) == REMOVED
    assert Redactor(strict=True).protect(Element.GOVERNMENT_ID, "512345678") == REMOVED
    assert Redactor(strict=True).protect(Element.SSN, "234-56-7891") == "***-**-7891"


def test_redactor_is_a_value_protector() -> None:
    redactor: ValueProtector = Redactor()
    assert redactor.mode == "redact"
    assert redactor.protect(Element.SSN, "234-56-7891") == "***-**-7891"


def test_the_marker_has_no_digits_for_a_scan_to_find(options: DetectOptions) -> None:
    assert not any(ch.isdigit() for ch in REMOVED)
    text = f"Maria Lopez card **** **** **** 1111 CVV {REMOVED} exp {REMOVED}"
    assert [f for f in scan_text(text, options) if f.statutory] == []


OPTIONS = DetectOptions(fingerprint_key=b"k" * 32, today=dt.date(2026, 11, 28))
_SEPARATED = st.lists(
    st.text("0123456789", min_size=1, max_size=6), min_size=1, max_size=5
)
TRUNCATING = [
    Element.SSN,
    Element.DRIVER_LICENSE,
    Element.GOVERNMENT_ID,
    Element.BANK_ACCOUNT,
    Element.PAYMENT_CARD,
]


@settings(max_examples=300, deadline=None)
@given(
    element=st.sampled_from(TRUNCATING),
    groups=_SEPARATED,
    separator=st.sampled_from(["-", " ", ""]),
    prefix=st.text("ABCDEFGHJKLMNPRSTUVWXYZ", max_size=2),
)
def test_at_most_four_characters_stay_and_the_shape_is_kept(
    element: Element, groups: list[str], separator: str, prefix: str
) -> None:
    raw = prefix + separator.join(groups)
    redacted = redact_value(element, raw)
    assert len(redacted) == len(raw)
    assert [ch for ch in redacted if not ch.isalnum() and ch != "*"] == [
        ch for ch in raw if not ch.isalnum()
    ]
    alnum = [ch for ch in raw if ch.isalnum()]
    assert [ch for ch in redacted if ch.isalnum()] == alnum[-4:]


@settings(max_examples=150, deadline=None)
@given(
    ssn=st.from_regex(r"[1-8][0-9]{2}-[1-9][0-9]-[1-9][0-9]{3}", fullmatch=True),
    card=st.from_regex(r"4[0-9]{3} [0-9]{4} [0-9]{4} [0-9]{4}", fullmatch=True),
    licence=st.from_regex(r"D[0-9]{9}", fullmatch=True),
    account=st.from_regex(r"[0-9]{10,12}", fullmatch=True),
)
def test_a_fresh_scan_of_a_redacted_record_finds_nothing_statutory(
    ssn: str, card: str, licence: str, account: str
) -> None:
    redactor = Redactor()
    text = (
        f"Employee: Maria Lopez\nSSN {redactor.protect(Element.SSN, ssn)}, "
        f"Oklahoma DL {redactor.protect(Element.DRIVER_LICENSE, licence)}, "
        f"card number {redactor.protect(Element.PAYMENT_CARD, card)} "
        f"CVV {redactor.protect(Element.CARD_SECURITY_CODE, '737')} "
        f"exp {redactor.protect(Element.CARD_EXPIRATION, '04/28')}, "
        f"checking account # {redactor.protect(Element.BANK_ACCOUNT, account)}, "
        f"routing number {redactor.protect(Element.ROUTING_NUMBER, '011000015')}\n"
    )
    assert [f.element for f in scan_text(text, OPTIONS) if f.statutory] == []


def test_the_unredacted_record_is_statutory(options: DetectOptions) -> None:
    """The property above means something: the same record, unredacted, is found."""
    text = "Employee: Maria Lopez\nSSN 234-56-7891, Oklahoma DL D482917503\n"
    assert {f.element for f in scan_text(text, options) if f.statutory} >= {
        Element.SSN,
        Element.DRIVER_LICENSE,
    }
