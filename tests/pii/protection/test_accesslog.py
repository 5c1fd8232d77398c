"""The unprotect log: append-only, hash-chained, and checked."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from districtguard.pii.protection.accesslog import (
    GENESIS,
    log_path,
    read_entries,
    record_unprotect,
    verify,
)
from tests.pii.protection.keyhelp import isolate_home


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate_home(monkeypatch, tmp_path / "home")


def _three(home: Path) -> list[bytes]:
    record_unprotect("share/a.csv", 12, "director")
    record_unprotect("share/b.xlsx", 3, "tech")
    record_unprotect(Path("share/c.txt"), 0)
    return log_path().read_bytes().splitlines()


def test_each_use_is_one_line_saying_who_when_which_and_how_many(home: Path) -> None:
    _three(home)
    entries = read_entries()
    assert [(e["user"], e["path"], e["values"]) for e in entries][:2] == [
        ("director", "share/a.csv", 12),
        ("tech", "share/b.xlsx", 3),
    ]
    assert entries[2]["user"]  # the OS user when none is given
    assert all(e["action"] == "unprotect" and e["at"] for e in entries)
    assert entries[0]["prev"] == GENESIS
    assert log_path().stat().st_mode & 0o777 == 0o600


def test_an_intact_log_verifies(home: Path) -> None:
    _three(home)
    result = verify()
    assert (result.ok, result.entries) == (True, 3)


def test_an_empty_or_missing_log_verifies(home: Path) -> None:
    assert verify().ok and verify().entries == 0


def test_an_edited_line_breaks_the_chain_at_the_next(home: Path) -> None:
    lines = _three(home)
    entry = json.loads(lines[0])
    entry["values"] = 1
    lines[0] = json.dumps(entry, sort_keys=True).encode()
    log_path().write_bytes(b"\n".join(lines) + b"\n")
    result = verify()
    assert (result.ok, result.broken_at) == (False, 2)


def test_a_removed_line_breaks_the_chain(home: Path) -> None:
    lines = _three(home)
    log_path().write_bytes(b"\n".join([lines[0], lines[2]]) + b"\n")
    assert verify().broken_at == 2


def test_a_removed_first_line_breaks_the_chain(home: Path) -> None:
    lines = _three(home)
    log_path().write_bytes(b"\n".join(lines[1:]) + b"\n")
    assert verify().broken_at == 1


def test_a_line_that_is_not_json_is_reported(home: Path) -> None:
    lines = _three(home)
    log_path().write_bytes(b"\n".join([*lines, b"garbage"]) + b"\n")
    result = verify()
    assert (result.broken_at, result.reason) == (4, "not a log entry")


def test_concurrent_writers_keep_one_chain(home: Path) -> None:
    def write(n: int) -> None:
        for i in range(20):
            record_unprotect(f"share/{n}-{i}.csv", i, f"user{n}")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = verify()
    assert (result.ok, result.entries) == (True, 80)
