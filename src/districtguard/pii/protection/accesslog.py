"""The unprotect log: who restored which file's values, when, and how many.

Each use of ``unprotect`` appends one JSON line to ``unprotect-log.jsonl`` in the
data home. Every line holds the SHA-256 of the line before it (the first holds
64 zeros), so editing, removing or reordering a line breaks the chain and
:func:`verify` says where. Lines hold counts and paths, never values. The web
app's audit log takes this over once it runs; until then this is the record.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from districtguard.pii.fingerprint import data_home
from districtguard.pii.protection.base import ProtectionError

LOG_FILENAME = "unprotect-log.jsonl"
GENESIS = "0" * 64


class AccessLogError(ProtectionError):
    """The unprotect log cannot be written, or its chain is broken."""


@dataclass(frozen=True, slots=True)
class Verification:
    """The result of checking the chain: how many lines, and the first bad one.

    ``head`` is the SHA-256 of the last line: removing the newest lines, or
    editing the last one, leaves a chain that still links, so only a head noted
    elsewhere earlier reveals it.
    """

    entries: int
    broken_at: int | None = None
    reason: str = ""
    head: str = GENESIS

    @property
    def ok(self) -> bool:
        """Return whether every line links to the one before it."""
        return self.broken_at is None


def log_path(home: Path | None = None) -> Path:
    """Return where the unprotect log lives."""
    return (home or data_home()) / LOG_FILENAME


def _digest(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (containers)
        return f"uid {os.getuid()}"


@contextlib.contextmanager
def _locked_log(path: Path) -> Iterator[int]:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


def _last_line(fd: int) -> bytes | None:
    """Return the last complete line of the open log, without its newline."""
    size = os.fstat(fd).st_size
    if size == 0:
        return None
    block = 4096
    end = size
    tail = b""
    while end > 0:
        start = max(0, end - block)
        tail = os.pread(fd, end - start, start) + tail
        end = start
        body = tail.rstrip(b"\n")
        if b"\n" in body or end == 0:
            return body.rsplit(b"\n", 1)[-1]
    return None


def record_unprotect(
    path: str | Path, count: int, user: str | None = None, *, home: Path | None = None
) -> dict[str, object]:
    """Append a line saying ``user`` restored ``count`` values in ``path``."""
    target = log_path(home)
    try:
        with _locked_log(target) as fd:
            last = _last_line(fd)
            entry: dict[str, object] = {
                "at": datetime.now(UTC).isoformat(timespec="microseconds"),
                "user": user or _current_user(),
                "action": "unprotect",
                "path": str(path),
                "values": count,
                "prev": GENESIS if last is None else _digest(last),
            }
            line = json.dumps(entry, ensure_ascii=False, sort_keys=True).encode()
            os.write(fd, line + b"\n")
            os.fsync(fd)
    except OSError as exc:
        raise AccessLogError(
            f"cannot write the unprotect log {target}: {exc.strerror}"
        ) from None
    return entry


def read_entries(home: Path | None = None) -> list[dict[str, object]]:
    """Return every entry of the log, oldest first."""
    path = log_path(home)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_bytes().splitlines() if line]


def line_digests(home: Path | None = None) -> list[str]:
    """Return the SHA-256 of every line of the log, oldest first."""
    path = log_path(home)
    if not path.exists():
        return []
    return [_digest(line) for line in path.read_bytes().splitlines() if line]


def verify(home: Path | None = None) -> Verification:
    """Check that every line of the log links to the one before it."""
    path = log_path(home)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Verification(0)
    except OSError as exc:
        raise AccessLogError(f"cannot read {path}: {exc.strerror}") from None
    if data and not data.endswith(b"\n"):
        data += b"\n"  # a torn last line is checked, and fails, like the others
    expected = GENESIS
    lines = data.split(b"\n")[:-1]
    for number, line in enumerate(lines, 1):
        try:
            entry = json.loads(line)
            prev = entry["prev"]
        except (ValueError, TypeError, KeyError):
            return Verification(len(lines), number, "not a log entry")
        if prev != expected:
            return Verification(
                len(lines), number, "does not follow the line before it"
            )
        expected = _digest(line)
    return Verification(len(lines), head=expected)


__all__ = [
    "AccessLogError",
    "Verification",
    "line_digests",
    "log_path",
    "read_entries",
    "record_unprotect",
    "verify",
]
