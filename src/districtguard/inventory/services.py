"""What the inventory's pages and jobs do: one function per action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from districtguard.accounts import audit
from districtguard.accounts.models import User
from districtguard.inventory.models import (
    DataStore,
    FileState,
    FindingException,
    ProtectionRun,
    ScanRun,
)
from districtguard.inventory.totals import refresh_totals

# A running scan writes its progress every second; one silent this long has
# died with its worker.
STALE_AFTER = dt.timedelta(minutes=15)
STOPPED = (
    "stopped before it finished (the worker was stopped or killed); "
    "the next scan carries on from the files already done"
)


def _enqueue(func: str, *args: Any) -> None:
    from django_q.tasks import async_task

    async_task(func, *args)


def mark_stale_runs(store: DataStore, now: dt.datetime | None = None) -> int:
    """Fail the store's runs that stopped reporting progress; return how many."""
    now = now or timezone.now()
    stale = ScanRun.objects.filter(
        store=store,
        status=ScanRun.Status.RUNNING,
        heartbeat_at__lt=now - STALE_AFTER,
    )
    return stale.update(status=ScanRun.Status.FAILED, error=STOPPED, finished_at=now)


def queue_scan(store: DataStore, *, actor: User | None) -> ScanRun:
    """Queue a scan of ``store``, or return the one already waiting or running."""
    mark_stale_runs(store)
    with transaction.atomic():
        current = (
            ScanRun.objects.select_for_update()
            .filter(store=store, status__in=ScanRun.ACTIVE)
            .first()
        )
        if current is not None:
            return current
        run = ScanRun.objects.create(store=store, requested_by=actor)
        transaction.on_commit(
            lambda: _enqueue("districtguard.inventory.jobs.run_scan", run.pk)
        )
    audit.record(
        "inventory.scan_queued",
        actor=actor,
        actor_label="" if actor else "worker",
        obj=store,
    )
    return run


def cancel_scan(run: ScanRun, *, actor: User) -> None:
    """Ask a running scan to stop after its current batch; a queued one stops now."""
    if run.status == ScanRun.Status.QUEUED:
        run.status = ScanRun.Status.CANCELLED
        run.finished_at = timezone.now()
    run.cancel_requested = True
    run.save(update_fields=["status", "finished_at", "cancel_requested"])
    audit.record("inventory.scan_cancelled", actor=actor, obj=run.store)


def save_store(store: DataStore, *, actor: User, created: bool) -> DataStore:
    """Save a store registered or changed on its form, and log it."""
    store.save()
    audit.record(
        "inventory.store_added" if created else "inventory.store_changed",
        actor=actor,
        obj=store,
        kind=store.kind,
    )
    return store


def add_exception(
    store: DataStore,
    *,
    actor: User,
    reason: str,
    expires_on: dt.date,
    file: FileState | None = None,
    element: str = "",
    fingerprint: str = "",
) -> FindingException:
    """Accept a gap until ``expires_on``, and count it out of the store's totals."""
    exception = FindingException.objects.create(
        store=store,
        file=file,
        element=element,
        fingerprint=fingerprint,
        reason=reason,
        expires_on=expires_on,
        approved_by=actor,
    )
    refresh_totals(store)
    audit.record(
        "inventory.exception_added",
        actor=actor,
        obj=store,
        exception=exception.pk,
        file=file.pk if file else None,
        element=element,
        by_value=bool(fingerprint),
        expires_on=expires_on.isoformat(),
    )
    return exception


def end_exception(exception: FindingException, *, actor: User) -> None:
    """End an exception before its expiry: the gap counts again from now."""
    if exception.ended_at is None:
        exception.ended_at = timezone.now()
        exception.save(update_fields=["ended_at"])
    refresh_totals(exception.store)
    audit.record(
        "inventory.exception_ended",
        actor=actor,
        obj=exception.store,
        exception=exception.pk,
    )


def start_protection(
    store: DataStore,
    *,
    actor: User,
    mode: str,
    file: FileState | None = None,
    path: str = "",
) -> ProtectionRun:
    """Queue the dry run of protecting a file or the whole store.

    ``path`` names what to protect where the file's path or the store's
    location does not (a database's table, or all its tables).
    """
    run = ProtectionRun.objects.create(
        store=store,
        file=file,
        path=path or (file.path if file else store.location),
        mode=mode,
        requested_by=actor,
    )
    transaction.on_commit(
        lambda: _enqueue("districtguard.inventory.jobs.preview_protection", run.pk)
    )
    audit.record(
        "inventory.protection_previewed",
        actor=actor,
        obj=store,
        protection=run.pk,
        mode=mode,
        file=file.pk if file else None,
    )
    return run


def apply_protection(run: ProtectionRun, *, actor: User) -> bool:
    """Queue the real run after its preview; return False if it is not ready."""
    claimed = ProtectionRun.objects.filter(
        pk=run.pk, status=ProtectionRun.Status.PREVIEWED
    ).update(status=ProtectionRun.Status.APPLYING)
    if not claimed:
        return False
    transaction.on_commit(
        lambda: _enqueue("districtguard.inventory.jobs.apply_protection", run.pk)
    )
    audit.record(
        "inventory.protection_approved",
        actor=actor,
        obj=run.store,
        protection=run.pk,
        mode=run.mode,
    )
    return True
