"""Read CSV and TSV files as units of whole rows, with a cell for every field.

Rows are numbered as a spreadsheet shows them: the header (kept out of the units)
is row 1, a quoted field spanning lines stays in one row, a blank line is a row.
Our own small tokenizer splits fields, so spans always agree with rows, NUL is
just data and csv's process-wide field size limit is left alone. After a row that
never ends (an unclosed quote) the rest of the file is scanned as plain text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import PurePosixPath

from districtguard.pii.documents.base import (
    Cell,
    Column,
    ReadContext,
    Record,
    Source,
    TextUnit,
)
from districtguard.pii.documents.encoding import iter_text
from districtguard.pii.documents.text import LineReader, LineTooLong, stream_units
from districtguard.pii.tables import classify_columns

# csv.Sniffer's quote guess is quadratic in the length of a line.
SNIFF_LINE_CHARS = 2048
SAMPLE_ROWS = 200
DELIMITERS = ",;\t|"
_DIGIT = re.compile(r"\d")

# Words that make a short label a column heading (matched anywhere in the label).
_HEADER_WORD = re.compile(
    r"ssn|social|name|first|last|birth|dob|(?<![a-z])(id|no|dl)(?![a-z])|num|acc|"
    r"card|cvv|cvc|exp|licen|date|mail|phone|addr|city|zip|routing|bank|student",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Dialect:
    """How a delimited file separates and quotes its fields."""

    delimiter: str
    quotechar: str = '"'
    skipinitialspace: bool = False


Span = tuple[int, int, bool]  # start, end, quoted
Resume = tuple[int, int] | None  # an open quoted field's start, where to look on


@dataclass(slots=True)
class _Row:
    number: int
    offset: int
    line: int
    text: str
    body_end: int
    fields: list[Span]


def sniff_dialect(sample: str, suffix: str) -> Dialect:
    """Return the dialect of a file from a sample; guess by suffix if unsure."""
    first = sample.split("\n", 1)[0]
    tabular = suffix in (".tsv", ".tab")
    if tabular and "\t" in first:
        return Dialect("\t")
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        best = max(DELIMITERS, key=first.count)
        return Dialect(best if first.count(best) else "\t" if tabular else ",")
    quote = sniffed.quotechar if sniffed.quotechar in ("'", '"') else '"'
    return Dialect(sniffed.delimiter, quote, bool(sniffed.skipinitialspace))


def split_fields(
    text: str, size: int, dialect: Dialect, fields: list[Span], resume: Resume = None
) -> int | None:
    """Append the spans of the fields of ``text[:size]`` to ``fields``.

    Return ``None``, or where an unclosed quoted field starts: the row goes on
    with the next line, so call again with the longer text and ``resume`` set to
    that position and the old ``size`` (the quotes before it were all doubled).
    """
    delimiter, quote = dialect.delimiter, dialect.quotechar
    if resume is None and quote not in text:
        position = 0
        for part in text[:size].split(delimiter):
            end = position + len(part)
            if dialect.skipinitialspace:
                position = end - len(part.lstrip(" "))
            fields.append((position, end, False))
            position = end + 1
        return None
    position, search = resume or (0, 0)
    while True:
        if dialect.skipinitialspace:
            while position < size and text[position] == " ":
                position += 1
        if position < size and text[position] == quote:
            close = text.find(quote, max(position + 1, search), size)
            while close != -1 and text.startswith(quote, close + 1, size):
                close = text.find(quote, close + 2, size)
            if close == -1:
                return position
            end = text.find(delimiter, close + 1, size)
            end = size if end == -1 else end
            # Text after the closing quote belongs to the value, as csv reads it.
            stop = close if not text[close + 1 : end].strip() else end
            fields.append((position + 1, stop, True))
        else:
            end = text.find(delimiter, position, size)
            end = size if end == -1 else end
            fields.append((position, end, False))
        if end >= size:
            return None
        position = end + 1


def field_values(row: _Row, dialect: Dialect) -> list[str]:
    """Return the values of a row's fields, with doubled quotes undone."""
    quote, text = dialect.quotechar, row.text
    return [
        text[start:end].replace(quote * 2, quote) if quoted else text[start:end]
        for start, end, quoted in row.fields
    ]


def is_header(first: Sequence[str], data: Sequence[Sequence[str]], sample: str) -> bool:
    """Say whether ``first`` is a header row rather than data.

    A header holds only short labels (never a run of digits, so a row holding an
    identifier is always scanned), and csv.Sniffer thinks so, or a label is a
    familiar column word, or a column's values have digits its label lacks.
    """
    labels = [value.strip() for value in first]
    if not any(labels) or not all(_is_label(label) for label in labels if label):
        return False
    for index, label in enumerate(labels):
        if _HEADER_WORD.search(label):
            return True
        column = [row[index] for row in data if index < len(row) and row[index]]
        with_digits = sum(1 for value in column if _DIGIT.search(value))
        if column and not _DIGIT.search(label) and with_digits * 2 >= len(column):
            return True
    try:
        return csv.Sniffer().has_header(sample)
    except csv.Error:
        return False


