"""Where a position sits in a unit: its record, its cell, its line, its labels."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Final, NamedTuple

from districtguard.pii.documents.base import (
    Cell,
    Record,
    RowCells,
    TextUnit,
    span_bounds,
)
from districtguard.pii.keywords import STATE, KeywordIndex

_PARAGRAPH_BREAK: Final = re.compile(r"\n[ \t\r\f\v]*\n")
# Hits after a value count, but a label usually precedes what it names: one that
# follows must be close and on the same line ("234-56-7891 (SSN)").
FOLLOWING_PENALTY: Final = 24
FOLLOWING_REACH: Final = 40
# A record longer than this links a name to an element only within the window.
WHOLE_RECORD_LIMIT: Final = 2000
LONG_PARAGRAPH: Final = 4000


def label_groups(unit: TextUnit, keywords: KeywordIndex) -> frozenset[str]:
    """Return every keyword group a label in ``unit`` can come from: its
    keywords and its columns' hints. A reading that needs another group cannot
    be made anywhere in the unit."""
    return frozenset(hit.group for hit in keywords.hits).union(
        hint.partition(":")[0] for column in unit.columns for hint in column.hints
    )


_NO_HINTS: Final[frozenset[str]] = frozenset()


class Label(NamedTuple):
    """The nearest keyword of one group: how far away, and its value (a state).

    ``values`` lists the values of every hit of the group, nearest first: a
    licence number near "DE LEON" and "Nevada" must find Nevada.
    """

    distance: int
    value: str
    values: tuple[str, ...] = ()


def _hint_labels(hints: frozenset[str]) -> dict[str, Label]:
    """Return the labels column hints give, at distance 0 (``state:OK`` is
    the state group with the value ``OK``)."""
    found: dict[str, Label] = {}
    for hint in hints:
        group, _, value = hint.partition(":")
        found[group] = Label(0, value)
    return found


class LineIndex:
    """Line numbers of positions, counted once and cached at checkpoints."""

    def __init__(self, text: str, first_line: int) -> None:
        self._text = text
        self._positions = [0]
        self._lines = [first_line]

    def line(self, position: int) -> int:
        """Return the line number of ``position``."""
        index = bisect.bisect_right(self._positions, position) - 1
        base, line = self._positions[index], self._lines[index]
        line += self._text.count("\n", base, position)
        if index == len(self._positions) - 1:  # queries mostly move forward
            self._positions.append(position)
            self._lines.append(line)
        return line

    def column(self, position: int) -> int:
        """Return the 1-based column of ``position`` on its line."""
        return position - (self._text.rfind("\n", 0, position) + 1) + 1


class UnitContext:
    """Structure and keywords of one unit, for the questions detection asks."""

    def __init__(self, unit: TextUnit, keywords: KeywordIndex, window: int) -> None:
        self.unit = unit
        self.text = unit.text
        self.keywords = keywords
        self.window = window
        self.lines = LineIndex(unit.text, unit.first_line)
        # Without records from its reader, a unit's records are its paragraphs,
        # kept as their bounds only: their labels are made from line numbers.
        self._records: Sequence[Record] = unit.records or ()
        if unit.records is None:
            self._record_starts, self._record_ends = self._paragraph_bounds()
        else:
            self._record_starts, self._record_ends = span_bounds(self._records)
        # Cells stay flat lists of numbers: detection asks which cell and
        # column a position is in far more often than it needs a Cell object.
        self._cells = unit.cells
        self._cell_starts, self._cell_ends = span_bounds(unit.cells)
        self._cell_columns = (
            unit.cells.columns
            if isinstance(unit.cells, RowCells)
            else [cell.column for cell in unit.cells]
        )
        self.has_cells = bool(self._cell_starts)
        self._column_hints = [column.hints for column in unit.columns]
        # The labels a column's hints give every cell in it, made once.
        self._hint_labels = [_hint_labels(hints) for hints in self._column_hints]
        self._labels: dict[int, str] = {}  # record labels, once made
        self.groups = label_groups(unit, keywords)

    def _paragraph_bounds(self) -> tuple[list[int], list[int]]:
        starts = [0]
        ends: list[int] = []
        for match in _PARAGRAPH_BREAK.finditer(self.text):
            ends.append(match.start())
            starts.append(match.end())
        ends.append(len(self.text))
        return starts, ends

    def record_index(self, position: int) -> int:
        """Return the index of the record holding ``position`` (-1 if none)."""
        index = bisect.bisect_right(self._record_starts, position) - 1
        if index >= 0 and position < self._record_ends[index]:
            return index
        return -1

    def record_span(self, index: int) -> tuple[int, int]:
        """Return the text span of a record (the whole text for -1)."""
        if index < 0:
            return 0, len(self.text)
        return self._record_starts[index], self._record_ends[index]

    def record_label(self, index: int, position: int) -> str:
        """Return how a record is named in findings."""
        known = self._labels.get(index)
        if known is not None:
            return known
        label = self._records[index].label if index >= 0 and self._records else ""
        if label:
            self._labels[index] = label  # a RowRecords makes it when asked
            return label
        low, high = self.record_span(index)
        if high - low > LONG_PARAGRAPH:  # a log or list: name the line instead
            return f"line {self.lines.line(position)}"
        first = self.lines.line(low)
        last = first + self.text.count("\n", low, max(low, high - 1))
        label = f"line {first}" if first == last else f"lines {first}-{last}"
        self._labels[index] = label
        return label

    def record_location(self, index: int) -> str:
        """Return the record's own location, if its reader gave one."""
        return self._records[index].location if index >= 0 and self._records else ""

    def scope(self, index: int, start: int, end: int) -> tuple[int, int]:
        """Return the span where a name links to an element at ``start:end``."""
        low, high = self.record_span(index)
        if high - low <= WHOLE_RECORD_LIMIT or self.has_cells:
            return low, high
        return max(low, start - self.window), min(high, end + self.window)

    def cell_index(self, position: int) -> int:
        """Return the index of the table cell containing ``position`` (-1 if none)."""
        index = bisect.bisect_right(self._cell_starts, position) - 1
        if index >= 0 and position < self._cell_ends[index]:
            return index
        return -1

    def cell_at(self, position: int) -> Cell | None:
        """Return the table cell containing ``position``, if any."""
        index = self.cell_index(position)
        return self._cells[index] if index >= 0 else None

    def cell_range(self, low: int, high: int) -> range:
        """Return the indexes of the cells that start inside ``[low, high)``."""
        starts = self._cell_starts
        return range(bisect.bisect_left(starts, low), bisect.bisect_left(starts, high))

    def cell_span(self, index: int) -> tuple[int, int]:
        """Return the text span of cell ``index``."""
        return self._cell_starts[index], self._cell_ends[index]

    def cell_hints(self, index: int) -> frozenset[str]:
        """Return the hints of the column of cell ``index``."""
        column = self._cell_columns[index]
        hints = self._column_hints
        return hints[column] if column < len(hints) else _NO_HINTS

    def hints_at(self, position: int) -> frozenset[str]:
        """Return the hints of the column of the cell containing ``position``."""
        index = self.cell_index(position) if self.has_cells else -1
        return self.cell_hints(index) if index >= 0 else _NO_HINTS

    def columns_hinted(self, groups: set[str]) -> bool:
        """Return whether a column of the unit has a hint of one of ``groups``."""
        return any(not groups.isdisjoint(hints) for hints in self._column_hints)

    def cell_location(self, index: int) -> str:
        """Return where cell ``index`` is, as findings say it."""
        cells = self._cells
        if isinstance(cells, RowCells):
            return cells.location(index)
        return cells[index].location

    def labels(self, start: int, end: int, record: int) -> dict[str, Label]:
        """Return, per keyword group, the nearest label of the span ``start:end``.

        Column hints are at distance 0. Keywords count within the window on both
        sides, inside the same record; one that follows the value is penalised.
        """
        low, high = self.record_span(record)
        low, high = max(low, start - self.window), min(high, end + self.window)
        states: list[tuple[int, str]] = []
        cell = self.cell_index(start) if self.has_cells else -1
        found: dict[str, Label] = {}
        if cell >= 0:
            cell_start, cell_end = self._cell_starts[cell], self._cell_ends[cell]
            column = self._cell_columns[cell]
            if column < len(self._hint_labels):
                found = self._hint_labels[column].copy()
        text = self.text
        for hit in self.keywords.between(low, high):
            if hit.end <= start:
                distance = start - hit.end
            elif hit.start >= end:
                if cell < 0 and (
                    hit.start - end > FOLLOWING_REACH
                    or text.find("\n", end, hit.start) >= 0
                ):
                    continue
                distance = hit.start - end + FOLLOWING_PENALTY
            else:
                continue
            if cell >= 0 and not cell_start <= hit.start < cell_end:
                distance += 1  # another cell's words: after this column's header
            if hit.value:
                states.append((distance, hit.value))
            known = found.get(hit.group)
            if known is None or distance < known.distance:
                # tuple.__new__: a named tuple's __new__ is Python code, even compiled.
                found[hit.group] = tuple.__new__(Label, (distance, hit.value, ()))
        if states:
            states.sort()
            nearest = found[STATE]
            values = tuple(dict.fromkeys(value for _, value in states))
            found[STATE] = Label(nearest.distance, nearest.value, values)
        return found
