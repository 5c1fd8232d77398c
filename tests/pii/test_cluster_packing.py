"""Results cross from a Dask worker to the scan as packed rows and come back equal."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from districtguard.pii import DetectOptions
from districtguard.pii.cluster import pack_results, unpack_results
from districtguard.pii.documents.base import Limits
from districtguard.pii.results import FileResult
from districtguard.pii.scanner import scan_file

OPTIONS = DetectOptions(fingerprint_key=b"k" * 32)


def _results(tmp_path: Path) -> list[FileResult]:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,ssn,card\n"
        "Maria Lopez,234-56-7891,4111 1111 1111 1111\n"
        "James Smith,345-67-8912,***-**-6789\n"
    )
    empty = tmp_path / "empty.txt"
    empty.write_text("Lunch menu for Tuesday.\n")
    return [
        scan_file(roster, OPTIONS, Limits()),
        scan_file(empty, OPTIONS, Limits()),
        FileResult(str(tmp_path / "gone.txt"), "failed", "disappeared during the scan"),
    ]


def test_unpacked_results_equal_the_scanned_ones(tmp_path: Path) -> None:
    results = _results(tmp_path)
    assert results[0].findings and results[0].protected_kinds
    assert unpack_results(pack_results(results)) == results


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(tmp_path: Path, enabled: bool) -> None:
    results = _results(tmp_path)
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        unpack_results(pack_results(results))
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
