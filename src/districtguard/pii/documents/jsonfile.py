"""Read JSON documents and JSON Lines as their own text, with records at exact offsets.

A unit's text is always a stretch of the decoded file, so every offset is exact.
In JSON Lines each line is a record. In a JSON document each object in an array
(the outermost such object, with everything nested in it) is a record labelled by
its path, ``$.students[3]``, and a document with no such object is one record; a
key that could itself be data (digits, spaces, over 32 characters) is shown by
its position instead, ``$['#4']``. A document larger than one chunk, or one that
is not valid JSON, is streamed as plain text (paragraphs are its records); keys
stay in the text either way, so ``"ssn": "..."`` still labels its value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from districtguard.pii.documents.base import (
    LineRecords,
    ReadContext,
    Record,
    Source,
    TextUnit,
)
from districtguard.pii.documents.encoding import iter_text
from districtguard.pii.documents.text import LineReader, LineTooLong, stream_units

LINES_SUFFIXES = (".jsonl", ".ndjson")
# A whole string, a structural character, or a string cut off by the buffer's end.
_TOKEN = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"|[][{},:]|"', re.DOTALL)
_SAFE_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]{0,31}")


@dataclass(slots=True)
class _Frame:
    kind: str
    start: int
    segment: str
    index: int = 0
    expect_key: bool = True
    key: str = ""


class _Scanner:
    """Follow the strings and brackets of JSON text; collect array-item objects."""

    def __init__(self) -> None:
        self.stack: list[_Frame] = []
        self.records: list[tuple[int, int, str]] = []
        self.error: tuple[int, str] | None = None

    def feed(self, text: str, start: int, base: int, final: bool) -> int:
        """Scan ``text[start:]`` (``text[0]`` is at ``base``); return where it stopped.

        Scanning stops early at a string the text cuts off, to be fed again once
        more text has arrived, or at the first structural error.
        """
        for match in _TOKEN.finditer(text, start):
            lexeme, at = match.group(), base + match.start()
            if lexeme == '"':
                if not final:
                    return match.start()
                self.error = (at, "unterminated string")
            elif lexeme[0] == '"':
                top = self.stack[-1] if self.stack else None
                if top is not None and top.kind == "{" and top.expect_key:
                    top.key = lexeme
            elif lexeme in ("{", "["):
                self._open(lexeme, at)
            elif lexeme in ("}", "]"):
                self._close(lexeme, at)
            elif self.stack:
                self._separate(self.stack[-1], lexeme)
            if self.error is not None:
                return len(text)
        return len(text)

    def _open(self, kind: str, at: int) -> None:
        parent = self.stack[-1] if self.stack else None
        if parent is None:
            segment = "$"
        elif parent.kind == "[":
            segment = f"[{parent.index}]"
        else:
            segment = _segment(parent.key, parent.index)
        self.stack.append(_Frame(kind, at, segment))

    def _close(self, lexeme: str, at: int) -> None:
        opening = "{" if lexeme == "}" else "["
        if not self.stack or self.stack[-1].kind != opening:
            self.error = (at, f"unexpected {lexeme!r}")
            return
        frame = self.stack.pop()
        in_array = bool(self.stack) and self.stack[-1].kind == "["
        if frame.kind == "{" and (in_array or not self.stack):
            path = "".join(outer.segment for outer in self.stack) + frame.segment
            self.records.append((frame.start, at + 1, path))

    @staticmethod
    def _separate(top: _Frame, lexeme: str) -> None:
        if lexeme == ",":
            top.index += 1
            top.expect_key = True
        else:
            top.expect_key = False


def _segment(token: str, index: int) -> str:
    key = token[1:-1]
    if "\\" in key:
        try:
            key = json.loads(token)
        except ValueError:
            key = ""
    digits = sum(character.isdigit() for character in key)
    if _SAFE_KEY.fullmatch(key) and digits <= 4:
        return f".{key}"
    return f"['#{index}']"


class JsonReader:
    """JSON documents and JSON Lines (``.jsonl``, ``.ndjson``)."""

    name: str = "jsonfile"
    suffixes: tuple[str, ...] = (".json", *LINES_SUFFIXES)

    def read(self, source: Source, context: ReadContext) -> Iterator[TextUnit]:
        """Yield the file's text in units whose records are lines or objects."""
        suffix = PurePosixPath(source.name.lower()).suffix
        with source.open() as handle:
            pieces = iter_text(handle, context)
            if suffix in LINES_SUFFIXES:
                yield from _json_lines(pieces, context)
            else:
                yield from _Document(context).units(pieces)


