"""Protecting a database table in place: rows per second, plan and write.

Run: ``.venv/bin/python benchmarks/protect_database.py [--rows 20000]
[--database-url URL]``. Fills a throwaway table with synthetic staff (a first
and last name, an SSN, a note), then redacts and, separately, encrypts it with
``protect_database`` as ``districtguard protect --database`` does: every row read and
planned, then rewritten batch by batch in transactions, each batch read back
and verified. Without ``--database-url`` the table is in a temporary SQLite
file; with ``postgresql+psycopg://...`` or ``mysql+pymysql://...`` it is made
in that database (in a schema of its own on PostgreSQL) and dropped after.
Prints a markdown table of rows per second, by the wall clock and by this
process's CPU time (the database server's own time is in the first only).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from common import OPTIONS, pin_one_core
from districtguard.pii.databases.protect import protect_database
from districtguard.pii.protection.base import TokenRestorer, ValueProtector
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.edits import PROTECTABLE, Policy
from districtguard.pii.protection.keys import KeyRing
from districtguard.pii.protection.redaction import Redactor

FIRST = ["Maria", "John", "Ann", "Robert", "Linda", "James", "Patricia", "David"]
LAST = ["Lopez", "Smith", "Lee", "Brown", "Garcia", "Miller", "Davis", "Wilson"]


def _fill(url: str, rows: int) -> tuple[sa.Engine, sa.Table, str | None]:
    """Create and fill the table; return the engine, the table and its schema."""
    engine = sa.create_engine(url)
    schema = None
    if engine.dialect.name == "postgresql":
        schema = f"dg_bench_{secrets.token_hex(3)}"
        with engine.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    table = sa.Table(
        f"dg_bench_staff_{secrets.token_hex(3)}",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("first_name", sa.String(60)),
        sa.Column("last_name", sa.String(60)),
        sa.Column("ssn", sa.String(80)),
        sa.Column("notes", sa.Text),
        schema=schema,
    )
    table.create(engine)
    rng = random.Random(7)
    values = [
        {
            "id": number,
            "first_name": rng.choice(FIRST),
            "last_name": rng.choice(LAST),
            "ssn": f"{rng.randint(100, 665):03d}-{rng.randint(10, 99)}-"
            f"{rng.randint(1000, 9999)}",
            "notes": "on file",
        }
        for number in range(1, rows + 1)
    ]
    with engine.begin() as connection:
        connection.execute(table.insert(), values)
    return engine, table, schema


def _drop(engine: sa.Engine, table: sa.Table, schema: str | None) -> None:
    with engine.begin() as connection:
        if schema:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        else:
            table.drop(connection)
    engine.dispose()


def _services(mode: str, home: Path) -> tuple[ValueProtector, TokenRestorer | None]:
    """Return the protector of ``mode`` and, to encrypt, the restorer."""
    if mode == "redact":
        return Redactor(), None
    os.environ["DISTRICTGUARD_HOME"] = str(home)
    cipher = ValueCipher(KeyRing.create())
    return cipher, cipher


def measure(url: str, rows: int, mode: str, home: Path) -> str:
    """Protect a fresh table in ``mode``; return its markdown row."""
    engine, table, schema = _fill(url, rows)
    protector, restorer = _services(mode, home)
    policy = Policy(OPTIONS, PROTECTABLE, all_records=True)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        result = protect_database(
            url,
            policy,
            protector,
            restorer=restorer,
            include=[str(table.name)],
            schemas=[schema] if schema else None,
        )
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu
    finally:
        _drop(engine, table, schema)
    (done,) = result.tables
    return (
        f"| {engine.dialect.name} | {mode} | {rows:,} | {rows / wall:,.0f} | "
        f"{rows / cpu:,.0f} | {done.outcome}: {done.reason} |"
    )


def main() -> None:
    """Fill, protect and report, once per mode."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    pin_one_core()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/district.db"
        print("| database | mode | rows | rows/s | rows/s (CPU time) | outcome |")
        print("|---|---|---|---|---|---|")
        for mode in ("redact", "encrypt"):
            print(measure(url, args.rows, mode, Path(folder) / "home"))


if __name__ == "__main__":
    main()
