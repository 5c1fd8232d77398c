"""What every reader produces: decoded text with the structure detection needs.

A reader turns a file (or an archive member, or an email attachment) into a stream
of :class:`TextUnit` objects. The detector never sees bytes, formats or files; it
sees text, the records that text is made of (rows, objects, paragraphs, messages)
and, for tables, which column each cell belongs to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Protocol, overload


class DocumentError(Exception):
    """A file (or part of one) cannot be read; the message says why, without data."""


class SkippedDocument(Exception):
    """A file is deliberately not scanned (unknown binary format, excluded type)."""


class EncryptedDocument(SkippedDocument):
    """A file encrypted with a password: protected as a whole, its contents unread.

    Encryption is what the law's safe harbour asks for, so such a file is not a
    failure (which would make every later scan partial) but a skip that says why.
    """


# The container of password-encrypted Word, Excel and PowerPoint files.
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


@dataclass(frozen=True, slots=True)
class Record:
    """A span of a unit's text that is one record: a row, an object, a paragraph."""

    start: int
    end: int
    label: str
    location: str = ""


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: a span of a unit's text and the column it belongs to."""

    start: int
    end: int
    column: int
    location: str


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its header and the element hints derived from it."""

    header: str
    hints: frozenset[str] = frozenset()


class RowRecords(Sequence[Record]):
    """The rows of a table unit as flat lists of numbers.

    A large table has a record per row; keeping their spans and row numbers as
    three lists, and making a :class:`Record` (and its ``row N`` label) only when
    one is asked for, spares an object and a string per row that detection
    never looks at.
    """

    __slots__ = ("ends", "numbers", "starts")

    def __init__(self, starts: list[int], ends: list[int], numbers: list[int]) -> None:
        self.starts, self.ends, self.numbers = starts, ends, numbers

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(len(self)))]
        return self._make(index)

    # What a record is called before its number: ``row 7``.
    word = "row"

    def _make(self, index: int) -> Record:
        return Record(
            self.starts[index], self.ends[index], f"{self.word} {self.numbers[index]}"
        )


class LineRecords(RowRecords):
    """The records of a JSON Lines unit, one per line, labelled ``line 7``."""

    __slots__ = ()
    word = "line"


class SheetRecords(RowRecords):
    """The rows of one worksheet's unit: each labelled and located as
    ``Sheet1 row 7``."""

    __slots__ = ("sheet",)

    def __init__(
        self, sheet: str, starts: list[int], ends: list[int], numbers: list[int]
    ) -> None:
        super().__init__(starts, ends, numbers)
        self.sheet = sheet

    def _make(self, index: int) -> Record:
        label = f"{self.sheet} row {self.numbers[index]}"
        return Record(self.starts[index], self.ends[index], label, label)


class RowCells(Sequence[Cell]):
    """The cells of a table unit as flat lists of numbers, in row order.

    ``rows[i]`` is the row of cell ``i`` among the unit's records, whose number
    is ``row_numbers[rows[i]]``; ``names`` are the column names locations show.
    A :class:`Cell` and its location (``row 7, column C (ssn)``) are made only
    when asked for: detection looks at the few cells where candidates land.
    """

    __slots__ = ("columns", "ends", "names", "row_numbers", "rows", "starts")

    def __init__(
        self,
        starts: list[int],
        ends: list[int],
        columns: list[int],
        rows: list[int],
        row_numbers: list[int],
        names: Sequence[str],
    ) -> None:
        self.starts, self.ends, self.columns = starts, ends, columns
        self.rows, self.row_numbers, self.names = rows, row_numbers, names

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> Cell: ...
    @overload
    def __getitem__(self, index: slice) -> list[Cell]: ...
    def __getitem__(self, index: int | slice) -> Cell | list[Cell]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return Cell(
            self.starts[index],
            self.ends[index],
            self.columns[index],
            self.location(index),
        )

    def location(self, index: int) -> str:
        """Return the location of cell ``index`` without making the cell."""
        row, column = self.row_numbers[self.rows[index]], self.columns[index]
        return f"row {row}, {self.names[column]}"


class SheetCells(RowCells):
    """The cells of one worksheet's unit, located as ``Sheet1!B7``
    (``names`` are the column letters)."""

    __slots__ = ("sheet",)

    def __init__(
        self,
        sheet: str,
        starts: list[int],
        ends: list[int],
        columns: list[int],
        rows: list[int],
        row_numbers: list[int],
        letters: Sequence[str],
    ) -> None:
        super().__init__(starts, ends, columns, rows, row_numbers, letters)
        self.sheet = sheet

    def location(self, index: int) -> str:
        """Return the location of cell ``index`` without making the cell."""
        row, column = self.row_numbers[self.rows[index]], self.columns[index]
        return f"{self.sheet}!{self.names[column]}{row}"


def span_bounds(
    spans: Sequence[Record] | Sequence[Cell],
) -> tuple[list[int], list[int]]:
    """Return the starts and the ends of ``spans`` (records or cells), as lists
    to bisect: those a :class:`RowRecords` or :class:`RowCells` keeps already,
    or made from the span objects."""
    if isinstance(spans, RowRecords | RowCells):
        return spans.starts, spans.ends
    return [span.start for span in spans], [span.end for span in spans]


@dataclass(frozen=True, slots=True)
class TextUnit:
    """A piece of decoded text to scan.

    ``location`` says where the unit sits in its file ("member a.zip", "page 3");
    record and cell locations are relative to it and never repeat it.
    ``records`` are sorted and do not overlap; when ``None`` the detector treats
    blank-line separated paragraphs as records. ``cells`` (sorted by start) and
    ``columns`` describe tables. A finding at text index ``i`` reports the offset
    ``base_offset + i - origin`` when ``base_offset`` is not ``None`` and
    ``i >= origin``; text before ``origin`` (an email's header preamble) has no
    offset. Only candidates starting in ``[own_start, own_end)`` are reported: the
    rest of the text is overlap with a neighbouring chunk, kept as context.
    """

    text: str
    location: str = ""
    records: Sequence[Record] | None = None
    cells: Sequence[Cell] = ()
    columns: Sequence[Column] = ()
    base_offset: int | None = 0
    origin: int = 0
    first_line: int = 1
    own_start: int = 0
    own_end: int | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep hostile input from exhausting the machine."""

    max_archive_depth: int = 4
    max_compression_ratio: float = 200.0
    max_archive_total: int = 2 << 30
    max_member_size: int = 512 << 20
    chunk_chars: int = 4 << 20
    chunk_overlap: int = 1024
    max_cells: int = 50_000_000
    # A table's unit of short rows holds a cell every few characters, and its
    # cells outweigh its text many times over: a table's unit (CSV, TSV, a
    # worksheet) ends at this many cells if it has not reached ``chunk_chars``.
    unit_cells: int = 1 << 18


@dataclass
class ReadContext:
    """What a reader needs besides the data: limits, depth, and where to report."""

    limits: Limits = field(default_factory=Limits)
    depth: int = 0
    problems: list[str] = field(default_factory=list)
    skipped_members: int = 0

    def warn(self, message: str) -> None:
        """Record that part of a document could not be read; the scan goes on."""
        self.problems.append(message)

    def nested(self) -> ReadContext:
        """Return the context for a document inside this one (archive, attachment)."""
        if self.depth + 1 > self.limits.max_archive_depth:
            raise DocumentError(
                f"nested deeper than {self.limits.max_archive_depth} levels"
            )
        child = ReadContext(self.limits, self.depth + 1, self.problems)
        return child


@dataclass(frozen=True, slots=True)
class Source:
    """Something to read: a file on disk or a member of another document."""

    name: str
    open: Callable[[], IO[bytes]]
    size: int | None = None


class Reader(Protocol):
    """A format: which names it claims, and how it turns a source into units."""

    name: str
    suffixes: tuple[str, ...]

    def read(self, source: Source, context: ReadContext) -> Iterator[TextUnit]:
        """Yield the units of ``source``; raise :class:`DocumentError` if unreadable."""
        ...


def join_location(*parts: str) -> str:
    """Join non-empty location parts the way every output shows them."""
    return ", ".join(part for part in parts if part)


__all__: Sequence[str] = (
    "Cell",
    "Column",
    "DocumentError",
    "Limits",
    "ReadContext",
    "Reader",
    "Record",
    "SkippedDocument",
    "Source",
    "TextUnit",
    "join_location",
)
