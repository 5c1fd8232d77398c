"""Read a staff directory exported as CSV into rows and row problems.

Pure functions over bytes, no database: :func:`read_upload` turns an uploaded
file into good rows and row errors; :mod:`.import_plan` compares the rows with
the directory and :mod:`.directory` applies the plan. A bad row never stops the
good ones; every message names the row (as a spreadsheet numbers it: the header
is row 1) and never repeats the value.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_BYTES = 5 << 20
MAX_ROWS = 10_000

# Normalised header -> field. Headers are lower-cased, "#" read as "number",
# anything but letters and digits turned into single spaces.
_HEADERS: dict[str, str] = {
    "email": (
        "email|email address|e mail|e mail address|mail|work email|"
        "staff email|district email|school email|emailaddress|email id"
    ),
    "name": "name|full name|staff name|employee name|display name|person|staff member",
    "first_name": (
        "first name|first|given name|firstname|fname|forename|legal first name"
    ),
    "last_name": "last name|last|surname|family name|lastname|lname|legal last name",
    "title": (
        "title|job title|position|position title|job|job name|assignment|"
        "job description"
    ),
    "site": (
        "site|building|school|campus|location|school name|building name|"
        "site name|work location|primary building|primary school|home school"
    ),
    "handles_pii": (
        "handles pii|handles personal information|handles personal info|pii|"
        "pii access|access to pii|personal information|handles personal data|"
        "pii training"
    ),
    "employee_id": (
        "employee id|employee number|employee no|emp id|emp number|emp no|"
        "staff id|staff number|staff no|person id|hr id|id|employeeid"
    ),
    "role": "role|districtguard role|access role|dg role",
}
HEADER_FIELDS: dict[str, str] = {
    header: name for name, headers in _HEADERS.items() for header in headers.split("|")
}

_YES = frozenset({"yes", "y", "true", "t", "1", "x", "✓", "✔"})
_NO = frozenset({"no", "n", "false", "f", "0", ""})

# Role cell (normalised) -> role value. The Director is never given or taken
# away by import, so "director" is known only to refuse it clearly.
ROLE_NAMES: dict[str, str] = {
    "director": "director",
    "director of technology": "director",
    "technology staff": "tech_staff",
    "tech staff": "tech_staff",
    "tech": "tech_staff",
    "it staff": "tech_staff",
    "technology": "tech_staff",
    "superintendent": "superintendent",
    "legal counsel": "counsel",
    "counsel": "counsel",
    "attorney": "counsel",
    "board member": "board",
    "board": "board",
    "staff": "staff",
    "auditor": "auditor",
    "auditor read only": "auditor",
}
DIRECTOR = "director"

# Longest value each field may hold (the database columns' sizes).
_LIMITS = {
    "email": 254,
    "first_name": 150,
    "last_name": 150,
    "title": 200,
    "site": 200,
    "employee_id": 64,
}
_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive or an Excel .xlsx workbook"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel or Word file"),
    (b"%PDF", "a PDF"),
)


class ImportFileError(ValueError):
    """The file as a whole cannot be read as a staff directory."""


@dataclass(frozen=True, slots=True)
class StaffRow:
    """One good row of the file. ``None`` means the file says nothing about it."""

    line: int
    email: str
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    site: str | None = None
    handles_pii: bool | None = None
    employee_id: str = ""
    role: str | None = None


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that was left out (an error) or read with a caveat (a warning)."""

    line: int
    message: str


@dataclass(slots=True)
class ReadResult:
    """What a file held: good rows, row problems, and how it was read."""

    rows: list[StaffRow] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    encoding: str = "utf-8"
    columns: dict[str, str] = field(default_factory=dict)  # header -> field
    ignored_columns: list[str] = field(default_factory=list)


