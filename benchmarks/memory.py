"""Peak memory while one large file streams through the scanner.

Run: ``.venv/bin/python benchmarks/memory.py [--gigabytes 2]``. Writes a text file
of that size (clean prose with a PII paragraph every megabyte) to a temporary
folder, scans it in a child process, reports the child's peak resident memory
(``ru_maxrss``) and deletes the file.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import clean_prose

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


def main() -> None:
    """Write the file, scan it in a child process, print peak memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gigabytes", type=float, default=2.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
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
