"""Rewrite DOCX documents: values replaced inside their runs, formatting kept.

A paragraph's text is the text of its runs' ``w:t``, tab and break elements, in
order. A value is replaced in the first ``w:t`` it touches, and the rest of it
is cut from the runs it continues into, so a value split over runs (half bold,
or broken by a spell-check mark) is replaced whole and every run keeps its
formatting. Body paragraphs, tables (nested ones too) and every other story the
scan reads (headers, footers, footnotes, endnotes, comments, text boxes) are
rewritten. A text box Word also saved as a fallback picture gets the same
replacement in both copies; unprotect restores every ``w:t`` of every part.
"""

from __future__ import annotations

import bisect
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.document import Document
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from districtguard.pii.documents.archive import describe_failure
from districtguard.pii.documents.base import (
    Cell,
    Column,
    DocumentError,
    Record,
    TextUnit,
)
from districtguard.pii.documents.docx import stories
from districtguard.pii.protection.edits import Edit, Job, plan_unit
from districtguard.pii.protection.rewrite import Restoration
from districtguard.pii.tables import classify_columns

_TEXT = "w:br | w:cr | w:noBreakHyphen | w:ptab | w:t | w:tab"
_T = qn("w:t")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass(slots=True)
class _Piece:
    element: Any  # an lxml element: w:t, or a tab or break
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class _Builder:
    """A unit's text built from paragraphs, with every piece's place in it."""

    location: str = ""
    parts: list[str] = field(default_factory=list)
    pieces: list[_Piece] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    size: int = 0

    def add(self, text: str) -> int:
        self.parts.append(text)
        self.size += len(text)
        return self.size - len(text)

    def paragraph(self, paragraph: Paragraph) -> None:
        """Add a paragraph's text and pieces (not its separator)."""
        start = self.size
        for child in paragraph._p.xpath("w:r | w:hyperlink"):
            runs = [child] if child.tag == qn("w:r") else child.xpath("w:r")
            for run in runs:
                for element in run.xpath(_TEXT):
                    text = str(element)
                    self.pieces.append(_Piece(element, self.add(text), text))
        if self.size - start != len(paragraph.text):
            raise DocumentError("a paragraph's runs do not add up to its text")

    @property
    def text(self) -> str:
        """Return the unit's text as it was read."""
        return "".join(self.parts)

    def unit(self) -> TextUnit:
        return TextUnit(
            text=self.text,
            location=self.location,
            records=self.records or None,
            cells=self.cells,
            columns=self.columns,
            base_offset=None,
        )


def _units(blocks: Iterable[Paragraph | Table], where: str) -> Iterator[_Builder]:
    """Yield a builder for each run of paragraphs and for each table."""
    current = _Builder(where)
    tables = paragraphs = 0
    for block in blocks:
        if isinstance(block, Table):
            if current.parts:
                yield current
                current = _Builder(where)
            tables += 1
            yield from _table(block, f"{where} table {tables}".strip())
            continue
        if not block.text.strip():
            continue
        if current.parts:
            current.add("\n")
        paragraphs += 1
        start = current.size
        current.paragraph(block)
        label = f"paragraph {paragraphs}"
        current.records.append(Record(start, current.size, label, label))
    if current.parts:
        yield current


def _table(table: Table, name: str) -> Iterator[_Builder]:
    builder = _Builder()
    nested: list[tuple[Table, str]] = []
    seen: set[Any] = set()  # lxml elements, hashed by identity
    texts: list[list[str]] = []
    for number, row in enumerate(table.rows, 1):
        if number > 1:
            builder.add("\n")
        start = builder.size
        label = f"{name} row {number}"
        values: list[str] = []
        for index, cell in enumerate(row.cells):
            if index:
                builder.add("\t")
            if cell._tc in seen:
                values.append("")
                continue  # a merged cell repeats: its text is written once
            seen.add(cell._tc)
            at = builder.size
            for count, paragraph in enumerate(cell.paragraphs):
                if count:
                    builder.add(" ")
                builder.paragraph(paragraph)
            values.append("".join(builder.parts)[at:])
            place = f"{label}, cell {index + 1}"
            if builder.size > at:
                builder.cells.append(Cell(at, builder.size, index, place))
            nested.extend((inner, f"{place} table") for inner in cell.tables)
        texts.append(values)
        builder.records.append(Record(start, builder.size, label, label))
    if texts:
        builder.columns = list(classify_columns(texts[0], texts[1:]))
    yield builder
    for inner, place in nested:
        yield from _table(inner, place)


