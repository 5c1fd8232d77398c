"""Protected values are counted per element: tokens by letter, redactions by shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from districtguard.pii import DetectOptions
from districtguard.pii.documents.base import Limits
from districtguard.pii.elements import Element
from districtguard.pii.protected import as_rows, count_protected
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.redaction import redact_value
from districtguard.pii.scanner import scan_file
from tests.pii.protection.keyhelp import make_ring


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SSN ***-**-6789", {("SSN", "redacted"): 1}),
        ("card **** **** **** 1111", {("PAYMENT_CARD", "redacted"): 1}),
        ("card ****-****-****-1111", {("PAYMENT_CARD", "redacted"): 1}),
        ("card ************1111", {("PAYMENT_CARD", "redacted"): 1}),
        # Shapes that could be any of several elements name none.
        ("licence ******1234", {}),
        ("code [REDACTED]", {}),
        # Near misses: too many stars, digits glued on, a mixed mask.
        ("****-**-6789", {}),
        ("***-**-67890", {}),
        ("***-**-6789x", {}),
        ("**** **** 1111", {}),
        ("**** ****-**** 1111", {}),
        ("5 ** stars * here", {}),
    ],
)
def test_redacted_shapes_name_their_element(
    text: str, expected: dict[tuple[str, str], int]
) -> None:
    assert dict(count_protected(text)) == expected


def test_tokens_count_by_the_element_they_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cipher = ValueCipher(make_ring(monkeypatch, tmp_path / "home"))
    text = " ".join(
        [
            cipher.protect(Element.SSN, "234-56-7891"),
            cipher.protect(Element.SSN, "345-67-8912"),
            cipher.protect(Element.PAYMENT_CARD, "4111111111111111"),
            redact_value(Element.SSN, "456-78-9123"),
        ]
    )
    assert as_rows(count_protected(text)) == (
        ("PAYMENT_CARD", "encrypted", 1),
        ("SSN", "encrypted", 2),
        ("SSN", "redacted", 1),
    )
    # Only tokens that start inside the window count.
    assert count_protected(text, 1) == count_protected(text[1:]) != {}


def test_scan_file_reports_protected_kinds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cipher = ValueCipher(make_ring(monkeypatch, tmp_path / "home"))
    path = tmp_path / "staff.csv"
    path.write_text(
        "name,ssn\n"
        f"Ann Roe,{cipher.protect(Element.SSN, '234-56-7891')}\n"
        f"Bo Poe,{redact_value(Element.SSN, '345-67-8912')}\n"
    )
    result = scan_file(path, DetectOptions(fingerprint_key=b"k" * 32), Limits())
    assert result.protected == 1
    assert result.protected_kinds == (("SSN", "encrypted", 1), ("SSN", "redacted", 1))
