"""Protecting a file or a store from the web: a dry-run preview, then the real run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse

from districtguard.accounts.models import AuditEntry, User
from districtguard.inventory import jobs
from districtguard.inventory.models import DataStore, FileState, ProtectionRun, ScanRun
from districtguard.inventory.services import queue_scan
from tests.inventory.conftest import write_records
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def scan(store: DataStore) -> None:
    jobs.run_scan(queue_scan(store, actor=None).pk)
    store.refresh_from_db()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "share"


@pytest.fixture
def store(folder: Path, make_store: Callable[..., DataStore]) -> DataStore:
    write_records(folder / "payroll.txt", 3)
    write_records(folder / "hr" / "roster.txt", 2)
    made = make_store(folder)
    scan(made)
    assert made.unprotected_statutory == 5
    return made


def test_file_preview_changes_nothing_then_apply_redacts_and_logs(
    store: DataStore, folder: Path, director: User
) -> None:
    client = signed_in(director)
    file = FileState.objects.get(store=store, path__endswith="payroll.txt")
    before = (folder / "payroll.txt").read_bytes()
    response = client.post(
        reverse("inventory:protect_file", args=[file.pk]), {"mode": "redact"}
    )
    run = ProtectionRun.objects.get()
    assert response["Location"] == reverse("inventory:protection", args=[run.pk])
    jobs.preview_protection(run.pk)
    run.refresh_from_db()
    assert run.status == ProtectionRun.Status.PREVIEWED
    assert run.preview["outcomes"] == {"would-protect": 1}
    assert run.preview["values"]["SSN"] == 3
    assert (folder / "payroll.txt").read_bytes() == before
    page = client.get(reverse("inventory:protection", args=[run.pk])).content.decode()
    assert "would-protect" in page
    assert "<p>1 file.</p>" in page
    assert "Apply" in page

    client.post(reverse("inventory:protection_apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ProtectionRun.Status.APPLYING
    jobs.apply_protection(run.pk)
    run.refresh_from_db()
    assert run.status == ProtectionRun.Status.DONE
    assert run.result["outcomes"] == {"protected": 1}
    after = (folder / "payroll.txt").read_text()
    assert after != before.decode()
    assert (folder / "hr" / "roster.txt").read_text().count("SSN") == 2
    entry = AuditEntry.objects.get(action="inventory.protection_done")
    assert entry.detail["mode"] == "redact"
    assert entry.detail["outcomes"] == {"protected": 1}
    rescan = ScanRun.objects.filter(store=store, status=ScanRun.Status.QUEUED).get()
    jobs.run_scan(rescan.pk)
    store.refresh_from_db()
    assert store.unprotected_statutory == 2


def test_whole_store_redaction_leaves_no_gap(store: DataStore, director: User) -> None:
    client = signed_in(director)
    client.post(reverse("inventory:protect_store", args=[store.pk]), {"mode": "redact"})
    run = ProtectionRun.objects.get()
    assert run.path == store.location
    jobs.preview_protection(run.pk)
    client.post(reverse("inventory:protection_apply", args=[run.pk]))
    jobs.apply_protection(run.pk)
    scan(store)
    assert store.unprotected_statutory == 0
    assert store.statutory_records == 0


def test_apply_without_a_preview_is_refused(store: DataStore, director: User) -> None:
    run = ProtectionRun.objects.create(
        store=store, path=store.location, mode="redact", requested_by=director
    )
    response = signed_in(director).post(
        reverse("inventory:protection_apply", args=[run.pk]), follow=True
    )
    assert "no preview ready" in response.content.decode()
    run.refresh_from_db()
    assert run.status == ProtectionRun.Status.PREVIEWING


def test_encrypt_without_keys_fails_clearly(
    store: DataStore, director: User, folder: Path
) -> None:
    before = (folder / "payroll.txt").read_bytes()
    run = ProtectionRun.objects.create(
        store=store, path=store.location, mode="encrypt", requested_by=director
    )
    assert jobs.preview_protection(run.pk).startswith("failed")
    run.refresh_from_db()
    assert run.status == ProtectionRun.Status.FAILED
    assert run.error
    assert (folder / "payroll.txt").read_bytes() == before


def test_the_form_refuses_encryption_before_there_are_keys(
    store: DataStore, director: User
) -> None:
    url = reverse("inventory:protect_store", args=[store.pk])
    page = signed_in(director).post(url, {"mode": "encrypt"})
    assert page.status_code == 200
    assert "run `districtguard keys create` on the server first" in (
        page.content.decode().replace("&#x60;", "`")
    )
    assert not ProtectionRun.objects.exists()


def test_a_file_gone_before_protection_fails_clearly(
    store: DataStore, director: User, folder: Path
) -> None:
    file = FileState.objects.get(store=store, path__endswith="payroll.txt")
    run = ProtectionRun.objects.create(
        store=store, file=file, path=file.path, mode="redact", requested_by=director
    )
    (folder / "payroll.txt").unlink()
    jobs.preview_protection(run.pk)
    run.refresh_from_db()
    assert run.status == ProtectionRun.Status.FAILED
    assert "no longer exists" in run.error
