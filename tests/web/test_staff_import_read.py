"""Reading staff directory CSV files: headers, encodings, bad rows, bad files."""

from __future__ import annotations

import io
import zipfile

import pytest
from faker import Faker

from districtguard.district.staff_import import (
    MAX_BYTES,
    MAX_ROWS,
    ImportFileError,
    normalise_header,
    read_upload,
    split_name,
)

fake = Faker()
Faker.seed(4)


def _csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Email", "email"),
        ("E-mail", "email"),
        ("Email Address", "email"),
        (" EMAIL_ADDRESS ", "email"),
        ("Building", "site"),
        ("School", "site"),
        ("Campus", "site"),
        ("Job Title", "title"),
        ("Position", "title"),
        ("First Name", "first_name"),
        ("Surname", "last_name"),
        ("Employee #", "employee_id"),
        ("Staff ID", "employee_id"),
        ("Handles PII", "handles_pii"),
        ("Role", "role"),
    ],
)
def test_matches_header_synonyms(header: str, field: str) -> None:
    email = fake.email()
    data = _csv(f"{header},Email Address", f"x,{email}")
    if field == "email":
        data = _csv(header, email)
    result = read_upload(data)
    assert field in result.columns.values()


def test_normalises_headers() -> None:
    assert normalise_header("\ufeffE-Mail  Address") == "e mail address"
    assert normalise_header("Employee #") == "employee number"


def test_reads_a_typical_export() -> None:
    first, last, email = fake.first_name(), fake.last_name(), fake.email()
    data = _csv(
        "First Name,Last Name,Email Address,Job Title,Building,Handles PII,Emp ID",
        f"{first},{last},{email.upper()},Teacher,North Elementary,Yes,E100",
    )
    result = read_upload(data)
    assert result.errors == []
    (row,) = result.rows
    assert row.line == 2
    assert (row.first_name, row.last_name) == (first, last)
    assert row.email == email.lower()
    assert (row.title, row.site, row.handles_pii) == (
        "Teacher",
        "North Elementary",
        True,
    )
    assert row.employee_id == "E100"
    assert row.role is None


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Ada Lovelace", ("Ada", "Lovelace")),
        ("Lovelace, Ada", ("Ada", "Lovelace")),
        ("Mary  Ann Smith", ("Mary Ann", "Smith")),
        ("Cher", ("", "Cher")),
    ],
)
def test_splits_a_full_name(full: str, expected: tuple[str, str]) -> None:
    assert split_name(full) == expected


def test_full_name_column_fills_first_and_last() -> None:
    email = fake.email()
    result = read_upload(_csv("Name,Email", f'"Doe, Jane",{email}'))
    assert (result.rows[0].first_name, result.rows[0].last_name) == ("Jane", "Doe")


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8 (with byte-order mark)"),
        ("cp1252", "windows-1252"),
        ("utf-16", "utf-16"),
    ],
)
def test_reads_common_encodings(encoding: str, expected: str) -> None:
    email = fake.email()
    data = _csv(
        "Name,Email,Building", f"José Núñez,{email},Café Élan", encoding=encoding
    )
    result = read_upload(data)
    assert result.encoding == expected
    assert result.rows[0].last_name == "Núñez"
    assert result.rows[0].site == "Café Élan"
    assert "email" in result.columns.values()


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_sniffs_other_delimiters(delimiter: str) -> None:
    emails = [fake.email() for _ in range(3)]
    lines = [delimiter.join(["Email", "Title"])]
    lines += [delimiter.join([e, "Teacher"]) for e in emails]
    result = read_upload(_csv(*lines))
    assert [r.email for r in result.rows] == [e.lower() for e in emails]


