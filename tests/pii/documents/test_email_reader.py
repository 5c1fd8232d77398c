"""The email reader: one unit per message, attachments read by their own readers."""

from __future__ import annotations

import io
import mailbox
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from faker import Faker
from openpyxl import Workbook

from districtguard.pii.documents import file_source, read_source
from districtguard.pii.documents.base import (
    DocumentError,
    Limits,
    ReadContext,
    TextUnit,
    join_location,
)
from districtguard.pii.documents.email import html_text

SSN = "078-05-1120"  # the well-known specimen number, never issued to a person
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@pytest.fixture
def fake() -> Faker:
    fake = Faker()
    fake.seed_instance(1414)
    return fake


def roster_bytes(name: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(["Name", "SSN"])
    sheet.append([name, SSN])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def message(fake: Faker, body: str, subject: str = "Enrollment") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = fake.email(domain="example.org")
    mail["To"] = fake.email(domain="example.org")
    mail["Cc"] = fake.email(domain="example.org")
    mail["Subject"] = subject
    mail.set_content(body)
    return mail


def write_mbox(path: Path, messages: list[EmailMessage]) -> Path:
    box = mailbox.mbox(path)
    for mail in messages:
        box.add(mail)
    box.flush()
    box.close()
    return path


def read(path: Path, context: ReadContext | None = None) -> list[TextUnit]:
    return list(read_source(file_source(path), context or ReadContext()))


def where(unit: TextUnit) -> str:
    """Name a unit: a message by its record's place, an attachment by its own."""
    if unit.records and unit.records[0].label.startswith("message"):
        return join_location(unit.location, unit.records[0].location)
    return unit.location


def test_message_unit_is_a_header_preamble_then_the_body(
    tmp_path: Path, fake: Faker
) -> None:
    mail = message(fake, f"Student SSN is {SSN}.\n")
    path = tmp_path / "note.eml"
    path.write_bytes(mail.as_bytes())

    [unit] = read(path)

    preamble = (
        f"From: {mail['From']}\nTo: {mail['To']}\nCc: {mail['Cc']}\n"
        "Subject: Enrollment\n\n"
    )
    assert unit.text == preamble + f"Student SSN is {SSN}.\n"
    assert (unit.origin, unit.base_offset) == (len(preamble), 0)
    assert unit.location == ""
    assert unit.records is not None
    [record] = unit.records
    assert (record.start, record.end) == (0, len(unit.text))
    assert (record.label, record.location) == ("message 1", "message 1")


def test_alternative_bodies_are_read_once_in_their_plainest_form(
    tmp_path: Path, fake: Faker
) -> None:
    mail = message(fake, f"Plain {SSN}\n")
    mail.add_alternative(f"<p>Html {SSN}</p>", subtype="html")
    path = tmp_path / "alt.eml"
    path.write_bytes(mail.as_bytes())

    [unit] = read(path)

    assert unit.text[unit.origin :] == f"Plain {SSN}\n"


def test_html_bodies_lose_tags_scripts_and_styles() -> None:
    html = (
        "<html><head><style>p {color: red}</style></head><body>"
        "<p>Guardian:&nbsp;Jordan   Sample</p><script>var ssn = 1;</script>"
        "<table><tr><td>SSN</td><td>078-05-1120</td></tr></table><br/>Bye"
        "</body></html>"
    )

    assert html_text(html) == "Guardian: Jordan Sample\n\nSSN\t078-05-1120\n\nBye"


def test_declared_charsets_are_decoded(tmp_path: Path, fake: Faker) -> None:
    mail = message(fake, "placeholder")
    mail.set_content("Estudiante José Núñez\n", charset="iso-8859-1", cte="8bit")
    path = tmp_path / "latin.eml"
    path.write_bytes(mail.as_bytes())

    [unit] = read(path)

    assert unit.text.endswith("Estudiante José Núñez\n")


def test_mbox_messages_and_attachments_carry_their_places(
    tmp_path: Path, fake: Faker
) -> None:
    name = fake.name()
    second = message(fake, "Roster attached.\n")
    second.add_attachment(
        roster_bytes(name), maintype=XLSX[0], subtype=XLSX[1], filename="roster.xlsx"
    )
    messages = [message(fake, "First\n"), second, message(fake, "Third\n")]
    path = write_mbox(tmp_path / "inbox.mbox", messages)

    units = read(path)

    assert [where(unit) for unit in units] == [
        "message 1",
        "message 2",
        "message 2, attachment roster.xlsx",
        "message 3",
    ]
    roster = units[2]
    cells = {
        join_location(roster.location, cell.location): roster.text[
            cell.start : cell.end
        ]
        for cell in roster.cells
    }
    assert cells["message 2, attachment roster.xlsx, Sheet1!A2"] == name
    assert cells["message 2, attachment roster.xlsx, Sheet1!B2"] == SSN
    assert units[2].base_offset is None


def test_corrupt_attachment_is_reported_and_the_mailbox_read_on(
    tmp_path: Path, fake: Faker
) -> None:
    second = message(fake, "Roster attached.\n")
    second.add_attachment(
        b"PK\x03\x04 truncated",
        maintype=XLSX[0],
        subtype=XLSX[1],
        filename="roster.xlsx",
    )
    messages = [message(fake, "First\n"), second, message(fake, "Third\n")]
    path = write_mbox(tmp_path / "inbox.mbox", messages)
    context = ReadContext()

    units = read(path, context)

    assert [where(unit) for unit in units] == ["message 1", "message 2", "message 3"]
    assert context.problems == [
        "message 2, attachment roster.xlsx: not a readable XLSX workbook:"
        " not a ZIP container, or cut short"
    ]


def test_body_lines_starting_with_from_do_not_split_messages(
    tmp_path: Path, fake: Faker
) -> None:
    body = "Hello\nFrom the front office: forms are due.\n"
    path = write_mbox(tmp_path / "escaped.mbox", [message(fake, body)] * 2)

    units = read(path)

    assert len(units) == 2
    assert units[0].text[units[0].origin :].startswith(body)


def test_csv_attachment_cells_carry_message_and_attachment(
    tmp_path: Path, fake: Faker
) -> None:
    mail = message(fake, "Roster attached.\n")
    mail.add_attachment(
        f"Name,SSN\n{fake.name()},{SSN}\n".encode(),
        maintype="text",
        subtype="csv",
        filename="roster.csv",
    )
    path = tmp_path / "csv.eml"
    path.write_bytes(mail.as_bytes())

    roster = read(path)[1]

    assert join_location(roster.location, roster.cells[1].location) == (
        "message 1, attachment roster.csv, row 2, column B (SSN)"
    )


def test_zip_attachment_members_are_read(tmp_path: Path, fake: Faker) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as share:
        share.writestr("a/notes.txt", f"SSN {SSN}\n")
    mail = message(fake, "See the share.\n")
    mail.add_attachment(
        archive.getvalue(), maintype="application", subtype="zip", filename="share.zip"
    )
    path = tmp_path / "share.eml"
    path.write_bytes(mail.as_bytes())

    units = read(path)

    assert [where(unit) for unit in units] == [
        "message 1",
        "message 1, attachment share.zip, member a/notes.txt",
    ]
    assert units[1].text == f"SSN {SSN}\n"


def test_forwarded_messages_are_read_as_email(tmp_path: Path, fake: Faker) -> None:
    inner = message(fake, f"Forwarded SSN {SSN}\n", subject="Original")
    mail = message(fake, "Forwarding.\n")
    mail.add_attachment(inner)
    path = tmp_path / "forward.eml"
    path.write_bytes(mail.as_bytes())

    units = read(path)

    assert where(units[1]) == "message 1, attachment attached message 1.eml, message 1"
    assert "Subject: Original\n" in units[1].text
    assert units[1].text[units[1].origin :] == f"Forwarded SSN {SSN}\n"


def test_unknown_binary_attachment_is_counted_as_skipped(
    tmp_path: Path, fake: Faker
) -> None:
    mail = message(fake, "Binary attached.\n")
    mail.add_attachment(
        b"\x00\x01\x02\x03" * 64,
        maintype="application",
        subtype="octet-stream",
        filename="blob.bin",
    )
    path = tmp_path / "blob.eml"
    path.write_bytes(mail.as_bytes())
    context = ReadContext()

    assert [where(unit) for unit in read(path, context)] == ["message 1"]
    assert context.skipped_members == 1


def test_message_larger_than_the_limit_is_reported_and_skipped(
    tmp_path: Path, fake: Faker
) -> None:
    messages = [message(fake, "Short\n"), message(fake, "x" * 5000 + "\n")]
    path = write_mbox(tmp_path / "big.mbox", [*messages, message(fake, "End\n")])
    context = ReadContext(Limits(max_member_size=2000))

    units = read(path, context)

    assert [where(unit) for unit in units] == ["message 1", "message 3"]
    assert context.problems == ["message 2: larger than 2000 bytes, not read"]


def test_single_message_larger_than_the_limit_is_an_error(
    tmp_path: Path, fake: Faker
) -> None:
    path = tmp_path / "big.eml"
    path.write_bytes(message(fake, "x" * 5000 + "\n").as_bytes())

    with pytest.raises(DocumentError, match=r"^message larger than 2000 bytes"):
        read(path, ReadContext(Limits(max_member_size=2000)))


def test_encoded_words_in_shown_headers_are_decoded(tmp_path: Path) -> None:
    # Mailers write non-ASCII names and subjects as encoded words, folded over
    # lines when long; the preamble shows them as a person reads them.
    raw = (
        b"From: =?utf-8?q?Jos=C3=A9_P=C3=A9rez?= <jp@example.org>\r\n"
        b"To: =?iso-8859-1?q?Ren=E9e?= Ortiz <ro@example.org>\r\n"
        b"Subject: =?utf-8?b?RW5yb2xsbWVudCBmb3Jt?=\r\n"
        b" =?utf-8?q?_f=C3=BCr_Jos=C3=A9?=\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"\r\n"
        b"See attached.\r\n"
    )
    path = tmp_path / "encoded.eml"
    path.write_bytes(raw)

    [unit] = read(path)

    assert unit.text.startswith(
        "From: José Pérez <jp@example.org>\n"
        "To: Renée Ortiz <ro@example.org>\n"
        "Subject: Enrollment form für José\n\n"
    )


@pytest.mark.parametrize(
    "disposition",
    [
        b'attachment; filename="=?utf-8?q?r=C3=B4ster.csv?="',  # an encoded word
        b"attachment; filename*=utf-8''r%C3%B4ster.csv",  # RFC 2231
    ],
)
def test_attachment_names_are_decoded_and_choose_the_reader(
    tmp_path: Path, fake: Faker, disposition: bytes
) -> None:
    # Written as bytes: the email package would rewrite an encoded word as RFC 2231.
    raw = (
        b"From: office@example.org\r\n"
        b"Subject: Roster\r\n"
        b'Content-Type: multipart/mixed; boundary="b1"\r\n'
        b"\r\n"
        b"--b1\r\n"
        b"Content-Type: text/plain\r\n"
        b"\r\n"
        b"Roster attached.\r\n"
        b"--b1\r\n"
        b"Content-Type: text/csv\r\n"
        b"Content-Disposition: " + disposition + b"\r\n"
        b"\r\n" + f"Name,SSN\r\n{fake.name()},{SSN}\r\n".encode() + b"--b1--\r\n"
    )
    path = tmp_path / "named.eml"
    path.write_bytes(raw)

    roster = read(path)[1]

    # Read as CSV (cells with column names), under its decoded name.
    assert join_location(roster.location, roster.cells[1].location) == (
        "message 1, attachment rôster.csv, row 2, column B (SSN)"
    )
