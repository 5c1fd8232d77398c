"""Detection in tables: column headers decide what bare numbers are."""

from __future__ import annotations

from pathlib import Path

from districtguard.pii import DetectOptions, Finding, detect
from districtguard.pii.documents import ReadContext, file_source, read_source


def _scan_csv(tmp_path: Path, text: str, options: DetectOptions) -> list[Finding]:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    units = read_source(file_source(path), ReadContext())
    return [f for unit in units for f in detect(unit, str(path), options)]


def _cells(findings: list[Finding]) -> list[tuple[str, str, bool]]:
    return [(str(f.element), f.location, f.statutory) for f in findings]


def test_ssn_column_makes_bare_digits_ssns_and_student_ids_stay_quiet(
    tmp_path: Path, options: DetectOptions
) -> None:
    found = _scan_csv(
        tmp_path,
        "first_name,last_name,ssn,student_id\nMaria,Lopez,234567891,345678912\n",
        options,
    )
    assert _cells(found) == [
        ("PERSON_NAME", "row 2, column A (first_name)", True),
        ("PERSON_NAME", "row 2, column B (last_name)", True),
        ("SSN", "row 2, column C (ssn)", True),
    ]


def test_ssn_column_restores_leading_zeros_lost_to_a_number_format(
    tmp_path: Path, options: DetectOptions
) -> None:
    found = _scan_csv(tmp_path, "name,ssn\nMaria Lopez,34567891\n", options)
    (ssn,) = [f for f in found if str(f.element) == "SSN"]
    assert ssn.masked == "****7891" and ssn.statutory


def test_invalid_ssn_in_an_ssn_column_is_not_read_as_something_else(
    tmp_path: Path, options: DetectOptions
) -> None:
    found = _scan_csv(
        tmp_path,
        "name,ssn,notes\nMaria Lopez,666123456,OK DL and bank account on file\n",
        options,
    )
    assert [str(f.element) for f in found] == []


def test_card_codes_come_from_their_columns(
    tmp_path: Path, options: DetectOptions
) -> None:
    found = _scan_csv(
        tmp_path,
        "cardholder,card_number,exp,cvv\nMaria Lopez,4111111111111111,04/28,321\n",
        options,
    )
    assert [str(f.element) for f in found] == [
        "PERSON_NAME",
        "PAYMENT_CARD",
        "CARD_EXPIRATION",
        "CARD_SECURITY_CODE",
    ]
    assert all(f.statutory for f in found)


def test_pdf_table_cells_keep_their_header_context(
    tmp_path: Path, options: DetectOptions
) -> None:
    from reportlab.lib.pagesizes import letter
    from reportlab.platypus import SimpleDocTemplate, Table

    path = tmp_path / "roster.pdf"
    rows = [["Driver", "Oklahoma DL number"], ["Maria Lopez", "D482917503"]]
    SimpleDocTemplate(str(path), pagesize=letter).build([Table(rows)])
    units = read_source(file_source(path), ReadContext())
    found = [f for unit in units for f in detect(unit, str(path), options)]
    assert [(str(f.element), f.statutory) for f in found] == [
        ("PERSON_NAME", True),
        ("DRIVER_LICENSE", True),
    ]
