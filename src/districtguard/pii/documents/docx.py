"""Read DOCX documents: body, tables, headers, footers, notes, comments, text boxes.

Paragraph and table numbers count what a person sees: non-empty paragraphs, and
a cell spanning several grid columns counts once.

Besides the body, every *story* Word keeps text in is read, each as one unit
with its own location: headers and footers of each section, footnotes and
endnotes (``footnote 2``), comments (``comment 0``) and text boxes
(``text box 1``, ``section 1 header text box 1``). Word saves most text boxes
twice, as a drawing and as a fallback picture for older readers; the fallback
copy is read only when its text differs, so a value is not counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import PartFactory, XmlPart
from docx.oxml.ns import qn
from docx.section import _Footer, _Header
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.types import ProvidesStoryPart

from districtguard.pii.documents.archive import check_container, describe_failure
from districtguard.pii.documents.base import (
    OLE_MAGIC,
    Cell,
    Column,
    DocumentError,
    EncryptedDocument,
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


# Footnotes and endnotes have no part class in python-docx: load them as XML
# parts (python-docx's registry for this), so they can be read and rewritten.
PartFactory.part_type_for.setdefault(CONTENT_TYPE.WML_FOOTNOTES, XmlPart)
PartFactory.part_type_for.setdefault(CONTENT_TYPE.WML_ENDNOTES, XmlPart)

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TEXT_BOX = qn("w:txbxContent")
_P = qn("w:p")
_TBL = qn("w:tbl")
_NOTES = (
    (RELATIONSHIP_TYPE.FOOTNOTES, "w:footnote", "footnote"),
    (RELATIONSHIP_TYPE.ENDNOTES, "w:endnote", "endnote"),
    (RELATIONSHIP_TYPE.COMMENTS, "w:comment", "comment"),
)


@dataclass(frozen=True, slots=True)
class Story:
    """Text Word keeps apart from the body: its place, element, and twins.

    ``twins`` are fallback copies of a text box holding the same text, which
    the scan passes over and a rewrite must change the same way.
    """

    location: str
    element: Any  # an lxml element holding paragraphs and tables
    twins: tuple[Any, ...] = ()

    def blocks(
        self, parent: ProvidesStoryPart, element: Any = None
    ) -> list[Paragraph | Table]:
        """Return the paragraphs and tables of the story (or of one twin)."""
        root = self.element if element is None else element
        blocks: list[Paragraph | Table] = []
        for child in root.iterchildren(_P, _TBL):
            if child.tag == _P:
                blocks.append(Paragraph(child, parent))
            else:
                blocks.append(Table(child, parent))
        return blocks


def stories(document: Document) -> Iterator[Story]:
    """Yield every story besides the body, in a fixed order."""
    yield from _text_boxes(document.element.body, "")
    for number, section in enumerate(document.sections, 1):
        for attribute, label in _PARTS:
            part: _Header | _Footer = getattr(section, attribute)
            if part.is_linked_to_previous:
                continue
            where = f"section {number} {label}"
            element = part.part.element
            yield Story(where, element)
            yield from _text_boxes(element, f"{where} ")
    for reltype, tag, label in _NOTES:
        try:
            notes = document.part.part_related_by(reltype)
        except KeyError:
            continue
        if not isinstance(notes, XmlPart):
            continue
        for note in notes.element.iterchildren(qn(tag)):
            if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
                continue
            where = f"{label} {note.get(qn('w:id'), '?')}"
            yield Story(where, note)
            yield from _text_boxes(note, f"{where} ")


def _text_boxes(element: Any, prefix: str) -> Iterator[Story]:
    number = 0
    boxes = list(element.iter(_TEXT_BOX))
    twins = {id(box): _twin_of(box) for box in boxes}
    for box in boxes:
        if twins[id(box)] is not None:
            continue  # read with the drawing it copies
        number += 1
        copies = tuple(other for other in boxes if twins[id(other)] is box)
        yield Story(f"{prefix}text box {number}", box, copies)


def _twin_of(box: Any) -> Any:
    """Return the drawing's text box that a fallback ``box`` copies, or None."""
    fallback = next(box.iterancestors(f"{_MC}Fallback"), None)
    if fallback is None:
        return None
    choice = fallback.getparent()
    if choice is None:
        return None
    text = _plain(box)
    for other in choice.iter(_TEXT_BOX):
        if next(other.iterancestors(f"{_MC}Fallback"), None) is None and (
            _plain(other) == text
        ):
            return other
    return None


def _plain(element: Any) -> str:
    return "".join(element.itertext())


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
        """Yield paragraph runs and each table, then every other story."""
        with source.open() as handle:
            if handle.read(len(OLE_MAGIC)) == OLE_MAGIC:
                # Word's password encryption wraps the package in an OLE file.
                raise EncryptedDocument(
                    "encrypted Word document (password): protected as a whole, "
                    "contents not read"
                )
            handle.seek(0)
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
        for story in stories(document):
            text = "\n".join(_block_texts(story.blocks(document)))
            if text.strip():
                yield TextUnit(text=text, location=story.location, base_offset=None)


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


def _block_texts(blocks: Iterable[Paragraph | Table]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                yield "\t".join(text for _, _, text in _grid_cells(row))
        else:
            yield block.text


READER = DocxReader()
