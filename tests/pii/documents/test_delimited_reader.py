"""The CSV/TSV reader: rows as records, fields as cells, exact offsets, headers."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Sequence
from pathlib import Path

import pytest
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from districtguard.pii.documents import delimited, file_source, read_source
from districtguard.pii.documents.base import Column, Limits, ReadContext, TextUnit
from districtguard.pii.documents.delimited import column_name, is_header

SSN = "000-12-3456"  # area 000 is never issued: obviously synthetic
HEADER = ["first_name", "last_name", "ssn", "notes"]


@pytest.fixture
def people() -> list[list[str]]:
    fake = Faker()
    fake.seed_instance(1120)
    return [
        [fake.first_name(), fake.last_name(), f"000-{index:02d}-{1000 + index}", ""]
        for index in range(1, 21)
    ]


def write_csv(
    path: Path, rows: Sequence[Sequence[str]], sep: str = ",", enc: str = "utf-8"
) -> str:
    with path.open("w", newline="", encoding=enc) as handle:
        csv.writer(handle, delimiter=sep).writerows(rows)
    return path.read_bytes().decode(enc)


def read(path: Path, limits: Limits | None = None) -> tuple[list[TextUnit], list[str]]:
    context = ReadContext(limits=limits or Limits())
    return list(read_source(file_source(path), context)), context.problems


def cells(unit: TextUnit) -> dict[str, str]:
    return {cell.location: unit.text[cell.start : cell.end] for cell in unit.cells}


def at(decoded: str, unit: TextUnit, start: int, end: int) -> str:
    assert unit.base_offset is not None
    base = unit.base_offset - unit.origin
    return decoded[base + start : base + end]


def check_tiling(decoded: str, units: list[TextUnit], header: str) -> None:
    assert header + "".join(unit.text for unit in units) == decoded
    for unit in units:
        assert unit.base_offset is not None
        assert decoded[unit.base_offset :].startswith(unit.text)
        assert unit.first_line == decoded[: unit.base_offset].count("\n") + 1


def test_rows_are_records_and_fields_are_cells_at_exact_offsets(
    tmp_path: Path, people: list[list[str]]
) -> None:
    people[1][2] = SSN
    decoded = write_csv(tmp_path / "roster.csv", [HEADER, *people])

    units, problems = read(tmp_path / "roster.csv")

    assert problems == []
    assert len(units) == 1
    unit = units[0]
    check_tiling(decoded, units, "first_name,last_name,ssn,notes\r\n")
    assert [column.header for column in unit.columns] == HEADER
    assert unit.records is not None
    assert [record.label for record in unit.records] == [
        f"row {number}" for number in range(2, 22)
    ]
    third = unit.records[1]
    assert at(decoded, unit, third.start, third.end) == ",".join(people[1])
    found = cells(unit)
    assert found["row 3, column A (first_name)"] == people[1][0]
    assert found["row 21, column D (notes)"] == ""
    ssn_cell = next(c for c in unit.cells if unit.text.startswith(SSN, c.start))
    assert (ssn_cell.column, ssn_cell.location) == (2, "row 3, column C (ssn)")
    assert at(decoded, unit, ssn_cell.start, ssn_cell.end) == SSN


def test_quoted_field_spanning_lines_stays_in_one_row(tmp_path: Path) -> None:
    note = 'Moved "mid-year";\nsee file, page 2\r\nthird line'
    rows = [HEADER, ["Ada", "Quill", SSN, note], ["Bo", "Ree", "", "x"]]
    decoded = write_csv(tmp_path / "notes.csv", rows)

    units, _ = read(tmp_path / "notes.csv")

    unit = units[0]
    check_tiling(decoded, units, "first_name,last_name,ssn,notes\r\n")
    found = cells(unit)
    assert found["row 2, column D (notes)"] == note.replace('"', '""')
    assert found["row 3, column D (notes)"] == "x"
    assert unit.records is not None
    assert [record.label for record in unit.records] == ["row 2", "row 3"]
    assert unit.first_line == 2
    notes_cell = unit.cells[3]
    assert unit.text[notes_cell.start - 1] == '"'
    assert unit.text[notes_cell.end] == '"'


@pytest.mark.parametrize(
    ("name", "sep"), [("export.tsv", "\t"), ("export.csv", ";"), ("pipes.csv", "|")]
)
def test_separator_is_sniffed(
    tmp_path: Path, people: list[list[str]], name: str, sep: str
) -> None:
    decoded = write_csv(tmp_path / name, [HEADER, *people], sep=sep)

    units, _ = read(tmp_path / name)

    check_tiling(decoded, units, sep.join(HEADER) + "\r\n")
    assert cells(units[0])["row 4, column C (ssn)"] == people[2][2]


def test_utf16_file_with_bom_is_read(tmp_path: Path, people: list[list[str]]) -> None:
    path = tmp_path / "excel.csv"
    decoded = write_csv(path, [HEADER, ["Zoë", "Ödegård", SSN, "—"]], enc="utf-16")

    units, problems = read(path)

    assert problems == []
    assert path.read_bytes().startswith(codecs.BOM_UTF16_LE)
    check_tiling(decoded, units, ",".join(HEADER) + "\r\n")
    assert cells(units[0])["row 2, column B (last_name)"] == "Ödegård"


def test_windows_1252_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(b"name,ssn\r\nJos\xe9 Ca\xf1o,000-12-3456\r\n")

    units, problems = read(path)

    assert problems == []
    assert cells(units[0])["row 2, column A (name)"] == "José Caño"


def test_invalid_utf8_later_in_the_file_is_reported_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    body = b"".join(b"Name%d,000-12-%04d\n" % (n, n) for n in range(9000))
    path.write_bytes(b"name,ssn\n" + body + b"Bad\xff,000-12-9999\n")

    units, problems = read(path)

    assert len(problems) == 1
    last = units[-1]
    assert last.records is not None
    assert last.records[-1].label == "row 9002"
    assert cells(last)["row 9002, column A (name)"] == "Bad\ufffd"


@pytest.mark.parametrize("content", [b"", b"first_name,ssn\r\n", b"name,ssn"])
def test_empty_or_header_only_file_yields_no_units(
    tmp_path: Path, content: bytes
) -> None:
    (tmp_path / "template.csv").write_bytes(content)

    assert read(tmp_path / "template.csv") == ([], [])


def test_first_row_holding_an_identifier_is_data_not_a_header(tmp_path: Path) -> None:
    decoded = write_csv(tmp_path / "bare.csv", [["Ada Quill", SSN]])

    units, _ = read(tmp_path / "bare.csv")

    check_tiling(decoded, units, "")
    assert cells(units[0]) == {"row 1, column A": "Ada Quill", "row 1, column B": SSN}


def test_ragged_rows_get_unnamed_columns_beyond_the_header(tmp_path: Path) -> None:
    write_csv(tmp_path / "ragged.csv", [["name", "ssn"], ["Ada", SSN, "extra"], ["Bo"]])

    units, _ = read(tmp_path / "ragged.csv")

    unit = units[0]
    assert unit.columns[2] == Column("")
    assert len(unit.columns) == 3
    assert cells(unit)["row 2, column C"] == "extra"
    assert [cell.column for cell in unit.cells] == [0, 1, 2, 0]


def test_blank_lines_count_as_rows_like_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("name,ssn\n\nAda,000-12-3456\n\n\nBo,\n", encoding="utf-8")

    units, _ = read(path)

    assert units[0].records is not None
    assert [record.label for record in units[0].records] == ["row 3", "row 6"]
    assert units[0].text == "\nAda,000-12-3456\n\n\nBo,\n"


def test_old_mac_line_ends_separate_rows(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_text("name,ssn\rAda,000-12-3456\rBo,x\r", encoding="utf-8", newline="")

    units, _ = read(path)

    assert cells(units[0])["row 3, column B (ssn)"] == "x"


def test_large_file_is_split_into_units_sharing_the_same_columns(
    tmp_path: Path, people: list[list[str]]
) -> None:
    decoded = write_csv(tmp_path / "many.csv", [HEADER] + people * 10)

    units, _ = read(tmp_path / "many.csv", Limits(chunk_chars=500))

    assert len(units) > 5
    check_tiling(decoded, units, ",".join(HEADER) + "\r\n")
    assert all(unit.columns == units[0].columns for unit in units)
    labels = [r.label for unit in units for r in unit.records or ()]
    assert labels == [f"row {number}" for number in range(2, 202)]
    assert all(len(unit.text) < 600 for unit in units)


def test_columns_are_classified_once_from_a_sample_of_rows(
    tmp_path: Path, people: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[list[str], int]] = []

    def classify(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[Column]:
        calls.append((list(headers), len(rows)))
        return [Column(header, frozenset({"seen"})) for header in headers]

    monkeypatch.setattr(delimited, "classify_columns", classify)
    write_csv(tmp_path / "many.csv", [HEADER] + people * 15)

    units, _ = read(tmp_path / "many.csv", Limits(chunk_chars=2000))

    assert calls == [(HEADER, 200)]
    assert all(unit.columns[0].hints == {"seen"} for unit in units)


def test_unclosed_quote_is_reported_and_the_rest_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    text = 'name,ssn\nAda,000-12-3456\nBo,"never closed\n' + "Cy,000-12-0001\n" * 80
    path.write_text(text, encoding="utf-8")

    units, problems = read(path, Limits(chunk_chars=400, chunk_overlap=30))

    assert problems == [
        "row 3: unclosed quote or a row longer than 400 characters; "
        "the rest is scanned as plain text"
    ]
    assert units[0].text == "Ada,000-12-3456\n"
    rest = "".join(u.text[u.own_start : u.own_end] for u in units[1:])
    assert "name,ssn\n" + units[0].text + rest == text
    assert all(unit.records is None for unit in units[1:])


def test_fields_beyond_the_csv_module_limit_and_nul_bytes_are_just_data(
    tmp_path: Path,
) -> None:
    path = tmp_path / "blob.csv"
    blob = "A" * (csv.field_size_limit() + 10)
    path.write_text(f'name,blob\nAda,"{blob}"\nBo\x00,x\n', encoding="utf-8")

    units, problems = read(path)

    assert problems == []
    found = cells(units[0])
    assert found["row 2, column B (blob)"] == blob
    assert found["row 3, column A (name)"] == "Bo\x00"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["ssn", "first_name"], True),
        (["Student ID", "DOB"], True),
        (["SSN", "LastName"], True),
        (["who", "what"], True),  # its column has digits, the label none
        (["Ada Quill", SSN], False),
        (["Ada", "Quill", "4111111111111111"], False),
        (["ada@example.org", "x"], False),
        (["", ""], False),
        (["12", "34"], False),
    ],
)
def test_header_is_recognised_by_its_labels(row: list[str], expected: bool) -> None:
    data = [["Bo", "000-12-3457"], ["Cy", "000-12-3458"]]

    assert is_header(row, data, "a,b\nc,d\n") is expected


def test_columns_are_named_like_spreadsheet_columns() -> None:
    names = [column_name(index) for index in (0, 25, 26, 701, 702)]

    assert names == ["column A", "column Z", "column AA", "column ZZ", "column AAA"]
    assert column_name(2, " ssn\nlast4 ") == "column C (ssn last4)"


_PLAIN = st.text(alphabet="ab1 ;\t", max_size=6)
_ODD = st.text(alphabet="ab1 ,;\t\"'\r\n", max_size=6)  # quotes, breaks
_FIELD = st.one_of(_PLAIN, _PLAIN, _PLAIN, _ODD)
_END = st.sampled_from(["\n", "\r\n", "\r", ""])


@st.composite
def _table(draw: st.DrawFn) -> str:
    """A header and rows with one line end throughout, or a mix of ends."""
    header = draw(st.sampled_from(["ssn,name,notes\n", "a;b\r\n", ""]))
    shared = draw(st.sampled_from(["\n", "\r\n", None]))
    # The first rows are read one by one to sample the columns: blocks begin
    # after them.
    rows = [f"{n},b{shared or chr(10)}" for n in range(delimited.SAMPLE_ROWS + 1)]
    for fields in draw(st.lists(st.lists(_FIELD, max_size=5), max_size=30)):
        end = shared if shared is not None else draw(_END)
        rows.append(",".join(fields) + end)
    return header + "".join(rows)


def _as_read(units: list[TextUnit]) -> list[tuple[object, ...]]:
    """Every unit with its records and cells made into plain objects."""
    return [
        (
            unit.text,
            unit.base_offset,
            unit.first_line,
            list(unit.columns),
            list(unit.records or ()),
            list(unit.cells),
        )
        for unit in units
    ]


@settings(max_examples=300, deadline=None)
@given(text=_table(), chunk=st.sampled_from([40, 97, 4 << 20]))
def test_rows_split_a_block_at_a_time_read_as_rows_split_one_by_one(
    tmp_path_factory: pytest.TempPathFactory, text: str, chunk: int
) -> None:
    """Unquoted rows are cut a block at a time in C; whatever the quotes, line
    ends, blank rows, ragged rows and unit size, the units, records, cells and
    problems are those of the tokenizer taking one row at a time."""
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_bytes(text.encode())
    limits = Limits(chunk_chars=chunk)
    quick, quick_problems = read(path, limits)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delimited._Table, "blocks", False)
        slow, slow_problems = read(path, limits)
    assert _as_read(quick) == _as_read(slow)
    assert quick_problems == slow_problems


def test_a_long_export_is_read_in_blocks_with_exact_cells(tmp_path: Path) -> None:
    """A CRLF export of a thousand rows (one quoted, one blank) has every field
    at its place and every row numbered as a spreadsheet shows it."""
    fake = Faker()
    fake.seed_instance(7)
    rows = [["student_id", "first", "last", "note"]]
    rows += [
        [str(100000 + n), fake.first_name(), fake.last_name(), "x"] for n in range(1000)
    ]
    rows[500][3] = 'said, "hi"'  # quoted by the writer
    decoded = write_csv(tmp_path / "e.csv", rows)
    decoded = decoded.replace("\r\n", "\r\n\r\n", 1)  # a blank row after the header
    (tmp_path / "e.csv").write_bytes(decoded.encode())
    [unit], problems = read(tmp_path / "e.csv")
    assert problems == []
    shown = cells(unit)
    assert len(shown) == 4000
    for n in (1, 499, 500, 1000):
        assert shown[f"row {n + 2}, column A (student_id)"] == str(99999 + n)
        assert shown[f"row {n + 2}, column C (last)"] == rows[n][2]
    assert shown["row 502, column D (note)"] == 'said, ""hi""'  # as written
    assert unit.records is not None
    assert [r.label for r in unit.records[:2]] == ["row 3", "row 4"]
    assert unit.cells[-1] == list(unit.cells)[-1]
    assert unit.cells[-1].location == "row 1002, column D (note)"
    assert not unit.text[unit.records[-1].end :].strip()


def test_a_unit_of_short_rows_ends_at_the_cell_cap(tmp_path: Path) -> None:
    """Short rows make a cell every few characters: a unit ends at the cell cap
    (plus at most one block of rows) long before the unit size, and the units
    still tile the file with every row whole."""
    rows = [["id", "grade", "room", "period"]]
    rows += [[str(100000 + n), str(n % 12), str(n % 300), "1"] for n in range(30_000)]
    decoded = write_csv(tmp_path / "short.csv", rows)
    units, problems = read(tmp_path / "short.csv", Limits(unit_cells=1000))
    assert problems == []
    check_tiling(decoded, units, decoded.split("\n", 1)[0] + "\n")
    assert len(units) >= 6
    for unit in units[:-1]:
        assert 1000 <= len(unit.cells) < 1000 + 20_000  # one 64 KiB block at most
    assert sum(len(unit.cells) for unit in units) == 120_000
    assert all(len(unit.records or ()) * 4 == len(unit.cells) for unit in units)


def test_spaces_after_the_delimiter_are_left_out_of_cells_past_the_sample(
    tmp_path: Path,
) -> None:
    """A file written with ", " between fields is read with the spaces skipped,
    by the tokenizer a block at a time past the sampled rows, as row by row."""
    text = "name, ssn, note\n" + "".join(
        f"Ann Lee, {SSN[:-4]}{1000 + n}, x\n" for n in range(delimited.SAMPLE_ROWS * 2)
    )
    path = tmp_path / "spaced.csv"
    path.write_text(text)
    units, problems = read(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delimited._Table, "blocks", False)
        slow, slow_problems = read(path)
    assert problems == slow_problems == []
    assert _as_read(units) == _as_read(slow)
    [unit] = units
    shown = cells(unit)
    assert shown["row 400, column B (ssn)"] == f"{SSN[:-4]}1398"
    assert shown["row 401, column C (note)"] == "x"
