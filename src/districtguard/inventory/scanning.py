"""Scan a folder store incrementally, writing results in batches as it goes.

A file whose size, modification time and change time match its stored row is
not read; one where any differs is hashed, and rescanned only if its content
did change. The change time moves with every write and cannot be set back, so a
file rewritten with its size and modification time kept is still read. Results
are written every second or so, so a scan that is killed keeps what it wrote,
and the next scan skips those files as unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from districtguard.inventory.models import DataStore, FileState, Fingerprint, ScanRun
from districtguard.inventory.totals import refresh_totals, take_snapshot
from districtguard.pii.documents.base import Limits
from districtguard.pii.fingerprint import load_key
from districtguard.pii.options import DetectOptions
from districtguard.pii.protection.journal import settled
from districtguard.pii.results import FileResult
from districtguard.pii.rules import resolve_rules
from districtguard.pii.scanner import ScanConfig, scan_file
from districtguard.pii.walk import Filter, describe_os_error, walk

FLUSH_SECONDS = 1.0
FLUSH_FILES = 500
MAX_MASKED = 500  # masked findings kept per file; the counts cover them all
_HASH_CHUNK = 1 << 20
# Stands in for a file that could not be stat'ed: it is looked at again next time.
NO_STAT = os.stat_result((0,) * 10, {"st_mtime_ns": 0, "st_ctime_ns": 0})

# Kill the scan right after its Nth batch is written (a test hook, as in protect).
CRASH_ENV = "DISTRICTGUARD_INVENTORY_CRASH_AFTER"
# Called after each batch is written; tests use it to stop a scan half-way.
after_flush: Callable[[ScanRun], None] | None = None


class ScanStopped(Exception):
    """The run was cancelled from the web page."""


def detect_options() -> DetectOptions:
    """Return the detection options the web app's scans use."""
    today = timezone.localdate()
    return DetectOptions(
        fingerprint_key=load_key(), rules=resolve_rules("auto", today), today=today
    )