class _Document:
    """One JSON document: records where it fits a unit, plain text where not."""

    def __init__(self, context: ReadContext) -> None:
        self.context = context

    def units(self, pieces: Iterable[str]) -> Iterator[TextUnit]:
        """Yield the document as one unit of object records, or as streamed text."""
        limit = max(self.context.limits.chunk_chars, 1)
        source = iter(pieces)
        held: list[str] = []
        size = 0
        for piece in source:
            held.append(piece)
            size += len(piece)
            if size > limit:
                # Too big for one unit: stream it; the keys still label values.
                rest = [*held, *source]
                yield from stream_units(rest, self.context.limits)
                return
        text = "".join(held)
        if not text.strip():
            return
        scanner = _Scanner()
        scanner.feed(text, 0, 0, final=True)
        error = scanner.error or (
            (len(text), "unexpected end of document") if scanner.stack else None
        )
        if error is not None:
            line = text.count("\n", 0, error[0]) + 1
            self.context.warn(f"line {line}: not valid JSON: {error[1]}")
            yield TextUnit(text)
            return
        records = _outermost(scanner.records)
        yield TextUnit(text, records=records or None)


def _outermost(found: list[tuple[int, int, str]]) -> list[Record]:
    """Return the array items not inside another item (else the root object).

    A student with a nested guardian and a nested card is one record: the
    guardian's name links to the card on file.
    """
    items = [f for f in sorted(found) if f[2] != "$"] or sorted(found)
    records: list[Record] = []
    for start, end, path in items:
        if records and start < records[-1].end:
            continue
        records.append(Record(start, end, path))
    return records


class _Lines:
    """The lines of one JSON Lines unit as they are added: the text, and each
    non-blank line's span and number as lists (its ``line 7`` label is made
    only when asked for). Each non-blank line is checked to be JSON."""

    def __init__(self, context: ReadContext, base: int, first: int) -> None:
        self.context = context
        self.base, self.first = base, first
        self.parts: list[str] = []
        self.size = 0
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.numbers: list[int] = []

    def add_line(self, line: str, number: int) -> None:
        """Add one line, its terminator included."""
        self._record(line.rstrip("\r\n"), self.size, number)
        self.parts.append(line)
        self.size += len(line)

    def add_block(self, block: str, number: int) -> None:
        """Add whole ``\\n``-ended lines without ``\\r``, the first numbered
        ``number``."""
        position = self.size
        bodies = block.split("\n")
        bodies.pop()  # after the last line end
        for body in bodies:
            self._record(body, position, number)
            position += len(body) + 1
            number += 1
        self.parts.append(block)
        self.size = position

    def _record(self, body: str, start: int, number: int) -> None:
        if not body.strip():
            return
        self.starts.append(start)
        self.ends.append(start + len(body))
        self.numbers.append(number)
        try:
            json.loads(body)
        except ValueError as exc:
            self.context.warn(f"line {number}: not valid JSON: {_reason(exc)}")

    def unit(self) -> TextUnit:
        return TextUnit(
            "".join(self.parts),
            records=LineRecords(self.starts, self.ends, self.numbers),
            base_offset=self.base,
            first_line=self.first,
        )


# Lines are taken a decoded piece at a time where they can be (whole lines,
# no carriage return); tests turn this off to compare with line by line.
BLOCKS = True


def _json_lines(pieces: Iterable[str], context: ReadContext) -> Iterator[TextUnit]:
    limit = max(context.limits.chunk_chars, 1)
    lines = LineReader(pieces)
    unit = _Lines(context, 0, 1)
    while True:
        if unit.size >= limit:
            yield unit.unit()
            unit = _Lines(context, lines.offset, lines.line)
        number = lines.line
        block = lines.take_lines(limit - unit.size, "\r") if BLOCKS else ""
        if block:
            unit.add_block(block, number)
            continue
        try:
            line = lines.next_line(limit)
        except LineTooLong:
            line = None
        if line is None:
            break
        unit.add_line(line, number)
    if unit.parts:
        yield unit.unit()
    # A line too long for a unit (or nothing left): the rest is plain text.
    yield from stream_units(
        lines.rest(), context.limits, base_offset=lines.offset, first_line=lines.line
    )


def _reason(exc: ValueError) -> str:
    # JSONDecodeError's str() is only the message and a position, never the text.
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at column {exc.colno}"
    return type(exc).__name__


READER = JsonReader()
