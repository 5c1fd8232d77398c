# distributed's public API (Client, LocalCluster, as_completed) is not annotated.
# mypy: disallow-untyped-calls=False
"""Scan on a Dask distributed cluster: walk here, read and detect on the workers.

The walk runs where the scan was started; files go to the workers in batches
(at most 64 files or about half a megabyte), with only a few batches per worker
thread in flight, so memory stays bounded however
large the share. Results come back in completion order.

The fingerprint key never crosses the network. Each worker loads the district's
key from its own environment or key file, and every batch carries the *key id*
(an HMAC of a constant under the client's key): a worker whose key gives another
id refuses the batch, so fingerprints made under two keys are never mixed.

A worker that dies mid-batch has the batch rescheduled by Dask (up to its
``distributed.scheduler.allowed-failures``); a batch that still cannot finish is
reported as failed files with the reason, and the scan goes on. If the
scheduler is lost, the files not yet scanned are reported as failed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hmac
import itertools
import logging
import operator
import os
import pickle
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from pathlib import Path
from typing import Any

from distributed import Client, Future, LocalCluster, as_completed
from distributed.comm.addressing import parse_address, parse_host_port
from distributed.comm.core import CommClosedError

from districtguard import __version__
from districtguard.pii.documents.base import Limits
from districtguard.pii.findings import Finding
from districtguard.pii.fingerprint import FingerprintKeyError, load_key
from districtguard.pii.options import DetectOptions
from districtguard.pii.results import FileResult, ScanSummary
from districtguard.pii.scanner import (
    BATCH_FILES,
    BATCHES_PER_WORKER,
    ScanConfig,
    _identities,
    batch_paths,
    scan_file,
)
from districtguard.pii.walk import Filter, walk

CONNECT_TIMEOUT = 10.0
# Smaller than a local pool's batches: the cost of a megabyte ranges from
# milliseconds (prose) to a second (a roster full of records), and the last
# batches decide when the scan ends, so they must be short.
BATCH_BYTES = 512 << 10
LOCAL_PREFIX = "local:"
_KEY_ID_MESSAGE = b"districtguard fingerprint key id v1"
NOT_MOUNTED = "not found on worker {worker}: mount the share at the same path there"
LOST = "lost the Dask scheduler before this file was scanned; scan it again"
WRONG_KEY = (
    "worker {worker} holds a different fingerprint key; its results were refused"
)


class ClusterError(Exception):
    """The cluster cannot run this scan; the message says what to change."""


def key_id(key: bytes) -> str:
    """Return an identifier of ``key`` that reveals nothing about it."""
    return hmac.digest(key, _KEY_ID_MESSAGE, "sha256").hex()[:16]


@dataclasses.dataclass(frozen=True, slots=True)
class WorkerIdentity:
    """What a worker reports before the scan: its version and its key's id."""

    version: str
    key_id: str  # empty when the worker has no usable key
    problem: str = ""


class _KeyMismatchError(Exception):
    """This worker's fingerprint key is not the client's."""


# Loaded once per worker process: the key file is read on first use only.
_worker_key: bytes | None = None


def _load_worker_key() -> bytes:
    global _worker_key
    if _worker_key is None:
        # create=False: a worker must never invent a key of its own.
        _worker_key = load_key(create=False)
    return _worker_key


def worker_identity() -> WorkerIdentity:
    """Return this worker's DistrictGuard version and fingerprint key id."""
    try:
        key = _load_worker_key()
    except FingerprintKeyError as exc:
        return WorkerIdentity(__version__, "", str(exc))
    return WorkerIdentity(__version__, key_id(key))


def _worker_name() -> str:
    with contextlib.suppress(ValueError):
        from distributed import get_worker

        return str(get_worker().address)
    return socket.gethostname()


def scan_batch(
    paths: list[str], options: DetectOptions, limits: Limits, expected_key: str
) -> list[FileResult]:
    """Scan ``paths`` on this worker with its own key, if it is the client's.

    ``options`` arrive without a key; the worker's key is put in their place.
    """
    try:
        key = _load_worker_key()
    except FingerprintKeyError:
        key = b""
    if not key or key_id(key) != expected_key:
        raise _KeyMismatchError(WRONG_KEY.format(worker=_worker_name()))
    options = dataclasses.replace(options, fingerprint_key=key)
    results = []
    for name in paths:
        path = Path(name)
        if not os.path.lexists(path) and not path.parent.is_dir():
            reason = NOT_MOUNTED.format(worker=_worker_name())
            results.append(FileResult(name, "failed", reason))
        else:
            results.append(scan_file(path, options, limits))
    return results


