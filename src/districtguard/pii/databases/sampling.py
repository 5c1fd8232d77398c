"""Which tables to scan, how big they are, and which rows make the sample.

The sample is the first ``sample_rows`` rows in primary-key order: the same
rows every scan, read through the key's index, so a big table costs no more
than a small one. A table without a primary key gives the first rows the
database returns, which for an unchanged table is the same set in practice
but not by guarantee. TABLESAMPLE was rejected: PostgreSQL and SQL Server
only, and its pages are chosen at random unless seeded.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

import sqlalchemy as sa

# Schemas that belong to the database engine, never to the district.
SYSTEM_SCHEMAS = frozenset(
    {
        "information_schema",
        "pg_catalog",
        "pg_toast",
        "mysql",
        "performance_schema",
        "sys",
        "INFORMATION_SCHEMA",
    }
)


def schemas_to_scan(
    inspector: sa.Inspector, dialect: str, schemas: Sequence[str] | None
) -> list[str | None]:
    """Return the schemas to scan; ``None`` stands for the connection's default.

    PostgreSQL and SQL Server: every schema of the database but the system ones.
    MySQL/MariaDB, where a schema is a whole database, and SQLite: the database
    named in the URL.
    """
    if schemas:
        return list(schemas)
    if dialect in ("postgresql", "mssql"):
        names = inspector.get_schema_names()
        return [
            name
            for name in names
            if name not in SYSTEM_SCHEMAS
            and not name.startswith(("pg_temp", "pg_toast", "db_"))
            and name not in ("guest",)
        ]
    return [None]


def selected(name: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Return whether ``schema.table`` passes the include and exclude globs.

    A glob matches either the qualified name or the bare table name.
    """
    bare = name.rsplit(".", 1)[-1]

    def hit(pattern: str) -> bool:
        return fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(bare, pattern)

    if include and not any(hit(pattern) for pattern in include):
        return False
    return not any(hit(pattern) for pattern in exclude)


def estimate_rows(
    connection: sa.Connection, dialect: str, schema: str | None, table: str
) -> int | None:
    """Return the database's estimate of a table's rows, counting if it has none.

    PostgreSQL's planner statistics and MySQL's table status cost nothing; a
    table never analysed (PostgreSQL says -1) and SQLite are counted.
    """
    estimate: object = None
    if dialect == "postgresql":
        estimate = connection.execute(
            sa.text(
                "SELECT c.reltuples FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = "
                "coalesce(:schema, current_schema()) AND c.relname = :table"
            ),
            {"schema": schema, "table": table},
        ).scalar()
    elif dialect in ("mysql", "mariadb"):
        estimate = connection.execute(
            sa.text(
                "SELECT table_rows FROM information_schema.tables WHERE "
                "table_schema = coalesce(:schema, database()) AND table_name = :table"
            ),
            {"schema": schema, "table": table},
        ).scalar()
    if isinstance(estimate, (int, float)) and estimate >= 0:
        return int(estimate)
    counted = connection.execute(
        sa.select(sa.func.count()).select_from(sa.table(table, schema=schema))
    ).scalar()
    return int(counted) if counted is not None else None


def sample_query(
    schema: str | None,
    table: str,
    columns: Sequence[str],
    key: Sequence[str],
    limit: int,
) -> sa.Select[tuple[object, ...]]:
    """Return the query for the first ``limit`` rows, in key order if there is one.

    Columns are untyped on purpose: the driver's own values, never a conversion
    SQLAlchemy might fail on (a malformed date string in SQLite).
    """
    wanted = list(dict.fromkeys([*key, *columns]))
    clause = sa.table(table, *(sa.column(name) for name in wanted), schema=schema)
    query = sa.select(*(clause.c[name] for name in wanted))
    if key:
        query = query.order_by(*(clause.c[name] for name in key))
    return query.limit(limit)
