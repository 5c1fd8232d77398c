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
from itertools import accumulate, chain, islice, repeat
from operator import add
from pathlib import PurePosixPath

from districtguard.pii.documents.base import (
    Column,
    ReadContext,
    RowCells,
    RowRecords,
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

    blocks = True  # split unquoted rows a block at a time (off: one at a time)

    def __init__(self, dialect: Dialect, context: ReadContext, sample: str) -> None:
        self.dialect, self.context, self.sample = dialect, context, sample
        self.limit = max(context.limits.chunk_chars, 1)
        self.cells = context.limits.unit_cells
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
        batch = _Batch()
        for row in self._take_header(held):
            batch.add(row)
            if batch.full(self.limit, self.cells):
                yield self._unit(batch)
                batch = _Batch()
        # Rows without a quote character are split a block at a time; a row
        # holding one (or the odd row a block cannot take) goes through the
        # tokenizer alone.
        quick = self.blocks and not self.dialect.skipinitialspace
        while self.runaway is None:
            offset, line = lines.offset, lines.line
            block = lines.take_lines(self.limit - batch.size, self.dialect.quotechar)
            if block and quick:
                self._add_block(batch, block, offset, line)
            elif block:
                batch.add_rows(self._rows(LineReader([block], offset, line)))
            else:
                following = next(rows, None)
                if following is None:
                    break
                batch.add(following)
            if batch.full(self.limit, self.cells):
                yield self._unit(batch)
                batch = _Batch()
        if batch.size:
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

    def _add_block(self, batch: _Batch, block: str, offset: int, line: int) -> None:
        """Add the rows of ``block``: whole lines holding no quote character."""
        delimiter = self.dialect.delimiter
        rows = batch.add_plain(block, offset, line, self.number + 1, delimiter)
        if rows < 0:  # mixed line ends or a blank row: one row at a time
            batch.add_rows(self._rows(LineReader([block], offset, line)))
        else:
            self.number += rows

    def _rows(self, lines: LineReader) -> Iterator[_Row]:
        while True:
            offset, line, text = lines.offset, lines.line, ""
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
                self.number += 1
                self.runaway = (offset, line, text)
                return
            if not text:
                return
            self.number += 1
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

    def _unit(self, batch: _Batch) -> TextUnit:
        width = max(len(self.columns), batch.width)
        columns = self.columns + [Column("")] * (width - len(self.columns))
        names = [column_name(index, col.header) for index, col in enumerate(columns)]
        numbers = batch.numbers
        return TextUnit(
            text="".join(batch.texts),
            records=RowRecords(batch.record_starts, batch.record_ends, numbers),
            cells=RowCells(
                batch.starts, batch.ends, batch.columns, batch.rows, numbers, names
            ),
            columns=columns,
            base_offset=batch.base,
            first_line=batch.first_line,
        )


class _Batch:
    """Rows gathered for one unit, as the flat lists of :class:`RowCells`."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.size = 0
        self.base = 0
        self.first_line = 1
        self.record_starts: list[int] = []
        self.record_ends: list[int] = []
        self.numbers: list[int] = []  # of the rows that are records
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.columns: list[int] = []
        self.rows: list[int] = []  # each cell's record, an index in numbers
        self.width = 0

    def full(self, chars: int, cells: int) -> bool:
        """Say whether the batch makes a unit: ``chars`` characters or ``cells``
        cells (``Limits.unit_cells``)."""
        return self.size >= chars or len(self.starts) >= cells

    def _begin(self, text: str, offset: int, line: int) -> int:
        if not self.texts:
            self.base, self.first_line = offset, line
        at = self.size
        self.texts.append(text)
        self.size += len(text)
        return at

    def add(self, row: _Row) -> None:
        """Add a row split by the tokenizer."""
        at = self._begin(row.text, row.offset, row.line)
        if not row.body_end:
            return  # a blank row: counted, neither a record nor cells
        self.record_starts.append(at)
        self.record_ends.append(at + row.body_end)
        self.numbers.append(row.number)
        self.rows.extend(repeat(len(self.numbers) - 1, len(row.fields)))
        for start, end, _ in row.fields:
            self.starts.append(at + start)
            self.ends.append(at + end)
        self.columns.extend(range(len(row.fields)))
        self.width = max(self.width, len(row.fields))

    def add_rows(self, rows: Iterator[_Row]) -> None:
        """Add rows split by the tokenizer, in order."""
        for row in rows:
            self.add(row)

    def add_plain(
        self, block: str, offset: int, line: int, number: int, delimiter: str
    ) -> int:
        """Add the rows of ``block``, whole lines with no quote character, the
        first numbered ``number``; return how many rows it held.

        Every field of every row comes from one ``split`` of the rows joined by
        the delimiter, and its offset from running sums of the lengths (a line
        end is a delimiter wider by ``\\r`` when it is ``\\r\\n``): the work runs
        in ``map`` and ``accumulate``, not in a Python loop per field. A block
        whose rows end differently, or that holds a blank row, is left for the
        tokenizer: nothing is added and -1 returned.
        """
        plain = _plain_rows(block)
        if plain is None:
            return -1
        bodies, wider = plain
        at = self._begin(block, offset, line)
        rows = len(bodies)
        lengths = list(map(len, bodies))
        row_starts = list(accumulate(map(add, lengths, repeat(1 + wider)), initial=at))
        self.record_starts.extend(row_starts[:-1])
        self.record_ends.extend(map(add, row_starts, lengths))
        self.numbers.extend(range(number, number + rows))
        widths = [count + 1 for count in map(str.count, bodies, repeat(delimiter))]
        first_row = len(self.numbers) - rows
        self.rows.extend(
            chain.from_iterable(map(repeat, range(first_row, first_row + rows), widths))
        )
        self.width = max(self.width, max(widths))
        sizes = list(map(len, delimiter.join(bodies).split(delimiter)))
        starts: Iterator[int] = accumulate(map(add, sizes, repeat(1)), initial=at)
        if wider:  # each row's fields sit one more character further on
            shifts = chain.from_iterable(map(repeat, range(rows), widths))
            starts = map(add, starts, shifts)
        first = len(self.starts)
        self.starts.extend(starts)
        del self.starts[first + len(sizes) :]  # the sum past the last field
        self.ends.extend(map(add, islice(self.starts, first, None), sizes))
        self.columns.extend(chain.from_iterable(map(range, widths)))
        return rows


def _plain_rows(block: str) -> tuple[list[str], int] | None:
    """Return the rows of ``block`` without their line ends, and 1 if those are
    ``\\r\\n`` (0 for ``\\n``); ``None`` if they differ or a row is blank."""
    returns = block.count("\r")
    if not returns:
        ending = "\n"
    elif returns == block.count("\r\n") == block.count("\n"):
        ending = "\r\n"
    else:
        return None
    bodies = block.split(ending)
    bodies.pop()  # the block ends with a line end
    if "" in bodies:
        return None
    return bodies, len(ending) - 1


READER = DelimitedReader()
