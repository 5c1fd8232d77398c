"""The journal: steps written before they are taken, readable after a crash."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from districtguard.pii.protection.journal import Journal, digest, journal_path


def test_a_done_file_is_finished_only_while_its_content_is_unchanged(
    tmp_path: Path,
) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    journal.append("done", "/share/a.txt", after=digest(b"protected"))
    journal.close()
    again = Journal(tmp_path / "j.jsonl")
    assert again.finished("/share/a.txt", digest(b"protected"))
    assert not again.finished("/share/a.txt", digest(b"edited since"))
    assert not again.finished("/share/b.txt", digest(b"protected"))


def test_a_line_torn_by_a_crash_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path)
    journal.append("clean", "/share/a.txt", sha=digest(b"a"))
    journal.close()
    with path.open("ab") as handle:
        handle.write(b'{"op": "begin", "path": "/share/b.t')
    again = Journal(path)
    assert again.finished("/share/a.txt", digest(b"a"))
    assert again.interrupted() == []


def test_recovery_removes_the_temporary_copies_of_interrupted_steps(
    tmp_path: Path,
) -> None:
    temp = tmp_path / ".a.txt.dgtmp-1234"
    temp.write_bytes(b"half written")
    journal = Journal(tmp_path / "j.jsonl")
    journal.append("begin", str(tmp_path / "a.txt"), temp=str(temp))
    journal.append("ready", str(tmp_path / "b.txt"), temp=str(tmp_path / "gone"))
    journal.append("done", str(tmp_path / "c.txt"), after="x")
    assert journal.recover() == 2
    assert not temp.exists()
    assert journal.interrupted() == []
    journal.close()
    ops = [json.loads(line)["op"] for line in (tmp_path / "j.jsonl").open()]
    assert ops[-2:] == ["abandoned", "abandoned"]


def test_the_journal_is_named_by_mode_and_paths_not_by_their_order(
    tmp_path: Path,
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert journal_path(tmp_path, "redact", [a, b]) == journal_path(
        tmp_path, "redact", [b, a]
    )
    assert journal_path(tmp_path, "redact", [a]) != journal_path(
        tmp_path, "encrypt", [a]
    )


def test_the_journal_holds_paths_and_digests_only(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    journal.append("done", "/share/a.txt", after=digest(b"SSN 234-56-7891"))
    journal.close()
    assert b"7891" not in (tmp_path / "j.jsonl").read_bytes()
    assert (tmp_path / "j.jsonl").stat().st_mode & 0o777 == 0o600


def test_a_step_written_after_a_torn_line_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_bytes(b'{"op": "begin", "path": "/share/b.t')
    journal = Journal(path)
    journal.append("done", "/share/a.txt", after=digest(b"a"))
    journal.close()
    assert Journal(path).finished("/share/a.txt", digest(b"a"))


def _append_many(path: Path, worker: int) -> None:
    journal = Journal(path)
    for number in range(50):
        journal.append("clean", f"/share/{worker}/{number}.txt", sha="0" * 64)
    journal.close()


def test_processes_appending_together_keep_every_line_whole(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many, args=(path, n)) for n in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    lines = path.read_bytes().splitlines()
    assert len(lines) == 150
    assert len(Journal(path).last) == 150  # every line parses


def test_recovery_removes_what_an_interrupted_whole_file_encryption_left(
    tmp_path: Path,
) -> None:
    original = tmp_path / "photo.bin"
    original.write_bytes(b"original")
    partial = tmp_path / ".photo.bin.dgenc.dgtmp-1a2b3c4d"
    partial.write_bytes(b"DGFE half")
    journal = Journal(tmp_path / "j.jsonl")
    journal.append("begin", str(original), target=str(tmp_path / "photo.bin.dgenc"))
    assert journal.recover() == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.jsonl", "photo.bin"]


def test_steps_are_flushed_to_disk_except_a_clean_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed: list[int] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        flushed.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    journal = Journal(tmp_path / "j.jsonl")
    journal.append("begin", "/share/a.txt", temp="/share/.a.txt.dgtmp-1")
    journal.append("clean", "/share/b.txt", sync=False, sig="1:2:3:4:5")
    assert len(flushed) == 1
    journal.close()
    again = Journal(tmp_path / "j.jsonl")  # an unflushed line is still written
    assert again.unchanged_since("/share/b.txt", "1:2:3:4:5")
    assert not again.unchanged_since("/share/b.txt", "1:2:3:4:6")
    assert not again.wants_digest("/share/b.txt")


def test_a_done_file_with_a_signature_is_unchanged_while_it_matches(
    tmp_path: Path,
) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    journal.append("done", "/share/a.txt", after=digest(b"protected"))
    assert not journal.unchanged_since("/share/a.txt", "1:2:3:4:5")
    assert journal.wants_digest("/share/a.txt")  # only its digest can tell
    journal.append("done", "/share/a.txt", after=digest(b"protected"), sig="1:2:3:4:5")
    journal.close()
    again = Journal(tmp_path / "j.jsonl")
    assert again.unchanged_since("/share/a.txt", "1:2:3:4:5")
    assert not again.unchanged_since("/share/a.txt", "1:2:3:4:6")
    assert again.finished("/share/a.txt", digest(b"protected"))
