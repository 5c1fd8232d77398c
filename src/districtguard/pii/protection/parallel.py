"""Protect files in several processes (``protect --workers N``), safely.

The parent walks the paths and hands out small batches; each worker process
protects its files exactly as a one-process run does (rewrite beside, verify,
rename), writing its own steps to the run's journal. That is safe because a
journal line is one locked, flushed append and every step of a file comes from
the one process protecting it (:mod:`.journal`).

The parent passes results on in walk order, as a one-process run does: a batch
that finishes early waits for those before it, and at most a few batches per
worker are out at once, so memory stays bounded.

No worker outlives the run. Each asks Linux to kill it when its parent goes
(the run itself, or the fork server, which exits when the run does), so a run
killed with SIGKILL leaves only what any killed run leaves: originals,
protected files, and journaled temporary copies that the next run removes. A
worker that dies on its own (out of memory) fails the files of the batches in
flight; the parent then cleans up after it from the journal and starts new
workers.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from districtguard.pii.protection.journal import Journal
from districtguard.pii.protection.pipeline import (
    ProtectConfig,
    Protector,
    ProtectResult,
    ProtectSummary,
    Services,
    failed_result,
    walk_result,
)
from districtguard.pii.results import FileResult
from districtguard.pii.scanner import batch_paths

# Protecting a file costs far more than handing it over: small batches keep
# the workers evenly loaded and the progress bar moving.
BATCH_FILES = 4
BATCH_BYTES = 4 << 20
BATCHES_PER_WORKER = 3
PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.2

_protector: Protector | None = None


def _die_with_parent(run: int) -> None:
    """Make this worker die as soon as the run's process ``run`` is gone.

    Linux's parent-death signal covers a worker the run started itself; a
    worker forked by the fork server has that server as its parent, and the
    server lives as long as its children do, so a thread also waits on the
    run's process (a pidfd, immune to pid reuse) and kills this worker.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
    threading.Thread(target=_watch, args=(run,), daemon=True).start()


def _watch(run: int) -> None:
    try:
        handle = os.pidfd_open(run)
    except ProcessLookupError:
        handle = None  # already gone
    except (OSError, AttributeError):  # no pidfd here: look now and then
        while _alive(run):
            time.sleep(WATCH_SECONDS)
        handle = None
    if handle is not None:
        select.select([handle], [], [])  # readable once the process has exited
    os.kill(os.getpid(), signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _start_worker(config: ProtectConfig, services: Services, run: int) -> None:
    global _protector
    _die_with_parent(run)
    journal = None
    if config.journal is not None and not config.dry_run:
        journal = Journal(config.journal)
    _protector = Protector(config, services, journal)


def _protect_batch(paths: list[Path]) -> list[ProtectResult]:
    if _protector is None:
        raise RuntimeError("worker process started without settings")
    return [_protector.protect(path) for path in paths]


def _new_pool(config: ProtectConfig, services: Services) -> ProcessPoolExecutor:
    # Not fork: forking a process that runs a progress-bar thread is unsafe.
    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    return ProcessPoolExecutor(
        config.workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(config, services, os.getpid()),
    )


class _InOrder:
    """Hold results that finished early until those before them are out."""

    def __init__(self) -> None:
        self.ready: dict[int, list[ProtectResult]] = {}
        self.next = 0

    def put(self, number: int, results: list[ProtectResult]) -> None:
        self.ready[number] = results

    def take(self) -> Iterator[ProtectResult]:
        while self.next in self.ready:
            yield from self.ready.pop(self.next)
            self.next += 1


Pending = dict[Future[list[ProtectResult]], tuple[int, list[Path]]]


def protect_in_pool(
    items: Iterable[Path | FileResult],
    config: ProtectConfig,
    services: Services,
    summary: ProtectSummary,
) -> Iterator[ProtectResult]:
    """Protect ``items`` in ``config.workers`` processes; yield in walk order."""
    pool: ProcessPoolExecutor | None = None
    pending: Pending = {}
    order = _InOrder()
    broken = False
    most = config.workers * BATCHES_PER_WORKER
    try:
        for number, work in enumerate(batch_paths(items, BATCH_FILES, BATCH_BYTES)):
            if isinstance(work, FileResult):
                order.put(number, [walk_result(work)])
                yield from order.take()
                continue
            while len(pending) + len(order.ready) >= most:
                broken |= _collect(pending, order)
                yield from order.take()
            if broken or pool is None:
                if pool is not None:
                    pool.shutdown(wait=True, cancel_futures=True)
                    summary.recovered += _recover(config)
                pool, broken = _new_pool(config, services), False
            pending[pool.submit(_protect_batch, work)] = (number, work)
        while pending:
            broken |= _collect(pending, order)
            yield from order.take()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    if broken:
        summary.recovered += _recover(config)


def _collect(pending: Pending, order: _InOrder) -> bool:
    """Wait for a batch to finish; return whether a worker died.

    A worker that dies breaks the whole pool: every file of every batch in
    flight is then reported as failed.
    """
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    broken = False
    for future in done:
        number, paths = pending.pop(future)
        try:
            order.put(number, future.result())
        except Exception as exc:
            broken |= isinstance(exc, BrokenProcessPool)
            reason = f"worker process stopped ({type(exc).__name__}); run again"
            order.put(number, [failed_result(path, reason) for path in paths])
    return broken


def _recover(config: ProtectConfig) -> int:
    """Clean up after dead workers (all of them are gone) from the journal."""
    if config.journal is None or config.dry_run:
        return 0
    journal = Journal(config.journal)
    try:
        return journal.recover()
    finally:
        journal.close()


__all__ = ["protect_in_pool"]
