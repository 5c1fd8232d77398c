"""Background jobs of the inventory, run by the worker by dotted name."""

from __future__ import annotations

import logging

from django.utils import timezone

from districtguard.accounts import audit
from districtguard.inventory import protection, scanning
from districtguard.inventory.databases import DatabaseScan
from districtguard.inventory.models import (
    DataStore,
    FindingException,
    ProtectionRun,
    ScanRun,
)
from districtguard.inventory.services import STALE_AFTER, mark_stale_runs, queue_scan
from districtguard.inventory.totals import refresh_totals
from districtguard.pii.fingerprint import FingerprintKeyError
from districtguard.pii.protection.base import ProtectionError

logger = logging.getLogger(__name__)


def _claim(run_id: int) -> ScanRun | None:
    """Take the run if it is queued, or running but silent (a retried job)."""
    now = timezone.now()
    run = ScanRun.objects.select_related("store").filter(pk=run_id).first()
    if run is None:
        return None
    stale = run.status == ScanRun.Status.RUNNING and (
        run.heartbeat_at is None or now - run.heartbeat_at >= STALE_AFTER
    )
    if run.status != ScanRun.Status.QUEUED and not stale:
        return None
    taken = ScanRun.objects.filter(
        pk=run_id, status=run.status, heartbeat_at=run.heartbeat_at
    ).update(status=ScanRun.Status.RUNNING, started_at=now, heartbeat_at=now)
    if not taken:
        return None  # another worker took it first
    run.refresh_from_db()
    return run


def _fail(run: ScanRun, message: str) -> str:
    run.status = ScanRun.Status.FAILED
    run.error = message
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    audit.record(
        "inventory.scan_failed", actor_label="worker", obj=run.store, run=run.pk
    )
    return f"failed: {message}"


def run_scan(run_id: int) -> str:
    """Scan the store of run ``run_id``; earlier results survive any failure."""
    run = _claim(run_id)
    if run is None:
        return "not queued"
    kind = (
        DatabaseScan
        if run.store.kind == DataStore.Kind.DATABASE
        else scanning.FolderScan
    )
    try:
        scan = kind(run)
        scan.execute()
    except scanning.ScanStopped:
        run.status = ScanRun.Status.CANCELLED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
        return "cancelled"
    except FingerprintKeyError as exc:
        return _fail(run, f"fingerprint key: {exc}")
    except OSError as exc:
        return _fail(run, str(exc))
    scanning.finish(run)
    audit.record(
        "inventory.scan_finished",
        actor_label="worker",
        obj=run.store,
        run=run.pk,
        files=run.files_seen,
        scanned=run.files_scanned,
        unchanged=run.files_unchanged,
    )
    return f"{run.files_seen} files, {run.files_scanned} scanned"


def run_due_scans() -> str:
    """Queue the stores whose schedule is due; recount stores with exceptions."""
    now = timezone.now()
    queued = 0
    for store in DataStore.objects.filter(enabled=True).exclude(
        schedule=DataStore.Schedule.MANUAL
    ):
        mark_stale_runs(store, now)
        if (
            store.is_due(now)
            and not store.runs.filter(status__in=ScanRun.ACTIVE).exists()
        ):
            queue_scan(store, actor=None)
            queued += 1
    # An exception that expired today counts its gap back in.
    with_exceptions = FindingException.objects.values_list("store", flat=True)
    for store in DataStore.objects.filter(pk__in=with_exceptions):
        refresh_totals(store)
    return f"{queued} scans queued"


def preview_protection(run_id: int) -> str:
    """Dry-run a protection and keep its counts for the page."""
    run = ProtectionRun.objects.select_related("store").get(pk=run_id)
    try:
        summary = protection.protect(run, dry_run=True)
    except (OSError, ProtectionError, FingerprintKeyError) as exc:
        run.status, run.error = ProtectionRun.Status.FAILED, str(exc)
        run.preview = {}  # no progress left showing
        run.save(update_fields=["status", "error", "preview"])
        return f"failed: {exc}"
    run.preview = protection.counts(summary)
    run.status = ProtectionRun.Status.PREVIEWED
    run.save(update_fields=["preview", "status"])
    return "previewed"


def apply_protection(run_id: int) -> str:
    """Protect for real, log the result, and rescan the store to show it."""
    run = ProtectionRun.objects.select_related("store", "requested_by").get(pk=run_id)
    try:
        summary = protection.protect(run, dry_run=False)
    except (OSError, ProtectionError, FingerprintKeyError) as exc:
        run.status, run.error = ProtectionRun.Status.FAILED, str(exc)
        run.result = {}  # no progress left showing
        run.save(update_fields=["status", "error", "result"])
        audit.record(
            "inventory.protection_failed",
            actor_label="worker",
            obj=run.store,
            protection=run.pk,
        )
        return f"failed: {exc}"
    run.result = protection.counts(summary)
    run.status = ProtectionRun.Status.DONE
    run.save(update_fields=["result", "status"])
    audit.record(
        "inventory.protection_done",
        actor_label="worker",
        obj=run.store,
        protection=run.pk,
        mode=run.mode,
        requested_by=run.requested_by.email,
        **run.result,
    )
    queue_scan(run.store, actor=None)
    return "protected"
