"""Scan a database: reflect its tables, sample each, and detect in the rows.

Each table is read on its own connection, in its own transaction, so a table
that fails (dropped, forbidden, unreadable) leaves the others untouched and no
lock outlives its table. Rows become :class:`TextUnit` objects shaped like a
CSV reader's: every row a record, every scanned column a cell, so a name and
an SSN in the same row are linked exactly as in a spreadsheet.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from districtguard.pii import engine as detector
from districtguard.pii import keywords as kw
from districtguard.pii.databases.columns import (
    INTEGER,
    SKIP,
    DbColumn,
    categorise,
    column_hints,
    to_text,
    worth_scanning,
)
from districtguard.pii.databases.connection import (
    DatabaseUrlError,
    Target,
    create_engine,
    describe_error,
    driver_error,
    error_code,
    parse_target,
)
from districtguard.pii.databases.results import (
    ColumnReport,
    DatabaseResult,
    Progress,
    TableResult,
    TableStatus,
)
from districtguard.pii.databases.sampling import (
    estimate_rows,
    sample_query,
    schemas_to_scan,
    selected,
)
from districtguard.pii.documents.base import Cell, Column, Record, TextUnit
from districtguard.pii.findings import Finding
from districtguard.pii.options import DetectOptions
from districtguard.pii.protected import (
    ProtectedCounts,
    as_rows,
    encrypted,
)
from districtguard.pii.tables import header_hints

BATCH_ROWS = 1_000
MAX_CELL_CHARS = 1 << 20
UNIT_CHARS = 4 << 20
DISAPPEARED = "disappeared during the scan"
_GONE_CODES = frozenset({"42P01", "1146", "208"})  # PostgreSQL, MySQL, SQL Server
_DENIED_CODES = frozenset({"42501", "1142", "1143", "229"})
_WEAK = frozenset({kw.DL_ABBR, kw.NEGATIVE})

ProgressCallback = Callable[[Progress], None]


def scan_database(
    url: str,
    options: DetectOptions,
    *,
    sample_rows: int = 10_000,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    schemas: Sequence[str] | None = None,
    password: str | None = None,
    on_progress: ProgressCallback | None = None,
) -> DatabaseResult:
    """Scan the tables of the database at ``url`` and return what they hold.

    At most ``sample_rows`` rows are read per table (see ``sampling``).
    ``include``/``exclude`` are globs over ``schema.table`` or the bare table
    name. Never raises for a database problem: an unreachable server or a bad
    password sets ``error``; a table that fails is a failed :class:`TableResult`.
    """
    if sample_rows < 1:
        raise ValueError("sample_rows must be at least 1")
    started = time.monotonic()
    try:
        target = parse_target(url, password=password)
    except DatabaseUrlError as exc:
        return DatabaseResult("<database URL>", error=str(exc), sample_rows=sample_rows)
    result = DatabaseResult(target.masked, target.dialect, sample_rows=sample_rows)
    missing = _missing_sqlite_file(target)
    if missing:
        result.error = missing
        return result
    try:
        engine = create_engine(target)
    except DatabaseUrlError as exc:
        result.error = str(exc)
        return result
    try:
        try:
            tables = _list_tables(engine, target, schemas, include, exclude)
        except sa.exc.SQLAlchemyError as exc:
            reason = describe_error(exc, target, quote=True)
            result.error = f"cannot connect to {target.masked}: {reason}"
            return result
        scan = _TableScan(engine, target, options, sample_rows, on_progress)
        for done, (schema, table) in enumerate(tables):
            scan.progress = (done, len(tables))
            table_result = scan.run(schema, table)
            result.tables.append(table_result)
            if on_progress is not None:
                on_progress(
                    Progress(
                        done + 1,
                        len(tables),
                        _qualified(schema, table),
                        table_result.rows_scanned,
                        len(table_result.findings),
                    )
                )
    finally:
        engine.dispose()
        result.duration = time.monotonic() - started
    return result


def _missing_sqlite_file(target: Target) -> str:
    """Say so if a SQLite file is missing: connecting would create an empty one."""
    database = target.url.database
    if target.dialect != "sqlite" or not database or database == ":memory:":
        return ""
    if database.startswith("file:") or Path(database).is_file():
        return ""
    return f"no SQLite database file at {target.masked}"


def _qualified(schema: str | None, table: str) -> str:
    return f"{schema}.{table}" if schema else table


def _list_tables(
    engine: sa.Engine,
    target: Target,
    schemas: Sequence[str] | None,
    include: Sequence[str],
    exclude: Sequence[str],
) -> list[tuple[str | None, str]]:
    """Return (schema, table) for every base table to scan, views left out."""
    found: list[tuple[str | None, str]] = []
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        for schema in schemas_to_scan(inspector, target.dialect, schemas):
            for table in sorted(inspector.get_table_names(schema=schema)):
                if selected(_qualified(schema, table), include, exclude):
                    found.append((schema, table))
    return found


def table_error(exc: BaseException, target: Target) -> str:
    """Return why a table could not be read: gone, forbidden, or the error's kind."""
    if isinstance(exc, sa.exc.NoSuchTableError):
        return DISAPPEARED
    orig = driver_error(exc)
    code = error_code(orig)
    label = describe_error(exc, target, quote=False)
    first = str(orig).lower()
    if code in _GONE_CODES or first.startswith("no such table"):
        return f"{DISAPPEARED} ({label})"
    if code in _DENIED_CODES or "permission denied" in first:
        return f"permission denied ({label})"
    return f"cannot read the table ({label})"