def _apply(
    builder: _Builder, edits: list[Edit], job: Job, *, record: bool = True
) -> bool:
    """Make ``edits`` in the pieces of ``builder``; return whether any was made.

    ``record`` false makes the same edits in a copy without reporting again.
    """
    pieces = builder.pieces
    starts = [piece.start for piece in pieces]
    changes: dict[int, list[tuple[int, int, str]]] = {}
    removed: list[_Piece] = []
    made = False
    for edit in edits:
        first = max(bisect.bisect_right(starts, edit.start) - 1, 0)
        touched: list[int] = []
        for i in range(first, len(pieces)):
            if pieces[i].start >= edit.end:
                break
            if edit.start < pieces[i].end:
                touched.append(i)
        covered = sum(
            min(edit.end, pieces[i].end) - max(edit.start, pieces[i].start)
            for i in touched
        )
        texts = [i for i in touched if pieces[i].element.tag == _T]
        if covered != edit.end - edit.start or not texts:
            if record:
                job.skip(edit, "spans-paragraphs")
            continue
        for i in touched:
            piece = pieces[i]
            if piece.element.tag != _T:
                removed.append(piece)
                continue
            low = max(edit.start, piece.start) - piece.start
            high = min(edit.end, piece.end) - piece.start
            text = edit.text if i == texts[0] else ""
            changes.setdefault(i, []).append((low, high, text))
        made = True
    if job.dry_run:
        return False
    for i, spans in changes.items():
        text = pieces[i].text
        for low, high, new in sorted(spans, reverse=True):
            text = text[:low] + new + text[high:]
        pieces[i].element.text = text
        pieces[i].element.set(_SPACE, "preserve")
    for piece in removed:
        piece.element.getparent().remove(piece.element)
    return made


def _open(data: bytes) -> Document:
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # a hostile file can fail anywhere in the parser
        reason = describe_failure(exc)
        raise DocumentError(f"not a readable DOCX document: {reason}") from None


def _save(document: Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


Blocks = list[Paragraph | Table]


def _all_stories(document: Document) -> Iterator[tuple[str, Blocks, list[Blocks]]]:
    """Yield (location, blocks, blocks of each twin copy) for every story."""
    yield "", list(document.iter_inner_content()), []
    for story in stories(document):
        twins = [story.blocks(document, twin) for twin in story.twins]
        yield story.location, story.blocks(document), twins


def _protect_story(where: str, blocks: Blocks, twins: list[Blocks], job: Job) -> bool:
    """Protect one story and its twin copies; return whether anything changed."""
    changed = False
    planned: dict[str, list[Edit]] = {}
    for builder in _units(blocks, where):
        edits = plan_unit(job, builder.unit())
        planned[builder.text] = edits
        if edits and _apply(builder, edits, job):
            changed = True
    for twin in twins:
        for builder in _units(twin, where):
            same = planned.get(builder.text)
            edits = same if same is not None else plan_unit(job, builder.unit())
            if edits and _apply(builder, edits, job, record=same is None):
                changed = True
    return changed


class DocxFormat:
    """Word documents."""

    exact = False

    def protect(self, name: str, data: bytes, job: Job) -> bytes | None:
        """Return the document with the chosen values replaced, or None."""
        document = _open(data)
        changed = False
        for where, blocks, twins in _all_stories(document):
            changed |= _protect_story(where, blocks, twins, job)
        return _save(document) if changed else None

    def restore(self, name: str, data: bytes, job: Restoration) -> bytes | None:
        """Return the document with every token restored, or None if it has none."""
        document = _open(data)
        changed = False
        for part in document.part.package.iter_parts():
            if not isinstance(part, XmlPart):
                continue
            for element in part.element.iter(_T):
                text = element.text or ""
                restored = job.text(text)
                if restored != text:
                    element.text = restored
                    changed = True
        return _save(document) if changed else None


FORMAT = DocxFormat()
