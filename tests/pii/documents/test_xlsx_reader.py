"""The XLSX reader: sheets, rows as records, cells with places, headers as columns."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from districtguard.pii.documents import file_source, read_source
from districtguard.pii.documents.base import (
    DocumentError,
    Limits,
    ReadContext,
    TextUnit,
)
from districtguard.pii.documents.xlsx import cell_text

SSN = "078-05-1120"  # the well-known specimen number, never issued to a person


@pytest.fixture
def names() -> list[str]:
    fake = Faker()
    fake.seed_instance(4321)
    return [fake.name() for _ in range(5)]


@pytest.fixture
def workbook_path(tmp_path: Path, names: list[str]) -> Path:
    workbook = Workbook()
    roster = workbook.active
    assert roster is not None
    roster.title = "Roster"
    roster.append(["Name", "SSN", "Student ID", "Enrolled", "Balance"])
    for index, name in enumerate(names):
        roster.append([name, SSN, 123456789 + index, dt.date(2024, 8, 19), 1500.0])
    hidden = workbook.create_sheet("Sheet2")
    hidden.sheet_state = "hidden"
    hidden["B3"] = "S9990001"
    hidden["D3"] = 12.5
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    return path


def read(path: Path, context: ReadContext | None = None) -> list[TextUnit]:
    return list(read_source(file_source(path), context or ReadContext()))


def cell_texts(unit: TextUnit) -> dict[str, str]:
    return {cell.location: unit.text[cell.start : cell.end] for cell in unit.cells}


def sheet_of(unit: TextUnit) -> str:
    assert unit.records
    return unit.records[0].label.rsplit(" row ", 1)[0]


def test_every_sheet_is_read_including_hidden_ones(workbook_path: Path) -> None:
    units = read(workbook_path)

    assert [sheet_of(unit) for unit in units] == ["Roster", "Sheet2"]
    assert [unit.location for unit in units] == ["", ""]
    assert cell_texts(units[1]) == {"Sheet2!B3": "S9990001", "Sheet2!D3": "12.5"}


def test_rows_are_joined_by_tabs_and_newlines(workbook_path: Path) -> None:
    roster = read(workbook_path)[0]

    lines = roster.text.split("\n")
    assert lines[0] == "Name\tSSN\tStudent ID\tEnrolled\tBalance"
    assert len(lines) == 6
    assert read(workbook_path)[1].text == "\tS9990001\t\t12.5"


def test_numbers_keep_their_digits_and_dates_are_iso(
    workbook_path: Path, names: list[str]
) -> None:
    roster = read(workbook_path)[0]

    assert cell_texts(roster)["Roster!A2"] == names[0]
    assert cell_texts(roster)["Roster!C2"] == "123456789"
    assert cell_texts(roster)["Roster!D2"] == "2024-08-19"
    assert cell_texts(roster)["Roster!E2"] == "1500"


def test_each_row_is_a_record_labelled_with_sheet_and_row(workbook_path: Path) -> None:
    roster = read(workbook_path)[0]

    assert roster.records is not None
    assert [record.label for record in roster.records[:2]] == [
        "Roster row 1",
        "Roster row 2",
    ]
    second = roster.records[1]
    assert second.location == "Roster row 2"
    assert roster.text[second.start : second.end].split("\t")[1] == SSN


def test_cells_point_at_their_columns(workbook_path: Path) -> None:
    roster = read(workbook_path)[0]

    ssn_cells = [cell for cell in roster.cells if cell.location.startswith("Roster!B")]
    assert {cell.column for cell in ssn_cells} == {1}


def test_header_row_gives_the_column_names(workbook_path: Path) -> None:
    units = read(workbook_path)

    assert [column.header for column in units[0].columns] == [
        "Name",
        "SSN",
        "Student ID",
        "Enrolled",
        "Balance",
    ]
    assert [column.header for column in units[1].columns] == ["", "", "", ""]


def test_offsets_are_not_reported(workbook_path: Path) -> None:
    assert all(unit.base_offset is None for unit in read(workbook_path))


def test_long_sheets_are_split_into_units_at_row_boundaries(
    workbook_path: Path,
) -> None:
    context = ReadContext(Limits(chunk_chars=80))
    units = [
        unit for unit in read(workbook_path, context) if sheet_of(unit) == "Roster"
    ]

    assert len(units) > 1
    assert all(unit.records and len(unit.text) <= 80 for unit in units)
    assert all(unit.columns[1].header == "SSN" for unit in units)
    assert units[1].records is not None
    assert units[1].records[0].start == 0


def test_a_unit_of_short_rows_ends_at_the_cell_cap(workbook_path: Path) -> None:
    """However short the values, a unit holds at most the cell cap (checked
    before each row is added), so a large sheet is read in bounded memory."""
    context = ReadContext(Limits(unit_cells=7))
    units = [
        unit for unit in read(workbook_path, context) if sheet_of(unit) == "Roster"
    ]
    assert [len(unit.cells) for unit in units] == [10, 10, 10]  # rows of five cells
    assert [len(unit.records or ()) for unit in units] == [2, 2, 2]


def test_cell_budget_stops_the_workbook_with_a_warning(workbook_path: Path) -> None:
    context = ReadContext(Limits(max_cells=12))
    units = read(workbook_path, context)

    assert [sheet_of(unit) for unit in units] == ["Roster"]
    assert units[0].records is not None
    assert len(units[0].records) == 2
    assert context.problems == ["workbook has more than 12 cells; the rest is not read"]


def test_truncated_workbook_is_a_clear_error(
    workbook_path: Path, tmp_path: Path
) -> None:
    data = workbook_path.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])

    with pytest.raises(DocumentError, match=r"^not a readable XLSX workbook: "):
        read(cut)


def test_random_bytes_named_xlsx_are_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "noise.xlsx"
    path.write_bytes(bytes(range(256)) * 8)

    with pytest.raises(DocumentError, match=r"^not a readable XLSX workbook: "):
        read(path)


def test_zip_without_a_workbook_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "nothing here")

    with pytest.raises(DocumentError, match=r"^not a readable XLSX workbook: "):
        read(path)


_VALUES = st.one_of(
    st.text(alphabet="ab \t7-", max_size=6),
    st.integers(-10, 10**12),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.booleans(),
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)),
)


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.integers(1, 30), st.integers(1, 6)), _VALUES, max_size=40
    )
)
def test_a_sparse_sheet_reads_as_its_cells_say(
    tmp_path_factory: pytest.TempPathFactory,
    cells: dict[tuple[int, int], str | int | float | bool | dt.date],
) -> None:
    """Rows and columns the file leaves out, empty strings, numbers, dates and
    booleans: each filled cell is read at its own ``Sheet!B7`` place with its
    text, each row with a filled cell is a record of its own number, as the
    workbook opened in ordinary (not streaming) mode says."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Data"
    for (row, column), value in cells.items():
        sheet.cell(row=row, column=column, value=value)
    path = tmp_path_factory.mktemp("sheet") / "data.xlsx"
    workbook.save(path)
    expected: dict[str, str] = {}
    rows: set[int] = set()
    for row_cells in load_workbook(path, data_only=True)["Data"].iter_rows():
        for cell in row_cells:
            if cell.value is not None and cell.value != "":
                expected[f"Data!{cell.coordinate}"] = cell_text(cell.value)
                rows.add(cell.row)
    units = read(path)
    found = {place: text for unit in units for place, text in cell_texts(unit).items()}
    assert found == expected
    labels = [record.label for unit in units for record in unit.records or ()]
    assert labels == [f"Data row {row}" for row in sorted(rows)]
