"""``protect --workers N``: the same results in walk order, and safe to kill.

The kill test sends the parent SIGKILL mid-run from outside, with no test hook:
every file must then be its original or its fully protected version, no worker
may outlive the parent, and running again must finish the job.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.edits import PROTECTABLE, Policy
from districtguard.pii.protection.journal import CRASH_ENV
from districtguard.pii.protection.pipeline import (
    ProtectConfig,
    ProtectResult,
    Services,
    protect_paths,
)
from districtguard.pii.protection.redaction import Redactor
from districtguard.pii.protection.unprotect import unprotect_file
from tests.pii.protection.keyhelp import make_ring
from tests.pii.protection.protecthelp import OPTIONS
from tests.pii.protection.test_crash import KEY, mixed_folder, snapshot, texts

COPIES = 10


def share_of_copies(root: Path) -> Path:
    """Return a share holding ``COPIES`` copies of the mixed folder."""
    base = mixed_folder(root / "base")
    share = root / "share"
    for number in range(COPIES):
        shutil.copytree(base, share / f"office{number:02d}")
    shutil.rmtree(root / "base")
    return share


def _run(
    share: Path, services: Services, workers: int, journal: Path | None = None
) -> list[ProtectResult]:
    config = ProtectConfig(
        paths=(share,),
        policy=Policy(OPTIONS, PROTECTABLE),
        journal=journal,
        workers=workers,
    )
    results: list[ProtectResult] = []
    summary = protect_paths(config, services, results.append)
    assert sum(summary.outcomes.values()) == len(results)
    return results


def _report(results: list[ProtectResult], share: Path) -> list[tuple[str, ...]]:
    return [
        (
            str(Path(r.path).relative_to(share)),
            r.outcome,
            *(f"{a.finding.element}:{a.action}" for a in r.actions),
        )
        for r in results
    ]


def test_two_workers_give_the_one_worker_report_in_walk_order(tmp_path: Path) -> None:
    one = share_of_copies(tmp_path / "one")
    two = share_of_copies(tmp_path / "two")
    serial = _run(one, Services(Redactor()), 1, tmp_path / "j1.jsonl")
    parallel = _run(two, Services(Redactor()), 2, tmp_path / "j2.jsonl")
    assert _report(parallel, two) == _report(serial, one)
    assert {r.outcome for r in parallel} == {"protected", "unchanged"}
    for name in snapshot(one):
        assert texts(two / name) == texts(one / name), name
    again = _run(two, Services(Redactor()), 2, tmp_path / "j2.jsonl")
    assert {r.outcome for r in again} == {"unchanged"}


def test_workers_encrypt_with_the_keyring_and_unprotect_restores(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ring = make_ring(monkeypatch, tmp_path / "home")
    cipher = ValueCipher(ring)
    share = share_of_copies(tmp_path)
    before = {name: texts(share / name) for name in snapshot(share)}
    results = _run(share, Services(cipher, cipher, ring), 2)
    assert {r.outcome for r in results} == {"protected", "unchanged"}
    for name in before:
        unprotect_file(share / name, cipher, "tester")
    assert {name: texts(share / name) for name in before} == before


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != CRASH_ENV}
    return env | {"DISTRICTGUARD_FINGERPRINT_KEY": KEY, "DISTRICTGUARD_HOME": str(home)}


def _command(share: Path, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "districtguard",
        "protect",
        str(share),
        "--mode",
        "redact",
        "--workers",
        str(workers),
        "--format",
        "jsonl",
        "--no-progress",
    ]


def _done_steps(home: Path) -> int:
    return sum(
        path.read_bytes().count(b'"op": "done"')
        for path in (home / "journal").glob("*.jsonl")
    )


def _parents() -> dict[int, int]:
    """Return each running process's parent, from /proc."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if fields[0] != "Z":
            found[int(stat.parent.name)] = int(fields[1])
    return found


def _descendants(pid: int) -> set[int]:
    parents = _parents()
    found: set[int] = set()
    layer = {pid}
    while layer:
        layer = {child for child, parent in parents.items() if parent in layer}
        found |= layer
    return found


def _wait_gone(pids: set[int], seconds: float) -> set[int]:
    """Wait until none of ``pids`` runs; return those still running."""
    deadline = time.monotonic() + seconds
    while (alive := pids & set(_parents())) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


def _kill_mid_run(share: Path, home: Path) -> set[int]:
    """Start protect with 2 workers, SIGKILL it mid-run; return its descendants."""
    process = subprocess.Popen(
        _command(share, 2),
        env=_environment(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while _done_steps(home) < 6 and process.poll() is None:
        assert time.monotonic() < deadline, "protect made no progress"
        time.sleep(0.005)
    descendants = _descendants(process.pid)
    process.send_signal(signal.SIGKILL)
    assert process.wait(30) == -signal.SIGKILL, "the run ended before the kill"
    return descendants


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return (original share, the same share protected by a one-process run)."""
    root = tmp_path_factory.mktemp("workers")
    original = share_of_copies(root)
    protected = root / "protected"
    shutil.copytree(original, protected)
    done = subprocess.run(
        _command(protected, 1),
        env=_environment(root / "home"),
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()
    return original, protected


def test_killing_the_parent_leaves_each_file_whole_no_worker_and_a_rerun_finishes(
    reference: tuple[Path, Path], tmp_path: Path
) -> None:
    original, protected = reference
    share = tmp_path / "share"
    shutil.copytree(original, share)
    home = tmp_path / "home"
    descendants = _kill_mid_run(share, home)
    assert len(descendants) >= 2  # the workers (and the fork server)
    assert _wait_gone(descendants, 20) == set(), "a worker outlived the killed run"
    names = snapshot(share)
    assert set(names) == set(snapshot(original))
    untouched = 0
    for name, data in names.items():
        if data == (original / name).read_bytes():
            untouched += 1
            continue
        assert texts(share / name) == texts(protected / name), name
    assert 0 < untouched < len(names) - 1  # killed mid-run, not before or after
    rerun = subprocess.run(
        _command(share, 2),
        env=_environment(home),
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr.decode()
    for name in names:
        assert texts(share / name) == texts(protected / name), name
    assert [p for p in share.rglob("*") if ".dgtmp-" in p.name] == []
