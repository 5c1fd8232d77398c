"""Rewrite JSON and JSON Lines: values replaced in the text, structure untouched.

Replacing inside the text (rather than loading and dumping) keeps key order,
spacing, number spelling and everything else as it was. A value inside a string
is replaced in place; a number holding a value (an SSN stored as ``123456789``)
becomes a string, ``"#<token>"`` when encrypted so that unprotect gives the
number back, and the redaction as a string when redacted.
"""

from __future__ import annotations

import bisect
import json
import re

from districtguard.pii.protection.edits import Edit, Job
from districtguard.pii.protection.rewrite import NUMBER_MARK, Restoration
from districtguard.pii.protection.rewrite.text import Decoded, TextFormat

_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)
_NUMBER_CHARS = frozenset("0123456789.-+eE")
_INTEGER = re.compile(r"-?\d+")


def string_spans(text: str) -> tuple[list[int], list[int]]:
    """Return the starts and ends of every JSON string literal in ``text``."""
    starts: list[int] = []
    ends: list[int] = []
    for match in _STRING.finditer(text):
        starts.append(match.start())
        ends.append(match.end())
    return starts, ends


class JsonFormat(TextFormat):
    """JSON documents and JSON Lines."""

    reader = "jsonfile"

    def apply(self, data: bytes, job: Job, edits: list[Edit]) -> bytes | None:
        """Find the strings once, then replace as plain text does."""
        self._spans: tuple[list[int], list[int]] | None = None
        return super().apply(data, job, edits)

    def check(self, text: str, edit: Edit, job: Job) -> Edit | None:
        """Keep a value in a string a string; turn a number into one."""
        if self._spans is None:
            self._spans = string_spans(text)
        starts, ends = self._spans
        index = bisect.bisect_right(starts, edit.start) - 1
        if index >= 0 and edit.end < ends[index]:
            escaped = json.dumps(edit.text, ensure_ascii=False)[1:-1]
            return Edit(edit.start, edit.end, escaped, edit.action)
        before = text[edit.start - 1] if edit.start else " "
        after = text[edit.end] if edit.end < len(text) else " "
        raw = text[edit.start : edit.end]
        if _INTEGER.fullmatch(raw) and not {before, after} & _NUMBER_CHARS:
            mark = NUMBER_MARK if job.mode == "encrypt" else ""
            return Edit(edit.start, edit.end, f'"{mark}{edit.text}"', edit.action)
        job.skip(edit, "part-of-a-larger-json-value")
        return None

    def restore(self, name: str, data: bytes, job: Restoration) -> bytes | None:
        """Put numbers back as numbers, then every other token."""
        decoded = Decoded(data)
        text = decoded.text
        parts: list[str] = []
        position = 0
        for match in job.tokens.finditer(text):
            start, end = match.start(), match.end()
            quoted = text[start - 2 : start] == f'"{NUMBER_MARK}'
            if not quoted or text[end : end + 1] != '"':
                continue
            value = job.text(match.group())
            if _INTEGER.fullmatch(value):
                parts += [text[position : start - 2], value]
                position = end + 1
        text = "".join([*parts, text[position:]])
        restored = job.text(text)
        return None if restored == decoded.text else decoded.encode(restored)


FORMAT = JsonFormat()
