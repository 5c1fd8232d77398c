"""Read a whole table by primary key in bounded batches, and turn rows into text.

Protection must see every row, not a sample, without holding one long
transaction: each batch is read on its own ("the next N rows after this key"),
so a batch costs the same at the end of a big table as at its start. Rows become
the same :class:`TextUnit` the scan builds (a row is a record, a column a cell),
so a name and an element in one row are linked exactly as the scan links them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from districtguard.pii.databases.columns import DbColumn, to_text
from districtguard.pii.documents.base import Cell, Column, Record, TextUnit

Key = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Batch:
    """Rows in key order: each row's key, and its values in the plan's column order."""

    keys: list[Key]
    values: list[list[object]]

    @property
    def last(self) -> Key:
        """Return the key of the last row."""
        return self.keys[-1]


@dataclass(frozen=True, slots=True)
class Layout:
    """What to read from one table: its key columns and the columns to look at."""

    schema: str | None
    table: str
    key: list[str]
    columns: list[DbColumn]

    def clause(self) -> sa.TableClause:
        """Return the table with the columns read, untyped (the driver's values)."""
        names = dict.fromkeys([*self.key, *(c.name for c in self.columns)])
        return sa.table(
            self.table, *(sa.column(name) for name in names), schema=self.schema
        )

    def select(self, *, after: Key | None, limit: int) -> sa.Select[tuple[object, ...]]:
        """Return the query for the next ``limit`` rows after the key ``after``."""
        clause = self.clause()
        keys = [clause.c[name] for name in self.key]
        query = sa.select(*keys, *(clause.c[c.name] for c in self.columns))
        if after is not None:
            query = query.where(_tuple(keys) > _tuple([sa.literal(v) for v in after]))
        return query.order_by(*keys).limit(limit)

    def select_range(self, first: Key, last: Key) -> sa.Select[tuple[object, ...]]:
        """Return the query for the rows with keys from ``first`` to ``last``."""
        clause = self.clause()
        keys = [clause.c[name] for name in self.key]
        low = _tuple([sa.literal(v) for v in first])
        high = _tuple([sa.literal(v) for v in last])
        query = sa.select(*keys, *(clause.c[c.name] for c in self.columns))
        return query.where(_tuple(keys) >= low, _tuple(keys) <= high).order_by(*keys)

    def read(
        self, connection: sa.Connection, query: sa.Select[tuple[object, ...]]
    ) -> Batch:
        """Return the rows ``query`` gives."""
        width = len(self.key)
        keys: list[Key] = []
        values: list[list[object]] = []
        for row in connection.execute(query):
            keys.append(tuple(row[:width]))
            values.append(list(row[width:]))
        return Batch(keys, values)


def _tuple(items: Sequence[sa.ColumnElement[Any]]) -> sa.ColumnElement[Any]:
    return items[0] if len(items) == 1 else sa.tuple_(*items)


@dataclass(frozen=True, slots=True)
class Sheet:
    """A batch as text: the unit, and which row and column each cell holds."""

    unit: TextUnit
    places: list[tuple[int, int]]  # per cell: (row index, column index)


def to_sheet(
    batch: Batch,
    columns: Sequence[DbColumn],
    scanned: Sequence[int],
    hints: Sequence[frozenset[str]],
    pads: Sequence[int],
) -> Sheet:
    """Return the rows of ``batch`` as a unit with one cell per scanned column."""
    parts: list[str] = []
    records: list[Record] = []
    cells: list[Cell] = []
    places: list[tuple[int, int]] = []
    at = 0
    for row_index, (key, row) in enumerate(zip(batch.keys, batch.values, strict=True)):
        label = "row key " + ", ".join(str(part) for part in key)
        row_start = at
        for position, index in enumerate(scanned):
            column = columns[index]
            try:
                text = to_text(row[index], column.category, pads[index])
            except Exception:  # a driver value whose str() fails is left out
                text = ""
            cells.append(
                Cell(at, at + len(text), position, f"column {column.name}, {label}")
            )
            places.append((row_index, index))
            parts.append(text)
            parts.append("\t")
            at += len(text) + 1
        records.append(Record(row_start, at - 1, label))
        if parts:
            parts[-1] = "\n"
    unit = TextUnit(
        text="".join(parts),
        records=records,
        cells=cells,
        columns=[Column(columns[i].name, hints[i]) for i in scanned],
        base_offset=None,
    )
    return Sheet(unit, places)


__all__ = ["Batch", "Key", "Layout", "Sheet", "to_sheet"]
