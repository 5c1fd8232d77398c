"""Protect a database's statutory elements in place: every row, batch by batch.

For each table (``docs/databases.md`` explains it to districts):

1. reflect it; refuse it without a primary key (its rows could not be
   rewritten one by one);
2. classify its columns as the scan does (names, then the first rows' values);
3. plan: read every row by primary key in bounded batches, detect in context
   (a row is the record, so a name column and an element column make the
   element statutory) and work out each new value with the run's redactor or
   cipher. A column that must change but cannot hold its new value (a number,
   a date, a value that is not plain text, a string too narrow) refuses the
   whole table before anything is written. A dry run stops here;
4. rewrite batch by batch on a separate read-write session: in one
   transaction, read the batch again (locking its rows where the engine can),
   update each row whose values change (only if it still holds what was read),
   read the batch back and verify it (nothing left to protect; every value reads
   back as written; for encryption, decrypting gives back every original), then
   commit, or roll that batch back and report it.

Values already protected are recognised (tokens, redacted tails), so a second
run changes nothing. Nothing here logs or raises a value: reasons name tables,
columns, types and counts, and batches by their place in key order.
"""

from __future__ import annotations

import bisect
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from districtguard.pii import keywords as kw
from districtguard.pii.databases.columns import (
    SKIP,
    TEXT,
    DbColumn,
    categorise,
    column_hints,
    to_text,
    worth_scanning,
)
from districtguard.pii.databases.connection import Target
from districtguard.pii.databases.opening import (
    CANNOT_WRITE,
    open_database,
    why_failed,
)
from districtguard.pii.databases.outcomes import (
    FAILED,
    PROTECTED,
    PROTECTED_IN_PART,
    REFUSED,
    UNCHANGED,
    WOULD_PROTECT,
    DatabaseProtection,
    ProtectProgress,
    TableProtection,
    all_rows_read,
)
from districtguard.pii.databases.rows import Batch, Key, Layout, to_sheet
from districtguard.pii.databases.scan import BATCH_ROWS as CLASSIFY_ROWS
from districtguard.pii.databases.scan import _qualified
from districtguard.pii.protection.base import (
    ProtectionError,
    TokenRestorer,
    ValueProtector,
)
from districtguard.pii.protection.edits import Edit, Job, Policy, apply_edits, plan_unit
from districtguard.pii.protection.tokens import TOKEN_RE
from districtguard.pii.tables import header_hints

BATCH_ROWS = 500

ProgressCallback = Callable[[ProtectProgress], None]


@dataclass(frozen=True, slots=True)
class _Change:
    """One value to rewrite: its row in the batch, its column, old and new text."""

    row: int
    column: str
    old: str
    new: str


@dataclass
class _Plan:
    """What one batch needs: the changes, their counts, and columns that cannot."""

    changes: list[_Change] = field(default_factory=list)
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    unfit: dict[str, tuple[str, int]] = field(default_factory=dict)  # kind, width


@dataclass(frozen=True, slots=True)
class _Run:
    """What every table of one run shares."""

    target: Target
    policy: Policy
    protector: ValueProtector
    restorer: TokenRestorer | None
    reader: sa.Engine
    writer: sa.Engine | None  # None in a dry run: it never opens a writing session
    batch_rows: int
    on_progress: ProgressCallback | None


def protect_database(
    url: str,
    policy: Policy,
    protector: ValueProtector,
    *,
    restorer: TokenRestorer | None = None,
    dry_run: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    schemas: Sequence[str] | None = None,
    password: str | None = None,
    batch_rows: int = BATCH_ROWS,
    on_progress: ProgressCallback | None = None,
) -> DatabaseProtection:
    """Protect the statutory elements in the tables of the database at ``url``.

    ``protector`` redacts or encrypts; encryption needs ``restorer`` (the
    cipher) to verify each batch. ``include``/``exclude`` are globs over
    ``schema.table`` or the bare table name, as for the scan. Never raises for
    a database problem: an unreachable server sets ``error``; a table that
    cannot be protected says why in its :class:`TableProtection`.
    """
    if batch_rows < 1:
        raise ValueError("batch_rows must be at least 1")
    mode = protector.mode
    if mode == "encrypt" and restorer is None and not dry_run:
        raise ProtectionError("encryption cannot be verified without the restorer")
    started = time.monotonic()
    opened = open_database(
        url,
        password=password,
        include=include,
        exclude=exclude,
        schemas=schemas,
        writable=not dry_run,
    )
    result = DatabaseProtection(opened.url, mode, dry_run, error=opened.error)
    if opened.target is None or opened.reader is None or opened.error:
        return result
    result.dialect = opened.target.dialect
    run = _Run(
        opened.target,
        policy,
        protector,
        restorer,
        opened.reader,
        opened.writer,
        batch_rows,
        on_progress,
    )
    tables = opened.tables
    try:
        for done, (schema, table) in enumerate(tables):
            work = _TableWork(run, schema, table, (done, len(tables)))
            result.tables.append(work.run())
    finally:
        opened.dispose()
        result.duration = time.monotonic() - started
    return result


