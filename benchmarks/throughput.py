"""Throughput on one core: clean prose, text dense with PII, small files, PDFs.

Run: ``.venv/bin/python benchmarks/throughput.py [--prose-mb 200] [--dense-mb 20]
[--files 5000] [--pdf-pages 200] [--messages 4000] [--export-rows 100000]
[--xlsx-rows 50000]`` (the export rows are written as CSV and as JSON Lines;
the XLSX rows as a workbook).
Prints a markdown table.
Each rate is given twice: by the wall clock, and by this process's CPU time, which
other work sharing the core does not inflate nearly as much (on an idle machine
the two agree).
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import (
    EXPORT_FIELDS,
    OPTIONS,
    clean_prose,
    dense_text,
    export_records,
    pin_one_core,
)
from districtguard.pii import Finding, TextUnit, detect, detector_build
from districtguard.pii.documents.base import Limits
from districtguard.pii.engine import _new_finding
from districtguard.pii.fingerprint import fingerprint
from districtguard.pii.reports.jsonl import JsonLinesWriter
from districtguard.pii.results import FileResult
from districtguard.pii.scanner import ScanConfig, scan_file, scan_paths

UNIT = 4 << 20  # the text reader's chunk size


class _Clock:
    """Wall-clock and CPU seconds of a block."""

    def __enter__(self) -> _Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def rate(self, size: float, digits: int = 0) -> str:
        """Return ``size`` bytes per second as ``wall MB/s (CPU MB/s)``."""
        wall, cpu = size / self.wall / 1e6, size / self.cpu / 1e6
        return f"{wall:,.{digits}f} MB/s ({cpu:,.{digits}f} CPU)"

    def per(self, count: int, unit: str) -> str:
        """Return ``count`` things per second as ``wall unit/s (CPU unit/s)``."""
        wall, cpu = count / self.wall, count / self.cpu
        return f"{wall:,.0f} {unit}/s ({cpu:,.0f} CPU)"


def _library(text: str) -> tuple[_Clock, int]:
    """Scan ``text`` through the library in reader-sized units; return the time."""
    found = 0
    with _Clock() as clock:
        for low in range(0, len(text), UNIT):
            found += len(detect(TextUnit(text[low : low + UNIT]), "bench", OPTIONS))
    return clock, found


def _json_lines(findings: list[Finding]) -> tuple[_Clock, int]:
    """Write ``findings`` as ``scan --format jsonl`` does, to memory."""
    writer = JsonLinesWriter(io.StringIO())
    result = FileResult("bench", "scanned", findings=tuple(findings))
    with _Clock() as clock:
        writer.add(result)
    return clock, len(findings)


def _findings_alone(findings: list[Finding]) -> tuple[_Clock, int]:
    """Make ``findings`` again from their values as the detector makes them
    (``engine._new_finding``), a fingerprint each, and do nothing else: what
    the finding contract costs however fast detection is."""
    key = OPTIONS.fingerprint_key
    with _Clock() as clock:
        for f in findings:
            print_ = fingerprint(key, str(f.element), f.masked)
            _new_finding(
                (
                    f.path,
                    f.element,
                    f.start,
                    f.end,
                    f.location,
                    f.confidence,
                    f.masked,
                    print_,
                    f.record,
                    f.statutory,
                    f.kind,
                )
            )
    return clock, len(findings)


def _file(text: str, folder: Path) -> tuple[_Clock, int]:
    path = folder / "corpus.txt"
    path.write_text(text, encoding="utf-8")
    with _Clock() as clock:
        result = scan_file(path, OPTIONS, Limits())
    path.unlink()
    return clock, len(result.findings)


def _small_files(count: int, folder: Path, every: int) -> tuple[_Clock, int]:
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
    with _Clock() as clock:
        summary = scan_paths(config)
    return clock, summary.files_scanned


def _medium_files(prose: str, folder: Path) -> tuple[_Clock, int]:
    """Scan 40 clean files of 1-4 MB, each one unit: reports, exports, logs."""
    rng = random.Random(7)
    size = 0
    for index in range(40):
        length = rng.randint(1_000_000, 4_000_000)
        at = rng.randrange(0, max(1, len(prose) - length))
        (folder / f"{index:02d}.txt").write_text(prose[at : at + length])
        size += length
    config = ScanConfig(paths=(folder,), options=OPTIONS, workers=1)
    with _Clock() as clock:
        scan_paths(config)
    return clock, size


def _pdf(prose: str, folder: Path, pages: int) -> Path:
    """Write a report of ``pages`` pages of prose, 55 lines of 90 characters each,
    with reportlab (a text layer, as exported reports and board packets have)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    path = folder / "report.pdf"
    pdf = canvas.Canvas(str(path), pagesize=letter, pageCompression=1)
    at = 0
    for _ in range(pages):
        for line in range(55):
            pdf.drawString(40, 750 - 13 * line, prose[at : at + 90].replace("\n", " "))
            at = (at + 90) % max(1, len(prose) - 90)
        pdf.showPage()
    pdf.save()
    return path


