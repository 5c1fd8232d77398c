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

    def take_lines(self, limit: int, before: str) -> str:
        """Return as many whole ``\\n``-ended lines as the buffer holds, at
        most ``limit`` characters, all of them before the first ``before``.

        Return ``""`` when no such line is there (the next line is longer, holds
        ``before``, ends with a lone ``\\r``, or has no end yet): :meth:`next_line`
        takes it from there. The buffer is refilled only when it holds no line
        end at all, so the lines come a decoded piece at a time and nothing is
        copied twice.
        """
        while True:
            buffer, position = self._buffer, self._pos
            end = min(len(buffer), position + limit)
            stop = buffer.find(before, position, end)
            cut = buffer.rfind("\n", position, end if stop < 0 else stop) + 1
            if cut > position:
                return self._take(cut)
            if stop >= 0 or self._eof or len(buffer) - position >= limit:
                return ""
            if buffer.find("\r", position, len(buffer) - 1) >= 0:
                return ""  # old Mac line ends: reading on would not find "\n"
            piece = next(self._pieces, None)
            if piece is None:
                self._eof = True
                return ""
            self._buffer = buffer[position:] + piece
            self._scan -= position
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
    """Yield overlapping chunks of ``pieces``, which start at ``base_offset``.

    Each unit is the ``overlap`` characters before its own part, its own part
    (about ``chunk_chars``, cut at a line end where one is near) and the
    ``overlap`` characters after. The window of pending text holds the overlap
    before, so a unit's text is one slice of it: on a 4 MiB unit every extra
    copy costs as much as reading the text from disk.
    """
    size = max(limits.chunk_chars, 1)
    overlap = max(limits.chunk_overlap, 0)
    source = iter(pieces)
    pending: list[str] = []  # the overlap before, then text not yet in a unit
    before = pending_len = 0  # length of that overlap; of the text after it
    offset, line = base_offset, first_line
    exhausted = False
    # The lines of a unit's own part are counted only once another unit follows
    # (its first line depends on them): a file of one unit is never counted.
    uncounted: tuple[str, int, int] | None = None
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
        if exhausted and pending_len <= size:
            cut = pending_len
        else:
            cut = _cut(window, size, before)
        stop = before + cut  # where this unit's own part ends in the window
        if uncounted is not None:
            last_window, low, high = uncounted
            line += last_window.count("\n", low, high)
        yield TextUnit(
            text=window[: stop + overlap],
            location=location,
            base_offset=offset - before,
            first_line=line - window.count("\n", 0, before),
            own_start=before,
            own_end=stop,
        )
        offset += cut
        uncounted = (window, before, stop)
        keep = max(0, stop - overlap) if overlap else stop
        rest = window[keep:]
        before, pending_len = stop - keep, len(rest) - (stop - keep)
        pending = [rest] if rest else []


def _cut(window: str, size: int, base: int = 0) -> int:
    """Return where to end a unit's own part, counted from ``window[base]``."""
    # Prefer a blank line, then any line end, within the last quarter of the chunk.
    floor = size - size // 4
    for mark in ("\n\n", "\n"):
        found = window.rfind(mark, base + floor, base + size)
        if found != -1:
            return found + len(mark) - base
    return size


class TextReader:
    """Plain text and log files."""

    name: str = "text"
    suffixes: tuple[str, ...] = (".txt", ".log", ".text", ".md")

    def read(self, source: Source, context: ReadContext) -> Iterator[TextUnit]:
        """Yield the file as overlapping chunks; records are left to the detector."""
        with source.open() as handle:
            # A file of one unit is read and decoded whole: one piece, no join.
            pieces = iter_text(handle, context, first_bytes=context.limits.chunk_chars)
            yield from stream_units(pieces, context.limits)


READER = TextReader()
