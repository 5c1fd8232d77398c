"""The inventory's pages: worst first, live progress, masked findings, trends."""

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
from districtguard.inventory.models import DataStore, FileState, ScanRun
from districtguard.inventory.services import queue_scan
from tests.inventory.conftest import write_records
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

MakeStore = Callable[..., DataStore]


def scanned(folder: Path, make_store: MakeStore, records: int, name: str) -> DataStore:
    write_records(folder / "staff.txt", records)
    store = make_store(folder, name=name)
    jobs.run_scan(queue_scan(store, actor=None).pk)
    store.refresh_from_db()
    return store


def test_store_list_shows_the_worst_store_first(
    tmp_path: Path, make_store: MakeStore, director: User
) -> None:
    scanned(tmp_path / "a", make_store, 1, "Library share")
    scanned(tmp_path / "b", make_store, 4, "Payroll share")
    page = signed_in(director).get(reverse("inventory:stores")).content.decode()
    assert page.index("Payroll share") < page.index("Library share")
    assert "<strong>5</strong> unprotected statutory records" in page


def test_store_page_refreshes_while_a_scan_runs_and_shows_progress(
    tmp_path: Path, make_store: MakeStore, director: User
) -> None:
    store = make_store(tmp_path)
    ScanRun.objects.create(
        store=store,
        status=ScanRun.Status.RUNNING,
        files_seen=1200,
        files_expected=5000,
        files_scanned=300,
        rate=400.0,
        eta_seconds=10,
        heartbeat_at=timezone.now(),
    )
    page = signed_in(director).get(reverse("inventory:store", args=[store.pk]))
    text = page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in text
    assert "1,200 files looked at of about 5,000" in text
    assert "400 files/s" in text
    assert "about 10 s left" in text


def test_store_page_says_why_the_last_scan_failed(
    tmp_path: Path, make_store: MakeStore, director: User
) -> None:
    store = scanned(tmp_path / "share", make_store, 2, "Office share")
    (tmp_path / "share").rename(tmp_path / "gone")
    jobs.run_scan(queue_scan(store, actor=None).pk)
    text = signed_in(director).get(reverse("inventory:store", args=[store.pk]))
    page = text.content.decode()
    assert "The last scan failed" in page
    assert "cannot reach the folder" in page
    assert "refresh" not in page
    assert "staff.txt" in page  # earlier results still listed


def test_file_page_shows_masked_findings_only(
    tmp_path: Path, make_store: MakeStore, director: User
) -> None:
    folder = tmp_path / "share"
    numbers = write_records(folder / "staff.txt", 2)
    store = make_store(folder)
    jobs.run_scan(queue_scan(store, actor=None).pk)
    file = FileState.objects.get(store=store)
    page = signed_in(director).get(reverse("inventory:file", args=[file.pk]))
    text = page.content.decode()
    for number in numbers:
        assert number not in text
        assert number[-4:] in text
    assert "SSN" in text


def test_scan_now_queues_once_and_is_audited(
    tmp_path: Path, make_store: MakeStore, client_for: Callable[[str], Client]
) -> None:
    store = make_store(tmp_path)
    client = client_for(Role.TECH_STAFF)
    url = reverse("inventory:scan", args=[store.pk])
    client.post(url)
    client.post(url)
    assert store.runs.count() == 1
    assert AuditEntry.objects.filter(action="inventory.scan_queued").count() == 1


