"""The exceptions register: an accepted gap is counted out until it expires."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from districtguard.accounts.models import AuditEntry, User
from districtguard.accounts.roles import Role
from districtguard.inventory import jobs
from districtguard.inventory.models import DataStore, FileState, FindingException
from districtguard.inventory.services import add_exception, queue_scan
from districtguard.inventory.totals import refresh_totals
from tests.inventory.conftest import write_records
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def scanned(tmp_path: Path, make_store: Callable[..., DataStore]) -> DataStore:
    folder = tmp_path / "share"
    write_records(folder / "a.txt", 3)
    write_records(folder / "b.txt", 2)
    store = make_store(folder)
    jobs.run_scan(queue_scan(store, actor=None).pk)
    store.refresh_from_db()
    assert store.unprotected_statutory == 5
    return store


def file_named(store: DataStore, name: str) -> FileState:
    return FileState.objects.get(store=store, path__endswith=name)


def test_file_exception_counts_out_until_it_expires(
    scanned: DataStore, director: User
) -> None:
    today = timezone.localdate()
    add_exception(
        scanned,
        actor=director,
        reason="Archived payroll, destroyed next term",
        expires_on=today + dt.timedelta(days=30),
        file=file_named(scanned, "a.txt"),
    )
    scanned.refresh_from_db()
    assert scanned.unprotected_statutory == 2
    assert scanned.statutory_records == 5  # found is still found
    refresh_totals(scanned, day=today + dt.timedelta(days=30))
    assert scanned.unprotected_statutory == 2  # the expiry day still counts
    refresh_totals(scanned, day=today + dt.timedelta(days=31))
    assert scanned.unprotected_statutory == 5


def test_element_exception_covers_only_that_element(
    scanned: DataStore, director: User
) -> None:
    add_exception(
        scanned,
        actor=director,
        reason="Cards are handled elsewhere",
        expires_on=timezone.localdate(),
        file=file_named(scanned, "a.txt"),
        element="PAYMENT_CARD",
    )
    scanned.refresh_from_db()
    assert scanned.unprotected_statutory == 5


def test_value_exception_covers_one_value_anywhere_in_the_store(
    scanned: DataStore, director: User
) -> None:
    finding = next(
        f for f in file_named(scanned, "b.txt").masked if f["element"] == "SSN"
    )
    add_exception(
        scanned,
        actor=director,
        reason="A test record the vendor keeps",
        expires_on=timezone.localdate(),
        fingerprint=finding["fingerprint"],
    )
    scanned.refresh_from_db()
    assert scanned.unprotected_statutory == 4


def test_director_adds_and_ends_an_exception_from_the_pages(
    scanned: DataStore, director: User
) -> None:
    client = signed_in(director)
    file = file_named(scanned, "a.txt")
    url = reverse("inventory:exception_new", args=[scanned.pk])
    expiry = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = client.post(
        url, {"file": file.pk, "reason": "Legal hold", "expires_on": expiry}
    )
    assert response.status_code == 302
    scanned.refresh_from_db()
    assert scanned.unprotected_statutory == 2
    page = client.get(reverse("inventory:exceptions")).content.decode()
    assert "Legal hold" in page
    exception = FindingException.objects.get()
    client.post(reverse("inventory:exception_end", args=[exception.pk]))
    scanned.refresh_from_db()
    assert scanned.unprotected_statutory == 5
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"inventory.exception_added", "inventory.exception_ended"} <= actions


def test_past_expiry_and_missing_reason_are_refused(
    scanned: DataStore, director: User
) -> None:
    client = signed_in(director)
    url = reverse("inventory:exception_new", args=[scanned.pk])
    file = file_named(scanned, "a.txt")
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        url, {"file": file.pk, "reason": "", "expires_on": yesterday}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "already passed" in page
    assert "This field is required" in page
    no_scope = client.post(
        url, {"reason": "x", "expires_on": timezone.localdate().isoformat()}
    )
    assert "Choose a file" in no_scope.content.decode()
    assert not FindingException.objects.exists()


@pytest.mark.parametrize("role", [Role.TECH_STAFF, Role.AUDITOR, Role.STAFF])
def test_only_the_director_records_exceptions(
    scanned: DataStore, role: str, client_for: Callable[[str], Client]
) -> None:
    url = reverse("inventory:exception_new", args=[scanned.pk])
    response = client_for(role).post(
        url, {"reason": "x", "expires_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 403
    assert not FindingException.objects.exists()