def _is_label(value: str) -> bool:
    digits = sum(character.isdigit() for character in value)
    letters = any(character.isalpha() for character in value)
    return len(value) <= 64 and digits <= 4 and "@" not in value and letters


def column_name(index: int, header: str = "") -> str:
    """Return ``column C (ssn)`` for the third column, headed ``ssn``."""
    letters, number = "", index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    label = " ".join(header.split())[:64]
    return f"column {letters} ({label})" if label else f"column {letters}"


class DelimitedReader:
    """CSV, TSV and other delimited text tables."""

    name: str = "delimited"
    suffixes: tuple[str, ...] = (".csv", ".tsv", ".tab")

    def read(self, source: Source, context: ReadContext) -> Iterator[TextUnit]:
        """Yield units of whole rows, each row a record and each field a cell."""
        suffix = PurePosixPath(source.name.lower()).suffix
        with source.open() as handle:
            pieces = iter_text(handle, context)
            head = next(pieces, "")  # the first block, 64 KiB before decoding
            # A partial last line is harmless: csv.Sniffer weighs many lines.
            sample = "\n".join(line[:SNIFF_LINE_CHARS] for line in head.splitlines())
            table = _Table(sniff_dialect(sample, suffix), context, sample)
            yield from table.units(LineReader(chain([head], pieces)))


class _Table:
    """Turn the rows of one file into units, deciding the header on the way."""

    def __init__(self, dialect: Dialect, context: ReadContext, sample: str) -> None:
        self.dialect, self.context, self.sample = dialect, context, sample
        self.limit = max(context.limits.chunk_chars, 1)
        self.columns: list[Column] = []
        self.number = 0
        self.runaway: tuple[int, int, str] | None = None

    def units(self, lines: LineReader) -> Iterator[TextUnit]:
        rows = self._rows(lines)
        # Hold back enough rows to sample them before the first unit goes out.
        held: list[_Row] = []
        size, data, cap = 0, 0, max(2 * self.limit, 1 << 20)
        for row in rows:
            held.append(row)
            size, data = size + len(row.text), data + bool(row.body_end)
            if data > SAMPLE_ROWS or size >= cap:
                break
        batch, size = list[_Row](), 0
        for row in chain(self._take_header(held), rows):
            batch.append(row)
            size += len(row.text)
            if size >= self.limit:
                yield self._unit(batch)
                batch, size = [], 0
        if batch:
            yield self._unit(batch)
        if self.runaway is not None:
            offset, line, text = self.runaway
            self.context.warn(
                f"row {self.number}: unclosed quote or a row longer than "
                f"{self.limit} characters; the rest is scanned as plain text"
            )
            yield from stream_units(
                chain([text], lines.rest()),
                self.context.limits,
                base_offset=offset,
                first_line=line,
            )

    def _rows(self, lines: LineReader) -> Iterator[_Row]:
        while True:
            offset, line, text = lines.offset, lines.line, ""
            self.number += 1
            try:
                text = lines.next_line(self.limit) or ""
                size = len(text.rstrip("\r\n"))
                fields: list[Span] = []
                start = split_fields(text, size, self.dialect, fields) if text else None
                while start is not None:
                    more = lines.next_line(self.limit - len(text))
                    if more is None:
                        # Like csv, an unclosed quote at the end runs to the end.
                        fields.append((start + 1, size, True))
                        break
                    text += more
                    if len(text) > self.limit:
                        raise LineTooLong
                    old, size = size, len(text) - len(more) + len(more.rstrip("\r\n"))
                    resume = (start, old)
                    start = split_fields(text, size, self.dialect, fields, resume)
            except LineTooLong:
                self.runaway = (offset, line, text)
                return
            if not text:
                return
            yield _Row(self.number, offset, line, text, size, fields)

    def _take_header(self, batch: list[_Row]) -> list[_Row]:
        rows = [row for row in batch if row.body_end][: SAMPLE_ROWS + 1]
        values = [field_values(row, self.dialect) for row in rows]
        if values and is_header(values[0], values[1:], self.sample):
            headers = [" ".join(value.split()) for value in values[0]]
            batch = batch[batch.index(rows[0]) + 1 :]
            values = values[1:]
        else:
            values = values[:SAMPLE_ROWS]
            headers = [""] * max((len(row) for row in values), default=0)
        self.columns = list(classify_columns(headers, values))
        return batch

    def _unit(self, batch: list[_Row]) -> TextUnit:
        base = batch[0].offset
        width = max(len(self.columns), *(len(row.fields) for row in batch))
        columns = self.columns + [Column("")] * (width - len(self.columns))
        names = [column_name(index, col.header) for index, col in enumerate(columns)]
        records: list[Record] = []
        cells: list[Cell] = []
        for row in (row for row in batch if row.body_end):
            at, label = row.offset - base, f"row {row.number}"
            records.append(Record(at, at + row.body_end, label))
            cells.extend(
                Cell(at + start, at + end, index, f"{label}, {names[index]}")
                for index, (start, end, _) in enumerate(row.fields)
            )
        return TextUnit(
            text="".join(row.text for row in batch),
            records=records,
            cells=cells,
            columns=columns,
            base_offset=base,
            first_line=batch[0].line,
        )


READER = DelimitedReader()