def test_bad_rows_get_messages_and_good_rows_go_on() -> None:
    good = [fake.email() for _ in range(3)]
    data = _csv(
        "Email,Name,Handles PII,Role",
        f"{good[0]},A B,yes,",
        ",No Email,no,",
        "not-an-address,Bad Mail,no,",
        f"{good[1]},C D,perhaps,",
        f"{good[0].upper()},Dup E,no,",
        f"{good[2]},F G,,Wizard",
        "",
        f"{fake.email()},H I,no,Director",
    )
    result = read_upload(data)
    messages = {p.line: p.message for p in result.errors}
    assert set(messages) == {3, 4, 5, 6, 7}
    assert messages[3] == "No email address."
    assert "not a valid address" in messages[4]
    assert "yes or no" in messages[5]
    assert "row 2" in messages[6]
    assert "Unknown role" in messages[7]
    assert [r.line for r in result.rows] == [2, 9]
    assert result.rows[1].role is None
    assert [w.line for w in result.warnings] == [9]
    assert "never given by import" in result.warnings[0].message


def test_messages_never_repeat_the_values() -> None:
    bad = "someone.at.example.org"
    result = read_upload(_csv("Email", bad))
    assert bad not in result.errors[0].message


def test_duplicate_employee_ids_keep_the_first_row() -> None:
    data = _csv("Email,Employee ID", f"{fake.email()},E1", f"{fake.email()},e1")
    result = read_upload(data)
    assert [r.line for r in result.rows] == [2]
    assert "row 2" in result.errors[0].message


def test_roles_are_read_when_the_column_is_present() -> None:
    data = _csv(
        "Email,Role", f"{fake.email()},Technology staff", f"{fake.email()},board"
    )
    assert [r.role for r in read_upload(data).rows] == ["tech_staff", "board"]


def test_overlong_value_is_a_row_error() -> None:
    data = _csv("Email,Title", f"{fake.email()},{'x' * 201}", f"{fake.email()},Clerk")
    result = read_upload(data)
    assert [r.line for r in result.rows] == [3]
    assert "longer than 200" in result.errors[0].message


def test_blank_leading_rows_are_skipped_and_said() -> None:
    result = read_upload(_csv("", ",,", "Email", fake.email()))
    assert len(result.rows) == 1
    assert result.rows[0].line == 4
    assert result.warnings[0].line == 3


def test_unknown_columns_are_listed_as_ignored() -> None:
    result = read_upload(_csv("Email,Shoe Size", f"{fake.email()},9"))
    assert result.ignored_columns == ["Shoe Size"]


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", "\ufeff".encode()])
def test_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(ImportFileError, match="empty"):
        read_upload(data)


def test_excel_workbook_is_refused_with_advice() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ImportFileError, match="save or export it as CSV"):
        read_upload(buffer.getvalue())


def test_binary_file_is_refused() -> None:
    with pytest.raises(ImportFileError, match="not a text file"):
        read_upload(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_file_without_email_column_is_refused() -> None:
    with pytest.raises(ImportFileError, match="No email column"):
        read_upload(_csv("Name,Title", "A B,Teacher"))


def test_text_that_is_not_csv_is_refused() -> None:
    with pytest.raises(ImportFileError, match="No email column"):
        read_upload(b"Dear colleagues,\nplease find attached the list.\n")


def test_unclosed_quote_is_refused_with_line() -> None:
    cell = "x" * 200_000
    with pytest.raises(ImportFileError, match="cannot be read as CSV"):
        read_upload(_csv("Email,Note", f'{fake.email()},"{cell}'))


def test_file_over_the_size_limit_is_refused() -> None:
    data = b"Email\r\n" + b"a@example.org\r\n" * (MAX_BYTES // 15 + 1)
    with pytest.raises(ImportFileError, match="larger than 5 MB"):
        read_upload(data)


def test_file_over_the_row_limit_is_refused() -> None:
    lines = ["Email"] + [f"p{n}@example.org" for n in range(MAX_ROWS + 1)]
    with pytest.raises(ImportFileError, match="at most 10,000"):
        read_upload(_csv(*lines))
