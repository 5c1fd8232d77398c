"""Peak memory while one large file streams through the scanner.

Run: ``.venv/bin/python benchmarks/memory.py [--gigabytes 2] [--table]``. Writes
a text file of that size (clean prose with a PII paragraph every megabyte), or
with ``--table`` a CSV student-information export (a six-digit ID per row, no
personal information), to a temporary folder, scans it in a child process,
reports the child's peak resident memory (``ru_maxrss``) and deletes the file.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import EXPORT_FIELDS, clean_prose, export_records

CHILD = """
import sys, time
sys.path.insert(0, {bench!r})
from common import OPTIONS
from pathlib import Path
from districtguard.pii.documents.base import Limits
from districtguard.pii.scanner import scan_file
start = time.perf_counter()
result = scan_file(Path({path!r}), OPTIONS, Limits())
print(result.status, len(result.findings), time.perf_counter() - start)
"""
PII = "\n\nEmployee Maria Lopez, SSN 234-56-7891, card 4111 1111 1111 1111.\n\n"


def _write(path: Path, gigabytes: float) -> int:
    block = clean_prose(8) + PII
    target = int(gigabytes * 1e9)
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        while written < target:
            handle.write(block)
            written += len(block)
    return written


def _write_table(path: Path, gigabytes: float) -> int:
    target = int(gigabytes * 1e9)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        records = export_records(sys.maxsize)
        while handle.tell() < target:
            writer.writerows(itertools.islice(records, 10_000))
        return handle.tell()


def main() -> None:
    """Write the file, scan it in a child process, print peak memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gigabytes", type=float, default=2.0)
    parser.add_argument("--table", action="store_true", help="a CSV export instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        if args.table:
            path = Path(folder) / "export.csv"
            size = _write_table(path, args.gigabytes)
        else:
            path = Path(folder) / "big.txt"
            size = _write(path, args.gigabytes)
        code = CHILD.format(bench=str(Path(__file__).parent), path=str(path))
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    status, findings, scan_seconds = done.stdout.split()
    print(f"| file | {size / 1e9:.2f} GB |")
    print(f"| status, findings | {status}, {findings} |")
    print(
        f"| scan time | {float(scan_seconds):.1f} s ({elapsed:.1f} s with start-up) |"
    )
    print(f"| peak resident memory | {peak_mb:.0f} MB |")


if __name__ == "__main__":
    main()
