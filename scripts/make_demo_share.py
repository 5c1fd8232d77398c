"""Write the synthetic district file share that ``districtguard scan --demo`` scans.

Run from the repository root: ``.venv/bin/python scripts/make_demo_share.py``.
Every value is synthetic (Faker en_US names, seeded random numbers; SSNs are
random numbers inside the issued ranges). Output is deterministic for a given
Faker version: ZIP-based files get fixed timestamps and the PDF is written in
reportlab's invariant mode, so re-running does not churn the committed files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
import shutil
import struct
import sys
import textwrap
import zipfile
import zlib
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import docx
import openpyxl
from faker import Faker
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import (
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

SEED = 4512
ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src" / "districtguard" / "samples" / "demo-share"
ZIP_TIME = (2025, 1, 6, 8, 0, 0)
CORE_TIME = "2025-01-06T08:00:00Z"
DOMAIN = "district.example"  # RFC 2606: can never be a real district

BUILDINGS = (
    "Northside Elementary",
    "Eastwood Elementary",
    "Prairie View Middle School",
    "Central High School",
)
POSITIONS = (
    "Teacher",
    "Paraprofessional",
    "Custodian",
    "Cafeteria Manager",
    "School Nurse",
    "Counselor",
    "IT Technician",
    "Payroll Clerk",
)


class Synthetic:
    """Seeded synthetic people and numbers."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)

    def person(self) -> tuple[str, str]:
        """Return a (first, last) name."""
        return self.fake.first_name(), self.fake.last_name()

    def digits(self, count: int) -> str:
        """Return ``count`` random digits."""
        return "".join(self.rng.choice("0123456789") for _ in range(count))

    def ssn(self) -> str:
        """Return 9 random digits inside the SSA's issued ranges."""
        while True:
            area = self.rng.randint(1, 899)
            group, serial = self.rng.randint(1, 99), self.rng.randint(1, 9999)
            value = f"{area:03d}{group:02d}{serial:04d}"
            if area != 666 and value not in {"078051120", "219099999", "457555462"}:
                return value

    def routing(self) -> str:
        """Return an ABA routing number with a valid prefix and checksum."""
        prefix = self.rng.choice((*range(1, 13), *range(21, 33), *range(61, 73)))
        partial = f"{prefix:02d}{self.digits(6)}"
        weights = (3, 7, 1, 3, 7, 1, 3, 7)
        total = sum(int(d) * w for d, w in zip(partial, weights, strict=True))
        return partial + str((10 - total % 10) % 10)

    def account(self) -> str:
        """Return an 8-12 digit bank account number."""
        return str(self.rng.randint(1, 9)) + self.digits(self.rng.randint(7, 11))

    def card(self, prefix: str = "4", length: int = 16) -> str:
        """Return a Luhn-valid card number."""
        body = prefix + self.digits(length - len(prefix) - 1)
        total = 0
        for index, char in enumerate(reversed(body)):
            value = int(char) * (2 if index % 2 == 0 else 1)
            total += value - 9 if value > 9 else value
        return body + str((10 - total % 10) % 10)

    def oklahoma_dl(self) -> str:
        """Return an Oklahoma licence number: a letter and 9 digits, or 9 digits."""
        if self.rng.random() < 0.7:
            return self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + self.digits(9)
        return self.digits(9)

    def phone(self) -> str:
        """Return a fictional 555-01xx phone number."""
        return f"({self.rng.choice(('405', '918', '580'))}) 555-01{self.digits(2)}"

    def date(self, start: dt.date, days: int) -> dt.date:
        """Return a date within ``days`` after ``start``."""
        return start + dt.timedelta(days=self.rng.randint(0, days))


def dashed(ssn: str) -> str:
    """Return an SSN as 123-45-6789."""
    return f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}"


def email_of(first: str, last: str) -> str:
    """Return a staff address in the reserved example domain."""
    return f"{first[0].lower()}{last.lower()}@{DOMAIN}"


