"""What the rewriter and pipeline tests share: a policy, jobs, sample documents.

Every value is synthetic: SSNs in the 2xx-5xx areas made up for the tests, the
Visa test card number, names from the detector's own test data.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from email.message import EmailMessage

import docx
import openpyxl
from openpyxl.styles import Font

from districtguard.pii import DetectOptions
from districtguard.pii.elements import Element
from districtguard.pii.protection.base import TokenRestorer, ValueProtector
from districtguard.pii.protection.edits import PROTECTABLE, Job, Policy
from districtguard.pii.protection.rewrite import (
    Restoration,
    protect_document,
    restore_document,
)
from districtguard.pii.protection.tokens import TOKEN_RE

OPTIONS = DetectOptions(fingerprint_key=b"k" * 32, today=dt.date(2026, 11, 28))
SSN = "234-56-7891"
SSN2 = "345-67-8912"
CARD = "4111 1111 1111 1111"
LINE = f"Employee: Maria Lopez, SSN {SSN}\n"


def job(
    protector: ValueProtector,
    *,
    dry_run: bool = False,
    targets: frozenset[Element] = PROTECTABLE,
    all_records: bool = False,
) -> Job:
    """Return a job over the test options."""
    policy = Policy(OPTIONS, targets, all_records)
    return Job(policy, protector, "doc", TOKEN_RE, dry_run=dry_run)


def protect(
    name: str,
    data: bytes,
    protector: ValueProtector,
    *,
    targets: frozenset[Element] = PROTECTABLE,
    all_records: bool = False,
) -> tuple[bytes | None, Job]:
    """Protect ``data``; return the new bytes (None if unchanged) and the job."""
    done = job(protector, targets=targets, all_records=all_records)
    return protect_document(name, data, done), done


def restore(
    name: str, data: bytes, restorer: TokenRestorer
) -> tuple[bytes | None, int]:
    """Restore ``data``; return the new bytes and how many values came back."""
    state = Restoration(restorer, TOKEN_RE)
    return restore_document(name, data, state), state.count


def actions(done: Job) -> list[tuple[str, str]]:
    """Return (element, action) for every finding the job met."""
    return [(str(a.finding.element), a.action) for a in done.actions]


def workbook() -> bytes:
    """Return a workbook: a staff sheet (bold name, SSN as a number) and another."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Staff"
    sheet.append(["Name", "SSN", "Card"])
    sheet.append(["Maria Lopez", 234567891, CARD])
    sheet.append(["John Smith", SSN2, "none"])
    sheet["A2"].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 31
    book.create_sheet("Notes").append(["Lunch menu for Tuesday"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def word_document() -> bytes:
    """Return a document: an SSN split over runs, a table, a header."""
    document = docx.Document()
    paragraph = document.add_paragraph("Employee Maria Lopez, SSN 234-56-")
    paragraph.add_run("7891").bold = True
    paragraph.add_run(" is on file.").italic = True
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {
        (0, 0): "Name",
        (0, 1): "SSN",
        (1, 0): "John Smith",
        (1, 1): SSN2,
    }.items():
        table.cell(row, col).text = text
    header = document.sections[0].header.paragraphs[0]
    header.text = "Staff file: Ann Lee SSN 456-78-9123"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def message(subject: str = "Payroll update") -> bytes:
    """Return a message with a text body and a CSV attachment."""
    mail = EmailMessage()
    mail["From"] = "Payroll <payroll@example.org>"
    mail["To"] = "hr@example.org"
    mail["Subject"] = subject
    mail.set_content(LINE)
    mail.add_attachment(
        f"name,ssn\nJohn Smith,{SSN2}\n".encode(),
        maintype="text",
        subtype="csv",
        filename="staff.csv",
    )
    return mail.as_bytes()


def archive(members: dict[str, bytes]) -> bytes:
    """Return a ZIP of ``members``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return out.getvalue()
