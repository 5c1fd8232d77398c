"""The PDF reader: one unit per page, clear errors for encrypted and damaged files."""

from __future__ import annotations

import base64
import re
import zlib
from pathlib import Path

import pikepdf
import pytest
from faker import Faker
from PIL import Image
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from districtguard.pii.documents import file_source, read_source
from districtguard.pii.documents.base import (
    DocumentError,
    EncryptedDocument,
    ReadContext,
    TextUnit,
)

SSN = "078-05-1120"  # the well-known specimen number, never issued to a person


@pytest.fixture
def names() -> list[str]:
    fake = Faker()
    fake.seed_instance(1618)
    return [fake.name() for _ in range(3)]


def write_pdf(
    path: Path,
    pages: list[list[str] | None],
    encrypt: StandardEncryption | None = None,
) -> Path:
    """Write one page per entry: text blocks, or None for a picture-only page."""
    pdf = canvas.Canvas(str(path), encrypt=encrypt, pageCompression=1)
    for blocks in pages:
        if blocks is None:
            picture = ImageReader(Image.new("L", (40, 40), color=128))
            pdf.drawImage(picture, 72, 500, width=200, height=200)
        for index, block in enumerate(blocks or []):
            pdf.drawString(72, 720 - 120 * index, block)
        pdf.showPage()
    pdf.save()
    return path


@pytest.fixture
def report_path(tmp_path: Path, names: list[str]) -> Path:
    return write_pdf(
        tmp_path / "report.pdf",
        [
            ["Quarterly enrollment report"],
            [f"Student {names[0]} SSN {SSN}", "Reviewed by the registrar"],
            [f"Guardian {names[1]}"],
        ],
    )


def read(path: Path, context: ReadContext | None = None) -> list[TextUnit]:
    return list(read_source(file_source(path), context or ReadContext()))


def test_each_page_is_a_unit_located_by_page(report_path: Path) -> None:
    units = read(report_path)

    assert [unit.location for unit in units] == ["page 1", "page 2", "page 3"]


def test_page_text_holds_the_planted_values(
    report_path: Path, names: list[str]
) -> None:
    page2 = read(report_path)[1]

    assert f"Student {names[0]} SSN {SSN}" in page2.text


def test_a_page_is_one_record_of_its_lines_in_order(report_path: Path) -> None:
    page2 = read(report_path)[1]

    assert page2.records is not None
    assert [(r.start, r.end) for r in page2.records] == [(0, len(page2.text))]
    lines = [line.strip() for line in page2.text.splitlines() if line.strip()]
    assert lines[1:] == ["Reviewed by the registrar"]


def test_offsets_are_not_reported(report_path: Path) -> None:
    assert all(unit.base_offset is None for unit in read(report_path))


def test_picture_only_pages_are_reported_once_per_file(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", [["Cover sheet"], None, None, []])
    context = ReadContext()

    units = read(path, context)

    assert [unit.location for unit in units] == ["page 1"]
    assert context.problems == [
        "page 2 and 1 more pages have no text layer (scanned image?)"
    ]


def test_file_without_any_text_is_reported(tmp_path: Path) -> None:
    context = ReadContext()

    assert read(write_pdf(tmp_path / "empty.pdf", [[]]), context) == []
    assert context.problems == ["page 1 has no text layer (scanned image?)"]


def test_blank_page_among_text_pages_is_not_reported(tmp_path: Path) -> None:
    context = ReadContext()
    path = write_pdf(tmp_path / "blank.pdf", [["Intro"], [], ["End"]])

    assert [unit.location for unit in read(path, context)] == ["page 1", "page 3"]
    assert context.problems == []


def test_page_that_fails_is_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "damaged.pdf", [["One"], ["Two"], ["Three"]])
    data = path.read_bytes()
    for match in re.finditer(rb"stream\r?\n(.*?)~>\s*endstream", data, re.DOTALL):
        # reportlab streams are ASCII85 over Flate; "v" is not ASCII85 at all.
        try:
            content = zlib.decompress(base64.a85decode(match.group(1)))
        except (ValueError, zlib.error):
            continue
        if b"(Two)" in content:
            start = match.start(1)
            data = data[:start] + b"vvvvvvvv" + data[start + 8 :]
            break
    else:
        pytest.fail("page 2 content stream not found")
    path.write_bytes(data)
    context = ReadContext()

    units = read(path, context)

    assert [unit.location for unit in units] == ["page 1", "page 3"]
    assert len(context.problems) == 1
    assert context.problems[0].startswith("page 2 could not be read: ")


def test_password_protected_pdf_is_skipped_as_protected(tmp_path: Path) -> None:
    locked = StandardEncryption("user-secret", ownerPassword="owner-secret")
    path = write_pdf(tmp_path / "locked.pdf", [["Hidden"]], encrypt=locked)

    with pytest.raises(
        EncryptedDocument,
        match=r"^encrypted PDF \(password\): protected as a whole, contents not read$",
    ):
        read(path)


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    restricted = StandardEncryption("", ownerPassword="owner-secret", canCopy=0)
    path = write_pdf(tmp_path / "restricted.pdf", [["Visible text"]], restricted)

    assert [unit.text.strip() for unit in read(path)] == ["Visible text"]


def test_truncated_pdf_is_a_clear_error(report_path: Path, tmp_path: Path) -> None:
    data = report_path.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])

    with pytest.raises(DocumentError, match=r"^not a readable PDF: "):
        read(cut)


def test_random_bytes_named_pdf_are_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "noise.pdf"
    path.write_bytes(bytes(range(256)) * 8)

    with pytest.raises(DocumentError, match=r"^not a readable PDF: "):
        read(path)


def test_a_decompression_bomb_page_is_reported_and_the_rest_is_read(
    tmp_path: Path,
) -> None:
    # Page 2's content stream is 80 MB of spaces in 80 KB of Flate: past what the
    # reader expands, so that page is refused rather than held in memory.
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
        )
    )
    for word in ("One", None, "Three"):
        page = pdf.add_blank_page()
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        if word is None:
            stream = pikepdf.Stream(pdf, zlib.compress(b" " * 80_000_000, 9))
            stream.Filter = pikepdf.Name.FlateDecode
        else:
            content = f"BT /F1 12 Tf 72 720 Td ({word}) Tj ET".encode()
            stream = pikepdf.Stream(pdf, content)
        page.Contents = pdf.make_indirect(stream)
    path = tmp_path / "bomb.pdf"
    pdf.save(path)
    context = ReadContext()

    units = read(path, context)

    assert [(unit.location, unit.text) for unit in units] == [
        ("page 1", "One"),
        ("page 3", "Three"),
    ]
    assert context.problems == [
        "page 2 could not be read: a compressed stream expands past the size limit "
        "(a decompression bomb?)"
    ]


def test_text_inside_a_form_object_is_read(tmp_path: Path) -> None:
    # Headers, stamps and imported pages are often form objects drawn by name.
    path = tmp_path / "stamped.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.beginForm("stamp")
    pdf.drawString(72, 500, f"Verified SSN {SSN}")
    pdf.endForm()
    pdf.drawString(72, 720, "Cover letter")
    pdf.doForm("stamp")
    pdf.showPage()
    pdf.save()

    [page] = read(path)

    assert "Cover letter" in page.text
    assert f"Verified SSN {SSN}" in page.text