def normalise_zip(path: Path) -> None:
    """Rewrite an OOXML/ZIP file with fixed timestamps so output is reproducible."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rf"\g<1>{CORE_TIME}\g<2>",
                    text,
                )
                data = text.encode("utf-8")
            target.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, zipfile.ZIP_DEFLATED)


def write_staff_roster(syn: Synthetic, folder: Path) -> None:
    """HR export with bare SSNs in an ``ssn`` column."""
    rows = []
    for number in range(24):
        first, last = syn.person()
        hired = syn.date(dt.date(2008, 8, 1), 6000)
        rows.append(
            [
                f"{100200 + number * 7}",
                first,
                last,
                syn.rng.choice(POSITIONS),
                syn.rng.choice(BUILDINGS),
                hired.isoformat(),
                syn.ssn(),
                syn.phone(),
            ]
        )
    header = [
        "employee_id",
        "first_name",
        "last_name",
        "position",
        "building",
        "hire_date",
        "ssn",
        "phone",
    ]
    write_csv(folder / "hr" / "staff_roster_2025.csv", header, rows)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write a CSV with Unix line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_direct_deposit(syn: Synthetic, folder: Path) -> None:
    """Payroll workbook: staff bank details, and vendor ACH details on sheet two."""
    workbook = openpyxl.Workbook()
    sheet = workbook.create_sheet("Direct Deposit")
    default = workbook.active
    if default is not None and default is not sheet:
        workbook.remove(default)
    sheet.append(
        ["Employee", "Bank", "Routing Number", "Account Number", "Type", "Effective"]
    )
    banks = ("Red Dirt Community Bank", "Sooner State Bank", "Prairie Federal CU")
    for _ in range(15):
        first, last = syn.person()
        sheet.append(
            [
                f"{last}, {first}",
                syn.rng.choice(banks),
                syn.routing(),
                syn.account(),
                syn.rng.choice(("Checking", "Savings")),
                syn.date(dt.date(2024, 7, 1), 400).isoformat(),
            ]
        )
    vendors = workbook.create_sheet("Vendor ACH")
    vendors.append(["Vendor", "Contact", "Routing Number", "Bank Account Number"])
    for vendor in ("Prairie Bus Parts", "Redbud Printing", "Blue Stem Food Service"):
        first, last = syn.person()
        vendors.append([vendor, f"{first} {last}", syn.routing(), syn.account()])
    path = folder / "finance" / "direct_deposit.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.properties.creator = "Payroll Office"
    workbook.save(path)
    normalise_zip(path)


def write_card_letter(syn: Synthetic, folder: Path) -> None:
    """A letter to a vendor with the district card number, expiry and CVV."""
    contact_first, contact_last = syn.person()
    director_first, director_last = syn.person()
    card = syn.card("4", 16)
    grouped = " ".join(card[i : i + 4] for i in range(0, 16, 4))
    expiry = f"{syn.rng.randint(1, 12):02d}/{syn.rng.randint(27, 30)}"
    document = docx.Document()
    document.core_properties.author = "Technology Department"
    document.add_paragraph("January 6, 2025")
    document.add_paragraph(f"{contact_first} {contact_last}\nMesa Learning Systems")
    document.add_paragraph(f"Dear {contact_first} {contact_last},")
    document.add_paragraph(
        "Please keep the following card on file for the district's annual "
        "reading-software subscription and charge it on renewal each August."
    )
    document.add_paragraph(
        f"Cardholder: {director_first} {director_last}\n"
        f"Visa card number: {grouped}\n"
        f"Exp: {expiry}\n"
        f"CVV: {syn.digits(3)}"
    )
    document.add_paragraph(
        "Please call me if anything is missing. Thank you for your help."
    )
    document.add_paragraph(f"{director_first} {director_last}\nDirector of Technology")
    path = folder / "finance" / "card_on_file.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    normalise_zip(path)


def write_driver_roster(syn: Synthetic, folder: Path) -> None:
    """A PDF roster of bus drivers and their Oklahoma licence numbers."""
    rows = [["Route", "Driver", "Oklahoma DL Number", "Class", "Expires"]]
    for route in range(1, 13):
        first, last = syn.person()
        expires = syn.date(dt.date(2025, 3, 1), 1400)
        rows.append(
            [
                str(route),
                f"{first} {last}",
                syn.oklahoma_dl(),
                "CDL-B",
                expires.isoformat(),
            ]
        )
    sub_first, sub_last = syn.person()
    cleared = syn.date(dt.date(2025, 8, 1), 30)
    path = folder / "transportation" / "driver_roster.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(
        str(path), pagesize=letter, invariant=1, title="Bus driver roster 2025-26"
    )
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
            ]
        )
    )
    document.build(
        [
            Paragraph(
                "Transportation Department - Bus Driver Roster 2025-26", styles["Title"]
            ),
            Paragraph(
                "Driver license numbers are kept for the annual CDL check. "
                "Do not share outside the transportation office.",
                styles["Normal"],
            ),
            Spacer(1, 12),
            table,
            Spacer(1, 12),
            Paragraph(
                f"Substitute driver for routes 3 and 7: {sub_first} {sub_last}, "
                f"Oklahoma DL {syn.oklahoma_dl()}, cleared {cleared.isoformat()}.",
                styles["Normal"],
            ),
        ]
    )


def write_ticket(syn: Synthetic, folder: Path) -> None:
    """A staff member emails the help desk their SSN and DL, with a CSV attached."""
    first, last = syn.person()
    ssn, dl = syn.ssn(), syn.oklahoma_dl()
    message = EmailMessage(policy=default_policy)
    message["From"] = f"{first} {last} <{email_of(first, last)}>"
    message["To"] = f"Help Desk <helpdesk@{DOMAIN}>"
    message["Subject"] = "Ticket 4512: can't get into the benefits portal"
    message["Date"] = "Mon, 06 Jan 2025 07:42:00 -0600"
    message["Message-ID"] = f"<ticket-4512@{DOMAIN}>"
    body = (
        "The benefits portal keeps saying my identity can't be verified. It asks "
        f"for my SSN, which is {dashed(ssn)}, and my Oklahoma driver license "
        f"number, {dl}. I typed both exactly.\n\n"
        "I also need to add my kids for open enrollment; their info is in the "
        "attached spreadsheet."
    )
    paragraphs = [textwrap.fill(part, 70) for part in body.split("\n\n")]
    signature = f"Thanks,\n{first} {last}\n{syn.rng.choice(BUILDINGS)}\n"
    message.set_content("\n\n".join(["Hi Help Desk,", *paragraphs, signature]))
    dependents = io.StringIO()
    writer = csv.writer(dependents, lineterminator="\n")
    writer.writerow(["first_name", "last_name", "relationship", "birth_date", "ssn"])
    for _ in range(2):
        child_first, _ = syn.person()
        born = syn.date(dt.date(2010, 1, 1), 4000)
        writer.writerow([child_first, last, "child", born.isoformat(), syn.ssn()])
    message.add_attachment(
        dependents.getvalue().encode("utf-8"),
        maintype="text",
        subtype="csv",
        filename="dependents.csv",
    )
    message.set_boundary("==districtguard-demo-4512==")
    path = folder / "helpdesk" / "ticket_4512.eml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(message.as_bytes())


def write_old_exports(syn: Synthetic, folder: Path) -> None:
    """A forgotten 2019 archive: a staff CSV with SSNs and payroll notes."""
    rows = []
    for _ in range(10):
        first, last = syn.person()
        rows.append([f"{last}, {first}", dashed(syn.ssn()), syn.rng.choice(BUILDINGS)])
    staff = io.StringIO()
    writer = csv.writer(staff, lineterminator="\n")
    writer.writerow(["employee", "ssn", "building"])
    writer.writerows(rows)
    notes = []
    for _ in range(3):
        first, last = syn.person()
        notes.append(
            f"{first} {last} - direct deposit moved to checking account "
            f"{syn.account()}, routing number {syn.routing()}."
        )
    text = (
        "Payroll notes, fall 2019 (copied from the old shared drive)\n\n"
        + "\n\n".join(notes)
        + "\n"
    )
    path = folder / "archive" / "old_exports_2019.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (
            ("staff_export_2019.csv", staff.getvalue()),
            ("payroll_notes_2019.txt", text),
        ):
            info = zipfile.ZipInfo(name, (2019, 10, 2, 16, 5, 0))
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)


def write_students(syn: Synthetic, folder: Path) -> None:
    """SIS export: 9-digit student IDs (not SSNs) and one guardian's card."""
    students = []
    for index in range(20):
        first, last = syn.person()
        guardian_first, _ = syn.person()
        record: dict[str, object] = {
            "student_id": str(syn.rng.randint(100000000, 999999999)),
            "first_name": first,
            "last_name": last,
            "grade": syn.rng.choice(["K", *map(str, range(1, 13))]),
            "building": syn.rng.choice(BUILDINGS),
            "guardian": {
                "name": f"{guardian_first} {last}",
                "phone": syn.phone(),
                "email": email_of(guardian_first, last).replace(DOMAIN, "mail.example"),
            },
        }
        if index == 7:
            brand_prefix = str(syn.rng.randint(51, 55))
            record["lunch_autopay"] = {
                "card_number": syn.card(brand_prefix, 16),
                "card_expiration": f"{syn.rng.randint(1, 12):02d}/"
                f"{syn.rng.randint(26, 30)}",
            }
        students.append(record)
    path = folder / "sis" / "students.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"students": students}, indent=2) + "\n", encoding="utf-8"
    )


