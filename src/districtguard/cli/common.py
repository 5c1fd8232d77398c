"""What every subcommand shares: exit codes, the usage error, the report file."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


class UsageError(Exception):
    """The command cannot run as asked; the message says what to change."""


def open_report(path: Path | None) -> TextIO | None:
    """Open ``--output`` for writing, or return None to write to standard output."""
    if path is None:
        return None
    try:
        return path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
