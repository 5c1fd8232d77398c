"""Database stores: one result per table, sampling shown, failures kept apart."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from faker import Faker

from districtguard.accounts.models import User
from districtguard.inventory import jobs
from districtguard.inventory.models import DataStore, FileState, ScanRun
from districtguard.inventory.services import queue_scan
from tests.inventory.conftest import synthetic_ssn
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db
fake = Faker()


def make_database(path: Path, rows: int) -> list[str]:
    numbers = [synthetic_ssn() for _ in range(rows)]
    with sqlite3.connect(path) as db:
        db.execute("create table staff (id integer primary key, name text, ssn text)")
        db.execute("create table menu (id integer primary key, dish text)")
        db.executemany(
            "insert into staff (name, ssn) values (?, ?)",
            [(f"{fake.first_name()} {fake.last_name()}", n) for n in numbers],
        )
        db.execute("insert into menu (dish) values ('Soup')")
    return numbers


def scan(store: DataStore) -> ScanRun:
    run = queue_scan(store, actor=None)
    jobs.run_scan(run.pk)
    run.refresh_from_db()
    store.refresh_from_db()
    return run


@pytest.fixture
def database(tmp_path: Path, make_store: Callable[..., DataStore]) -> DataStore:
    path = tmp_path / "sis.db"
    make_database(path, 30)
    return make_store(
        tmp_path,
        kind=DataStore.Kind.DATABASE,
        location=f"sqlite:///{path}",
        sample_rows=20,
        holds_students=True,
    )


def test_each_table_is_a_result_and_the_sample_is_shown(database: DataStore) -> None:
    run = scan(database)
    assert run.status == ScanRun.Status.FINISHED, run.error
    assert run.files_seen == 2
    staff = FileState.objects.get(store=database, path__endswith="staff")
    assert staff.reason.startswith("sampled 20 of about 30 rows")
    assert staff.counts["SSN"] == 20
    assert database.unprotected_statutory == 20
    menu = FileState.objects.get(store=database, path__endswith="menu")
    assert menu.reason == "all 1 row read"


def test_a_dropped_table_is_forgotten_and_a_missing_database_keeps_results(
    database: DataStore, tmp_path: Path
) -> None:
    scan(database)
    with sqlite3.connect(tmp_path / "sis.db") as db:
        db.execute("drop table menu")
    scan(database)
    assert FileState.objects.filter(store=database).count() == 1
    (tmp_path / "sis.db").unlink()
    run = scan(database)
    assert run.status == ScanRun.Status.FAILED
    assert run.error
    assert database.unprotected_statutory == 20


def test_an_unset_password_variable_fails_clearly(
    make_store: Callable[..., DataStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DG_TEST_SIS_PASSWORD", raising=False)
    store = make_store(
        Path("unused"),
        kind=DataStore.Kind.DATABASE,
        location="postgresql://scanner@127.0.0.1:9/sis",
        password_env="DG_TEST_SIS_PASSWORD",  # noqa: S106 (a variable name)
    )
    run = scan(store)
    assert run.status == ScanRun.Status.FAILED
    assert "DG_TEST_SIS_PASSWORD" in run.error
    assert "is not set" in run.error


def test_an_unreachable_server_fails_without_the_password(
    make_store: Callable[..., DataStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DG_TEST_SIS_PASSWORD", "synthetic-secret-value")
    store = make_store(
        Path("unused"),
        kind=DataStore.Kind.DATABASE,
        location="postgresql://scanner@127.0.0.1:9/sis",
        password_env="DG_TEST_SIS_PASSWORD",  # noqa: S106 (a variable name)
    )
    run = scan(store)
    assert run.status == ScanRun.Status.FAILED
    assert run.error
    assert "synthetic-secret-value" not in run.error


def test_a_database_stores_page_counts_tables_not_files(
    database: DataStore, director: User
) -> None:
    scan(database)
    url = reverse("inventory:store", args=[database.pk])
    page = signed_in(director).get(url).content.decode()
    assert "Tables, worst first" in page
    assert "2 tables (2 read, 0 unchanged)" in page
    assert "Files" not in page


def test_the_password_can_come_from_a_secrets_file(
    make_store: Callable[..., DataStore],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from districtguard.inventory.databases import store_password

    secret = tmp_path / "sis-password"
    secret.write_text("made-up-for-the-test\n")
    secret.chmod(0o600)
    monkeypatch.delenv("DG_TEST_SIS_PASSWORD", raising=False)
    monkeypatch.setenv("DG_TEST_SIS_PASSWORD_FILE", str(secret))
    store = make_store(
        Path("unused"),
        kind=DataStore.Kind.DATABASE,
        location="postgresql://scanner@127.0.0.1:9/sis",
        password_env="DG_TEST_SIS_PASSWORD",  # noqa: S106 (a variable name)
    )
    assert store_password(store) == "made-up-for-the-test"
    # A secrets file that has gone fails the scan with the variable named,
    # never with the password.
    secret.unlink()
    run = scan(store)
    assert run.status == ScanRun.Status.FAILED
    assert "DG_TEST_SIS_PASSWORD_FILE" in run.error
    assert "made-up-for-the-test" not in run.error
