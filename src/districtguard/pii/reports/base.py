"""What the writers share: where they write, and the finding contract's columns."""

from __future__ import annotations

import sys
from typing import Protocol

# The JSONL/CSV contract: these keys, in this order, and nothing else.
FINDING_FIELDS: tuple[str, ...] = (
    "path",
    "element",
    "start",
    "end",
    "location",
    "confidence",
    "masked",
    "fingerprint",
    "record",
    "statutory",
    "kind",
)


class TextSink(Protocol):
    """Anything text can be written to: a file, ``sys.stdout``, a StringIO."""

    def write(self, text: str, /) -> int:
        """Write ``text``."""
        ...

    def flush(self) -> None:
        """Push buffered text out."""
        ...


class StdoutSink:
    """``sys.stdout`` looked up at each write, so a progress bar can redirect it."""

    def write(self, text: str, /) -> int:
        """Write ``text`` to the current standard output."""
        return sys.stdout.write(text)

    def flush(self) -> None:
        """Flush the current standard output."""
        sys.stdout.flush()

    def isatty(self) -> bool:
        """Return whether standard output is a terminal (rich asks)."""
        return sys.stdout.isatty()