ACCEPTABLE_USE = """\
Acceptable Use of Technology Resources

District technology exists to support teaching, learning and the work of the
district. Everyone who uses it agrees to these rules.

1. Use your own account. Never share a password or let someone else work
   under your login. Lock the screen when you step away.

2. Keep personal information private. Do not email, post or store Social
   Security numbers, driver license numbers, bank details or card numbers
   unless your job requires it, and then only in the approved systems.
   Encrypt files that must hold such information.

3. Report anything unusual. If you see a suspicious message, lose a device or
   think information was exposed, tell the Technology Department at once.
   Reporting quickly is always the right thing to do.

4. Respect copyright and the privacy of others. Do not install software that
   the Technology Department has not approved.

5. District devices and accounts may be monitored. There is no expectation of
   privacy in their use.

Approved by the Board of Education. Reviewed each year by the Director of
Technology.
"""

README = """\
DistrictGuard demo share
========================

ALL DATA IN THIS FOLDER IS SYNTHETIC. Names come from the Faker library and
every number was generated at random by scripts/make_demo_share.py. None of it
belongs to a real person, bank account, card or licence.

The folder imitates a small district's file share so that
"districtguard scan --demo" has something realistic to find:

  hr/              a staff roster export
  finance/         a direct-deposit workbook and a card-on-file letter
  transportation/  a bus driver roster (PDF)
  helpdesk/        a help-desk email with an attachment
  archive/         an old ZIP of exports nobody remembered
  sis/             a student information export (student IDs are not SSNs)
  policies/        a policy with no personal information
  images/          a logo (binary, skipped)
"""


