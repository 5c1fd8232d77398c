"""Read DOCX documents: body paragraphs, tables row by row, headers and footers.

Paragraph and table numbers count what a person sees: non-empty paragraphs, and
a cell spanning several grid columns counts once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.section import _Footer, _Header
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

from districtguard.pii.documents.archive import check_container, describe_failure
from districtguard.pii.documents.base import (
    Cell,
    Column,
    DocumentError,
    ReadContext,
    Record,
    Source,
    TextUnit,
)
from districtguard.pii.tables import classify_columns

KIND = "DOCX document"
SAMPLE_ROWS = 200
_SEPARATORS = str.maketrans("\t\n\r\v\f", "     ")
_PARTS = (
    ("header", "header"),
    ("first_page_header", "first-page header"),
    ("even_page_header", "even-page header"),
    ("footer", "footer"),
    ("first_page_footer", "first-page footer"),
    ("even_page_footer", "even-page footer"),
)


@dataclass
class _Spans:
    """Text built piece by piece, with the records and cells found in it."""

    parts: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    size: int = 0

    def add(self, text: str) -> int:
        if self.parts:
            self.parts.append("\n")
            self.size += 1
        self.parts.append(text)
        self.size += len(text)
        return self.size - len(text)

    def unit(self, columns: Sequence[Column] = ()) -> TextUnit:
        return TextUnit(
            text="".join(self.parts),
            records=self.records,
            cells=self.cells,
            columns=columns,
            base_offset=None,
        )


@dataclass(frozen=True, slots=True)
class DocxReader:
    """Word documents through python-docx."""

    name: str = "docx"
    suffixes: tuple[str, ...] = (".docx",)

    def read(self, source: Source, context: ReadContext) -> Iterator[TextUnit]:
        """Yield paragraph runs, then each table, then headers and footers."""
        with source.open() as handle:
            check_container(handle, context, KIND)
            try:
                document = docx.Document(handle)
            except (ValueError, PackageNotFoundError):
                # python-docx's way of saying the package holds no Word document.
                reason = "not a Word document"
                raise DocumentError(f"not a readable {KIND}: {reason}") from None
            except Exception as exc:  # a hostile file can fail anywhere in the parser
                reason = describe_failure(exc)
                raise DocumentError(f"not a readable {KIND}: {reason}") from None
        yield from _body(document, context.limits.chunk_chars)
        yield from _headers_and_footers(document)


def _body(document: Document, chunk_chars: int) -> Iterator[TextUnit]:
    spans = _Spans()
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            if spans.parts:
                yield spans.unit()
                spans = _Spans()
            tables += 1
            yield from _table(block, f"table {tables}", chunk_chars)
            continue
        text = block.text
        if not text.strip():
            continue
        if spans.parts and spans.size + 1 + len(text) > chunk_chars:
            yield spans.unit()
            spans = _Spans()
        paragraphs += 1
        start = spans.add(text)
        label = f"paragraph {paragraphs}"
        spans.records.append(Record(start, spans.size, label, label))
    if spans.parts:
        yield spans.unit()


def _table(table: Table, name: str, chunk_chars: int) -> Iterator[TextUnit]:
    """Yield a table's rows; a cell's column is the grid column it starts in."""
    rows = [_grid_cells(row) for row in table.rows]
    width = max((grid + 1 for row in rows for grid, _, _ in row), default=0)
    if not width:
        return
    headers = [""] * width
    for grid, span, text in rows[0]:
        headers[grid : grid + span] = [text] * span
    samples = [_by_grid(row, width) for row in rows[1 : SAMPLE_ROWS + 1]]
    columns = classify_columns(headers, samples)
    spans = _Spans()
    for number, cells in enumerate(rows, 1):
        text = "\t".join(value for _, _, value in cells)
        if spans.parts and spans.size + 1 + len(text) > chunk_chars:
            yield spans.unit(columns)
            spans = _Spans()
        start = offset = spans.add(text)
        label = f"{name} row {number}"
        for index, (grid, _, value) in enumerate(cells, 1):
            if value:
                place = f"{label}, cell {index}"
                spans.cells.append(Cell(offset, offset + len(value), grid, place))
            offset += len(value) + 1
        spans.records.append(Record(start, spans.size, label, label))
    yield spans.unit(columns)


def _grid_cells(row: _Row) -> list[tuple[int, int, str]]:
    """Return (grid column, grid span, text) per visible cell of ``row``."""
    cells: list[tuple[int, int, str]] = []
    previous: object = None
    for grid, cell in enumerate(row.cells, row.grid_cols_before):
        if cell._tc is previous:
            last_grid, span, text = cells[-1]
            cells[-1] = (last_grid, span + 1, text)
            continue
        previous = cell._tc
        cells.append((grid, 1, cell.text.strip().translate(_SEPARATORS)))
    return cells


def _by_grid(cells: list[tuple[int, int, str]], width: int) -> list[str]:
    values = [""] * width
    for grid, _, text in cells:
        values[grid] = text
    return values


def _headers_and_footers(document: Document) -> Iterator[TextUnit]:
    for number, section in enumerate(document.sections, 1):
        for attribute, label in _PARTS:
            part: _Header | _Footer = getattr(section, attribute)
            if part.is_linked_to_previous:
                continue
            text = "\n".join(_block_texts(part.iter_inner_content()))
            if text.strip():
                location = f"section {number} {label}"
                yield TextUnit(text=text, location=location, base_offset=None)


def _block_texts(blocks: Iterable[Paragraph | Table]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                yield "\t".join(text for _, _, text in _grid_cells(row))
        else:
            yield block.text


READER = DocxReader()
