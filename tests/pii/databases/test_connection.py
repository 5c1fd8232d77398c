"""Database URLs: drivers filled in, passwords from the environment, never shown."""

# ruff: noqa: S105, S106  (the passwords here are made-up test strings)

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa

from districtguard.pii.databases import (
    PASSWORD_ENV,
    DatabaseUrlError,
    mask_url,
    parse_target,
)
from districtguard.pii.databases.connection import create_engine


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("mysql://u@h/db", "mysql+pymysql"),
        ("mariadb://u@h/db", "mariadb+pymysql"),
        ("mssql://u@h/db", "mssql+pymssql"),
        ("sqlite:///tmp/x.db", "sqlite"),
        ("postgresql+psycopg2://u@h/db", "postgresql+psycopg2"),
    ],
)
def test_bare_engine_names_get_the_installed_driver(url: str, driver: str) -> None:
    assert parse_target(url).url.drivername == driver


def test_password_comes_from_the_environment_when_the_url_has_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "from-env-Secret1")

    target = parse_target("postgresql://reader@db.district.invalid/sis")

    assert target.url.password == "from-env-Secret1"
    assert "from-env-Secret1" not in repr(target)
    assert "from-env-Secret1" not in str(target)
    assert target.masked == "postgresql+psycopg://reader:***@db.district.invalid/sis"


def test_password_in_url_or_argument_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "env")

    assert parse_target("mysql://u:inurl@h/db", password="arg").url.password == "inurl"
    assert parse_target("mysql://u@h/db", password="arg").url.password == "arg"


def test_mask_url_hides_an_escaped_password() -> None:
    target = parse_target("postgresql://u:p%40ss%2Fword@h/db")

    assert target.url.password == "p@ss/word"
    assert mask_url(target.url) == "postgresql+psycopg://u:***@h/db"


def test_unparseable_url_is_not_echoed() -> None:
    with pytest.raises(DatabaseUrlError) as caught:
        parse_target("user:hunter2 at somewhere")

    assert "hunter2" not in str(caught.value)


def test_database_scanning_does_not_import_django() -> None:
    code = (
        "import sys, districtguard.pii.databases; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') "
        "for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("postgresql://postgres@127.0.0.1:5432/test", "SHOW transaction_read_only"),
        ("mysql://root@127.0.0.1:3306/test", "SELECT @@session.tx_read_only"),
    ],
)
def test_scan_sessions_refuse_writes(url: str, query: str) -> None:
    engine = create_engine(parse_target(url))
    try:
        with engine.connect() as connection:
            value = connection.execute(sa.text(query)).scalar()
    finally:
        engine.dispose()

    assert str(value).lower() in ("on", "1")
