"""Bad input: each failure named clearly, without data or password; the rest goes on."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from faker import Faker

from districtguard.pii import DetectOptions, Element
from districtguard.pii.databases import Progress, scan_database
from tests.pii.databases.conftest import PG_URL, Database, synthetic_ssn


def _people(db: Database, fake: Faker, name: str, count: int = 5) -> sa.Table:
    table = db.table(
        name,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("full_name", sa.String(120)),
        sa.Column("ssn", sa.String(11)),
    )
    db.insert(
        table,
        [
            {"id": n, "full_name": fake.name(), "ssn": synthetic_ssn(fake)}
            for n in range(1, count + 1)
        ],
    )
    return table


def test_wrong_password_message_hides_the_password(options: DetectOptions) -> None:
    secret = "Wr0ng-" + secrets.token_hex(8)
    url = f"mysql://root:{secret}@127.0.0.1:3306/test"

    result = scan_database(url, options)

    assert result.error.startswith("cannot connect to mysql+pymysql://root:***@")
    assert "Access denied" in result.error
    assert secret not in result.error
    assert secret not in repr(result)
    assert secret not in str(result.to_dict())
    assert result.partial and not result.tables


def test_unknown_postgresql_role_is_a_clear_database_error(
    options: DetectOptions,
) -> None:
    secret = secrets.token_hex(8)
    url = f"postgresql://nobody_{secrets.token_hex(3)}:{secret}@127.0.0.1:5432/test"

    result = scan_database(url, options)

    assert "cannot connect" in result.error
    assert "does not exist" in result.error
    assert secret not in result.error


def test_unreachable_host_is_a_clear_database_error(options: DetectOptions) -> None:
    result = scan_database("postgresql://postgres:pw@127.0.0.1:1/test", options)

    assert result.error.startswith("cannot connect to postgresql+psycopg://")
    assert "127.0.0.1" in result.error and ":pw@" not in result.error


def test_not_a_url_is_not_repeated(options: DetectOptions) -> None:
    result = scan_database("sqlite-ish:/something secret", options)

    assert result.error.startswith("not a database URL")
    assert "secret" not in result.error


def test_missing_driver_says_what_to_install(options: DetectOptions) -> None:
    result = scan_database("mssql://sa:pw@127.0.0.1/district", options)

    # pymssql is LGPL, so it is not a dependency: the user installs it.
    assert "is not installed: pip install pymssql" in result.error
    assert ":pw@" not in result.error


def test_missing_sqlite_file_is_reported_not_created(
    tmp_path: Path, options: DetectOptions
) -> None:
    path = tmp_path / "absent.db"

    result = scan_database(f"sqlite:///{path}", options)

    assert result.error.startswith("no SQLite database file at")
    assert not path.exists()


@pytest.mark.parametrize("kind", ["postgresql", "mariadb", "sqlite"])
def test_table_dropped_mid_scan_fails_alone(
    kind: str, request: pytest.FixtureRequest, fake: Faker, options: DetectOptions
) -> None:
    db: Database = request.getfixturevalue(kind)
    _people(db, fake, "a_first")
    _people(db, fake, "b_second")
    _people(db, fake, "c_third")

    def drop_second(progress: Progress) -> None:
        if progress.tables_done == 1 and progress.table.endswith("a_first"):
            db.drop("b_second")

    result = scan_database(db.url, options, include=db.include, on_progress=drop_second)

    first, second, third = result.tables
    assert first.status == third.status == "scanned"
    assert first.counts[str(Element.SSN)] == third.counts[str(Element.SSN)] == 5
    assert second.status == "failed"
    assert second.reason.startswith("disappeared during the scan")
    assert result.partial


@pytest.fixture
def reader_role(postgresql: Database) -> Iterator[str]:
    role = f"dg_reader_{secrets.token_hex(3)}"
    with postgresql.engine.begin() as connection:
        connection.execute(sa.text(f"CREATE ROLE {role} LOGIN"))
        connection.execute(
            sa.text(f"GRANT USAGE ON SCHEMA {postgresql.schema} TO {role}")
        )
    try:
        yield role
    finally:
        with postgresql.engine.begin() as connection:
            connection.execute(sa.text(f"DROP OWNED BY {role}"))
            connection.execute(sa.text(f"DROP ROLE {role}"))


def test_permission_denied_on_one_table_fails_alone(
    postgresql: Database, reader_role: str, fake: Faker, options: DetectOptions
) -> None:
    _people(postgresql, fake, "allowed")
    _people(postgresql, fake, "secret")
    allowed = f"{postgresql.schema}.{postgresql.name('allowed')}"
    with postgresql.engine.begin() as connection:
        connection.execute(sa.text(f"GRANT SELECT ON {allowed} TO {reader_role}"))
    url = PG_URL.replace("postgres@", f"{reader_role}@")

    result = scan_database(url, options, include=postgresql.include)

    by_name = {table.table: table for table in result.tables}
    assert by_name["t_allowed"].status == "scanned"
    assert by_name["t_allowed"].counts[str(Element.SSN)] == 5
    assert by_name["t_secret"].status == "failed"
    assert by_name["t_secret"].reason.startswith("permission denied")


def test_unreadable_column_is_left_out_and_the_rest_scanned(
    postgresql: Database, fake: Faker, options: DetectOptions
) -> None:
    table = postgresql.table(
        "cards",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("full_name", sa.String(120)),
        sa.Column("ssn", sa.String(11)),
        sa.Column("card_expiry", sa.Date),
    )
    postgresql.insert(
        table,
        [
            {"id": n, "full_name": fake.name(), "ssn": synthetic_ssn(fake)}
            for n in range(1, 4)
        ],
    )
    qualified = f"{postgresql.schema}.{postgresql.name('cards')}"
    with postgresql.engine.begin() as connection:
        # Python's dates cannot hold PostgreSQL's infinity: the driver refuses it.
        connection.execute(
            sa.text(f"UPDATE {qualified} SET card_expiry = 'infinity'")  # noqa: S608 (our own table name)
        )

    (result,) = scan_database(
        postgresql.url, options, include=postgresql.include
    ).tables

    assert result.status == "scanned"
    assert result.counts[str(Element.SSN)] == 3
    assert result.statutory_records == 3
    (problem,) = result.problems
    assert problem.startswith("column card_expiry (DATE): its values cannot be read")
    assert "infinity" not in problem
    expiry = next(c for c in result.columns if c.name == "card_expiry")
    assert not expiry.scanned