def _scan_one(path: Path) -> tuple[_Clock, int]:
    """Scan one file (a PDF, a mailbox) through the scanner; return time and size."""
    with _Clock() as clock:
        result = scan_file(path, OPTIONS, Limits())
    if result.status != "scanned" or result.problems:
        raise SystemExit(f"{path.name} not read: {result.status} {result.problems}")
    return clock, path.stat().st_size


def _export(folder: Path, rows: int) -> Path:
    """Write the export as CSV, a header and a line per record."""
    path = folder / "enrollment.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(export_records(rows))
    return path


def _export_jsonl(folder: Path, rows: int) -> Path:
    """Write the export as JSON Lines, its ID under the key ``id``: a licence
    label (``ID``), so every ID is a candidate twice over."""
    path = folder / "enrollment.jsonl"
    with path.open("w") as handle:
        for record in export_records(rows):
            record = {"id": record.pop("student_id"), **record}
            handle.write(json.dumps(record) + "\n")
    return path


def _export_xlsx(folder: Path, rows: int) -> Path:
    """Write the export as an XLSX workbook with openpyxl: a header row and a
    row per record, text cells as inline strings (as openpyxl writes them)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    sheet = workbook.create_sheet("Enrollment")
    sheet.append(EXPORT_FIELDS)
    for record in export_records(rows):
        sheet.append([record[field] for field in EXPORT_FIELDS])
    path = folder / "enrollment.xlsx"
    workbook.save(path)
    return path


def _mbox(prose: str, folder: Path, messages: int) -> Path:
    """Write a help-desk mailbox: ``messages`` messages of 4 KB of prose each."""
    import mailbox
    from email.message import EmailMessage

    path = folder / "helpdesk.mbox"
    box = mailbox.mbox(path)
    at = 0
    for number in range(messages):
        mail = EmailMessage()
        mail["From"] = "José Pérez <help@example.org>"  # an encoded word to decode
        mail["To"] = "helpdesk@example.org"
        mail["Subject"] = f"Ticket {number}: projector in room {number % 40}"
        mail.set_content(prose[at : at + 4000])
        at = (at + 4000) % max(1, len(prose) - 4000)
        box.add(mail)
    box.flush()
    box.close()
    return path


def _one_file(
    best: Callable[[Callable[[], tuple[_Clock, int]]], tuple[_Clock, int]],
    write: Callable[[Path], Path],
) -> tuple[_Clock, int]:
    """Write one file in a folder of its own and scan it; return time and size."""
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder))
        return best(lambda: _scan_one(path))


def _best(repeat: int, measure: Callable[[], tuple[_Clock, int]]) -> tuple[_Clock, int]:
    """Run ``measure`` ``repeat`` times; keep the run with the least CPU time.

    On a shared machine a single run can come out a quarter slow; the best of
    several is what the code can do.
    """
    runs = [measure() for _ in range(max(repeat, 1))]
    return min(runs, key=lambda run: run[0].cpu)


def main() -> None:
    """Run the measurements and print them as a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prose-mb", type=int, default=200)
    parser.add_argument("--dense-mb", type=int, default=20)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--pdf-pages", type=int, default=200)
    parser.add_argument("--messages", type=int, default=4000, help="in the mailbox")
    parser.add_argument(
        "--export-rows", type=int, default=100_000, help="rows of the clean CSV export"
    )
    parser.add_argument(
        "--xlsx-rows", type=int, default=50_000, help="rows of the XLSX export"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each measurement; best kept"
    )
    args = parser.parse_args()
    best = functools.partial(_best, args.repeat)
    core = pin_one_core()
    prose = clean_prose(args.prose_mb)
    dense = dense_text(args.dense_mb)
    detect(TextUnit(dense[:50_000]), "warm-up", OPTIONS)  # load name lists once
    rows: list[tuple[str, str, str]] = []
    clock, found = best(lambda: _library(prose))
    rows.append(("clean prose, library", clock.rate(len(prose)), f"{found} findings"))
    clock, found = best(lambda: _library(dense))
    per = f"{found / clock.wall:,.0f} findings/s ({found / clock.cpu:,.0f} CPU)"
    rows.append(("dense PII, library", clock.rate(len(dense), 2), per))
    found_dense = [
        finding
        for low in range(0, len(dense), UNIT)
        for finding in detect(TextUnit(dense[low : low + UNIT]), "bench", OPTIONS)
    ]
    clock, found = best(lambda: _json_lines(found_dense))
    detail = f"{clock.per(found, 'findings')}; what `scan --format jsonl` adds"
    rows.append(
        ("dense PII, its findings as JSON Lines", clock.rate(len(dense), 2), detail)
    )
    clock, found = best(lambda: _findings_alone(found_dense))
    detail = f"{clock.per(found, 'findings')}; the contract's floor, no detection"
    rows.append(
        (
            "dense PII, its findings made, nothing else",
            clock.rate(len(dense), 2),
            detail,
        )
    )
    with tempfile.TemporaryDirectory() as folder:
        clock, found = best(lambda: _file(prose, Path(folder)))
        size = len(prose.encode())
        rows.append(("clean prose, file", clock.rate(size), f"{found} findings"))
        clock, found = best(lambda: _file(dense, Path(folder)))
        size = len(dense.encode())
        rows.append(("dense PII, file", clock.rate(size, 2), f"{found} findings"))
    with tempfile.TemporaryDirectory() as folder:
        clock, size = best(lambda: _medium_files(prose, Path(folder)))
        rows.append(("1-4 MB files, clean", clock.rate(size), "40 files"))
    for label, every in (("small files, clean", 0), ("small files, 1 in 4 PII", 4)):
        with tempfile.TemporaryDirectory() as folder:
            small = functools.partial(_small_files, args.files, Path(folder), every)
            clock, scanned = best(small)
            rows.append((label, clock.per(scanned, "files"), f"{scanned}"))
    pages, messages, lines = args.pdf_pages, args.messages, args.export_rows
    clock, size = _one_file(best, lambda folder: _pdf(prose, folder, pages))
    detail = f"{pages} pages, {size:,} bytes"
    rows.append(("PDF with a text layer", clock.per(pages, "pages"), detail))
    clock, size = _one_file(best, lambda folder: _mbox(prose, folder, messages))
    detail = f"{clock.rate(size)}, {size:,} bytes"
    rows.append(("mailbox (mbox)", clock.per(messages, "messages"), detail))
    clock, size = _one_file(best, lambda folder: _export(folder, lines))
    detail = f"{lines:,} rows, {size:,} bytes"
    rows.append(("CSV export, an ID per row", clock.rate(size, 2), detail))
    clock, size = _one_file(best, lambda folder: _export_jsonl(folder, lines))
    detail = f"{lines:,} records, {size:,} bytes"
    rows.append(("JSON Lines export, an ID per record", clock.rate(size, 2), detail))
    sheet_rows = args.xlsx_rows
    clock, size = _one_file(best, lambda folder: _export_xlsx(folder, sheet_rows))
    cells = (sheet_rows + 1) * len(EXPORT_FIELDS)
    detail = f"{clock.per(cells, 'cells')}, {sheet_rows:,} rows, {size:,} bytes"
    rows.append(("XLSX export, an ID per row", clock.rate(size, 2), detail))
    sizes = f"prose {len(prose) / 1e6:.0f} MB, dense {len(dense) / 1e6:.0f} MB"
    print(
        f"{detector_build()}; pinned to {core}; {sizes}; best of {max(args.repeat, 1)}"
    )
    print("| measurement | rate | detail |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