@dataclass
class _Plan:
    """What to read from one table and how to name its rows."""

    columns: list[DbColumn]
    key: list[str]
    show_key: bool
    order: list[str]  # every column's name, in table order
    problems: list[str] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)


class _TableScan:
    """Scan one table at a time with shared settings."""

    def __init__(
        self,
        engine: sa.Engine,
        target: Target,
        options: DetectOptions,
        sample_rows: int,
        on_progress: ProgressCallback | None,
    ) -> None:
        self.engine, self.target, self.options = engine, target, options
        self.sample_rows, self.on_progress = sample_rows, on_progress
        self.progress = (0, 0)

    def run(self, schema: str | None, table: str) -> TableResult:
        """Return the result of one table; never raises for a database problem."""
        path = f"{self.target.masked}#{_qualified(schema, table)}"
        base = TableResult(
            path, schema or "", table, "scanned", sample_limit=self.sample_rows
        )
        try:
            with self.engine.connect() as connection:
                plan, reports = self._plan(connection, schema, table)
                estimate = estimate_rows(connection, self.target.dialect, schema, table)
        except sa.exc.SQLAlchemyError as exc:
            reason = table_error(exc, self.target)
            return _replace(base, status="failed", reason=reason)
        order = (
            "first rows by primary key (" + ", ".join(plan.key) + ")"
            if plan.key
            else "first rows as stored (no primary key)"
        )
        base = _replace(base, rows_estimated=estimate, order=order)
        if not plan.columns:
            return _replace(base, columns=tuple(reports))
        reader = _SampleReader(self, schema, table, plan, path)
        try:
            reader.read()
        except sa.exc.SQLAlchemyError as exc:
            if not _is_data_error(exc) or len(plan.columns) < 2:
                return reader.result(base, reports, "failed", self._fail(exc))
            # One column's values cannot be read: find it, leave it out, redo.
            plan = self._drop_unreadable(schema, table, plan)
            reader = _SampleReader(self, schema, table, plan, path)
            try:
                reader.read()
            except sa.exc.SQLAlchemyError as again:
                return reader.result(base, reports, "failed", self._fail(again))
        return reader.result(base, reports, "scanned", "")

    def _fail(self, exc: BaseException) -> str:
        return table_error(exc, self.target)

    def _plan(
        self, connection: sa.Connection, schema: str | None, table: str
    ) -> tuple[_Plan, list[ColumnReport]]:
        inspector = sa.inspect(connection)
        reflected = inspector.get_columns(table, schema=schema)
        key = list(
            inspector.get_pk_constraint(table, schema=schema).get("constrained_columns")
            or []
        )
        columns = [categorise(c["name"], c["type"]) for c in reflected]
        by_name = {column.name: column for column in columns}
        show_key = (
            len(key) == 1
            and key[0] in by_name
            and by_name[key[0]].category == INTEGER
            and not header_hints(key[0]) - _WEAK
        )
        reports = [
            ColumnReport(c.name, c.type, scanned=False, reason=c.skip_reason)
            for c in columns
            if c.category == SKIP
        ]
        readable = [c for c in columns if c.category != SKIP]
        order = [column.name for column in columns]
        return _Plan(readable, key, show_key, order), reports

    def _drop_unreadable(self, schema: str | None, table: str, plan: _Plan) -> _Plan:
        kept: list[DbColumn] = []
        problems = list(plan.problems)
        unreadable = dict(plan.unreadable)
        for column in plan.columns:
            query = sample_query(schema, table, [column.name], [], self.sample_rows)
            try:
                with self.engine.connect() as connection:
                    connection.execute(query).fetchall()
            except sa.exc.SQLAlchemyError as exc:
                if not _is_data_error(exc):
                    raise
                label = describe_error(exc, self.target, quote=False)
                problems.append(
                    f"column {column.name} ({column.type}): its values cannot be "
                    f"read ({label}); the other columns were scanned"
                )
                unreadable[column.name] = f"values cannot be read ({label})"
                continue
            kept.append(column)
        return replace(plan, columns=kept, problems=problems, unreadable=unreadable)