class _TableWork:
    """Protect one table; never raises for a database problem."""

    def __init__(
        self, run: _Run, schema: str | None, table: str, progress: tuple[int, int]
    ) -> None:
        self.ctx, self.schema, self.table = run, schema, table
        self.name = _qualified(schema, table)
        self.path = f"{run.target.masked}#{self.name}"
        self.progress = progress
        self.rows_read = 0
        self.rows_changed = 0
        self.planned: Counter[tuple[str, str]] = Counter()
        self.written: Counter[tuple[str, str]] = Counter()
        self.batches = 0
        self.committed = 0
        self.rolled_back = 0
        self.problems: list[str] = []
        self.hints: list[frozenset[str]] = []
        self.pads: list[int] = []
        self.scanned: list[int] = []

    def run(self) -> TableProtection:
        """Return what happened to the table."""
        try:
            return self._run()
        except sa.exc.SQLAlchemyError as exc:
            reason = why_failed(exc, self.ctx.target)
            if reason.startswith(CANNOT_WRITE) and not self.committed:
                return self._result(REFUSED, reason + "; nothing was changed")
            if self.rows_changed:
                reason += f"; {self.rows_changed} rows were protected before that"
            return self._result(FAILED, reason)
        except ProtectionError as exc:  # written for people, never quoting data
            return self._result(FAILED, str(exc))
        except Exception as exc:  # one bad table must not stop the run
            return self._result(FAILED, f"internal error ({type(exc).__name__})")

    def _run(self) -> TableProtection:
        with self.ctx.reader.connect() as connection:
            layout = self._layout(connection)
        if not layout.key:
            return self._result(
                REFUSED,
                "no primary key: its rows cannot be rewritten one by one; add a "
                "primary key to the table, then protect it",
            )
        if not layout.columns:
            return self._result(UNCHANGED, "no column can hold an element")
        self._classify(layout)
        if not self.scanned:
            return self._result(UNCHANGED, "no column may hold an element")
        unfit = self._plan_all(layout)
        if unfit:
            return self._result(REFUSED, unfit)
        if not self.planned:
            nothing = f"{all_rows_read(self.rows_read)}: nothing to protect"
            return self._result(UNCHANGED, nothing)
        if self.ctx.writer is None:
            return self._result(WOULD_PROTECT, all_rows_read(self.rows_read))
        self._write_all(layout)
        if self.rolled_back:
            return self._result(
                PROTECTED_IN_PART,
                f"{self.rolled_back} of {self.batches} batches failed verification "
                "and were rolled back: their rows are as they were",
            )
        return self._result(PROTECTED, f"{self.rows_changed:,} rows rewritten")

    def _layout(self, connection: sa.Connection) -> Layout:
        inspector = sa.inspect(connection)
        reflected = inspector.get_columns(self.table, schema=self.schema)
        key = inspector.get_pk_constraint(self.table, schema=self.schema)
        columns = [categorise(c["name"], c["type"]) for c in reflected]
        readable = [column for column in columns if column.category != SKIP]
        names = list(key.get("constrained_columns") or [])
        return Layout(self.schema, self.table, names, readable)

    def _classify(self, layout: Layout) -> None:
        """Choose the columns to look at by names and first rows, as the scan does."""
        with self.ctx.reader.connect() as connection:
            first = layout.read(
                connection, layout.select(after=None, limit=CLASSIFY_ROWS)
            )
        for index, column in enumerate(layout.columns):
            pad = 9 if kw.SSN in header_hints(column.name) else 0
            self.pads.append(pad)
            values = [_text(row[index], column.category, pad) for row in first.values]
            hints = column_hints(column, values)
            self.hints.append(hints)
            if not worth_scanning(column, hints, values):
                self.scanned.append(index)

    def _report(self, phase: str, rows: int) -> None:
        if self.ctx.on_progress is not None:
            done, total = self.progress
            self.ctx.on_progress(ProtectProgress(done, total, self.name, phase, rows))

    def _plan_all(self, layout: Layout) -> str:
        """Read every row and count what would change; return why it cannot."""
        unfit: dict[str, tuple[str, int]] = {}
        after: Key | None = None
        while True:
            with self.ctx.reader.connect() as connection:
                batch = layout.read(
                    connection, layout.select(after=after, limit=self.ctx.batch_rows)
                )
            if not batch.keys:
                break
            plan = self._plan(layout, batch)
            self.rows_read += len(batch.keys)
            self.planned.update(plan.counts)
            for name, (kind, width) in plan.unfit.items():
                known = unfit.get(name, (kind, 0))
                unfit[name] = (known[0], max(known[1], width))
            after = batch.last
            self._report("plan", self.rows_read)
        reasons = [
            self._unfit_reason(column, *unfit[column.name])
            for column in layout.columns
            if column.name in unfit
        ]
        return "; ".join(reasons)

    def _unfit_reason(self, column: DbColumn, kind: str, width: int) -> str:
        what = "a token" if self.ctx.protector.mode == "encrypt" else "the redaction"
        if kind == "number":
            return (
                f"column {column.name} is numeric ({column.type}): a number cannot "
                f"hold {what}; change it to a text column of at least {width} "
                "characters, then protect it"
            )
        if kind == "spans":
            return (
                f"column {column.name}: a value found across it and the next "
                "column cannot be rewritten in one of them"
            )
        if kind == "key":
            return (
                f"column {column.name} is part of the primary key: rows are found "
                "by it, so it cannot be rewritten in place; give the table another "
                "key first"
            )
        if kind == "narrow":
            fix = "redact, or widen" if what == "a token" else "widen"
            return (
                f"column {column.name} ({column.type}) is too narrow for {what}: "
                f"{fix} the column to {width}"
            )
        return (
            f"column {column.name} ({column.type}) does not hold plain text: its "
            "values cannot be rewritten in place"
        )

    def _plan(self, layout: Layout, batch: Batch) -> _Plan:
        """Return the changes that protect ``batch``."""
        sheet = to_sheet(batch, layout.columns, self.scanned, self.hints, self.pads)
        cells = sheet.unit.cells
        job = Job(self.ctx.policy, self.ctx.protector, self.path, TOKEN_RE)
        edits = plan_unit(job, sheet.unit)
        starts = [cell.start for cell in cells]
        by_cell: dict[int, list[Edit]] = {}
        plan = _Plan()
        for edit in edits:
            index = bisect.bisect_right(starts, edit.start) - 1
            if index < 0 or edit.end > cells[index].end:
                name = layout.columns[sheet.places[max(index, 0)][1]].name
                plan.unfit[name] = ("spans", 0)  # a value across two columns
                continue
            by_cell.setdefault(index, []).append(edit)
        for index, cell_edits in by_cell.items():
            row, position = sheet.places[index]
            column = layout.columns[position]
            for edit in cell_edits:
                element = str(job.actions[edit.action].finding.element)
                plan.counts[(column.name, element)] += 1
            shift = cells[index].start
            shown = sheet.unit.text[cells[index].start : cells[index].end]
            width = len(apply_edits(shown, cell_edits, shift))
            old = batch.values[row][position]
            if column.name in layout.key:
                plan.unfit[column.name] = ("key", width)
            elif column.category != TEXT:
                plan.unfit[column.name] = ("number", width)
            elif not isinstance(old, str):
                plan.unfit[column.name] = ("not-text", width)
            elif column.length is not None and width > column.length:
                plan.unfit[column.name] = ("narrow", width)
            else:
                new = apply_edits(old, cell_edits, shift)
                plan.changes.append(_Change(row, column.name, old, new))
        return plan

    def _write_all(self, layout: Layout) -> None:
        after: Key | None = None
        done = 0
        while True:
            batch = self._write_batch(layout, after)
            if batch is None:
                return
            after = batch.last
            done += len(batch.keys)
            self._report("write", done)

    def _write_batch(self, layout: Layout, after: Key | None) -> Batch | None:
        """Rewrite the next batch in one transaction; roll it back unless verified."""
        writer = self.ctx.writer
        if writer is None:
            raise ProtectionError("a dry run does not write")
        with writer.connect() as connection:
            transaction = connection.begin()
            try:
                query = layout.select(after=after, limit=self.ctx.batch_rows)
                batch = layout.read(connection, query.with_for_update())
                if not batch.keys:
                    transaction.rollback()
                    return None
                self.batches += 1
                plan = self._plan(layout, batch)
                problem = self._apply(connection, layout, batch, plan)
                if problem:
                    transaction.rollback()
                    self.rolled_back += 1
                    self.problems.append(
                        f"batch {self.batches} (up to {self.ctx.batch_rows} rows in "
                        f"key order): {problem}; rolled back, nothing in it changed"
                    )
                else:
                    transaction.commit()
                    self.committed += 1
                    self.written.update(plan.counts)
                    self.rows_changed += len({change.row for change in plan.changes})
            except BaseException:
                transaction.rollback()
                raise
        return batch

    def _apply(
        self, connection: sa.Connection, layout: Layout, batch: Batch, plan: _Plan
    ) -> str:
        """Write the batch's changes and verify them; return why it fails, or ""."""
        if plan.unfit:
            return "a value appeared that its column cannot hold once protected"
        rows: dict[int, list[_Change]] = {}
        for change in plan.changes:
            rows.setdefault(change.row, []).append(change)
        # Rows whose changes touch the same columns share one statement, sent
        # with all their values at once (one round trip, not one per row).
        groups: dict[tuple[str, ...], list[int]] = {}
        for row, changes in rows.items():
            groups.setdefault(tuple(c.column for c in changes), []).append(row)
        counted = connection.dialect.supports_sane_multi_rowcount
        for columns, members in groups.items():
            update, names = _update(layout, columns)
            params = [
                dict(
                    zip(
                        names,
                        [
                            *batch.keys[row],
                            *(change.old for change in rows[row]),
                            *(change.new for change in rows[row]),
                        ],
                        strict=True,
                    )
                )
                for row in members
            ]
            if counted:
                changed = connection.execute(update, params).rowcount
                if changed != len(params):
                    return "a row changed while it was being protected"
                continue
            for one in params:  # the driver cannot count an executemany's rows
                if connection.execute(update, one).rowcount != 1:
                    return "a row changed while it was being protected"
        return self._verify(connection, layout, batch, plan)

    def _verify(
        self, connection: sa.Connection, layout: Layout, batch: Batch, plan: _Plan
    ) -> str:
        """Read the batch back; return why it is not as it must be, or ""."""
        again = layout.read(connection, layout.select_range(batch.keys[0], batch.last))
        rows = dict(zip(again.keys, again.values, strict=True))
        positions = {column.name: i for i, column in enumerate(layout.columns)}
        restorer = self.ctx.restorer if self.ctx.protector.mode == "encrypt" else None
        for change in plan.changes:
            row = rows.get(batch.keys[change.row])
            if row is None or row[positions[change.column]] != change.new:
                return "a value did not read back as written"
            if restorer is not None and (
                restorer.restore(change.new)[0] != restorer.restore(change.old)[0]
            ):
                return "decrypting a value does not give back the original"
        sheet = to_sheet(again, layout.columns, self.scanned, self.hints, self.pads)
        check = Job(
            self.ctx.policy, self.ctx.protector, self.path, TOKEN_RE, dry_run=True
        )
        plan_unit(check, sheet.unit)
        if check.protected:
            return f"{check.protected} values are still unprotected after writing"
        return ""

    def _result(self, outcome: str, reason: str) -> TableProtection:
        counts = self.planned if outcome in (WOULD_PROTECT, REFUSED) else self.written
        return TableProtection(
            self.name,
            outcome,
            reason,
            rows_read=self.rows_read,
            rows_changed=self.rows_changed,
            values=tuple(sorted((c, e, n) for (c, e), n in counts.items())),
            batches_rolled_back=self.rolled_back,
            problems=tuple(self.problems),
        )