_RESULT_FIELDS = tuple(field.name for field in dataclasses.fields(FileResult))
_FINDING_FIELDS = tuple(field.name for field in dataclasses.fields(Finding))
_FINDINGS = _RESULT_FIELDS.index("findings")
_result_row = operator.attrgetter(*_RESULT_FIELDS)
_finding_row = operator.attrgetter(*_FINDING_FIELDS)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while rows and objects are built.

    Packing or unpacking a batch makes hundreds of thousands of tuples that
    live on; each collection the allocations trigger walks them all again, and
    that, not the copying, was most of the cost. Nothing built here is cyclic.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def pack_results(results: list[FileResult]) -> bytes:
    """Return ``results`` as compact bytes: fields in tuples, not objects.

    The machine that started the scan unpacks every finding while it shares the
    cores with the workers; rebuilding objects from tuples costs a third of
    unpickling them.
    """
    with _collector_paused():
        rows = []
        for result in results:
            row = list(_result_row(result))
            row[_FINDINGS] = list(map(_finding_row, result.findings))
            rows.append(row)
        return pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)


def unpack_results(data: bytes) -> list[FileResult]:
    """Return the results :func:`pack_results` packed."""
    with _collector_paused():
        # Our own workers' output: Dask itself already trusts them with pickles.
        rows: list[list[Any]] = pickle.loads(data)  # noqa: S301
        results = []
        for row in rows:
            row[_FINDINGS] = tuple(itertools.starmap(Finding, row[_FINDINGS]))
            results.append(FileResult(*row))
        return results


def _scan_batch_packed(
    paths: list[str], options: DetectOptions, limits: Limits, expected_key: str
) -> bytes:
    # Packed here: Dask would first try (and fail) its own serialisation of every
    # result, which costs more than the pickling itself.
    return pack_results(scan_batch(paths, options, limits, expected_key))


def _check_reachable(address: str) -> None:
    """Fail fast, with the reason, when nothing listens at ``address``."""
    try:
        scheme, location = parse_address(address)
    except ValueError as exc:
        raise ClusterError(f"{address!r} is not a scheduler address: {exc}") from None
    if scheme not in {"tcp", "tls"}:
        return
    try:
        host, port = parse_host_port(location)
    except ValueError as exc:
        raise ClusterError(f"{address!r} is not a scheduler address: {exc}") from None
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address}: {reason}"
        ) from None


def connect(address: str, timeout: float = CONNECT_TIMEOUT) -> Client:
    """Return a client of the scheduler at ``address``, or a clear ClusterError.

    TLS settings (``tls://`` addresses) come from Dask's configuration, as for
    ``dask worker``; see docs/cluster.md.
    """
    _check_reachable(address)
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except TypeError:
        # What Dask raises for a tls:// address without TLS settings.
        raise ClusterError(
            f"cannot connect to {address}: give Dask the CA file, client "
            "certificate and key (DASK_DISTRIBUTED__COMM__TLS__*; docs/cluster.md)"
        ) from None
    except (OSError, TimeoutError) as exc:
        raise ClusterError(
            f"cannot connect to the Dask scheduler at {address}: {type(exc).__name__}"
        ) from None


def check_workers(client: Client, expected_key: str) -> int:
    """Refuse a cluster with no workers, another version or another key.

    Returns the number of worker threads, which bounds the work in flight.
    """
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except TimeoutError:
        raise ClusterError(
            f"the scheduler has no workers after {CONNECT_TIMEOUT:.0f} s; start "
            "some with `dask worker ADDRESS`"
        ) from None
    identities: dict[str, WorkerIdentity] = client.run(worker_identity)
    for worker, identity in sorted(identities.items()):
        if identity.version != __version__:
            raise ClusterError(
                f"worker {worker} runs DistrictGuard {identity.version}, this is "
                f"{__version__}; install the same version on every worker"
            )
        if identity.problem:
            raise ClusterError(f"worker {worker}: fingerprint key: {identity.problem}")
        if identity.key_id != expected_key:
            raise ClusterError(
                f"worker {worker} holds a different fingerprint key (key id "
                f"{identity.key_id}, expected {expected_key}); give every worker "
                "the district's key"
            )
    threads: dict[str, int] = client.nthreads()
    return max(1, sum(threads.values()))


