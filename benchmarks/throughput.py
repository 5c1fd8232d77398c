"""Throughput on one core: clean prose, text dense with PII, and small files.

Run: ``.venv/bin/python benchmarks/throughput.py [--prose-mb 200] [--dense-mb 20]
[--files 5000]``. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from common import OPTIONS, clean_prose, dense_text, pin_one_core
from districtguard.pii import TextUnit, detect
from districtguard.pii.documents.base import Limits
from districtguard.pii.scanner import ScanConfig, scan_file, scan_paths

UNIT = 4 << 20  # the text reader's chunk size


def _library(text: str) -> tuple[float, int]:
    """Scan ``text`` through the library in reader-sized units; return (s, findings)."""
    found = 0
    start = time.perf_counter()
    for low in range(0, len(text), UNIT):
        found += len(detect(TextUnit(text[low : low + UNIT]), "bench", OPTIONS))
    return time.perf_counter() - start, found


def _file(text: str, folder: Path) -> tuple[float, int]:
    path = folder / "corpus.txt"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    result = scan_file(path, OPTIONS, Limits())
    elapsed = time.perf_counter() - start
    path.unlink()
    return elapsed, len(result.findings)


def _small_files(count: int, folder: Path, every: int) -> tuple[float, int]:
    """Scan ``count`` files of 1-4 KB; every ``every``-th is dense with PII."""
    rng = random.Random(5)
    prose = clean_prose(2, seed=9)
    pii = dense_text(1, seed=11)
    for index in range(count):
        source = pii if every and index % every == 0 else prose
        at = rng.randrange(0, len(source) - 4096)
        size = rng.randint(1024, 4096)
        (folder / f"{index:05d}.txt").write_text(source[at : at + size])
    config = ScanConfig(paths=(folder,), options=OPTIONS, workers=1)
    start = time.perf_counter()
    summary = scan_paths(config)
    return time.perf_counter() - start, summary.files_scanned


def main() -> None:
    """Run the three measurements and print them as a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prose-mb", type=int, default=200)
    parser.add_argument("--dense-mb", type=int, default=20)
    parser.add_argument("--files", type=int, default=5000)
    args = parser.parse_args()
    core = pin_one_core()
    prose = clean_prose(args.prose_mb)
    dense = dense_text(args.dense_mb)
    detect(TextUnit(dense[:50_000]), "warm-up", OPTIONS)  # load name lists once
    rows: list[tuple[str, str, str]] = []
    seconds, found = _library(prose)
    rate = len(prose) / seconds / 1e6
    rows.append(("clean prose, library", f"{rate:,.0f} MB/s", f"{found} findings"))
    seconds, found = _library(dense)
    rate = len(dense) / seconds / 1e6
    per = found / seconds
    rows.append(("dense PII, library", f"{rate:,.2f} MB/s", f"{per:,.0f} findings/s"))
    with tempfile.TemporaryDirectory() as folder:
        seconds, found = _file(prose, Path(folder))
        rate = len(prose.encode()) / seconds / 1e6
        rows.append(("clean prose, file", f"{rate:,.0f} MB/s", f"{found} findings"))
        seconds, found = _file(dense, Path(folder))
        rate = len(dense.encode()) / seconds / 1e6
        rows.append(("dense PII, file", f"{rate:,.2f} MB/s", f"{found} findings"))
    for label, every in (("small files, clean", 0), ("small files, 1 in 4 PII", 4)):
        with tempfile.TemporaryDirectory() as folder:
            seconds, scanned = _small_files(args.files, Path(folder), every)
            rows.append((label, f"{scanned / seconds:,.0f} files/s", f"{scanned}"))
    sizes = f"prose {len(prose) / 1e6:.0f} MB, dense {len(dense) / 1e6:.0f} MB"
    print(f"pinned to {core}; {sizes}")
    print("| measurement | rate | detail |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