def png(width: int, height: int) -> bytes:
    """Return a small two-colour PNG, built with zlib and struct only."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # no filter
        for x in range(width):
            inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (width / 3) ** 2
            rows.extend((0x1F, 0x4E, 0x79) if inside else (0xFF, 0xFF, 0xFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def build(folder: Path) -> None:
    """Write the whole demo share into ``folder`` (replacing what is there)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    syn = Synthetic(SEED)
    (folder / "README.txt").write_text(README, encoding="utf-8")
    write_staff_roster(syn, folder)
    write_direct_deposit(syn, folder)
    write_card_letter(syn, folder)
    write_driver_roster(syn, folder)
    write_ticket(syn, folder)
    write_old_exports(syn, folder)
    write_students(syn, folder)
    policy = folder / "policies" / "acceptable_use.txt"
    policy.parent.mkdir(parents=True)
    policy.write_text(ACCEPTABLE_USE, encoding="utf-8")
    logo = folder / "images" / "logo.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(png(32, 32))


def main() -> int:
    """Build the share and say where it went."""
    build(OUTPUT)
    size = sum(path.stat().st_size for path in OUTPUT.rglob("*") if path.is_file())
    sys.stdout.write(f"wrote {OUTPUT.relative_to(ROOT)} ({size:,} bytes)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