@contextlib.contextmanager
def open_cluster(spec: str) -> Iterator[str]:
    """Yield a scheduler address: ``spec`` itself, or a LocalCluster's for local:N."""
    if not spec.startswith(LOCAL_PREFIX):
        yield spec
        return
    count = spec.removeprefix(LOCAL_PREFIX)
    if not count.isdigit() or int(count) < 1:
        raise ClusterError(f"{spec!r}: write local:N with N a whole number above 0")
    cluster = LocalCluster(
        n_workers=int(count),
        threads_per_worker=1,  # detection holds the GIL: one process per core
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # its HTTP server: loopback, any port
        silence_logs=logging.ERROR,
    )
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close()


def _failed(paths: Iterable[str], reason: str) -> Iterator[FileResult]:
    return (FileResult(path, "failed", reason) for path in paths)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, _KeyMismatchError):
        return str(exc)
    name = type(exc).__name__
    if name == "KilledWorker":
        return "the workers scanning it kept stopping (KilledWorker)"
    # Only the type: an exception's message may quote the data it choked on.
    return f"failed on a worker ({name})"


def _scan_on(
    client: Client, items: Iterable[Path | FileResult], config: ScanConfig, limit: int
) -> Iterator[FileResult]:
    expected = key_id(config.options.fingerprint_key)
    keyless = dataclasses.replace(config.options, fingerprint_key=b"")
    run = uuid.uuid4().hex[:8]
    pending: dict[Future[bytes], list[str]] = {}
    finished = as_completed(loop=client.loop)

    lost = False

    def collect() -> Iterator[FileResult]:
        nonlocal lost
        future = next(finished)
        paths = pending.pop(future)
        try:
            results = unpack_results(future.result())
        except Exception as exc:  # report the batch, keep scanning
            # Dask cancels every future when the scheduler goes away, or fails one
            # whose result was on its way when the connection closed.
            gone = isinstance(exc, CancelledError | CommClosedError)
            lost = lost or gone or client.status != "running"
            yield from _failed(paths, LOST if lost else _reason(exc))
        else:
            yield from results
        finally:
            future.release()

    try:
        for number, work in enumerate(batch_paths(items, BATCH_FILES, BATCH_BYTES)):
            if isinstance(work, FileResult):
                yield work
                continue
            while len(pending) >= limit:
                yield from collect()
            paths = [str(path) for path in work]
            if lost:  # every file still gets its line in the report
                yield from _failed(paths, LOST)
                continue
            future = client.submit(
                _scan_batch_packed,
                paths,
                keyless,
                config.limits,
                expected,
                key=f"districtguard-scan-{run}-{number}",
                pure=False,
            )
            pending[future] = paths
            finished.add(future)
        while pending:
            yield from collect()
    finally:
        if pending:
            client.cancel(list(pending))


def scan_paths_on_cluster(
    config: ScanConfig,
    address: str,
    on_result: Callable[[FileResult], None] | None = None,
    *,
    timeout: float = CONNECT_TIMEOUT,
) -> ScanSummary:
    """Scan every file under ``config.paths`` on the Dask cluster at ``address``.

    The same contract as :func:`~districtguard.pii.scanner.scan_paths`; the paths
    must be mounted at the same place on every worker. Raises ClusterError when
    the scheduler cannot be reached or its workers cannot take part.
    """
    started = time.monotonic()
    summary = ScanSummary()
    expected = key_id(config.options.fingerprint_key)
    with connect(address, timeout) as client:
        threads = check_workers(client, expected)
        items = walk(
            config.paths,
            Filter(config.include, config.exclude, _identities(config.ignore)),
            follow_symlinks=config.follow_symlinks,
        )
        for result in _scan_on(client, items, config, threads * BATCHES_PER_WORKER):
            summary.add(result)
            if on_result is not None:
                on_result(result)
    summary.duration = time.monotonic() - started
    return summary


__all__ = [
    "ClusterError",
    "WorkerIdentity",
    "check_workers",
    "connect",
    "key_id",
    "open_cluster",
    "pack_results",
    "scan_batch",
    "scan_paths_on_cluster",
    "unpack_results",
    "worker_identity",
]
