"""Real databases for the scanning tests, filled with synthetic people.

PostgreSQL (127.0.0.1:5432, user postgres, trust, database ``test``) and
MariaDB (127.0.0.1:3306, root without a password, database ``test``) must be
running: a test that needs one fails, saying which, rather than skipping.
Every test gets its own randomly named schema (PostgreSQL), tables (MariaDB)
or file (SQLite), dropped afterwards.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from faker import Faker

from districtguard.pii import DetectOptions
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.edits import PROTECTABLE, Policy
from tests.pii.protection.keyhelp import make_ring

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MARIA_URL = "mysql+pymysql://root@127.0.0.1:3306/test"
ENGINES = ("postgresql", "mariadb", "sqlite")


@dataclass
class Database:
    """A database to fill with tables, and where scans find them."""

    kind: str
    url: str
    engine: sa.Engine
    schema: str | None  # PostgreSQL: our own schema
    prefix: str  # every table's name starts with it

    def name(self, table: str) -> str:
        """Return the real name of the test's table ``table``."""
        return f"{self.prefix}{table}"

    @property
    def include(self) -> tuple[str, ...]:
        """Return the globs that select this test's tables and no others."""
        return (f"{self.prefix}*",)

    def table(self, table: str, *columns: sa.Column[object]) -> sa.Table:
        """Create and return a table of this test."""
        created = sa.Table(
            self.name(table), sa.MetaData(), *columns, schema=self.schema
        )
        created.create(self.engine)
        return created

    def insert(self, table: sa.Table, rows: list[dict[str, object]]) -> None:
        """Insert ``rows`` into ``table``."""
        with self.engine.begin() as connection:
            connection.execute(table.insert(), rows)

    def drop(self, table: str) -> None:
        """Drop a table of this test, from outside the scan."""
        qualified = (
            f"{self.schema}.{self.name(table)}" if self.schema else self.name(table)
        )
        with self.engine.begin() as connection:
            connection.execute(sa.text(f"DROP TABLE {qualified}"))


def _answering(url: str, what: str) -> sa.Engine:
    engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError:
        engine.dispose()
        pytest.fail(
            f"{what} does not answer at {sa.make_url(url).render_as_string()}: "
            "start it (scripts/check installs and starts it) and run again",
            pytrace=False,
        )
    return engine


@pytest.fixture
def postgresql() -> Iterator[Database]:
    engine = _answering(PG_URL, "PostgreSQL")
    schema = f"dg_{secrets.token_hex(4)}"
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield Database("postgresql", PG_URL, engine, schema, "t_")
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture
def mariadb() -> Iterator[Database]:
    engine = _answering(MARIA_URL, "MariaDB")
    prefix = f"dg_{secrets.token_hex(4)}_"
    try:
        yield Database("mariadb", MARIA_URL, engine, None, prefix)
    finally:
        with engine.begin() as connection:
            names = sa.inspect(connection).get_table_names()
            for name in names:
                if name.startswith(prefix):
                    connection.execute(sa.text(f"DROP TABLE `{name}`"))
        engine.dispose()


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "district.db"
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    try:
        yield Database("sqlite", url, engine, None, "t_")
    finally:
        engine.dispose()


@pytest.fixture(params=ENGINES)
def database(request: pytest.FixtureRequest) -> Database:
    """Each test once per engine."""
    db: Database = request.getfixturevalue(str(request.param))
    return db


@pytest.fixture
def policy(options: DetectOptions) -> Policy:
    """Protect what the rule set links to a name, as the web app does."""
    return Policy(options, options.rules.linked_elements & PROTECTABLE)


@pytest.fixture
def cipher(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ValueCipher:
    """Return a cipher over a fresh keyring in a temporary data home."""
    return ValueCipher(make_ring(monkeypatch, tmp_path / "keys"))


@pytest.fixture
def fake() -> Faker:
    faker = Faker("en_US")
    faker.seed_instance(20261129)
    return faker


def synthetic_ssn(fake: Faker, area: int | None = None) -> str:
    """Return a valid-looking synthetic SSN (area never 000, 666 or 9xx)."""
    first = area if area is not None else fake.random_int(100, 665)
    return f"{first:03d}-{fake.random_int(1, 99):02d}-{fake.random_int(1, 9999):04d}"
