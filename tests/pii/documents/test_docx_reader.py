"""The DOCX reader: paragraphs and table rows as records, headers and footers too."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from faker import Faker
from openpyxl import Workbook

from districtguard.pii.documents import file_source, read_source
from districtguard.pii.documents.base import (
    DocumentError,
    Limits,
    ReadContext,
    TextUnit,
)

SSN = "078-05-1120"  # the well-known specimen number, never issued to a person
LICENSE = "S99988801"  # obviously synthetic


@pytest.fixture
def names() -> list[str]:
    fake = Faker()
    fake.seed_instance(2718)
    return [fake.name() for _ in range(4)]


@pytest.fixture
def document_path(tmp_path: Path, names: list[str]) -> Path:
    document = docx.Document()
    document.add_paragraph("Enrollment notes")
    document.add_paragraph("")
    document.add_paragraph(f"Student {names[0]} has SSN {SSN} on file.")
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(
        table.rows,
        [["Name", "SSN", "License"], [names[1], SSN, LICENSE], [names[2], "", ""]],
        strict=True,
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("Closing remarks")
    merged = document.add_table(rows=2, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Guardian"
    merged.cell(0, 2).text = "Phone"
    merged.cell(1, 0).text = names[3]
    merged.cell(1, 2).text = "555-0100"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Confidential"
    section.footer.paragraphs[0].text = f"Prepared by {names[3]}"
    path = tmp_path / "notes.docx"
    document.save(str(path))
    return path


def read(path: Path, context: ReadContext | None = None) -> list[TextUnit]:
    return list(read_source(file_source(path), context or ReadContext()))


def place(unit: TextUnit) -> str:
    """Name a unit: its location, else the table or body its records are in."""
    if unit.location:
        return unit.location
    assert unit.records
    first = unit.records[0].label
    return first.split(" row ")[0] if first.startswith("table ") else "body"


def by_location(units: list[TextUnit]) -> dict[str, TextUnit]:
    return {place(unit): unit for unit in units}


def test_units_follow_the_document_order(document_path: Path) -> None:
    units = read(document_path)

    assert [place(unit) for unit in units] == [
        "body",
        "table 1",
        "body",
        "table 2",
        "section 1 header",
        "section 1 footer",
    ]
    assert [unit.location for unit in units[:4]] == ["", "", "", ""]


def test_non_empty_paragraphs_are_numbered_records(
    document_path: Path, names: list[str]
) -> None:
    body = read(document_path)[0]

    assert body.records is not None
    assert [record.location for record in body.records] == [
        "paragraph 1",
        "paragraph 2",
    ]
    second = body.records[1]
    assert body.text[second.start : second.end] == (
        f"Student {names[0]} has SSN {SSN} on file."
    )
    after_table = read(document_path)[2]
    assert after_table.records is not None
    assert after_table.records[0].label == "paragraph 3"


def test_table_rows_are_records_and_cells_have_places(
    document_path: Path, names: list[str]
) -> None:
    table = by_location(read(document_path))["table 1"]

    assert table.records is not None
    assert [record.label for record in table.records] == [
        "table 1 row 1",
        "table 1 row 2",
        "table 1 row 3",
    ]
    cells = {cell.location: table.text[cell.start : cell.end] for cell in table.cells}
    assert cells["table 1 row 2, cell 1"] == names[1]
    assert cells["table 1 row 2, cell 3"] == LICENSE
    assert "table 1 row 3, cell 2" not in cells
    third = [cell.column for cell in table.cells if cell.location.endswith("cell 3")]
    assert third == [2, 2]


def test_first_table_row_names_the_columns(document_path: Path) -> None:
    table = by_location(read(document_path))["table 1"]

    assert [column.header for column in table.columns] == ["Name", "SSN", "License"]


def test_merged_cells_count_once_and_keep_their_grid_column(
    document_path: Path, names: list[str]
) -> None:
    table = by_location(read(document_path))["table 2"]

    assert table.text.split("\n") == ["Guardian\tPhone", f"{names[3]}\t\t555-0100"]
    assert [column.header for column in table.columns] == [
        "Guardian",
        "Guardian",
        "Phone",
    ]
    phone = table.cells[-1]
    assert phone.location == "table 2 row 2, cell 3"
    assert table.columns[phone.column].header == "Phone"


def test_headers_and_footers_are_read(document_path: Path, names: list[str]) -> None:
    units = by_location(read(document_path))

    assert units["section 1 header"].text == "Confidential"
    assert units["section 1 footer"].text == f"Prepared by {names[3]}"


def test_offsets_are_not_reported(document_path: Path) -> None:
    assert all(unit.base_offset is None for unit in read(document_path))


def test_long_bodies_are_split_at_paragraph_boundaries(tmp_path: Path) -> None:
    document = docx.Document()
    for number in range(10):
        document.add_paragraph(f"Paragraph number {number} of the long body.")
    path = tmp_path / "long.docx"
    document.save(str(path))

    units = read(path, ReadContext(Limits(chunk_chars=100)))

    assert len(units) == 5
    assert all(len(unit.text) <= 100 for unit in units)
    assert units[4].records is not None
    assert units[4].records[-1].location == "paragraph 10"


def test_truncated_document_is_a_clear_error(
    document_path: Path, tmp_path: Path
) -> None:
    data = document_path.read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(data[: len(data) // 2])

    with pytest.raises(DocumentError, match=r"^not a readable DOCX document: "):
        read(cut)


def test_workbook_named_docx_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    Workbook().save(path)

    with pytest.raises(
        DocumentError, match=r"^not a readable DOCX document: not a Word document$"
    ):
        read(path)
