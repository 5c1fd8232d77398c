"""Scan files and folders: walk them, read each file, detect, and stream results.

With ``workers`` above one, files go to a process pool in batches, so the cost
of handing work to another process is paid per batch rather than per file; only
a few batches per worker are in flight, so memory stays bounded however large
the share. Results then arrive in completion order, not walk order.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from districtguard.pii import engine
from districtguard.pii.allocator import prepare_for_scanning
from districtguard.pii.documents import file_source, read_source
from districtguard.pii.documents.base import (
    DocumentError,
    Limits,
    ReadContext,
    SkippedDocument,
)
from districtguard.pii.findings import Finding
from districtguard.pii.options import DetectOptions
from districtguard.pii.protected import (
    ProtectedCounts,
    as_rows,
    encrypted,
)
from districtguard.pii.results import FileResult, ScanSummary, Status
from districtguard.pii.walk import Filter, describe_os_error, walk

CHANGED = "changed while being scanned; scan it again for a complete result"
BATCH_FILES = 64
BATCH_BYTES = 8 << 20
BATCHES_PER_WORKER = 4

_KINDS = {
    stat.S_IFIFO: "named pipe (FIFO)",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
    stat.S_IFDIR: "directory",
}


@dataclass(frozen=True, slots=True)
class ScanConfig:
    """What to scan and how.

    ``include``/``exclude`` are globs (see :mod:`districtguard.pii.walk`); by
    default everything under ``paths`` is scanned. ``workers`` above one scans in
    that many processes. ``ignore`` names files the walk passes over without a
    word, such as the report being written into the folder being scanned.
    """

    paths: tuple[Path, ...]
    options: DetectOptions
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    workers: int = 1
    follow_symlinks: bool = False
    limits: Limits = field(default_factory=Limits)
    ignore: tuple[Path, ...] = ()


def _signature(info: os.stat_result) -> tuple[int, int, int]:
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def scan_file(path: Path, options: DetectOptions, limits: Limits) -> FileResult:
    """Read one file and return its findings, or why it was skipped or failed.

    Never raises for a bad file: an unexpected error is reported by its type only,
    because an exception's message may quote the data it choked on.
    """
    prepare_for_scanning()  # the next file reuses this one's buffers
    name = str(path)
    try:
        before = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return FileResult(name, "skipped", "broken symbolic link")
        return FileResult(name, "failed", "disappeared during the scan")
    except OSError as exc:
        return FileResult(name, "failed", describe_os_error(exc))
    if not stat.S_ISREG(before.st_mode):
        kind = _KINDS.get(stat.S_IFMT(before.st_mode), "special file")
        return FileResult(name, "skipped", f"not a regular file: {kind}")
    context = ReadContext(limits)
    findings: list[Finding] = []
    status: Status = "scanned"
    reason = ""
    protected = 0
    kinds: ProtectedCounts = ProtectedCounts()
    try:
        for unit in read_source(file_source(path), context):
            found, counts = engine.detect_and_count(unit, name, options)
            findings.extend(found)
            protected += encrypted(counts)  # every token is an encrypted value
            kinds.update(counts)
            del unit  # freed before the reader builds the next one
    except SkippedDocument as exc:
        status, reason = "skipped", str(exc)
    except DocumentError as exc:
        status, reason = "failed", str(exc)
    except OSError as exc:
        status, reason = "failed", describe_os_error(exc)
    except Exception as exc:  # one bad file must not stop the scan
        status, reason = "failed", f"internal error ({type(exc).__name__})"
    problems = list(context.problems)
    try:
        after = path.stat()
    except OSError:
        after = None
    if after is None and status != "skipped":
        # Whatever the reader said ("cannot open: ..."), this is the cause.
        status, reason = "failed", "disappeared during the scan"
    elif after is not None and _signature(after) != _signature(before):
        problems.append(CHANGED)
    return FileResult(
        name,
        status,
        reason,
        before.st_size,
        tuple(findings),
        tuple(problems),
        context.skipped_members,
        protected,
        as_rows(kinds),
    )


def scan_paths(
    config: ScanConfig, on_result: Callable[[FileResult], None] | None = None
) -> ScanSummary:
    """Scan every file under ``config.paths``, passing each result to ``on_result``.

    With one worker, files are scanned in walk order and ``on_result`` runs before
    the next file is read.
    """
    started = time.monotonic()
    summary = ScanSummary()
    items = walk(
        config.paths,
        Filter(config.include, config.exclude, _identities(config.ignore)),
        follow_symlinks=config.follow_symlinks,
    )
    if config.workers > 1:
        results = _scan_in_pool(items, config)
    else:
        results = _scan_here(items, config)
    for result in results:
        summary.add(result)
        if on_result is not None:
            on_result(result)
    summary.duration = time.monotonic() - started
    return summary


def _identities(paths: Iterable[Path]) -> frozenset[tuple[int, int]]:
    identities = set()
    for path in paths:
        with contextlib.suppress(OSError):
            info = path.stat()
            identities.add((info.st_dev, info.st_ino))
    return frozenset(identities)


def _scan_here(
    items: Iterable[Path | FileResult], config: ScanConfig
) -> Iterator[FileResult]:
    for item in items:
        if isinstance(item, FileResult):
            yield item
        else:
            yield scan_file(item, config.options, config.limits)


def batch_paths(
    items: Iterable[Path | FileResult],
    max_files: int = BATCH_FILES,
    max_bytes: int = BATCH_BYTES,
) -> Iterator[FileResult | list[Path]]:
    """Group paths into batches of a bounded count and size; pass results through."""
    batch: list[Path] = []
    size = 0
    for item in items:
        if isinstance(item, FileResult):
            yield item
            continue
        batch.append(item)
        with contextlib.suppress(OSError):  # scanning the file reports it
            size += item.stat().st_size
        if len(batch) >= max_files or size >= max_bytes:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


# Each worker process receives the options once, when it starts.
_worker_settings: tuple[DetectOptions, Limits] | None = None


def _start_worker(options: DetectOptions, limits: Limits) -> None:
    global _worker_settings
    _worker_settings = (options, limits)


def _scan_batch(paths: list[Path]) -> list[FileResult]:
    if _worker_settings is None:
        raise RuntimeError("worker process started without settings")
    options, limits = _worker_settings
    return [scan_file(path, options, limits) for path in paths]


def _new_pool(config: ScanConfig) -> ProcessPoolExecutor:
    # Not fork: forking a process that runs a progress-bar thread is unsafe.
    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    return ProcessPoolExecutor(
        config.workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(config.options, config.limits),
    )


Pending: TypeAlias = dict[Future[list[FileResult]], list[Path]]


def _scan_in_pool(
    items: Iterable[Path | FileResult], config: ScanConfig
) -> Iterator[FileResult]:
    pool = _new_pool(config)
    pending: Pending = {}
    try:
        for work in batch_paths(items):
            if isinstance(work, FileResult):
                yield work
                continue
            while len(pending) >= config.workers * BATCHES_PER_WORKER:
                yield from collect_batches(pending)
            try:
                future = pool.submit(_scan_batch, work)
            except BrokenProcessPool:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _new_pool(config)
                future = pool.submit(_scan_batch, work)
            pending[future] = work
        while pending:
            yield from collect_batches(pending)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def collect_batches(pending: Pending) -> Iterator[FileResult]:
    """Wait for at least one batch to finish and yield its results.

    A worker that dies (killed, out of memory) breaks the whole pool: every file of
    every batch in flight is then reported as failed, and the next batch starts a
    new pool.
    """
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    for future in done:
        paths = pending.pop(future)
        try:
            yield from future.result()
        except Exception as exc:  # report the batch, keep scanning
            reason = f"worker process stopped ({type(exc).__name__})"
            yield from (FileResult(str(path), "failed", reason) for path in paths)
