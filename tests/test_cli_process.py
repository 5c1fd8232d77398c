"""``districtguard scan`` as a real process: exit codes, pipes and a terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from districtguard.pii.reports import FINDING_FIELDS

KEY = "ab" * 32
RAW = ("234-56-7891", "234567891", "234 56 7891")


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "COLOR" not in k}
    env |= {
        "DISTRICTGUARD_FINGERPRINT_KEY": KEY,
        "DISTRICTGUARD_HOME": str(tmp_path / "home"),
        "TERM": "xterm-256color",
    }
    return env


def run(tmp_path: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "districtguard", "scan", *map(str, args)],
        capture_output=True,
        text=True,
        env=environment(tmp_path),
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("case", "code"),
    [("clean", 0), ("findings", 1), ("missing", 2), ("damaged", 3)],
)
def test_exit_codes_hold_in_a_real_process(
    case: str, code: int, share: Path, clean: Path, tmp_path: Path
) -> None:
    target = {
        "clean": clean,
        "findings": share,
        "missing": tmp_path / "absent",
        "damaged": share,
    }[case]
    if case == "damaged":
        (share / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"\x00junk" * 50)
    done = run(tmp_path, target, "--fail-on-findings", "any")
    assert done.returncode == code, done.stderr


def test_piped_output_has_no_progress_bar_or_ansi_codes(
    share: Path, tmp_path: Path
) -> None:
    done = run(tmp_path, share, "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout
    assert "\x1b" not in done.stderr
    assert "Scanning" not in done.stderr
    assert all(
        list(json.loads(line)) == list(FINDING_FIELDS)
        for line in done.stdout.splitlines()
    )
    for raw in RAW:
        assert raw not in done.stdout


@pytest.mark.timeout(60)
def test_a_terminal_gets_the_progress_bar_on_stderr_and_stdout_stays_clean(
    share: Path, tmp_path: Path
) -> None:
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "districtguard",
            "scan",
            str(share),
            "--format",
            "jsonl",
        ],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=environment(tmp_path),
    ) as process:
        os.close(follower)
        terminal = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closes when the process exits
                break
            if not chunk:
                break
            terminal += chunk
        out = process.stdout.read().decode() if process.stdout else ""
    os.close(leader)
    assert process.returncode == 0
    assert b"Scanning" in terminal  # the bar draws, then clears itself
    assert b"files/s" in terminal
    assert b"Scan summary" in terminal
    assert "\x1b" not in out
    assert all(re.fullmatch(r"\{.*\}", line) for line in out.splitlines())
