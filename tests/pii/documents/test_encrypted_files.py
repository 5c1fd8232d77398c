"""Password-encrypted PDF, Word and Excel files: skipped as protected, not failures.

A file encrypted as a whole (by ``protect --whole-file native`` or by its
owner) cannot be read, and need not be: encryption is what the law asks for. A
scan says so and stays complete, so a protected share does not make every
later scan partial.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl
import pikepdf
import pytest
from reportlab.pdfgen import canvas

from districtguard.pii import DetectOptions
from districtguard.pii.protection.wholefile import encrypt_office, encrypt_pdf
from districtguard.pii.results import FileResult
from districtguard.pii.scanner import ScanConfig, scan_paths

PASSWORD = "made-up password for the test 4"  # noqa: S105
LINE = "Employee: Maria Lopez, SSN 234-56-7891"
OPTIONS = DetectOptions(fingerprint_key=b"k" * 32)


def _pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, LINE)
    page.save()
    return out.getvalue()


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.create_sheet("Staff", 0)
    sheet.append(["name", "ssn"])
    sheet.append(["Maria Lopez", "234-56-7891"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph(LINE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "encrypt", "says"),
    [
        ("roster.pdf", _pdf, encrypt_pdf, "encrypted PDF (password)"),
        ("staff.xlsx", _xlsx, encrypt_office, "encrypted Excel workbook (password)"),
        ("letter.docx", _docx, encrypt_office, "encrypted Word document (password)"),
    ],
)
def test_an_encrypted_file_is_skipped_as_protected_and_the_scan_is_complete(
    tmp_path: Path, name: str, make: object, encrypt: object, says: str
) -> None:
    plain = tmp_path / "plain" / name
    plain.parent.mkdir()
    plain.write_bytes(make())  # type: ignore[operator]
    share = tmp_path / "share"
    share.mkdir()
    encrypt(plain, share / name, PASSWORD)  # type: ignore[operator]
    (share / "note.txt").write_text(LINE + "\n")

    results: dict[str, FileResult] = {}
    summary = scan_paths(
        ScanConfig((share,), OPTIONS),
        lambda result: results.__setitem__(Path(result.path).name, result),
    )

    locked = results[name]
    assert locked.status == "skipped"
    assert locked.reason.startswith(says)
    assert "protected as a whole" in locked.reason
    assert not summary.partial
    assert (summary.files_scanned, summary.files_skipped, summary.files_failed) == (
        1,
        1,
        0,
    )
    # The plain copy is still found, so the skip is the encryption's doing.
    assert results["note.txt"].findings


def test_a_pdf_with_only_an_owner_password_is_read_not_skipped(tmp_path: Path) -> None:
    """Anyone can open such a PDF: it protects nothing, so it is scanned."""
    path = tmp_path / "owner-only.pdf"
    with pikepdf.open(io.BytesIO(_pdf())) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner=PASSWORD, user=""))
    results: list[FileResult] = []
    scan_paths(ScanConfig((path,), OPTIONS), results.append)
    assert results[0].status == "scanned"
    assert any(finding.statutory for finding in results[0].findings)
