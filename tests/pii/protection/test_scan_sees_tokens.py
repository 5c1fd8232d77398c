"""A later scan sees protection tokens as protected: never a finding, but counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from districtguard.cli import main
from districtguard.pii import DetectOptions, Element, scan_text
from districtguard.pii.documents.base import Limits
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.keys import KeyRing
from districtguard.pii.reports.summary import render_summary
from districtguard.pii.results import ScanSummary
from districtguard.pii.scanner import scan_file
from tests.pii.protection.keyhelp import make_ring

# Token-shaped (TOKEN_RE only checks the shape) with a body that reads as an
# Oklahoma licence: right after "DL" the detector would report it.
LICENCE_SHAPED = "dgp1.abcdefgh.D482917503_" + "A" * 40 + ".D"


@pytest.fixture
def ring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> KeyRing:
    return make_ring(monkeypatch, tmp_path / "home")


def test_digits_inside_a_token_are_never_a_candidate(options: DetectOptions) -> None:
    assert scan_text(f"Maria Lopez, Oklahoma DL {LICENCE_SHAPED}", options) == []


def test_the_same_digits_outside_a_token_are_found(options: DetectOptions) -> None:
    text = f"Maria Lopez, Oklahoma DL D482917503 and {LICENCE_SHAPED}"
    found = [
        (f.element, text[f.start or 0 : f.end or 0]) for f in scan_text(text, options)
    ]
    assert (Element.DRIVER_LICENSE, "D482917503") in found
    assert all("dgp1" not in value for _, value in found)


@pytest.mark.parametrize(
    ("template", "element", "raw"),
    [
        ("Employee: Maria Lopez, SSN {t}", Element.SSN, "234-56-7891"),
        (
            "Maria Lopez card number {t} exp 04/28",
            Element.PAYMENT_CARD,
            "4111111111111111",
        ),
        ("Maria Lopez, Oklahoma DL {t}", Element.DRIVER_LICENSE, "D482917503"),
        ("Maria Lopez checking account # {t}", Element.BANK_ACCOUNT, "000123456789"),
    ],
)
def test_a_protected_record_has_no_findings(
    ring: KeyRing, options: DetectOptions, template: str, element: Element, raw: str
) -> None:
    cipher = ValueCipher(ring)
    assert scan_text(template.format(t=raw), options), "the unprotected record is found"
    for _ in range(50):  # many random tokens: none may look like an element
        text = template.format(t=cipher.protect(element, raw))
        assert [
            f for f in scan_text(text, options) if f.element is not Element.PERSON_NAME
        ] == []


def test_scan_counts_tokens_per_file_and_in_the_summary(
    ring: KeyRing, options: DetectOptions, tmp_path: Path
) -> None:
    cipher = ValueCipher(ring)
    rows = ["name,ssn"] + [
        f"Person {n},{cipher.protect(Element.SSN, f'234-56-{7000 + n}')}"
        for n in range(7)
    ]
    protected = tmp_path / "staff.csv"
    protected.write_text("\n".join(rows) + "\n")
    plain = tmp_path / "menu.txt"
    plain.write_text("Lunch menu for Tuesday.\n")

    result = scan_file(protected, options, Limits())
    assert (result.status, result.findings, result.protected) == ("scanned", (), 7)
    assert scan_file(plain, options, Limits()).protected == 0

    summary = ScanSummary()
    summary.add(result)
    summary.add(scan_file(plain, options, Limits()))
    counts = summary.to_dict()
    assert (counts["protected_values"], counts["files_with_protected"]) == (7, 1)
    console = Console(width=120, record=True)
    console.print(render_summary(summary))
    assert "7 encrypted values in 1 files" in console.export_text()


def test_tokens_in_the_overlap_of_two_chunks_count_once(
    ring: KeyRing, options: DetectOptions, tmp_path: Path
) -> None:
    token = ValueCipher(ring).protect(Element.SSN, "234-56-7891")
    path = tmp_path / "big.txt"
    path.write_text((("x" * 70 + "\n") * 20 + token + "\n") * 40)
    limits = Limits(chunk_chars=4096, chunk_overlap=256)
    assert scan_file(path, options, limits).protected == 40


def test_scan_json_reports_protected_values(
    ring: KeyRing, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cipher = ValueCipher(ring)
    share = tmp_path / "share"
    share.mkdir()
    (share / "staff.txt").write_text(
        "Employee: Maria Lopez, SSN "
        f"{cipher.protect(Element.SSN, '234-56-7891')}\n"
        "Employee: Ana Ruiz, SSN 345-67-8912\n"
    )
    assert main(["scan", str(share), "--format", "json", "--no-progress"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [f["masked"] for f in document["findings"] if f["element"] == "SSN"] == [
        "***-**-8912"
    ]
    assert document["summary"]["protected_values"] == 1
