"""Kill ``districtguard protect`` at every step: no file is ever lost or half-written.

The pipeline's test hook (``DISTRICTGUARD_PROTECT_CRASH_AT=N``) sends the
process SIGKILL at its N-th durable step (a journal line, a temporary copy
written, a rename). After each kill every file must be its original or its
fully protected version, and running the same command again must finish the
job and leave no temporary file behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from districtguard.pii.documents import file_source, read_source
from districtguard.pii.documents.base import ReadContext
from districtguard.pii.protection.journal import CRASH_ENV
from tests.pii.protection.protecthelp import (
    LINE,
    SSN2,
    archive,
    message,
    word_document,
    workbook,
)

KEY = "ab" * 32
COMMAND = (sys.executable, "-m", "districtguard", "protect", "--format", "jsonl")


def mixed_folder(root: Path) -> Path:
    """Write one file of every format, each holding statutory values."""
    folder = root / "share"
    (folder / "hr").mkdir(parents=True)
    (folder / "hr" / "staff.txt").write_text(LINE * 3)
    (folder / "hr" / "staff.csv").write_text(f"name,ssn\nJohn Smith,{SSN2}\n")
    (folder / "hr" / "staff.xlsx").write_bytes(workbook())
    (folder / "hr" / "staff.docx").write_bytes(word_document())
    (folder / "students.json").write_text('[{"name": "Maria Lopez", "ssn": 234567891}]')
    (folder / "mail.eml").write_bytes(message())
    (folder / "old.zip").write_bytes(archive({"a.txt": LINE.encode(), "b.txt": b"hi"}))
    (folder / "menu.txt").write_text("Lunch menu for Tuesday.\n")
    (folder / "hr" / "staff.txt").chmod(0o640)
    return folder


def run(
    folder: Path, home: Path, crash_at: int | None = None, mode: str = "redact"
) -> int:
    env = {k: v for k, v in os.environ.items() if k != CRASH_ENV}
    env |= {"DISTRICTGUARD_FINGERPRINT_KEY": KEY, "DISTRICTGUARD_HOME": str(home)}
    if crash_at is not None:
        env[CRASH_ENV] = str(crash_at)
    done = subprocess.run(
        [*COMMAND, str(folder), "--mode", mode, "--no-progress"],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, -signal.SIGKILL), done.stderr.decode()
    return done.returncode


def texts(path: Path) -> list[str]:
    return [unit.text for unit in read_source(file_source(path), ReadContext())]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return the share's files; a crash may leave temporary copies, not these."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".dgtmp-" not in path.name
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return (original folder, the same folder fully protected)."""
    root = tmp_path_factory.mktemp("reference")
    original = mixed_folder(root)
    protected = root / "protected"
    shutil.copytree(original, protected)
    assert run(protected, root / "home") == 0
    return original, protected


def test_the_reference_run_protects_every_file(reference: tuple[Path, Path]) -> None:
    original, protected = reference
    before, after = snapshot(original), snapshot(protected)
    assert set(before) == set(after)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == set(before) - {"menu.txt"}


def _check_each_file(
    folder: Path, original: Path, protected: Path, *, allow_original: bool
) -> None:
    names = snapshot(folder)
    assert set(names) == set(snapshot(original)), "a file appeared or vanished"
    for name, data in names.items():
        if allow_original and data == (original / name).read_bytes():
            continue
        # XLSX and DOCX save a new timestamp each time: compare what they hold.
        assert texts(folder / name) == texts(protected / name), name
    assert (folder / "hr" / "staff.txt").stat().st_mode & 0o777 == 0o640


def test_a_kill_at_any_step_leaves_each_file_whole_and_a_rerun_finishes(
    reference: tuple[Path, Path], tmp_path: Path
) -> None:
    original, protected = reference
    step = 0
    kills = 0
    while True:
        step += 1
        root = tmp_path / f"run{step}"
        folder = root / "share"
        shutil.copytree(original, folder)
        code = run(folder, root / "home", crash_at=step)
        if code == 0:
            break  # past the last step: the run finished unharmed
        kills += 1
        _check_each_file(folder, original, protected, allow_original=True)
        assert run(folder, root / "home") == 0
        _check_each_file(folder, original, protected, allow_original=False)
        leftovers = [p for p in folder.rglob("*") if ".dgtmp-" in p.name]
        assert leftovers == []
        shutil.rmtree(root)
    assert kills >= 7 * 4  # begin, written, ready, renamed for each file at least


def _restored(folder: Path, home: Path, scratch: Path) -> dict[str, bytes]:
    """Return the share as unprotect gives it back (run on a copy)."""
    copy = scratch / "restored"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("*.dgtmp-*"))
    env = {**os.environ, "DISTRICTGUARD_HOME": str(home)}
    env.pop(CRASH_ENV, None)
    done = subprocess.run(
        [sys.executable, "-m", "districtguard", "unprotect", str(copy)],
        env=env,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    return snapshot(copy)


def test_encrypt_mode_survives_a_kill_at_any_step(tmp_path: Path) -> None:
    original = tmp_path / "original"
    original.mkdir()
    (original / "staff.txt").write_text(LINE)
    (original / "staff.csv").write_text(f"name,ssn\nJohn Smith,{SSN2}\n")
    (original / "photo.bin").write_bytes(b"\x00\x01 a format nobody reads")
    home = tmp_path / "home"
    env = {**os.environ, "DISTRICTGUARD_HOME": str(home)}
    subprocess.run(
        [sys.executable, "-m", "districtguard", "keys", "create"],
        env=env,
        capture_output=True,
        check=True,
    )
    expected = snapshot(original)
    step = 0
    while True:
        step += 1
        folder = tmp_path / f"run{step}"
        shutil.copytree(original, folder)
        if run(folder, home, crash_at=step, mode="encrypt") == 0:
            break
        # Whatever the step, unprotect gives back every original file...
        assert _restored(folder, home, tmp_path) == expected
        assert run(folder, home, mode="encrypt") == 0
        # ...and after the rerun everything is protected, nothing left over.
        names = sorted(p.name for p in folder.iterdir())
        assert names == ["photo.bin.dgenc", "staff.csv", "staff.txt"]
        assert SSN2 not in (folder / "staff.csv").read_text()
        assert _restored(folder, home, tmp_path) == expected
        shutil.rmtree(folder)
    assert step > 12