def normalise_header(header: str) -> str:
    """Return ``header`` lower-cased, "#" as "number", punctuation as spaces."""
    text = header.replace("\ufeff", "").replace("#", " number ").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def decode(data: bytes) -> tuple[str, str]:
    """Return the text of ``data`` and the encoding it was read with.

    UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark (what
    Excel calls "Unicode text"), else Windows-1252, the usual encoding of exports
    from older SIS and HR systems.
    """
    if not data.strip():
        raise ImportFileError("The file is empty.")
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise ImportFileError(
                f"This file is {kind}, not a CSV file. Open it in its program and "
                "save or export it as CSV (comma-separated values)."
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ImportFileError("The file is not readable UTF-16 text.") from None
    if b"\x00" in data:
        raise ImportFileError(
            "This is not a text file. Export the staff directory as CSV."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8 (with byte-order mark)"
        except UnicodeDecodeError:
            raise ImportFileError(
                "The file says it is UTF-8 but is not; save it again as CSV UTF-8."
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def map_columns(header: Sequence[str]) -> tuple[dict[int, str], list[str]]:
    """Return column index -> field for the headers we know, and the others."""
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for index, raw in enumerate(header):
        name = HEADER_FIELDS.get(normalise_header(raw))
        if name is None or name in mapping.values():
            if raw.strip():
                ignored.append(raw.strip())
            continue
        mapping[index] = name
    return mapping, ignored


def read_upload(data: bytes) -> ReadResult:
    """Read an uploaded staff directory; raise :class:`ImportFileError` if unusable."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            f"The file is larger than {MAX_BYTES >> 20} MB. Split it into smaller "
            "files, or leave out columns DistrictGuard does not use."
        )
    text, encoding = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    try:
        records = list(_records(reader))
    except csv.Error as exc:
        raise ImportFileError(
            f"The file cannot be read as CSV near line {reader.line_num}: {exc}. "
            "Check for an unclosed quotation mark."
        ) from None
    if not records:
        raise ImportFileError("The file is empty.")
    header_number, header = records[0]
    mapping, ignored = map_columns(header)
    if "email" not in mapping.values():
        raise ImportFileError(
            "No email column was found. The first row must name the columns, one "
            "of them the email address (for example Email, E-mail or Email "
            "Address)."
        )
    if len(records) - 1 > MAX_ROWS:
        raise ImportFileError(
            f"The file has {len(records) - 1:,} rows; at most {MAX_ROWS:,} can be "
            "imported at once. Split it into smaller files."
        )
    result = ReadResult(
        encoding=encoding,
        columns={header[i].strip(): name for i, name in mapping.items()},
        ignored_columns=ignored,
    )
    if header_number != 1:
        result.warnings.append(
            RowProblem(header_number, "The column names were read from this row.")
        )
    for number, cells in records[1:]:
        values = {
            name: cells[i].strip() if i < len(cells) else ""
            for i, name in mapping.items()
        }
        _read_row(number, values, result)
    _drop_duplicates(result)
    return result


def _records(reader: Iterable[list[str]]) -> Iterable[tuple[int, list[str]]]:
    """Yield (spreadsheet row number, cells), skipping blank rows."""
    for number, cells in enumerate(reader, start=1):
        if any(cell.strip() for cell in cells):
            yield number, cells


def _read_row(number: int, values: dict[str, str], result: ReadResult) -> None:
    email = values.get("email", "").lower()
    if not email:
        result.errors.append(RowProblem(number, "No email address."))
        return
    try:
        validate_email(email)
    except ValidationError:
        result.errors.append(
            RowProblem(number, "The email address is not a valid address.")
        )
        return
    for name, limit in _LIMITS.items():
        if len(values.get(name, "")) > limit:
            label = name.replace("_", " ")
            result.errors.append(
                RowProblem(number, f"The {label} is longer than {limit} characters.")
            )
            return
    first, last = values.get("first_name"), values.get("last_name")
    if "name" in values and first is None and last is None:
        first, last = split_name(values["name"])
    handles: bool | None = None
    if "handles_pii" in values:
        answer = values["handles_pii"].lower()
        if answer not in _YES | _NO:
            result.errors.append(
                RowProblem(
                    number,
                    "Handles personal information must be yes or no "
                    "(also accepted: y/n, true/false, 1/0, x or blank for no).",
                )
            )
            return
        handles = answer in _YES
    accepted, role = _read_role(number, values.get("role", ""), result)
    if not accepted:
        return
    result.rows.append(
        StaffRow(
            line=number,
            email=email,
            first_name=first or None,
            last_name=last or None,
            title=values.get("title"),
            site=values.get("site"),
            handles_pii=handles,
            employee_id=values.get("employee_id", ""),
            role=role or None,
        )
    )


def _read_role(number: int, cell: str, result: ReadResult) -> tuple[bool, str | None]:
    """Return whether the row may go on, and the role ``cell`` names (if any)."""
    if not cell:
        return True, None
    role = ROLE_NAMES.get(normalise_header(cell))
    if role is None:
        result.errors.append(
            RowProblem(
                number,
                "Unknown role. Use one of: Technology staff, Superintendent, "
                "Legal counsel, Board member, Staff, Auditor (or leave it blank).",
            )
        )
        return False, None
    if role == DIRECTOR:
        result.warnings.append(
            RowProblem(
                number,
                "The Director role is never given by import; the row is imported "
                "without a role change.",
            )
        )
        return True, None
    return True, role


def split_name(full: str) -> tuple[str, str]:
    """Split "Last, First" or "First Middle Last" into (first, last)."""
    full = " ".join(full.split())
    if "," in full:
        last, _, first = full.partition(",")
        return first.strip(), last.strip()
    first, _, last = full.rpartition(" ")
    return (first, last) if first else ("", last)


def _drop_duplicates(result: ReadResult) -> None:
    """Keep the first row for each email and employee id; the others are errors."""
    seen_email: dict[str, int] = {}
    seen_id: dict[str, int] = {}
    kept: list[StaffRow] = []
    for row in result.rows:
        if row.email in seen_email:
            message = f"Same email address as row {seen_email[row.email]}; "
        elif row.employee_id and row.employee_id.lower() in seen_id:
            message = f"Same employee ID as row {seen_id[row.employee_id.lower()]}; "
        else:
            seen_email[row.email] = row.line
            if row.employee_id:
                seen_id[row.employee_id.lower()] = row.line
            kept.append(row)
            continue
        result.errors.append(RowProblem(row.line, message + "only that row is used."))
    result.errors.sort(key=lambda problem: problem.line)
    result.rows = kept
