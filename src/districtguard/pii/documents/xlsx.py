"""Read XLSX workbooks row by row: every sheet, hidden ones too, cached values."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from openpyxl import load_workbook
from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from districtguard.pii.documents.archive import check_container, describe_failure
from districtguard.pii.documents.base import (
    OLE_MAGIC,
    Column,
    DocumentError,
    EncryptedDocument,
    ReadContext,
    SheetCells,
    SheetRecords,
    Source,
    TextUnit,
)
from districtguard.pii.tables import classify_columns

SAMPLE_ROWS = 200
MAX_LABEL_CHARS = 64
KIND = "XLSX workbook"
_SEPARATORS = str.maketrans("\t\n\r\v\f", "     ")
T = TypeVar("T")


def cell_text(value: object) -> str:
    """Return a cell value as text, keeping every digit of a number.

    Tabs and line breaks inside a cell become spaces, so they cannot be mistaken
    for the separators between cells and rows.
    """
    if type(value) is str:  # the usual cases first, by exact type
        return value.translate(_SEPARATORS)
    if type(value) is int:  # a bool is an int, but not of type int
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).translate(_SEPARATORS)


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    values: list[str]  # index 0 is column A; "" where a cell is empty
    labels: bool  # every non-empty cell is a short text label (first row only)


@dataclass
class _Chunk:
    """The rows of one unit as they are added, cells and rows as numbers (a
    cell's ``Sheet1!B7`` place is made only for the cells findings are in)."""

    sheet: str
    parts: list[str] = field(default_factory=list)
    row_starts: list[int] = field(default_factory=list)
    row_ends: list[int] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    cell_starts: list[int] = field(default_factory=list)
    cell_ends: list[int] = field(default_factory=list)
    cell_columns: list[int] = field(default_factory=list)
    cell_rows: list[int] = field(default_factory=list)
    size: int = 0
    width: int = 0

    def add(self, row: _Row) -> None:
        if self.parts:
            self.parts.append("\n")
            self.size += 1
        start = position = self.size
        record = len(self.row_numbers)
        for index, value in enumerate(row.values):
            if value:
                self.cell_starts.append(position)
                self.cell_ends.append(position + len(value))
                self.cell_columns.append(index)
                self.cell_rows.append(record)
            position += len(value) + 1
        self.size = position - 1  # no tab after the last value
        self.parts.append("\t".join(row.values))
        self.row_starts.append(start)
        self.row_ends.append(self.size)
        self.row_numbers.append(row.number)
        self.width = max(self.width, len(row.values))

    def unit(self, columns: Sequence[Column]) -> TextUnit:
        extra = [Column("") for _ in range(self.width - len(columns))]
        letters = [get_column_letter(index + 1) for index in range(self.width)]
        cells = SheetCells(
            self.sheet,
            self.cell_starts,
            self.cell_ends,
            self.cell_columns,
            self.cell_rows,
            self.row_numbers,
            letters,
        )
        records = SheetRecords(
            self.sheet, self.row_starts, self.row_ends, self.row_numbers
        )
        return TextUnit(
            text="".join(self.parts),
            records=records,
            cells=cells,
            columns=[*columns, *extra],
            base_offset=None,
        )


@dataclass(frozen=True, slots=True)
class XlsxReader:
    """XLSX and XLSM workbooks through openpyxl's streaming (read-only) mode."""

    name: str = "xlsx"
    suffixes: tuple[str, ...] = (".xlsx", ".xlsm")

    def read(self, source: Source, context: ReadContext) -> Iterator[TextUnit]:
        """Yield the rows of every worksheet, at most about a chunk per unit."""
        with source.open() as handle:
            if handle.read(len(OLE_MAGIC)) == OLE_MAGIC:
                # Excel's password encryption wraps the package in an OLE file.
                raise EncryptedDocument(
                    "encrypted Excel workbook (password): protected as a whole, "
                    "contents not read"
                )
            handle.seek(0)
            check_container(handle, context, KIND)
            try:
                workbook = load_workbook(handle, read_only=True, data_only=True)
            except Exception as exc:  # a hostile file can fail anywhere in openpyxl
                raise _unreadable(exc) from None
            budget = [context.limits.max_cells]
            try:
                for sheet in workbook.worksheets:
                    if isinstance(sheet, ReadOnlyWorksheet):
                        # Declared dimensions can lie: stream only the cells present.
                        sheet.reset_dimensions()
                    values = sheet.iter_rows(values_only=True)
                    rows = _rows(_guarded(values), budget, context)
                    yield from _units(sheet.title, rows, context)
                    if budget[0] < 0:
                        return
            finally:
                workbook.close()


def _rows(
    raw_rows: Iterable[Sequence[object]], budget: list[int], context: ReadContext
) -> Iterator[_Row]:
    """Yield the non-empty rows, stopping once the workbook's cell budget is spent.

    ``raw_rows`` are a sheet's rows of values from its first row on, as
    openpyxl's ``iter_rows(values_only=True)`` gives them: the n-th is row n
    (openpyxl yields an empty one for each row the file leaves out), its i-th
    value is column i + 1, and no cell object is made per value.
    """
    first = True
    for number, raw in enumerate(raw_rows, start=1):
        budget[0] -= len(raw)
        if budget[0] < 0:
            limit = context.limits.max_cells
            context.warn(f"workbook has more than {limit} cells; the rest is not read")
            return
        filled = [
            (index, value)
            for index, value in enumerate(raw)
            if value is not None and value != ""
        ]
        if not filled:
            continue
        values = [""] * (filled[-1][0] + 1)
        for index, value in filled:
            values[index] = cell_text(value)
        # Only a sheet's first row can be its header: the others are not asked.
        labels = first and all(_is_label(value) for _, value in filled)
        first = False
        yield _Row(number, values, labels)


def _units(
    sheet: str, rows: Iterator[_Row], context: ReadContext
) -> Iterator[TextUnit]:
    head = list(itertools.islice(rows, SAMPLE_ROWS + 1))
    if not head:
        return
    header = head[0] if head[0].labels else None
    samples = [row.values for row in head if row is not header][:SAMPLE_ROWS]
    width = max(len(row.values) for row in head)
    names = _padded(header.values if header else [], width)
    columns = classify_columns(names, [_padded(values, width) for values in samples])
    chunk = _Chunk(sheet)
    for row in itertools.chain(head, rows):
        if chunk.parts and (
            chunk.size + 1 + _length(row) > context.limits.chunk_chars
            or len(chunk.cell_starts) >= context.limits.unit_cells
        ):
            yield chunk.unit(columns)
            chunk = _Chunk(sheet)
        chunk.add(row)
    yield chunk.unit(columns)


def _is_label(value: object) -> bool:
    if not isinstance(value, str):
        return False
    letters = sum(char.isalpha() for char in value)
    digits = sum(char.isdigit() for char in value)
    return len(value.strip()) <= MAX_LABEL_CHARS and letters > digits


def _length(row: _Row) -> int:
    return sum(len(value) for value in row.values) + len(row.values) - 1


def _padded(values: list[str], width: int) -> list[str]:
    return values + [""] * (width - len(values))


def _guarded(items: Iterable[T]) -> Iterator[T]:
    """Yield from ``items``, turning a parser failure into a DocumentError."""
    iterator = iter(items)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # a hostile file can fail anywhere in openpyxl
            raise _unreadable(exc) from None
        yield item


def _unreadable(exc: Exception) -> DocumentError:
    return DocumentError(f"not a readable {KIND}: {describe_failure(exc)}")


READER = XlsxReader()
