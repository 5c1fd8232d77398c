"""Walking what a scan was given: order, globs, links, loops, special files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from districtguard.pii.options import DetectOptions
from districtguard.pii.results import FileResult, ScanSummary
from districtguard.pii.scanner import ScanConfig, scan_paths
from districtguard.pii.walk import LOOP, NOT_FOLLOWED

OPTIONS = DetectOptions(fingerprint_key=b"k" * 32, today=dt.date(2026, 3, 1))
LINKED = "Employee: Maria Lopez, SSN 234-56-7891\n"


def scan(*paths: Path, **changes: object) -> tuple[ScanSummary, list[FileResult]]:
    results: list[FileResult] = []
    config = ScanConfig(paths=paths, options=OPTIONS, **changes)  # type: ignore[arg-type]
    summary = scan_paths(config, results.append)
    return summary, results


def by_name(results: list[FileResult]) -> dict[str, FileResult]:
    return {Path(result.path).name: result for result in results}


def test_results_arrive_in_name_order_files_before_subfolders(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.txt", "sub/a.txt", "z.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("nothing to see\n")
    _, results = scan(tmp_path)
    relative = [str(Path(r.path).relative_to(tmp_path)) for r in results]
    assert relative == ["a.txt", "b.txt", "z.txt", "sub/a.txt", "sub/c.txt"]


def test_paths_are_reported_the_way_they_were_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "share").mkdir()
    (tmp_path / "share" / "a.txt").write_text(LINKED)
    monkeypatch.chdir(tmp_path)
    _, results = scan(Path("share"))
    assert [r.path for r in results] == ["share/a.txt"]
    assert {f.path for f in results[0].findings} == {"share/a.txt"}


def test_include_and_exclude_globs_filter_the_walk(tmp_path: Path) -> None:
    for name in ("keep/a.txt", "keep/b.csv", "node_modules/c.txt", "old/d.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("nothing\n")
    _, results = scan(tmp_path, include=("*.txt",), exclude=("node_modules", "old/*"))
    assert [Path(r.path).relative_to(tmp_path).as_posix() for r in results] == [
        "keep/a.txt"
    ]


def test_a_file_named_explicitly_is_scanned_even_when_excluded(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(LINKED)
    summary, _ = scan(path, exclude=("*.txt",))
    assert summary.files_scanned == 1


@pytest.mark.timeout(20)
def test_fifo_is_skipped_without_being_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    summary, results = scan(tmp_path)
    assert results[0].status == "skipped"
    assert results[0].reason == "not a regular file: named pipe (FIFO)"
    assert summary.files_skipped == 1


def test_symlink_is_skipped_unless_links_are_followed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(LINKED)
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    _, results = scan(tmp_path)
    assert by_name(results)["link.txt"].status == "skipped"
    assert by_name(results)["link.txt"].reason == NOT_FOLLOWED
    _, followed = scan(tmp_path, follow_symlinks=True)
    assert by_name(followed)["link.txt"].status == "scanned"
    assert by_name(followed)["link.txt"].findings


@pytest.mark.timeout(20)
def test_symlink_loop_is_reported_and_the_walk_ends(tmp_path: Path) -> None:
    (tmp_path / "tree" / "sub").mkdir(parents=True)
    (tmp_path / "tree" / "sub" / "a.txt").write_text(LINKED)
    (tmp_path / "tree" / "sub" / "back").symlink_to(tmp_path / "tree")
    summary, results = scan(tmp_path / "tree", follow_symlinks=True)
    assert by_name(results)["back"].status == "skipped"
    assert by_name(results)["back"].reason == LOOP
    assert summary.files_scanned == 1


def test_dangling_symlink_followed_is_skipped_as_broken(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    summary, results = scan(tmp_path, follow_symlinks=True)
    assert (results[0].status, results[0].reason) == (
        "skipped",
        "broken symbolic link",
    )
    assert not summary.partial


def test_self_referencing_symlink_fails_with_the_system_reason(tmp_path: Path) -> None:
    (tmp_path / "self").symlink_to(tmp_path / "self")
    summary, results = scan(tmp_path, follow_symlinks=True)
    assert results[0].status == "failed"
    assert results[0].reason == "too many levels of symbolic links"
    assert summary.partial


def test_a_folder_given_twice_is_scanned_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(LINKED)
    summary, _ = scan(tmp_path, tmp_path)
    assert summary.files_scanned == 1
    assert summary.files_skipped == 1


def test_a_missing_path_fails(tmp_path: Path) -> None:
    summary, results = scan(tmp_path / "absent")
    assert (results[0].status, results[0].reason) == ("failed", "does not exist")
    assert summary.partial


def test_ignored_files_are_passed_over_without_a_word(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(LINKED)
    (tmp_path / "report.jsonl").write_text("")
    (tmp_path / "alias.jsonl").hardlink_to(tmp_path / "report.jsonl")
    summary, results = scan(tmp_path, ignore=(tmp_path / "report.jsonl",))
    assert [Path(r.path).name for r in results] == ["a.txt"]
    assert summary.files_total == 1
