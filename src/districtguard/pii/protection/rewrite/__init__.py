"""Format rewriters: write a document back in its own format, values replaced.

One module per format, named after the reader that scans it, each exposing
``FORMAT`` (a :class:`Format`). The format is chosen exactly as the scan chooses
its reader (suffix, then the first bytes), so what was scanned is what is
rewritten. A rewriter returns the new bytes, or ``None`` when nothing changes;
it raises :class:`~districtguard.pii.protection.base.ProtectionError` when the
document cannot be protected in place (the message says why) and
:class:`~districtguard.pii.documents.base.DocumentError` when it cannot be read.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from dataclasses import dataclass, field
from typing import Protocol

from districtguard.pii.documents import SNIFF_BYTES, choose_reader
from districtguard.pii.documents.base import DocumentError, SkippedDocument
from districtguard.pii.protection.base import ProtectionError, TokenRestorer
from districtguard.pii.protection.edits import Job

# Put before a token that stands for a JSON or spreadsheet number, so unprotect
# can give back a number rather than a string of digits.
NUMBER_MARK = "#"
MAX_DEPTH = 4
UNKNOWN = "binary file in no supported format"


@dataclass
class Restoration:
    """One file's unprotect: the restorer, the token shape, and a running count.

    Nested restorations (archive members, attachments) share the count.
    """

    restorer: TokenRestorer
    tokens: re.Pattern[str]
    depth: int = 0
    counter: list[int] = field(default_factory=lambda: [0])

    @property
    def count(self) -> int:
        """Return how many tokens were restored so far."""
        return self.counter[0]

    def text(self, text: str) -> str:
        """Return ``text`` with every token restored, counting them."""
        if not self.tokens.search(text):
            return text
        restored, count = self.restorer.restore(text)
        self.counter[0] += count
        return restored

    def nested(self) -> Restoration:
        """Return a restoration for a document inside this one."""
        if self.depth + 1 > MAX_DEPTH:
            raise DocumentError(f"nested deeper than {MAX_DEPTH} levels")
        return dataclasses.replace(self, depth=self.depth + 1)


class Format(Protocol):
    """A format's rewriter.

    ``exact`` says unprotect gives back the original bytes; otherwise it gives
    back the original content (every value, the same text when read) in bytes
    the library writes its own way.
    """

    exact: bool

    def protect(self, name: str, data: bytes, job: Job) -> bytes | None:
        """Return ``data`` with the values ``job`` chooses protected, or None."""
        ...

    def restore(self, name: str, data: bytes, job: Restoration) -> bytes | None:
        """Return ``data`` with every token restored, or None if it has none."""
        ...


def format_for(name: str, data: bytes) -> Format:
    """Return the rewriter for a document called ``name`` holding ``data``.

    Raises :class:`SkippedDocument` for content no reader understands.
    """
    reader = choose_reader(name, data[:SNIFF_BYTES])
    module = importlib.import_module(f"{__name__}.{reader.name}")
    found: Format = module.FORMAT
    return found


def protect_document(name: str, data: bytes, job: Job) -> bytes | None:
    """Protect a document (a file's bytes, or a member's) in its own format.

    Content in no supported format sets ``job.whole_file`` at the top level: the
    caller encrypts the whole file in encrypt mode and passes it over in redact
    mode. Inside an archive or a mail it is left alone, as the scan does.
    """
    try:
        rewriter = format_for(name, data)
    except SkippedDocument:
        if job.depth == 0:
            job.whole_file = UNKNOWN
        return None
    return rewriter.protect(name, data, job)


def restore_document(name: str, data: bytes, job: Restoration) -> bytes | None:
    """Restore the tokens of a document in its own format; None if it has none."""
    try:
        rewriter = format_for(name, data)
    except SkippedDocument:
        return None
    return rewriter.restore(name, data, job)


__all__ = [
    "NUMBER_MARK",
    "UNKNOWN",
    "Format",
    "ProtectionError",
    "Restoration",
    "format_for",
    "protect_document",
    "restore_document",
]
