"""What protecting a database did (in a dry run, would do): per table, overall."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from districtguard.pii.protection.base import Mode

# Outcomes of one table, as reports and the web page name them.
PROTECTED = "protected"
PROTECTED_IN_PART = "protected-in-part"
UNCHANGED = "unchanged"
WOULD_PROTECT = "would-protect"
REFUSED = "refused"
FAILED = "failed"
_INCOMPLETE = frozenset({PROTECTED_IN_PART, REFUSED, FAILED})


def all_rows_read(count: int) -> str:
    """Return "all 1 row read" or "all 1,200 rows read"."""
    return f"all {count:,} {'row' if count == 1 else 'rows'} read"


@dataclass(frozen=True, slots=True)
class TableProtection:
    """What happened to one table.

    ``values`` counts, per column and element, the values protected (committed)
    or, in a dry run, the values that would be. ``rows_read`` is every row of
    the table, not a sample.
    """

    table: str  # schema.table, or the bare name where there are no schemas
    outcome: str
    reason: str = ""
    rows_read: int = 0
    rows_changed: int = 0
    values: tuple[tuple[str, str, int], ...] = ()  # (column, element, count)
    batches_rolled_back: int = 0
    problems: tuple[str, ...] = ()

    @property
    def elements(self) -> Counter[str]:
        """Return the values per element over every column."""
        total: Counter[str] = Counter()
        for _, element, count in self.values:
            total[element] += count
        return total

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form: names and counts, never a value."""
        columns: dict[str, dict[str, int]] = {}
        for column, element, count in self.values:
            columns.setdefault(column, {})[element] = count
        return {
            "table": self.table,
            "outcome": self.outcome,
            "reason": self.reason,
            "rows_read": self.rows_read,
            "rows_changed": self.rows_changed,
            "values": columns,
            "batches_rolled_back": self.batches_rolled_back,
            "problems": list(self.problems),
        }


@dataclass
class DatabaseProtection:
    """What a protection run did to one database; ``error`` set if it could not."""

    url: str  # masked
    mode: Mode | Literal["unprotect"]
    dry_run: bool
    dialect: str = ""
    tables: list[TableProtection] = field(default_factory=list)
    error: str = ""
    duration: float = 0.0

    @property
    def outcomes(self) -> Counter[str]:
        """Return the number of tables per outcome."""
        return Counter(table.outcome for table in self.tables)

    @property
    def values(self) -> Counter[str]:
        """Return the values protected (or that would be) per element."""
        total: Counter[str] = Counter()
        for table in self.tables:
            total.update(table.elements)
        return total

    @property
    def partial(self) -> bool:
        """Return whether the database or some table was not protected completely."""
        return bool(self.error) or any(
            table.outcome in _INCOMPLETE for table in self.tables
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return {
            "url": self.url,
            "dialect": self.dialect,
            "mode": self.mode,
            "dry_run": self.dry_run,
            "error": self.error,
            "tables": [table.to_dict() for table in self.tables],
            "outcomes": dict(sorted(self.outcomes.items())),
            "values": dict(sorted(self.values.items())),
            "partial": self.partial,
            "duration_seconds": round(self.duration, 3),
        }


@dataclass(frozen=True, slots=True)
class ProtectProgress:
    """Where a run is: tables done of all, the table, its phase and rows so far."""

    tables_done: int
    tables_total: int
    table: str
    phase: str  # "plan" (reading every row) or "write"
    rows: int


__all__ = [
    "FAILED",
    "PROTECTED",
    "PROTECTED_IN_PART",
    "REFUSED",
    "UNCHANGED",
    "WOULD_PROTECT",
    "DatabaseProtection",
    "ProtectProgress",
    "TableProtection",
    "all_rows_read",
]
