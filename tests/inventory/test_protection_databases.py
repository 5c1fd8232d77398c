"""Protecting a database store from the web: a dry-run preview, then the real run."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse

from districtguard.accounts.models import AuditEntry, User
from districtguard.accounts.roles import Role
from districtguard.inventory import jobs
from districtguard.inventory.models import DataStore, FileState, ProtectionRun
from districtguard.inventory.protection import progress_saver
from districtguard.inventory.services import queue_scan
from districtguard.pii.databases.outcomes import ProtectProgress
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.tokens import TOKEN_RE
from tests.inventory.test_database_stores import make_database
from tests.pii.protection.keyhelp import make_ring
from tests.web.conftest import make_person, signed_in

pytestmark = pytest.mark.django_db


def scan(store: DataStore) -> None:
    jobs.run_scan(queue_scan(store, actor=None).pk)
    store.refresh_from_db()


def ssns(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("select ssn from staff order by id")]


@pytest.fixture
def sis(tmp_path: Path) -> Path:
    path = tmp_path / "sis.db"
    make_database(path, 30)
    return path


@pytest.fixture
def store(sis: Path, tmp_path: Path, make_store: Callable[..., DataStore]) -> DataStore:
    made = make_store(
        tmp_path,
        kind=DataStore.Kind.DATABASE,
        location=f"sqlite:///{sis}",
        sample_rows=20,
    )
    scan(made)
    assert made.unprotected_statutory == 20  # the scan reads a sample
    return made


def test_preview_reads_every_row_changes_nothing_then_apply_redacts_and_logs(
    store: DataStore, sis: Path, director: User
) -> None:
    client = signed_in(director)
    before = ssns(sis)
    form = client.get(reverse("inventory:protect_store", args=[store.pk]))
    assert "All tables" in form.content.decode()
    response = client.post(
        reverse("inventory:protect_store", args=[store.pk]),
        {"mode": "redact", "table": "all tables"},
    )
    run = ProtectionRun.objects.get()
    assert response["Location"] == reverse("inventory:protection", args=[run.pk])
    assert run.path == "all tables"

    jobs.preview_protection(run.pk)
    run.refresh_from_db()
    assert run.status == ProtectionRun.Status.PREVIEWED, run.error
    assert run.preview["outcomes"] == {"unchanged": 1, "would-protect": 1}
    assert run.preview["values"] == {"SSN": 30}
    assert ssns(sis) == before
    page = client.get(reverse("inventory:protection", args=[run.pk])).content.decode()
    assert "would-protect" in page
    assert "all 30 rows read" in page
    # A dry run changes no rows; a "Rows changed: 0" column would read as if
    # applying would change none either.
    assert "Rows changed" not in page
    assert all(ssn not in page for ssn in before)

    client.post(reverse("inventory:protection_apply", args=[run.pk]))
    jobs.apply_protection(run.pk)
    run.refresh_from_db()
    assert run.status == ProtectionRun.Status.DONE, run.error
    assert run.result["outcomes"] == {"protected": 1, "unchanged": 1}
    page = client.get(reverse("inventory:protection", args=[run.pk])).content.decode()
    assert "Rows changed" in page
    after = ssns(sis)
    assert [s[-4:] for s in after] == [s[-4:] for s in before]
    assert all(s.startswith("***-**-") for s in after)
    entry = AuditEntry.objects.get(action="inventory.protection_done")
    assert entry.detail["mode"] == "redact"
    assert entry.detail["values"] == {"SSN": 30}
    assert all(ssn not in str(entry.detail) for ssn in before)
    scan(store)
    assert store.unprotected_statutory == 0


def test_one_table_is_encrypted_from_its_page_and_decrypts_back(
    store: DataStore,
    sis: Path,
    director: User,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    ring = make_ring(monkeypatch, tmp_path / "home")
    before = ssns(sis)
    table = FileState.objects.get(store=store, path__endswith="#staff")
    client = signed_in(director)
    page = client.get(reverse("inventory:file", args=[table.pk])).content.decode()
    assert "Protect this table" in page
    client.post(reverse("inventory:protect_file", args=[table.pk]), {"mode": "encrypt"})
    run = ProtectionRun.objects.get()
    assert run.path == "staff"

    jobs.preview_protection(run.pk)
    run.refresh_from_db()
    assert run.preview["outcomes"] == {"would-protect": 1}, run.error
    client.post(reverse("inventory:protection_apply", args=[run.pk]))
    jobs.apply_protection(run.pk)
    run.refresh_from_db()

    assert run.status == ProtectionRun.Status.DONE, run.error
    cipher = ValueCipher(ring)
    after = ssns(sis)
    assert all(TOKEN_RE.fullmatch(token) for token in after)
    assert [cipher.restore(token)[0] for token in after] == before


def test_a_refused_table_says_why_and_the_others_are_protected(
    store: DataStore, sis: Path, director: User
) -> None:
    with sqlite3.connect(sis) as db:
        db.execute("create table loose (name text, ssn text)")
        db.execute("insert into loose select name, ssn from staff")
    scan(store)
    run = ProtectionRun.objects.create(
        store=store, path="all tables", mode="redact", requested_by=director
    )

    jobs.preview_protection(run.pk)
    run.refresh_from_db()

    assert run.preview["outcomes"] == {
        "refused": 1,
        "unchanged": 1,
        "would-protect": 1,
    }
    assert run.preview["partial"]
    page = signed_in(director).get(reverse("inventory:protection", args=[run.pk]))
    assert "no primary key" in page.content.decode()


def test_a_table_gone_before_protection_fails_clearly(
    store: DataStore, sis: Path, director: User
) -> None:
    run = ProtectionRun.objects.create(
        store=store, path="staff", mode="redact", requested_by=director
    )
    with sqlite3.connect(sis) as db:
        db.execute("drop table staff")

    jobs.preview_protection(run.pk)

    run.refresh_from_db()
    assert run.status == ProtectionRun.Status.FAILED
    assert run.error == "the table staff no longer exists"


def test_a_missing_password_variable_fails_clearly(
    store: DataStore, director: User
) -> None:
    store.password_env = "DG_TEST_NOT_SET"  # noqa: S105 (a variable name)
    store.save()
    run = ProtectionRun.objects.create(
        store=store, path="all tables", mode="redact", requested_by=director
    )

    jobs.preview_protection(run.pk)

    run.refresh_from_db()
    assert run.status == ProtectionRun.Status.FAILED
    assert "DG_TEST_NOT_SET" in run.error


@pytest.mark.parametrize(
    "role",
    [
        Role.TECH_STAFF,
        Role.SUPERINTENDENT,
        Role.COUNSEL,
        Role.BOARD,
        Role.AUDITOR,
        Role.STAFF,
    ],
)
def test_people_who_may_not_protect_get_404_and_nothing_is_queued(
    store: DataStore, sis: Path, role: Role
) -> None:
    client = signed_in(make_person(role))
    table = FileState.objects.get(store=store, path__endswith="#staff")

    urls = [
        reverse("inventory:protect_store", args=[store.pk]),
        reverse("inventory:protect_file", args=[table.pk]),
    ]
    for url in urls:
        response = client.post(url, {"mode": "redact", "table": "all tables"})
        assert response.status_code in (403, 404)

    assert not ProtectionRun.objects.exists()


def test_a_long_run_shows_its_progress_on_the_page(
    store: DataStore, director: User
) -> None:
    run = ProtectionRun.objects.create(
        store=store,
        path="all tables",
        mode="redact",
        requested_by=director,
        status=ProtectionRun.Status.APPLYING,
    )
    saver = progress_saver(run, "result")

    saver(ProtectProgress(1, 2, "staff", "write", 1500))

    run.refresh_from_db()
    assert run.result == {
        "progress": {
            "table_number": 2,
            "tables_total": 2,
            "table": "staff",
            "phase": "write",
            "rows": 1500,
        }
    }
    page = signed_in(director).get(reverse("inventory:protection", args=[run.pk]))
    text = page.content.decode()
    assert "Protecting: table 2 of 2 (<code>staff</code>), 1500 rows rewritten" in text
    assert "<h2>Result</h2>" not in text
    assert 'http-equiv="refresh"' in text
