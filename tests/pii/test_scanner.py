"""Scanning files and folders: the walk, each file's fate, the summary.

Everything here is synthetic. Running as root (as CI does), file modes do not
stop reads, so "permission denied" is simulated by dropping the effective user id
for the duration of one read; everything else uses real files, links and pipes.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from districtguard.pii.documents.base import Limits
from districtguard.pii.elements import Element
from districtguard.pii.findings import Finding
from districtguard.pii.options import DetectOptions
from districtguard.pii.results import FileResult, ScanSummary
from districtguard.pii.scanner import (
    CHANGED,
    ScanConfig,
    collect_batches,
    scan_file,
    scan_paths,
)

OPTIONS = DetectOptions(fingerprint_key=b"k" * 32, today=dt.date(2026, 3, 1))
LINKED = "Employee: Maria Lopez, SSN 234-56-7891\n"
RAW_DIGITS = "234567891"


def config(*paths: Path, **changes: object) -> ScanConfig:
    return ScanConfig(paths=paths, options=OPTIONS, **changes)  # type: ignore[arg-type]


def scan(*paths: Path, **changes: object) -> tuple[ScanSummary, list[FileResult]]:
    results: list[FileResult] = []
    summary = scan_paths(config(*paths, **changes), results.append)
    return summary, results


def by_name(results: list[FileResult]) -> dict[str, FileResult]:
    return {Path(result.path).name: result for result in results}


def test_scan_file_reports_a_masked_ssn_linked_to_a_name(tmp_path: Path) -> None:
    path = tmp_path / "staff.txt"
    path.write_text(LINKED)
    result = scan_file(path, OPTIONS, Limits())
    assert result.status == "scanned"
    assert result.size == len(LINKED)
    ssn = [f for f in result.findings if f.element is Element.SSN]
    assert len(ssn) == 1
    assert ssn[0].statutory
    assert ssn[0].masked.endswith("7891")
    assert ssn[0].path == str(path)
    assert RAW_DIGITS not in repr(result).replace("-", "")


def test_binary_file_is_skipped_and_counted(tmp_path: Path) -> None:
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 8)
    summary, results = scan(tmp_path)
    assert results[0].status == "skipped"
    assert "binary" in results[0].reason
    assert summary.files_skipped == 1
    assert not summary.partial


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """Yield a folder every user can enter (pytest's tmp_path is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="districtguard-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


def test_unreadable_file_fails_with_permission_denied(open_folder: Path) -> None:
    readable = open_folder / "readable.txt"
    readable.write_text(LINKED)
    locked = open_folder / "locked.txt"
    locked.write_text(LINKED)
    locked.chmod(0o000)
    if os.geteuid() != 0:
        result = scan_file(locked, OPTIONS, Limits())
    else:
        # Root reads anything; drop the effective user id for this one read, after
        # a first scan has imported everything the read needs.
        scan_file(readable, OPTIONS, Limits())
        os.seteuid(65534)
        try:
            result = scan_file(locked, OPTIONS, Limits())
        finally:
            os.seteuid(0)
    assert result.status == "failed"
    assert "permission denied" in result.reason.lower()
    assert not result.findings


def test_file_removed_during_the_scan_is_reported_as_disappeared(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text(LINKED)
    (tmp_path / "b.txt").write_text(LINKED)
    results: list[FileResult] = []

    def remove_b_after_a(result: FileResult) -> None:
        results.append(result)
        if result.path.endswith("a.txt"):
            (tmp_path / "b.txt").unlink()

    summary = scan_paths(config(tmp_path), remove_b_after_a)
    assert by_name(results)["a.txt"].status == "scanned"
    assert by_name(results)["b.txt"].status == "failed"
    assert by_name(results)["b.txt"].reason == "disappeared during the scan"
    assert summary.partial


def test_file_changed_during_the_scan_is_scanned_with_a_problem(
    tmp_path: Path,
) -> None:
    # Near-miss candidates (a card failing Luhn, a known-bogus SSN) make the engine
    # work, so the read lasts tens of milliseconds; a thread keeps touching the
    # file meanwhile, and a tiny switch interval makes sure it gets to run.
    path = tmp_path / "busy.txt"
    busy = "Ticket 4111 1111 1111 1112 closed, ref 123-45-6789.\n"
    path.write_text(busy * 3_000 + LINKED)
    stop = threading.Event()
    touched = threading.Event()

    def touch() -> None:
        tick = 1
        while not stop.is_set():
            os.utime(path, ns=(tick, tick))
            tick += 1
            touched.set()

    interval = sys.getswitchinterval()
    toucher = threading.Thread(target=touch)
    sys.setswitchinterval(1e-5)
    toucher.start()
    touched.wait()
    try:
        summary, results = scan(path, limits=Limits(chunk_chars=16_384))
    finally:
        stop.set()
        toucher.join()
        sys.setswitchinterval(interval)
    assert results[0].status == "scanned"
    assert results[0].problems == (CHANGED,)
    assert results[0].findings
    assert summary.partial


def test_corrupt_xlsx_fails_and_the_other_files_are_still_reported(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text(LINKED)
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"\x00not a workbook" * 50)
    (tmp_path / "c.txt").write_text(LINKED)
    summary, results = scan(tmp_path)
    assert by_name(results)["broken.xlsx"].status == "failed"
    assert by_name(results)["broken.xlsx"].reason
    assert by_name(results)["a.txt"].findings
    assert by_name(results)["c.txt"].findings
    assert summary.partial
    assert [f.path for f in summary.failures] == [str(tmp_path / "broken.xlsx")]


def test_archive_with_a_damaged_member_is_scanned_in_part(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as bundle:
        bundle.writestr("staff.txt", LINKED)
        bundle.writestr("broken.xlsx", b"PK\x03\x04" + b"\x00junk" * 50)
    summary, results = scan(tmp_path)
    assert results[0].status == "scanned"
    assert results[0].findings
    assert len(results[0].problems) == 1
    assert "broken.xlsx" in results[0].problems[0]
    assert [f.kind for f in summary.failures] == ["partial"]
    assert summary.partial


def test_long_single_line_file_is_read_in_chunks_and_found_once(
    tmp_path: Path,
) -> None:
    chunk = 65_536
    planted = "Maria Lopez SSN 234-56-7891 "
    # Place the SSN across the third chunk boundary, in 3 MB without a newline.
    at = 3 * chunk - 20
    filler = "x" * (at - 12) + " "
    text = filler + planted + " y" * 1_500_000
    path = tmp_path / "one-line.log"
    path.write_text(text)
    limits = Limits(chunk_chars=chunk, chunk_overlap=1024)
    result = scan_file(path, OPTIONS, limits)
    ssn = [f for f in result.findings if f.element is Element.SSN]
    assert len(ssn) == 1
    assert ssn[0].start == text.index("234-56-7891")
    assert result.size == len(text)


def test_two_workers_give_the_same_findings_as_one(tmp_path: Path) -> None:
    for number in range(40):
        folder = tmp_path / f"d{number % 4}"
        folder.mkdir(exist_ok=True)
        body = LINKED if number % 3 == 0 else "Lunch menu for Tuesday.\n"
        (folder / f"f{number}.txt").write_text(body)
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01" * 100)

    def findings(workers: int) -> tuple[list[tuple[object, ...]], dict[str, object]]:
        summary, results = scan(tmp_path, workers=workers)
        rows = sorted(tuple(f.to_dict().values()) for r in results for f in r.findings)
        counts = summary.to_dict()
        for timing in ("duration_seconds", "files_per_second"):
            counts.pop(timing)
        return rows, counts

    assert findings(2) == findings(1)
    assert findings(1)[0]


def test_a_worker_that_dies_fails_its_batch_and_the_scan_goes_on() -> None:
    broken: Future[list[FileResult]] = Future()
    broken.set_exception(BrokenProcessPool("a worker died"))
    pending = {broken: [Path("x.txt"), Path("y.txt")]}
    results = list(collect_batches(pending))
    assert [(r.path, r.status) for r in results] == [
        ("x.txt", "failed"),
        ("y.txt", "failed"),
    ]
    assert results[0].reason == "worker process stopped (BrokenProcessPool)"
    assert not pending


def finding(path: str, element: Element, record: str, statutory: bool) -> Finding:
    return Finding(
        path, element, 0, 11, "line 1", 0.9, "***-**-0000", "f" * 32, record, statutory
    )


def test_summary_counts_each_statutory_record_once() -> None:
    summary = ScanSummary()
    row2 = [
        finding("a.csv", Element.PERSON_NAME, "row 2", True),
        finding("a.csv", Element.SSN, "row 2", True),
    ]
    row3 = [finding("a.csv", Element.SSN, "row 3", False)]
    summary.add(FileResult("a.csv", "scanned", size=10, findings=(*row2, *row3)))
    summary.add(FileResult("b.csv", "scanned", size=5, findings=tuple(row2)))
    summary.add(FileResult("c.bin", "skipped", "binary"))
    summary.add(FileResult("d.xlsx", "failed", "not a readable workbook"))
    summary.add(FileResult("e.zip", "scanned", problems=("member x: damaged",)))
    assert summary.statutory_records == 2
    assert summary.findings == {"SSN": 3, "PERSON_NAME": 2}
    assert summary.files_with_findings == 2
    assert (summary.files_scanned, summary.files_skipped, summary.files_failed) == (
        3,
        1,
        1,
    )
    assert summary.bytes_scanned == 15
    assert [(f.path, f.kind) for f in summary.failures] == [
        ("d.xlsx", "failed"),
        ("e.zip", "partial"),
    ]
    assert summary.partial