def file_hash(path: Path) -> str:
    """Return the SHA-256 of a file's content."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class _Known:
    pk: int
    size: int
    mtime_ns: int
    ctime_ns: int
    content_hash: str


def _trusted_ctime(info: os.stat_result) -> int:
    """Return the change time to remember, or 0 if it changed moments ago: a
    second write in the same clock tick could leave the times as they were, so
    such a file is hashed next scan (the rule ``protect`` keeps for its journal,
    and Git for its index)."""
    return info.st_ctime_ns if settled(info) else 0


@dataclass
class _Batch:
    """Results waiting to be written."""

    results: list[tuple[FileResult, os.stat_result, str]] = field(default_factory=list)
    touched: list[tuple[int, int, int]] = field(default_factory=list)  # pk, times

    def __len__(self) -> int:
        return len(self.results) + len(self.touched)


def _state_fields(result: FileResult) -> dict[str, object]:
    counts: dict[str, int] = {}
    for finding in result.findings:
        counts[str(finding.element)] = counts.get(str(finding.element), 0) + 1
    statutory = {finding.record for finding in result.findings if finding.statutory}
    masked = [
        {
            "element": str(finding.element),
            "location": finding.location,
            "masked": finding.masked,
            "fingerprint": finding.fingerprint,
            "record": finding.record,
            "statutory": finding.statutory,
        }
        for finding in result.findings[:MAX_MASKED]
    ]
    kinds: dict[str, dict[str, int]] = {}
    for element, mode, values in result.protected_kinds:
        kinds.setdefault(element, {})[mode] = values
    return {
        "status": result.status,
        "reason": result.reason[:300],
        "counts": counts,
        "findings_total": len(result.findings),
        "statutory_records": len(statutory),
        "unprotected_statutory": len(statutory),
        # Tokens, and redactions whose shape names their element: a store that
        # was just redacted must not show "0 values already protected".
        "protected_values": max(
            result.protected, sum(values for _, _, values in result.protected_kinds)
        ),
        "protected_kinds": kinds,
        "masked": masked,
    }


class FolderScan:
    """One run over one folder store."""

    def __init__(self, run: ScanRun, options: DetectOptions | None = None) -> None:
        self.run = run
        self.store: DataStore = run.store
        self.options = options or detect_options()
        self.limits = Limits()
        self.known: dict[str, _Known] = {}
        self.seen: set[str] = set()
        self.unlisted: list[str] = []  # folders that could not be listed
        self.batch = _Batch()
        self.started = time.monotonic()
        self.flushed = self.started
        self.flushes = 0
        # Set: files to read go to this Dask cluster once the walk is done.
        self.cluster: str = settings.INVENTORY_SCAN_CLUSTER
        self.deferred: dict[str, tuple[os.stat_result, str]] = {}

    def execute(self) -> None:
        """Walk the store, scan what changed, write results, then the totals."""
        root = Path(self.store.location)
        self._check_root(root)
        self._load_known()
        for item in walk((root,), Filter()):
            if isinstance(item, FileResult):
                self._passed_over(item)
            else:
                self._visit(item)
            if (
                len(self.batch) >= FLUSH_FILES
                or time.monotonic() - self.flushed >= FLUSH_SECONDS
            ):
                self._flush()
        self._flush()
        if self.deferred:
            self._scan_on_cluster()
        self._forget_deleted()

    def _scan_on_cluster(self) -> None:
        """Read the new and changed files on the Dask cluster, writing as they come."""
        from districtguard.pii.cluster import (
            ClusterError,
            open_cluster,
            scan_paths_on_cluster,
        )

        def collect(result: FileResult) -> None:
            info, digest = self.deferred.pop(result.path, (NO_STAT, ""))
            self._add(result, info, digest)
            if (
                len(self.batch) >= FLUSH_FILES
                or time.monotonic() - self.flushed >= FLUSH_SECONDS
            ):
                self._flush()

        config = ScanConfig(
            paths=tuple(Path(name) for name in self.deferred), options=self.options
        )
        try:
            with open_cluster(self.cluster) as address:
                scan_paths_on_cluster(config, address, collect)
        except ClusterError as exc:
            raise OSError(f"scan cluster {self.cluster}: {exc}") from None
        self._flush()

    def _load_known(self) -> None:
        self.known = {
            path: _Known(pk, size, mtime, ctime, digest)
            for pk, path, size, mtime, ctime, digest in FileState.objects.filter(
                store=self.store
            ).values_list("pk", "path", "size", "mtime_ns", "ctime_ns", "content_hash")
        }
        self.run.files_expected = len(self.known)

    def _check_root(self, root: Path) -> None:
        try:
            info = root.stat()
        except FileNotFoundError:
            # Before the walk a missing root was never there (or is not
            # mounted); "disappeared during the scan" would send people looking
            # for something that deleted it.
            raise OSError(f"cannot reach the folder {root}: does not exist") from None
        except OSError as exc:
            raise OSError(
                f"cannot reach the folder {root}: {describe_os_error(exc)}"
            ) from None
        if not stat.S_ISDIR(info.st_mode):
            raise OSError(f"{root} is not a folder")
        try:
            with os.scandir(root):
                pass
        except OSError as exc:
            raise OSError(
                f"cannot list the folder {root}: {describe_os_error(exc)}"
            ) from None

    def _passed_over(self, item: FileResult) -> None:
        self.run.files_seen += 1
        if item.reason.startswith("cannot list directory"):
            self.unlisted.append(item.path.rstrip(os.sep) + os.sep)
        if item.status == "failed":
            self.run.files_failed += 1

    def _visit(self, path: Path) -> None:
        name = str(path)
        self.seen.add(name)
        self.run.files_seen += 1
        known = self.known.get(name)
        try:
            info = path.stat()
        except OSError:
            info = None
        if (
            known is not None
            and info is not None
            and known.ctime_ns
            and (known.size, known.mtime_ns, known.ctime_ns)
            == (info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        ):
            self.run.files_unchanged += 1
            return
        digest = ""
        if info is not None and stat.S_ISREG(info.st_mode):
            try:
                digest = file_hash(path)
            except OSError:
                digest = ""  # scan_file says why
            if known is not None and digest and digest == known.content_hash:
                self.run.files_unchanged += 1
                times = (info.st_mtime_ns, _trusted_ctime(info))
                self.batch.touched.append((known.pk, *times))
                return
        if self.cluster:
            self.deferred[name] = (info or NO_STAT, digest)
            return
        self._add(scan_file(path, self.options, self.limits), info, digest)

    def _add(
        self, result: FileResult, info: os.stat_result | None, digest: str
    ) -> None:
        if result.status == "scanned":
            self.run.files_scanned += 1
            self.run.bytes_scanned += result.size
        elif result.status == "failed":
            self.run.files_failed += 1
        self.run.findings += len(result.findings)
        if info is None:
            info = NO_STAT
        self.batch.results.append((result, info, digest))

    def _flush(self) -> None:
        batch, self.batch = self.batch, _Batch()
        now = timezone.now()
        with transaction.atomic():
            if batch.touched:
                FileState.objects.bulk_update(
                    [
                        FileState(pk=pk, mtime_ns=mtime, ctime_ns=ctime)
                        for pk, mtime, ctime in batch.touched
                    ],
                    ["mtime_ns", "ctime_ns"],
                )
            self._write(batch, now)
            self._progress(now)
        self.flushed = time.monotonic()
        self.flushes += 1
        if os.environ.get(CRASH_ENV) == str(self.flushes):
            os.kill(os.getpid(), signal.SIGKILL)  # a test proving resumption
        if after_flush is not None:
            after_flush(self.run)
        if ScanRun.objects.filter(pk=self.run.pk, cancel_requested=True).exists():
            raise ScanStopped

    def _write(self, batch: _Batch, now: dt.datetime) -> None:
        new: list[tuple[FileState, FileResult]] = []
        changed: list[tuple[FileState, FileResult]] = []
        for result, info, digest in batch.results:
            known = self.known.get(result.path)
            if known is not None and result.status == "failed" and not digest:
                # Unreadable now: keep what the earlier scan found, say why.
                FileState.objects.filter(pk=known.pk).update(
                    status="failed", reason=result.reason[:300]
                )
                continue
            state = FileState(
                store=self.store,
                path=result.path,
                size=info.st_size,
                mtime_ns=info.st_mtime_ns,
                ctime_ns=_trusted_ctime(info),
                content_hash=digest,
                last_run=self.run,
                scanned_at=now,
                **_state_fields(result),
            )
            if known is None:
                new.append((state, result))
            else:
                state.pk = known.pk
                changed.append((state, result))
        if changed:
            FileState.objects.bulk_update(
                [state for state, _ in changed],
                [
                    "size",
                    "mtime_ns",
                    "ctime_ns",
                    "content_hash",
                    "last_run",
                    "scanned_at",
                    "status",
                    "reason",
                    "counts",
                    "findings_total",
                    "statutory_records",
                    "unprotected_statutory",
                    "protected_values",
                    "protected_kinds",
                    "masked",
                ],
            )
            Fingerprint.objects.filter(
                file_id__in=[state.pk for state, _ in changed]
            ).delete()
        if new:
            FileState.objects.bulk_create([state for state, _ in new])
        for state, _ in new:
            self.known[state.path] = _Known(
                state.pk, state.size, state.mtime_ns, state.ctime_ns, state.content_hash
            )
        prints = {
            (state.pk, str(finding.element), finding.fingerprint)
            for state, result in (*changed, *new)
            for finding in result.findings
            if finding.statutory and finding.fingerprint
        }
        Fingerprint.objects.bulk_create(
            Fingerprint(store=self.store, file_id=pk, element=element, fingerprint=fp)
            for pk, element, fp in prints
        )

    def _progress(self, now: dt.datetime) -> None:
        run = self.run
        elapsed = time.monotonic() - self.started
        run.rate = run.files_seen / elapsed if elapsed > 0 else 0.0
        left = run.files_expected - run.files_seen
        run.eta_seconds = int(left / run.rate) if run.rate > 0 and left > 0 else None
        run.heartbeat_at = now
        run.save(
            update_fields=[
                "files_seen",
                "files_scanned",
                "files_unchanged",
                "files_failed",
                "files_expected",
                "bytes_scanned",
                "findings",
                "rate",
                "eta_seconds",
                "heartbeat_at",
            ]
        )

    def _forget_deleted(self) -> None:
        """Drop the rows of files gone from the store (not those merely unlisted)."""
        gone = [
            known.pk
            for path, known in self.known.items()
            if path not in self.seen
            and not any(path.startswith(folder) for folder in self.unlisted)
        ]
        for start in range(0, len(gone), 1000):
            FileState.objects.filter(pk__in=gone[start : start + 1000]).delete()


def finish(run: ScanRun) -> None:
    """Mark the run finished and record the store's new totals and snapshot."""
    store = run.store
    with transaction.atomic():
        refresh_totals(store)
        store.last_scanned_at = timezone.now()
        store.save(update_fields=["last_scanned_at"])
        run.status = ScanRun.Status.FINISHED
        run.finished_at = timezone.now()
        run.eta_seconds = None
        run.save(update_fields=["status", "finished_at", "eta_seconds"])
        take_snapshot(store, run)