def _is_data_error(exc: BaseException) -> bool:
    """Return whether an error is about values rather than the table or access."""
    return isinstance(exc, sa.exc.DataError) or (
        isinstance(exc, sa.exc.StatementError)
        and not isinstance(exc, sa.exc.DBAPIError)
    )


def _replace(result: TableResult, **changes: Any) -> TableResult:
    return replace(result, **changes)


class _SampleReader:
    """Read a table's sample in batches and detect in each batch."""

    def __init__(
        self,
        scan: _TableScan,
        schema: str | None,
        table: str,
        plan: _Plan,
        path: str,
    ) -> None:
        self.scan, self.schema, self.table = scan, schema, table
        self.plan, self.path = plan, path
        self.rows = 0
        self.findings: list[Finding] = []
        self.protected = 0
        self.protected_kinds: ProtectedCounts = Counter()
        self.problems: list[str] = list(plan.problems)
        self.hints: list[frozenset[str]] = []
        self.classified = False
        self.scanned: list[int] = []
        self.long_columns: set[str] = set()

    def read(self) -> None:
        """Read the sample; raise SQLAlchemy's error if the database fails."""
        plan = self.plan
        names = [column.name for column in plan.columns]
        query = sample_query(
            self.schema, self.table, names, plan.key, self.scan.sample_rows
        )
        offset = len(dict.fromkeys([*plan.key, *names])) - len(names)
        pads = [9 if kw.SSN in header_hints(name) else 0 for name in names]
        with self.scan.engine.connect() as connection:
            result = connection.execution_options(
                stream_results=True, yield_per=BATCH_ROWS
            ).execute(query)
            for batch in result.partitions(BATCH_ROWS):
                keys: list[str] = []
                rows: list[list[str]] = []
                for raw in batch:
                    self.rows += 1
                    keys.append(self._key(raw))
                    values: list[object] = [raw[i] for i in range(offset, len(raw))]
                    rows.append(self._texts(values, pads))
                self._detect(keys, rows)

    def _key(self, raw: sa.Row[tuple[object, ...]]) -> str:
        if self.plan.show_key:
            return f"row key {raw[0]}"
        return f"row {self.rows}"

    def _texts(self, values: list[object], pads: list[int]) -> list[str]:
        texts = []
        for column, value, pad in zip(self.plan.columns, values, pads, strict=True):
            try:
                text = to_text(value, column.category, pad)
            except Exception:  # a driver value whose str() fails is left out
                text = ""
            if len(text) > MAX_CELL_CHARS:
                text = text[:MAX_CELL_CHARS]
                if column.name not in self.long_columns:
                    self.long_columns.add(column.name)
                    self.problems.append(
                        f"column {column.name}: values longer than "
                        f"{MAX_CELL_CHARS} characters were scanned in part"
                    )
            texts.append(text)
        return texts

    def _classify(self, rows: list[list[str]]) -> None:
        self.classified = True
        for index, column in enumerate(self.plan.columns):
            values = [row[index] for row in rows]
            hints = column_hints(column, values)
            self.hints.append(hints)
            if not worth_scanning(column, hints, values):
                self.scanned.append(index)

    def _detect(self, keys: list[str], rows: list[list[str]]) -> None:
        if not self.classified:
            self._classify(rows)
        start = 0
        size = 0
        for end, row in enumerate(rows, 1):
            size += sum(len(row[i]) + 1 for i in self.scanned)
            if size >= UNIT_CHARS:
                self._detect_unit(keys[start:end], rows[start:end])
                start, size = end, 0
        if start < len(rows):
            self._detect_unit(keys[start:], rows[start:])
        if self.scan.on_progress is not None:
            done, total = self.scan.progress
            self.scan.on_progress(
                Progress(
                    done,
                    total,
                    _qualified(self.schema, self.table),
                    self.rows,
                    len(self.findings),
                )
            )

    def _detect_unit(self, keys: list[str], rows: list[list[str]]) -> None:
        if not self.scanned:
            return
        columns = [
            Column(self.plan.columns[i].name, self.hints[i]) for i in self.scanned
        ]
        parts: list[str] = []
        records: list[Record] = []
        cells: list[Cell] = []
        at = 0
        for key, row in zip(keys, rows, strict=True):
            row_start = at
            for position, index in enumerate(self.scanned):
                text = row[index]
                name = self.plan.columns[index].name
                cells.append(
                    Cell(at, at + len(text), position, f"column {name}, {key}")
                )
                parts.append(text)
                at += len(text)
                parts.append("\t")
                at += 1
            records.append(Record(row_start, at - 1, key))
            parts[-1] = "\n"
        unit = TextUnit(
            text="".join(parts),
            records=records,
            cells=cells,
            columns=columns,
            base_offset=None,
        )
        found, counts = detector.detect_and_count(unit, self.path, self.scan.options)
        self.findings.extend(found)
        self.protected += encrypted(counts)
        self.protected_kinds.update(counts)

    def result(
        self,
        base: TableResult,
        skipped: list[ColumnReport],
        status: TableStatus,
        reason: str,
    ) -> TableResult:
        """Return the table's result, with every column's classification."""
        reports = {report.name: report for report in skipped}
        for index, column in enumerate(self.plan.columns):
            hints = self.hints[index] if self.classified else frozenset()
            left_out = "" if index in self.scanned else "not read"
            if not self.rows:
                left_out = "no rows"
            if self.classified and index not in self.scanned:
                left_out = worth_scanning(column, hints, []) or "not read"
            reports[column.name] = ColumnReport(
                column.name, column.type, hints, not left_out, left_out
            )
        for name, why in self.plan.unreadable.items():
            reports[name] = ColumnReport(name, "", scanned=False, reason=why)
        estimate = base.rows_estimated
        if status == "scanned" and self.rows < self.scan.sample_rows:
            estimate = self.rows  # the whole table was read: the count is exact
        elif estimate is not None:
            estimate = max(estimate, self.rows)
        return _replace(
            base,
            status=status,
            reason=reason,
            rows_scanned=self.rows,
            rows_estimated=estimate,
            columns=tuple(reports[name] for name in self.plan.order if name in reports),
            findings=tuple(self.findings),
            problems=tuple(self.problems),
            protected=self.protected,
            protected_kinds=as_rows(self.protected_kinds),
        )
