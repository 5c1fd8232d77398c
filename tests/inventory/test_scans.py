"""Scanning folder stores: first scan, incremental rescans, resume, bad paths."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from districtguard.accounts.models import AuditEntry, User
from districtguard.inventory import jobs, scanning
from districtguard.inventory.models import (
    DataStore,
    FileState,
    Fingerprint,
    ScanRun,
    Snapshot,
)
from districtguard.inventory.services import queue_scan
from districtguard.pii.protection import journal
from tests.inventory.conftest import write_records
from tests.spying import record_calls

pytestmark = pytest.mark.django_db

MakeStore = Callable[..., DataStore]


def scan(store: DataStore, actor: User | None = None) -> ScanRun:
    run = queue_scan(store, actor=actor)
    jobs.run_scan(run.pk)
    run.refresh_from_db()
    store.refresh_from_db()
    return run


def share(tmp_path: Path, files: int = 4, records: int = 3) -> tuple[Path, list[str]]:
    folder = tmp_path / "share"
    numbers: list[str] = []
    for index in range(files):
        numbers += write_records(folder / f"dept{index % 2}" / f"staff{index}.txt", 3)
    (folder / "menu.txt").write_text("Lunch menu for Tuesday.\n")
    return folder, numbers


def test_first_scan_counts_records_and_people_without_raw_values(
    tmp_path: Path, make_store: MakeStore
) -> None:
    folder, numbers = share(tmp_path)
    store = make_store(folder)
    run = scan(store)
    assert run.status == ScanRun.Status.FINISHED
    assert run.files_seen == 5
    assert run.files_scanned == 5
    assert store.files == 5
    assert store.statutory_records == 12
    assert store.unprotected_statutory == 12
    assert store.people == 12  # 12 distinct synthetic SSNs
    assert Fingerprint.objects.filter(store=store, element="SSN").count() == 12
    assert Snapshot.objects.get(run=run).unprotected_statutory == 12
    stored = repr(list(FileState.objects.values())) + repr(
        list(Fingerprint.objects.values())
    )
    for number in numbers:
        assert number not in stored
        assert number.replace("-", "") not in stored
    masked = [
        finding["masked"]
        for state in FileState.objects.filter(store=store)
        for finding in state.masked
        if finding["element"] == "SSN"
    ]
    assert sorted(value[-4:] for value in masked) == sorted(n[-4:] for n in numbers)


def test_rescan_skips_unchanged_files_and_hashes_only_touched_ones(
    tmp_path: Path, make_store: MakeStore
) -> None:
    folder, _ = share(tmp_path)
    store = make_store(folder)
    scan(store)
    again = scan(store)
    assert (again.files_seen, again.files_scanned, again.files_unchanged) == (5, 0, 5)
    touched = folder / "dept0" / "staff0.txt"
    os.utime(touched, ns=(1_000_000_000, 1_000_000_000))
    third = scan(store)
    assert (third.files_scanned, third.files_unchanged) == (0, 5)
    state = FileState.objects.get(store=store, path=str(touched))
    assert state.mtime_ns == 1_000_000_000  # remembered: next time not even hashed
    assert store.unprotected_statutory == 12


def test_a_file_rewritten_to_the_same_size_and_time_is_read_again(
    tmp_path: Path, make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "RACY_NS", 0)  # the files were just written
    folder, _ = share(tmp_path)
    store = make_store(folder)
    scan(store)
    assert store.statutory_records == 12
    # Rewritten with an SSN, its size and modification time kept (as copying
    # tools that preserve times leave it): only its change time moved.
    menu = folder / "menu.txt"
    info = menu.stat()
    written = "Ann Lee SSN 234-56-7891\n"
    assert len(written) == info.st_size
    menu.write_text(written)
    os.utime(menu, ns=(info.st_atime_ns, info.st_mtime_ns))
    run = scan(store)
    assert (run.files_scanned, run.files_unchanged) == (1, 4)
    assert store.statutory_records == 13
    again = scan(store)
    assert (again.files_scanned, again.files_unchanged) == (0, 5)


def test_a_file_changed_moments_before_it_was_looked_at_is_hashed_next_time(
    tmp_path: Path, make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its times could stay the same through a second write in the same clock
    # tick, so they are not trusted: the next scan compares its content.
    monkeypatch.setattr(journal, "RACY_NS", 3600 * 10**9)
    folder, _ = share(tmp_path)
    store = make_store(folder)
    scan(store)
    assert set(FileState.objects.values_list("ctime_ns", flat=True)) == {0}
    hashed = record_calls(monkeypatch, scanning, "file_hash")
    monkeypatch.setattr(journal, "RACY_NS", 0)
    again = scan(store)
    assert (again.files_scanned, again.files_unchanged, len(hashed)) == (0, 5, 5)
    third = scan(store)
    assert (third.files_unchanged, len(hashed)) == (5, 5)  # none hashed again


def test_changed_file_is_rescanned_and_a_deleted_one_forgotten(
    tmp_path: Path, make_store: MakeStore
) -> None:
    folder, _ = share(tmp_path)
    store = make_store(folder)
    scan(store)
    write_records(folder / "dept0" / "staff0.txt", 5)
    (folder / "dept1" / "staff1.txt").unlink()
    run = scan(store)
    assert run.files_scanned == 1
    assert store.files == 4
    assert store.statutory_records == 3 + 5 + 3
    assert store.people == 11
    assert Snapshot.objects.filter(store=store).count() == 2


class Killed(BaseException):
    """Stands in for the worker being killed mid-scan."""


def test_killed_scan_keeps_its_results_and_the_next_scan_resumes(
    tmp_path: Path, make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "share"
    for index in range(10):
        write_records(folder / f"staff{index:02d}.txt", 2)
    store = make_store(folder)
    monkeypatch.setattr(scanning, "FLUSH_FILES", 4)

    def kill(run: ScanRun) -> None:
        raise Killed

    monkeypatch.setattr(scanning, "after_flush", kill)
    first = queue_scan(store, actor=None)
    with pytest.raises(Killed):
        jobs.run_scan(first.pk)
    assert FileState.objects.filter(store=store).count() == 4
    monkeypatch.setattr(scanning, "after_flush", None)
    # The dead run still says running until its heartbeat goes stale.
    assert queue_scan(store, actor=None).pk == first.pk
    ScanRun.objects.filter(pk=first.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    run = scan(store)
    first.refresh_from_db()
    assert first.status == ScanRun.Status.FAILED
    assert "carries on" in first.error
    assert run.pk != first.pk
    assert (run.files_unchanged, run.files_scanned) == (4, 6)
    assert store.statutory_records == 20


def test_retried_job_of_a_dead_run_takes_it_over(
    tmp_path: Path, make_store: MakeStore
) -> None:
    folder, _ = share(tmp_path)
    store = make_store(folder)
    run = ScanRun.objects.create(
        store=store,
        status=ScanRun.Status.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert jobs.run_scan(run.pk).startswith("5 files")
    fresh = ScanRun.objects.create(
        store=store, status=ScanRun.Status.RUNNING, heartbeat_at=timezone.now()
    )
    assert jobs.run_scan(fresh.pk) == "not queued"  # another worker has it


def test_unreachable_folder_fails_clearly_and_keeps_earlier_results(
    tmp_path: Path, make_store: MakeStore, director: User
) -> None:
    folder, _ = share(tmp_path)
    store = make_store(folder)
    scan(store)
    folder.rename(tmp_path / "unmounted")
    run = scan(store)
    assert run.status == ScanRun.Status.FAILED
    assert run.error == f"cannot reach the folder {folder}: does not exist"
    assert store.unprotected_statutory == 12
    assert FileState.objects.filter(store=store).count() == 5
    assert AuditEntry.objects.filter(action="inventory.scan_failed").exists()


def test_a_file_that_is_not_a_folder_is_refused(
    tmp_path: Path, make_store: MakeStore
) -> None:
    path = tmp_path / "single.txt"
    path.write_text("x")
    run = scan(make_store(path))
    assert run.status == ScanRun.Status.FAILED
    assert run.error == f"{path} is not a folder"


def test_cancelled_scan_stops_after_its_batch(
    tmp_path: Path, make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "share"
    for index in range(8):
        write_records(folder / f"staff{index}.txt", 1)
    store = make_store(folder)
    monkeypatch.setattr(scanning, "FLUSH_FILES", 3)

    def cancel(run: ScanRun) -> None:
        ScanRun.objects.filter(pk=run.pk).update(cancel_requested=True)

    monkeypatch.setattr(scanning, "after_flush", cancel)
    run = scan(store)
    assert run.status == ScanRun.Status.CANCELLED
    assert FileState.objects.filter(store=store).count() == 3


def test_due_stores_are_queued_and_manual_ones_are_not(
    tmp_path: Path, make_store: MakeStore
) -> None:
    daily = make_store(tmp_path, schedule=DataStore.Schedule.DAILY)
    manual = make_store(tmp_path, schedule=DataStore.Schedule.MANUAL)
    recent = make_store(
        tmp_path, schedule=DataStore.Schedule.WEEKLY, last_scanned_at=timezone.now()
    )
    assert jobs.run_due_scans() == "1 scans queued"
    assert daily.runs.count() == 1
    assert not manual.runs.exists()
    assert not recent.runs.exists()
    assert jobs.run_due_scans() == "0 scans queued"  # already queued


def test_scan_on_a_dask_cluster_matches_and_stays_incremental(
    tmp_path: Path, make_store: MakeStore, settings: Any
) -> None:
    folder, _ = share(tmp_path)
    store = make_store(folder)
    settings.INVENTORY_SCAN_CLUSTER = "local:1"
    run = scan(store)
    assert run.status == ScanRun.Status.FINISHED, run.error
    assert (run.files_scanned, store.unprotected_statutory, store.people) == (5, 12, 12)
    write_records(folder / "new.txt", 2)
    again = scan(store)
    assert (again.files_scanned, again.files_unchanged) == (1, 5)
    assert store.unprotected_statutory == 14


def test_an_unreachable_cluster_fails_the_scan_clearly(
    tmp_path: Path, make_store: MakeStore, settings: Any
) -> None:
    folder, _ = share(tmp_path)
    store = make_store(folder)
    settings.INVENTORY_SCAN_CLUSTER = "tcp://127.0.0.1:9"
    run = scan(store)
    assert run.status == ScanRun.Status.FAILED
    assert run.error.startswith("scan cluster tcp://127.0.0.1:9:")
    assert not FileState.objects.filter(store=store).exists()


def test_redacted_values_count_as_already_protected(
    tmp_path: Path, make_store: MakeStore
) -> None:
    """A share just redacted shows its values as protected, not as nothing."""
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "staff.txt").write_text(
        "Employee: Maria Lopez, SSN ***-**-6789\n\n"
        "Employee: Ana Ruiz, card **** **** **** 1111\n"
    )
    store = make_store(folder)
    scan(store)
    assert store.unprotected_statutory == 0
    assert store.protected_values == 2
    state = FileState.objects.get(store=store)
    assert state.protected_kinds == {
        "SSN": {"redacted": 1},
        "PAYMENT_CARD": {"redacted": 1},
    }
