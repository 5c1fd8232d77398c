"""Read plain text and logs as overlapping chunks that tile the decoded file.

Each unit owns ``[own_start, own_end)`` of its text; the owned parts of all units,
in order, are exactly the decoded file. Around the owned part a unit carries up
to ``chunk_overlap`` characters of its neighbours so that a value cut by a chunk
boundary is still seen whole (and reported once, by the unit owning its start).
Line numbers count ``\\n`` characters, as the detector does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from districtguard.pii.documents.base import Limits, ReadContext, Source, TextUnit
from districtguard.pii.documents.encoding import iter_text

_EOL = re.compile(r"\r\n|\r|\n")


class LineTooLong(Exception):
    """A line is longer than the caller allows; the text is still in the reader."""


class LineReader:
    """Split decoded pieces into physical lines, keeping their terminators.

    ``offset`` and ``line`` are the character offset and line number of the next
    line to be read, so callers can place every line in the decoded file.
    """

    def __init__(self, pieces: Iterable[str], offset: int = 0, line: int = 1) -> None:
        self._pieces = iter(pieces)
        self._buffer = ""
        self._pos = 0
        self._scan = 0
        self._eof = False
        self.offset = offset
        self.line = line

    def next_line(self, limit: int) -> str | None:
        """Return the next line, ``None`` at the end, or raise :class:`LineTooLong`."""
        while True:
            match = _EOL.search(self._buffer, self._scan)
            # A "\r" at the end of the buffer may be the first half of "\r\n".
            if match and (
                match.end() < len(self._buffer) or self._eof or match.group() != "\r"
            ):
                return self._take(match.end())
            if len(self._buffer) - self._pos > limit:
                raise LineTooLong
            if self._eof:
                if self._pos < len(self._buffer):
                    return self._take(len(self._buffer))
                return None
            self._scan = match.start() if match else len(self._buffer)
            piece = next(self._pieces, None)
            if piece is None:
                self._eof = True
                continue
            # Compact only when refilling, so taking a line never copies the buffer.
            self._buffer = self._buffer[self._pos :] + piece
            self._scan -= self._pos
            self._pos = 0

    def _take(self, end: int) -> str:
        line = self._buffer[self._pos : end]
        self._pos = self._scan = end
        self.offset += len(line)
        self.line += line.count("\n")
        return line

    def rest(self) -> Iterator[str]:
        """Yield the text not yet returned as lines; the reader is spent after."""
        remainder = self._buffer[self._pos :]
        self._buffer, self._pos, self._scan = "", 0, 0
        if remainder:
            yield remainder
        yield from self._pieces


def stream_units(
    pieces: Iterable[str],
    limits: Limits,
    *,
    base_offset: int = 0,
    first_line: int = 1,
    location: str = "",
) -> Iterator[TextUnit]:
    """Yield overlapping chunks of ``pieces``, which start at ``base_offset``."""
    size = max(limits.chunk_chars, 1)
    overlap = max(limits.chunk_overlap, 0)
    source = iter(pieces)
    pending: list[str] = []
    pending_len = 0
    before = ""
    offset, line = base_offset, first_line
    exhausted = False
    while True:
        while not exhausted and pending_len < size + overlap:
            piece = next(source, None)
            if piece is None:
                exhausted = True
            elif piece:
                pending.append(piece)
                pending_len += len(piece)
        if not pending_len:
            return
        window = "".join(pending)
        cut = len(window) if exhausted and len(window) <= size else _cut(window, size)
        own = window[:cut]
        after = window[cut : cut + overlap]
        yield TextUnit(
            text=before + own + after,
            location=location,
            base_offset=offset - len(before),
            first_line=line - before.count("\n"),
            own_start=len(before),
            own_end=len(before) + len(own),
        )
        before = (before + own)[-overlap:] if overlap else ""
        offset += len(own)
        line += own.count("\n")
        rest = window[cut:]
        pending, pending_len = ([rest] if rest else []), len(rest)


def _cut(window: str, size: int) -> int:
    # Prefer a blank line, then any line end, within the last quarter of the chunk.
    floor = size - size // 4
    for mark in ("\n\n", "\n"):
        found = window.rfind(mark, floor, size)
        if found != -1:
            return found + len(mark)
    return size


class TextReader:
    """Plain text and log files."""

    name: str = "text"
    suffixes: tuple[str, ...] = (".txt", ".log", ".text", ".md")

    def read(self, source: Source, context: ReadContext) -> Iterator[TextUnit]:
        """Yield the file as overlapping chunks; records are left to the detector."""
        with source.open() as handle:
            yield from stream_units(iter_text(handle, context), context.limits)


READER = TextReader()
