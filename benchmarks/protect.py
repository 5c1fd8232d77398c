"""Protection speed on one core: PII-dense CSV and text, and clean files.

Run: ``.venv/bin/python benchmarks/protect.py [--dense-mb 2] [--prose-mb 50]``.
Each measurement runs in its own process, so its peak memory (max RSS) is its
own. Protection goes through the whole pipeline for one file: read, detect,
rewrite, write beside, verify (read back, detect again, and in encrypt mode
unprotect and compare), rename, with its steps in a journal as the command
keeps them. Prints a markdown table, with each rate by the wall clock and by the
process's CPU time (which load from elsewhere on a shared machine inflates far
less).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import OPTIONS, clean_prose, dense_text, pin_one_core
from districtguard.pii import detector_build
from districtguard.pii.documents.base import Limits
from districtguard.pii.protection.edits import PROTECTABLE, Policy
from districtguard.pii.protection.journal import RACY_NS, Journal
from districtguard.pii.protection.pipeline import (
    ProtectConfig,
    Protector,
    Services,
    protect_paths,
)
from districtguard.pii.scanner import scan_file

NAMES = ["Maria Lopez", "John Smith", "Ann Lee", "Robert Brown", "Linda Garcia"]


def dense_csv(megabytes: float, seed: int = 4) -> str:
    """Return a staff export: every row a name, an SSN and a card number."""
    rng = random.Random(seed)
    rows = ["name,ssn,card,note"]
    size = 0
    while size < megabytes * 1_000_000:
        area, group, serial = (
            rng.randint(100, 665),
            rng.randint(10, 99),
            rng.randint(1000, 9999),
        )
        ssn = f"{area:03d}-{group}-{serial}"
        row = f"{rng.choice(NAMES)},{ssn},4111 1111 1111 1111,on file"
        rows.append(row)
        size += len(row) + 1
    return "\n".join(rows) + "\n"


def _services(mode: str, home: Path) -> Services:
    if mode == "redact":
        from districtguard.pii.protection.redaction import Redactor

        return Services(Redactor())
    import os

    from districtguard.pii.protection.cipher import ValueCipher
    from districtguard.pii.protection.keys import KeyRing

    os.environ["DISTRICTGUARD_HOME"] = str(home)
    ring = KeyRing.create()
    cipher = ValueCipher(ring)
    return Services(cipher, cipher, ring)


def _protected_tree(folder: Path, megabytes: float) -> tuple[ProtectConfig, int]:
    """Write files of 50 KB of prose with one SSN each, and protect them once.

    Return the run's configuration (with its journal) and the tree's size. The
    files are left to settle (``RACY_NS``), as between two nightly runs.
    """
    share = folder / "share"
    share.mkdir()
    prose = clean_prose(max(1, int(megabytes)), seed=21)
    count = max(1, int(megabytes * 20))
    for index in range(count):
        at = index * 50_000 % (len(prose) - 50_000)
        line = f"\nAnn Lee SSN 123-45-{1000 + index % 9000}\n"
        (share / f"{index:05d}.txt").write_text(prose[at : at + 50_000] + line)
    policy = Policy(OPTIONS, PROTECTABLE, all_records=True)
    config = ProtectConfig(paths=(share,), policy=policy, journal=folder / "j.jsonl")
    services = _services("redact", folder / "home")
    protect_paths(config, services, lambda result: None)
    time.sleep(RACY_NS / 1e9 + 0.1)
    return config, sum(path.stat().st_size for path in share.iterdir())


def _rerun(mode: str, megabytes: float) -> dict[str, object]:
    """Time a run over a tree an earlier run protected: the first such run
    hashes each file and records its signature; the runs after pass over it by
    its signature (``mode`` says which is timed)."""
    with tempfile.TemporaryDirectory() as folder:
        config, size = _protected_tree(Path(folder), megabytes)
        services = _services("redact", Path(folder) / "home")
        outcomes: list[str] = []
        if mode == "by-signature":
            protect_paths(config, services, lambda result: None)
        start, cpu = time.perf_counter(), time.process_time()
        protect_paths(config, services, lambda result: outcomes.append(result.outcome))
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
    files = len(outcomes)
    passed = outcomes.count("unchanged")
    return {
        "kind": "protected tree",
        "mode": f"re-run, {mode}",
        "mb": size / 1e6,
        "rate": size / seconds / 1e6,
        "cpu_rate": size / cpu / 1e6,
        "detail": f"{files / seconds:,.0f} files/s, {passed} of {files} unchanged",
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(kind: str, mode: str, megabytes: float) -> dict[str, object]:
    """Run one measurement in this process and return its figures."""
    pin_one_core()
    if kind == "tree":
        return _rerun(mode, megabytes)
    text = {
        "csv": lambda: dense_csv(megabytes),
        "text": lambda: dense_text(max(1, int(megabytes))),
        "clean": lambda: clean_prose(max(1, int(megabytes))),
    }[kind]()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("data.csv" if kind == "csv" else "data.txt")
        path.write_text(text, encoding="utf-8")
        size = path.stat().st_size
        if mode == "scan":
            start, cpu = time.perf_counter(), time.process_time()
            scanned = scan_file(path, OPTIONS, Limits())
            seconds = time.perf_counter() - start
            cpu = time.process_time() - cpu
            detail = f"{len(scanned.findings)} findings"
        else:
            policy = Policy(OPTIONS, PROTECTABLE, all_records=True)
            config = ProtectConfig(paths=(path,), policy=policy)
            # A journal, as the command keeps one: it records each file's steps.
            journal = Journal(Path(folder) / "home" / "journal.jsonl")
            services = _services(mode, Path(folder) / "home")
            protector = Protector(config, services, journal)
            start, cpu = time.perf_counter(), time.process_time()
            result = protector.protect(path)
            seconds = time.perf_counter() - start
            cpu = time.process_time() - cpu
            done = sum(1 for a in result.actions if not a.action.startswith("skip"))
            detail = f"{result.outcome}, {done} values"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "kind": kind,
        "mode": mode,
        "mb": size / 1e6,
        "rate": size / seconds / 1e6,
        "cpu_rate": size / cpu / 1e6,
        "detail": detail,
        "peak_mb": peak,
    }


def main() -> None:
    """Run every measurement in a child process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dense-mb", type=float, default=2)
    parser.add_argument("--prose-mb", type=float, default=50)
    parser.add_argument(
        "--tree-mb", type=float, default=50, help="protected tree, 50 KB files"
    )
    parser.add_argument("--one", nargs=3, metavar=("KIND", "MODE", "MB"))
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each measurement; best kept"
    )
    args = parser.parse_args()
    if args.one:
        kind, mode, megabytes = args.one
        print(json.dumps(measure(kind, mode, float(megabytes))))
        return
    runs = [
        ("csv", "scan", args.dense_mb),
        ("csv", "redact", args.dense_mb),
        ("csv", "encrypt", args.dense_mb),
        ("text", "scan", args.dense_mb),
        ("text", "redact", args.dense_mb),
        ("text", "encrypt", args.dense_mb),
        ("clean", "scan", args.prose_mb),
        ("clean", "encrypt", args.prose_mb),
        ("tree", "hashed", args.tree_mb),
        ("tree", "by-signature", args.tree_mb),
    ]
    rows = []
    for kind, mode, megabytes in runs:
        command = [sys.executable, __file__, "--one", kind, mode, str(megabytes)]
        tries = []
        for _ in range(max(args.repeat, 1)):  # each in a process of its own
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            tries.append(json.loads(done.stdout.splitlines()[-1]))
        rows.append(max(tries, key=lambda row: row["cpu_rate"]))
    print(f"detector: {detector_build()}")
    print("| corpus | run | size | rate | rate (CPU time) | peak memory | detail |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['kind']} | {row['mode']} | {row['mb']:.1f} MB | "
            f"{row['rate']:.2f} MB/s | {row['cpu_rate']:.2f} MB/s | "
            f"{row['peak_mb']:.0f} MB | {row['detail']} |"
        )


if __name__ == "__main__":
    main()
