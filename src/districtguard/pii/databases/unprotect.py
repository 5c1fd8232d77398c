"""Put the original values back in a database: every token in its text columns.

Batch by batch, in one transaction on the writing session: read the rows
(locked where the engine can), decrypt every token, write the restoration to
the unprotect log (who, which table, how many values) *before* the commit, so
no decryption happens unrecorded, update the rows, read them back, commit. A
token that does not open (altered, or sealed with another keyring) rolls its
batch back and the table says so; other batches and tables go on.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from districtguard.pii.databases.columns import TEXT, categorise
from districtguard.pii.databases.opening import Opened, open_database, why_failed
from districtguard.pii.databases.outcomes import (
    FAILED,
    REFUSED,
    DatabaseProtection,
    TableProtection,
    all_rows_read,
)
from districtguard.pii.databases.rows import Batch, Key, Layout
from districtguard.pii.databases.scan import _qualified
from districtguard.pii.protection.accesslog import record_unprotect
from districtguard.pii.protection.base import ProtectionError, TokenRestorer
from districtguard.pii.protection.tokens import CODE_ELEMENTS, PREFIX, find_tokens

BATCH_ROWS = 500
RESTORED = "restored"
RESTORED_IN_PART = "restored-in-part"
NOTHING = "nothing-to-restore"


class _Restore:
    """Restore one table; never raises for a database problem."""

    def __init__(
        self,
        opened: Opened,
        restorer: TokenRestorer,
        schema: str | None,
        table: str,
        *,
        user: str | None,
        home: Path | None,
        batch_rows: int,
    ) -> None:
        self.opened, self.restorer = opened, restorer
        self.schema, self.table = schema, table
        self.name = _qualified(schema, table)
        self.user, self.home, self.batch_rows = user, home, batch_rows
        self.rows_read = self.rows_changed = self.committed = self.rolled_back = 0
        self.counts: Counter[tuple[str, str]] = Counter()
        self.problems: list[str] = []
        self.failed = False

    def run(self) -> TableProtection:
        """Return what happened to the table."""
        target = self.opened.target
        if target is None:
            raise ProtectionError("the database is not open")
        try:
            return self._run()
        except sa.exc.SQLAlchemyError as exc:
            reason = why_failed(exc, target)
            if self.rows_changed:
                reason += f"; {self.rows_changed} rows were restored before that"
            return self._result(FAILED, reason)
        except ProtectionError as exc:  # written for people, never quoting data
            return self._result(FAILED, str(exc))

    def _run(self) -> TableProtection:
        reader, writer = self.opened.reader, self.opened.writer
        if reader is None or writer is None:
            raise ProtectionError("the database is not open for writing")
        with reader.connect() as connection:
            inspector = sa.inspect(connection)
            reflected = inspector.get_columns(self.table, schema=self.schema)
            key = inspector.get_pk_constraint(self.table, schema=self.schema)
        columns = [categorise(c["name"], c["type"]) for c in reflected]
        layout = Layout(
            self.schema,
            self.table,
            list(key.get("constrained_columns") or []),
            [column for column in columns if column.category == TEXT],
        )
        if not layout.key:
            return self._result(REFUSED, "no primary key: rows cannot be rewritten")
        after: Key | None = None
        while True:
            with writer.connect() as connection:
                batch = self._batch(connection, layout, after)
            if batch is None:
                break
            after = batch.last
        if self.rolled_back:
            return self._result(
                RESTORED_IN_PART,
                f"{self.rolled_back} batches were rolled back: their tokens stay",
            )
        if not self.counts:
            return self._result(NOTHING, all_rows_read(self.rows_read))
        return self._result(RESTORED, f"{self.rows_changed:,} rows restored")

    def _batch(
        self, connection: sa.Connection, layout: Layout, after: Key | None
    ) -> Batch | None:
        transaction = connection.begin()
        try:
            batch = self._rewrite(connection, layout, after)
        except BaseException:
            transaction.rollback()
            raise
        if batch is None or self.failed:
            transaction.rollback()
        else:
            transaction.commit()
            self.committed += 1
        return batch

    def _rewrite(
        self, connection: sa.Connection, layout: Layout, after: Key | None
    ) -> Batch | None:
        """Restore one batch; set ``failed`` if it must be rolled back."""
        self.failed = False
        query = layout.select(after=after, limit=self.batch_rows)
        batch = layout.read(connection, query.with_for_update())
        if not batch.keys:
            return None
        self.rows_read += len(batch.keys)
        try:
            changes, counts = self._restore(layout, batch)
        except ProtectionError as exc:
            return self._fail(batch, f"{exc}; its batch was rolled back")
        if not changes:
            return batch
        total = sum(counts.values())
        record_unprotect(
            f"{self.opened.url}#{self.name}", total, self.user, home=self.home
        )
        if not self._write(connection, layout, batch, changes):
            return self._fail(
                batch,
                "a row changed or did not read back as written; its batch was "
                "rolled back",
            )
        self.counts.update(counts)
        self.rows_changed += len(changes)
        return batch

    def _fail(self, batch: Batch, problem: str) -> Batch:
        self.failed = True
        self.rolled_back += 1
        self.problems.append(problem)
        return batch

    def _restore(
        self, layout: Layout, batch: Batch
    ) -> tuple[dict[int, dict[str, tuple[str, str]]], Counter[tuple[str, str]]]:
        changes: dict[int, dict[str, tuple[str, str]]] = {}
        counts: Counter[tuple[str, str]] = Counter()
        for row, values in enumerate(batch.values):
            for column, value in zip(layout.columns, values, strict=True):
                if not isinstance(value, str) or PREFIX not in value:
                    continue
                for match in find_tokens(value):
                    element = CODE_ELEMENTS[match.group("element")]
                    counts[(column.name, str(element))] += 1
                restored, found = self.restorer.restore(value)
                if found:
                    changes.setdefault(row, {})[column.name] = (value, restored)
        return changes, counts

    def _write(
        self,
        connection: sa.Connection,
        layout: Layout,
        batch: Batch,
        changes: dict[int, dict[str, tuple[str, str]]],
    ) -> bool:
        clause = layout.clause()
        for row, cells in changes.items():
            matches = [
                clause.c[name] == value
                for name, value in zip(layout.key, batch.keys[row], strict=True)
            ]
            matches += [clause.c[name] == old for name, (old, _) in cells.items()]
            new = {name: restored for name, (_, restored) in cells.items()}
            update = sa.update(clause).where(*matches).values(new)
            if connection.execute(update).rowcount != 1:
                return False
        again = layout.read(connection, layout.select_range(batch.keys[0], batch.last))
        rows = dict(zip(again.keys, again.values, strict=True))
        positions = {column.name: i for i, column in enumerate(layout.columns)}
        for row, cells in changes.items():
            read = rows.get(batch.keys[row])
            for name, (_, restored) in cells.items():
                if read is None or read[positions[name]] != restored:
                    return False
        return True

    def _result(self, outcome: str, reason: str) -> TableProtection:
        return TableProtection(
            self.name,
            outcome,
            reason,
            rows_read=self.rows_read,
            rows_changed=self.rows_changed,
            values=tuple(sorted((c, e, n) for (c, e), n in self.counts.items())),
            batches_rolled_back=self.rolled_back,
            problems=tuple(self.problems),
        )


def unprotect_database(
    url: str,
    restorer: TokenRestorer,
    *,
    user: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    schemas: Sequence[str] | None = None,
    password: str | None = None,
    batch_rows: int = BATCH_ROWS,
    home: Path | None = None,
) -> DatabaseProtection:
    """Decrypt every token in the text columns of the database at ``url``.

    Each batch restored is recorded in the unprotect log in ``home`` (the data
    home by default) under ``user`` before it is committed. Never raises for a
    database problem.
    """
    if batch_rows < 1:
        raise ValueError("batch_rows must be at least 1")
    started = time.monotonic()
    opened = open_database(
        url,
        password=password,
        include=include,
        exclude=exclude,
        schemas=schemas,
        writable=True,
    )
    result = DatabaseProtection(opened.url, "unprotect", False, error=opened.error)
    if opened.target is None or opened.error:
        return result
    result.dialect = opened.target.dialect
    try:
        for schema, table in opened.tables:
            work = _Restore(
                opened,
                restorer,
                schema,
                table,
                user=user,
                home=home,
                batch_rows=batch_rows,
            )
            result.tables.append(work.run())
    finally:
        opened.dispose()
        result.duration = time.monotonic() - started
    return result


__all__ = [
    "NOTHING",
    "RESTORED",
    "RESTORED_IN_PART",
    "unprotect_database",
]
