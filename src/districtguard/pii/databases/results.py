"""What a database scan reports: per table, and for the whole database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from districtguard.pii.findings import Finding
from districtguard.pii.results import FileResult

TableStatus = Literal["scanned", "failed"]


@dataclass(frozen=True, slots=True)
class ColumnReport:
    """How one column was classified, and whether its values were scanned."""

    name: str
    type: str
    hints: frozenset[str] = frozenset()
    scanned: bool = True
    reason: str = ""  # why it was not scanned

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return {
            "name": self.name,
            "type": self.type,
            "hints": sorted(self.hints),
            "scanned": self.scanned,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class TableResult:
    """What happened to one table.

    ``rows_estimated`` is the database's own estimate (exact when the whole table
    fit in the sample, ``None`` when the database cannot say); ``sampled`` says
    the scan read only the first ``rows_scanned`` rows of a bigger table. A
    ``failed`` table may still carry the findings made before it failed.
    """

    path: str  # masked URL + "#schema.table"
    schema: str
    table: str
    status: TableStatus
    reason: str = ""
    rows_scanned: int = 0
    rows_estimated: int | None = None
    sample_limit: int = 0
    order: str = ""  # how the sample was chosen
    columns: tuple[ColumnReport, ...] = ()
    findings: tuple[Finding, ...] = ()
    problems: tuple[str, ...] = ()
    protected: int = 0
    # (element, "encrypted" | "redacted", values): see districtguard.pii.protected
    protected_kinds: tuple[tuple[str, str, int], ...] = ()

    @property
    def sampled(self) -> bool:
        """Return whether only part of the table was read."""
        return self.rows_estimated is None or self.rows_estimated > self.rows_scanned

    @property
    def counts(self) -> Counter[str]:
        """Return the number of findings per element."""
        return Counter(str(finding.element) for finding in self.findings)

    @property
    def statutory_records(self) -> int:
        """Return how many rows link a name to a statutory element."""
        return len({f.record for f in self.findings if f.statutory})

    def as_file_result(self) -> FileResult:
        """Return this table as a file result, for the scan reports and summary."""
        return FileResult(
            self.path,
            self.status,
            self.reason,
            findings=self.findings,
            problems=self.problems,
            protected=self.protected,
            protected_kinds=self.protected_kinds,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form, without findings (they stream separately)."""
        return {
            "path": self.path,
            "schema": self.schema,
            "table": self.table,
            "status": self.status,
            "reason": self.reason,
            "rows_scanned": self.rows_scanned,
            "rows_estimated": self.rows_estimated,
            "sample_limit": self.sample_limit,
            "sampled": self.sampled,
            "order": self.order,
            "columns": [column.to_dict() for column in self.columns],
            "findings": dict(sorted(self.counts.items())),
            "statutory_records": self.statutory_records,
            "protected_values": self.protected,
            "problems": list(self.problems),
        }


@dataclass
class DatabaseResult:
    """What a scan of one database found; ``error`` set if it could not be read."""

    url: str  # masked
    dialect: str = ""
    tables: list[TableResult] = field(default_factory=list)
    error: str = ""
    sample_rows: int = 0
    duration: float = 0.0

    @property
    def partial(self) -> bool:
        """Return whether the database or some table was not read completely."""
        return bool(self.error) or any(
            t.status == "failed" or t.problems for t in self.tables
        )

    @property
    def counts(self) -> Counter[str]:
        """Return the number of findings per element over every table."""
        total: Counter[str] = Counter()
        for table in self.tables:
            total.update(table.counts)
        return total

    @property
    def statutory_records(self) -> int:
        """Return how many rows, over every table, are statutory records."""
        return sum(table.statutory_records for table in self.tables)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return {
            "url": self.url,
            "dialect": self.dialect,
            "error": self.error,
            "sample_rows": self.sample_rows,
            "tables": [table.to_dict() for table in self.tables],
            "findings": dict(sorted(self.counts.items())),
            "statutory_records": self.statutory_records,
            "partial": self.partial,
            "duration_seconds": round(self.duration, 3),
        }


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a database scan is: tables done of all, and the current table."""

    tables_done: int
    tables_total: int
    table: str
    rows_scanned: int
    findings: int
