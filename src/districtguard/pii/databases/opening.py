"""Open a database to rewrite: a read-only session, a writing one, its tables.

Protection and unprotection read on a read-only session (a dry run never opens
any other) and write on a separate session that may write, with the same
account; the account therefore needs UPDATE on the tables it rewrites.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from districtguard.pii.databases.connection import (
    DatabaseUrlError,
    Target,
    create_engine,
    describe_error,
    driver_error,
    error_code,
    parse_target,
)
from districtguard.pii.databases.scan import _list_tables, _missing_sqlite_file

GONE = "disappeared during protection"
_GONE_CODES = frozenset({"42P01", "42S02", "1146", "208"})
# Permission denied, a read-only transaction, MySQL's command denied.
_NO_WRITE_CODES = frozenset({"42501", "25006", "1142", "1143", "1792", "229"})
CANNOT_WRITE = "the account cannot write to this table"


@dataclass
class Opened:
    """A database ready to rewrite, or ``error`` saying why it is not."""

    url: str  # masked
    target: Target | None = None
    reader: sa.Engine | None = None
    writer: sa.Engine | None = None
    tables: list[tuple[str | None, str]] = field(default_factory=list)
    error: str = ""

    def dispose(self) -> None:
        """Close every connection of both engines."""
        for engine in (self.reader, self.writer):
            if engine is not None:
                engine.dispose()


def open_database(
    url: str,
    *,
    password: str | None,
    include: Sequence[str],
    exclude: Sequence[str],
    schemas: Sequence[str] | None,
    writable: bool,
) -> Opened:
    """Return the database at ``url`` opened; never raises for a database problem."""
    try:
        target = parse_target(url, password=password)
    except DatabaseUrlError as exc:
        return Opened("<database URL>", error=str(exc))
    opened = Opened(target.masked, target)
    opened.error = _missing_sqlite_file(target)
    if opened.error:
        return opened
    try:
        opened.reader = create_engine(target)
        if writable:
            opened.writer = create_engine(target, writable=True)
        opened.tables = _list_tables(opened.reader, target, schemas, include, exclude)
    except DatabaseUrlError as exc:
        opened.error = str(exc)
    except sa.exc.SQLAlchemyError as exc:
        reason = describe_error(exc, target, quote=True)
        opened.error = f"cannot connect to {target.masked}: {reason}"
    if opened.error:
        opened.dispose()
    return opened


def why_failed(exc: BaseException, target: Target) -> str:
    """Return why a table could not be read or written, without data."""
    if isinstance(exc, sa.exc.NoSuchTableError):
        return GONE
    orig = driver_error(exc)
    # SQLSTATE where the driver gives one, and MySQL's own error number.
    codes = {error_code(orig)}
    args = getattr(orig, "args", ())
    if args and isinstance(args[0], int):
        codes.add(str(args[0]))
    label = describe_error(exc, target, quote=False)
    first = str(orig).lower()
    if codes & _GONE_CODES or first.startswith("no such table"):
        return f"{GONE} ({label})"
    if codes & _NO_WRITE_CODES or "readonly database" in first:
        return (
            f"{CANNOT_WRITE} ({label}): grant it UPDATE on the table, or give "
            "the store an account that may write"
        )
    return f"cannot rewrite the table ({label})"


__all__ = ["CANNOT_WRITE", "GONE", "Opened", "open_database", "why_failed"]