def _update(layout: Layout, columns: tuple[str, ...]) -> tuple[sa.Update, list[str]]:
    """Return an update of ``columns`` in one row, found by its key and by the
    old values of those columns, and its parameters' names in order: the key's
    values, the old values, the new values.

    The names start with a prefix no column's name starts with: a parameter may
    not share its name with a column the statement sets.
    """
    clause = layout.clause()
    taken = [*layout.key, *(column.name for column in layout.columns)]
    prefix = "dg_"
    while any(name.startswith(prefix) for name in taken):
        prefix += "_"
    keys = [f"{prefix}key{i}" for i in range(len(layout.key))]
    olds = [f"{prefix}old{i}" for i in range(len(columns))]
    news = [f"{prefix}new{i}" for i in range(len(columns))]
    matches = [
        clause.c[name] == sa.bindparam(param)
        for name, param in zip([*layout.key, *columns], [*keys, *olds], strict=True)
    ]
    values: dict[str, sa.BindParameter[object]] = {
        name: sa.bindparam(param) for name, param in zip(columns, news, strict=True)
    }
    return sa.update(clause).where(*matches).values(values), [*keys, *olds, *news]


def _text(value: object, category: str, pad: int) -> str:
    try:
        return to_text(value, category, pad)
    except Exception:  # a driver value whose str() fails is left out
        return ""


__all__ = ["BATCH_ROWS", "ProgressCallback", "protect_database"]
