# distributed's LocalCluster is not annotated.
# mypy: disallow-untyped-calls=False
"""Scanning the same mixed corpus with 1 and with 2 local Dask workers.

Run: ``.venv/bin/python benchmarks/cluster.py [--prose-mb 300] [--dense-mb 12]
[--files 3000] [--repeat 3]``. Writes the corpus to a temporary folder, reads it
once so every run finds it in the page cache, scans it in this process (no Dask,
for reference), then on a LocalCluster of 1 and of 2 single-threaded worker
processes, and prints a markdown table (best and median of the repeats, the
CPU time of this process: walking, Dask's scheduler and nannies, gathering
results; and the CPU time of the worker processes).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from distributed import Client, LocalCluster

from common import OPTIONS, clean_prose, dense_text
from districtguard.pii.cluster import scan_paths_on_cluster
from districtguard.pii.fingerprint import KEY_ENV
from districtguard.pii.results import ScanSummary
from districtguard.pii.scanner import ScanConfig, scan_paths

BLOCK_MB = 4
LOCAL, ONE, TWO = "this process, no Dask", "Dask, 1 worker", "Dask, 2 workers"


def _write_corpus(folder: Path, prose_mb: int, dense_mb: int, files: int) -> int:
    """Write prose, dense PII, CSV tables and small files; return the bytes."""
    from tests.corpus import generate_table_corpus  # on the path through common

    rng = random.Random(17)
    prose = clean_prose(BLOCK_MB)
    dense = dense_text(1)
    small_source = clean_prose(1, seed=23)
    written = 0
    for index in range(prose_mb // BLOCK_MB):  # reports, minutes, exports
        text = f"Document {index}\n\n{prose}"
        written += _put(folder / "prose" / f"report-{index:04d}.txt", text)
    for index in range(dense_mb):  # rosters and forms full of records, 1 MB each
        text = f"Roster {index}\n\n{dense}"
        written += _put(folder / "hr" / f"roster-{index:03d}.txt", text)
    for index in range(max(1, dense_mb // 4)):
        table = generate_table_corpus(100 + index, 2000).text
        written += _put(folder / "finance" / f"payroll-{index:02d}.csv", table)
    for index in range(files):  # notes, letters, small exports
        at = rng.randrange(0, len(small_source) - 4096)
        text = small_source[at : at + rng.randint(1024, 4096)]
        written += _put(folder / "notes" / f"{index // 500:02d}" / f"{index}.txt", text)
    return written


def _put(path: Path, text: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode()
    path.write_bytes(data)
    return len(data)


def _read_all(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            path.read_bytes()


def _cluster(workers: int) -> LocalCluster:
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    )


def _cpu(client: Client | None) -> float:
    """Return the CPU seconds the cluster's worker processes have used so far."""
    if client is None:
        return 0.0
    used: dict[str, float] = client.run(time.process_time)
    return sum(used.values())


def _timed(
    run: Callable[[], ScanSummary], workers: Client | None
) -> tuple[float, float, float, ScanSummary]:
    """Return wall-clock seconds, CPU seconds here and on the workers, the summary."""
    start, cpu, used = time.perf_counter(), time.process_time(), _cpu(workers)
    summary = run()
    wall, here = time.perf_counter() - start, time.process_time() - cpu
    return wall, here, _cpu(workers) - used, summary


Times = dict[str, list[float]]


def _measure(
    config: ScanConfig, repeat: int
) -> tuple[Times, Times, Times, int, list[float]]:
    """Time the three ways in turn, ``repeat`` rounds, so load hits them alike."""
    times: Times = {LOCAL: [], ONE: [], TWO: []}
    cpu: Times = {LOCAL: [], ONE: [], TWO: []}
    worker_cpu: Times = {LOCAL: [], ONE: [], TWO: []}
    findings = 0
    loads: list[float] = []
    with (
        _cluster(1) as one,
        _cluster(2) as two,
        Client(one) as one_client,
        Client(two) as two_client,
    ):
        clients = {LOCAL: None, ONE: one_client, TWO: two_client}
        runs: dict[str, Callable[[], ScanSummary]] = {
            LOCAL: lambda: scan_paths(config),
            ONE: lambda: scan_paths_on_cluster(config, str(one.scheduler_address)),
            TWO: lambda: scan_paths_on_cluster(config, str(two.scheduler_address)),
        }
        # Warm up: each worker loads the name lists on its first file.
        warm = ScanConfig(paths=(config.paths[0] / "hr",), options=OPTIONS)
        for cluster in (one, two):
            scan_paths_on_cluster(warm, str(cluster.scheduler_address))
        for _ in range(repeat):
            loads.append(os.getloadavg()[0])  # other work on the machine
            for label, run in runs.items():
                seconds, used, on_workers, summary = _timed(run, clients[label])
                times[label].append(seconds)
                cpu[label].append(used)
                worker_cpu[label].append(on_workers)
                findings = summary.findings_total
    return times, cpu, worker_cpu, findings, loads


def main() -> None:
    """Write the corpus, scan it three ways, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prose-mb", type=int, default=300)
    parser.add_argument("--dense-mb", type=int, default=12)
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ[KEY_ENV] = OPTIONS.fingerprint_key.hex()  # workers inherit it
    with tempfile.TemporaryDirectory(dir="/tmp") as name:
        folder = Path(name)
        size = _write_corpus(folder, args.prose_mb, args.dense_mb, args.files)
        _read_all(folder)
        config = ScanConfig(paths=(folder,), options=OPTIONS)
        files = sum(1 for path in folder.rglob("*") if path.is_file())
        times, cpu, worker_cpu, findings, loads = _measure(config, args.repeat)
    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores; corpus {size / 1e6:,.0f} MB in {files:,} files, "
        f"{findings:,} findings; {args.repeat} rounds"
    )
    print(
        "| run | best s | median s | MB/s (median) | CPU s here (median) "
        "| CPU s on workers (median) |"
    )
    print("|---|---|---|---|---|---|")
    for label, seconds in times.items():
        best, median = min(seconds), statistics.median(seconds)
        here = statistics.median(cpu[label])
        there = statistics.median(worker_cpu[label])
        row = f"{best:.2f} | {median:.2f} | {size / median / 1e6:.0f} | {here:.2f}"
        print(f"| {label} | {row} | {there:.2f} |")
    best = min(times[ONE]) / min(times[TWO])
    median = statistics.median(times[ONE]) / statistics.median(times[TWO])
    print(f"\nspeed-up, 2 workers over 1: {median:.2f}x median, {best:.2f}x best")
    for label, seconds in times.items():
        print(f"{label}, each round: " + ", ".join(f"{s:.2f} s" for s in seconds))
    print("load average before each round: " + ", ".join(f"{x:.1f}" for x in loads))


if __name__ == "__main__":
    main()