def test_cancel_stops_a_queued_scan(
    tmp_path: Path, make_store: MakeStore, director: User
) -> None:
    store = make_store(tmp_path)
    run = queue_scan(store, actor=director)
    signed_in(director).post(reverse("inventory:scan_cancel", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.CANCELLED
    assert jobs.run_scan(run.pk) == "not queued"


def test_registering_a_store_never_takes_a_password(
    tmp_path: Path, director: User
) -> None:
    client = signed_in(director)
    url = reverse("inventory:store_new")
    data = {
        "name": "Student information system",
        "kind": "database",
        "location": "postgresql://scanner:hunter2@db.example/sis",
        "owner": director.pk,
        "schedule": "weekly",
        "holds_students": "on",
        "sample_rows": 10_000,
        "password_env": "not a name",
    }
    page = client.post(url, data).content.decode()
    assert "Leave the password out of the URL" in page
    assert "name of an environment variable" in page
    assert "needs a database URL" not in page
    assert "hunter2" not in page
    assert not DataStore.objects.exists()
    data |= {
        "location": "postgresql://scanner@db.example/sis",
        "password_env": "SIS_PASSWORD",
    }
    assert client.post(url, data).status_code == 302
    store = DataStore.objects.get()
    assert store.populations == ["students"]
    assert AuditEntry.objects.filter(action="inventory.store_added").exists()


def test_a_new_store_is_owned_by_whoever_registers_it_unless_changed(
    director: User,
) -> None:
    form = signed_in(director).get(reverse("inventory:store_new")).context["form"]
    assert form["owner"].value() == director.pk


def test_folder_store_needs_a_path_not_a_url(director: User) -> None:
    data = {
        "name": "Share",
        "kind": "folder",
        "location": "sqlite:///x.db",
        "sample_rows": 10_000,
        "owner": director.pk,
        "schedule": "weekly",
    }
    page = signed_in(director).post(reverse("inventory:store_new"), data)
    assert "A folder store needs a folder path" in page.content.decode()


def test_trends_add_up_every_store_latest_scan(
    tmp_path: Path, make_store: MakeStore, director: User
) -> None:
    first = scanned(tmp_path / "a", make_store, 2, "A")
    scanned(tmp_path / "b", make_store, 3, "B")
    write_records(tmp_path / "a" / "more.txt", 1)
    jobs.run_scan(queue_scan(first, actor=None).pk)
    page = signed_in(director).get(reverse("inventory:trends")).content.decode()
    today = timezone.localdate().isoformat()
    assert f"<td>{today}</td><td>6</td>" in page
    # Summed per store, people are not distinct across stores: say so.
    assert "People (each store's distinct people, added up)" in page.replace(
        "&#x27;", "'"
    )
    store_page = signed_in(director).get(reverse("inventory:store", args=[first.pk]))
    assert "People (distinct)" in store_page.content.decode()


def test_dashboard_card_names_the_worst_stores(
    tmp_path: Path, make_store: MakeStore, director: User
) -> None:
    scanned(tmp_path / "b", make_store, 3, "Payroll share")
    page = signed_in(director).get(reverse("home")).content.decode()
    assert "PII inventory" in page
    assert "3 unprotected statutory records in 1 of 1 data stores" in page
    assert "Payroll share: 3" in page


def test_dashboard_card_counts_stores_never_scanned_in_words(
    tmp_path: Path, make_store: MakeStore, director: User
) -> None:
    make_store(tmp_path / "new", name="New share")
    page = signed_in(director).get(reverse("home")).content.decode()
    assert "1 store never scanned." in page
    make_store(tmp_path / "newer", name="Newer share")
    page = signed_in(director).get(reverse("home")).content.decode()
    assert "2 stores never scanned." in page


def test_staff_see_no_inventory_card_or_link(
    tmp_path: Path, make_store: MakeStore, client_for: Callable[[str], Client]
) -> None:
    scanned(tmp_path / "b", make_store, 1, "Payroll share")
    page = client_for(Role.STAFF).get(reverse("home")).content.decode()
    assert "PII inventory" not in page
    assert "Payroll share" not in page


def test_due_weekly_store_is_due_after_a_week(make_store: MakeStore) -> None:
    now = timezone.now()
    store = make_store(Path("/srv"), last_scanned_at=now - dt.timedelta(days=6))
    assert not store.is_due(now)
    assert store.is_due(now + dt.timedelta(days=1))


def test_store_files_page_on_worst_first_without_overlap(
    tmp_path: Path, make_store: MakeStore, director: User
) -> None:
    store = make_store(tmp_path)
    FileState.objects.bulk_create(
        FileState(store=store, path=f"/srv/f{i:03d}.txt", unprotected_statutory=i % 7)
        for i in range(60)
    )
    client = signed_in(director)
    url = reverse("inventory:store", args=[store.pk])
    first = client.get(url)
    rows = list(first.context["files"])
    assert len(rows) == 50
    gaps = [row.unprotected_statutory for row in rows]
    assert gaps == sorted(gaps, reverse=True)
    after = first.context["next_after"]
    assert f'href="?after={after}"' in first.content.decode()
    second = client.get(url, {"after": after})
    more = list(second.context["files"])
    assert len(more) == 10
    assert not {r.pk for r in rows} & {r.pk for r in more}
    assert second.context["next_after"] == ""
    assert min(gaps) >= max(r.unprotected_statutory for r in more)
    assert client.get(url, {"after": "junk"}).context["after"] == ""
