"""Rewrite plain text and logs, and what every text-like format shares.

The text is decoded exactly as the scan decodes it, so a finding's offsets are
offsets into it; replacements go in, and the text is encoded back with the same
encoding and byte order mark. Every byte outside a replaced value stays as it
was, line endings included. A file whose bytes do not decode cleanly is not
rewritten: replacing its undecodable bytes would change data nobody asked to.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from districtguard.pii.documents import reader_named
from districtguard.pii.documents.base import ReadContext, Source, TextUnit
from districtguard.pii.documents.encoding import BLOCK_BYTES, detect_encoding
from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.edits import Edit, Job, apply_edits, plan_unit
from districtguard.pii.protection.rewrite import Restoration


class Decoded:
    """A text document's characters, and how to turn them back into its bytes."""

    def __init__(self, data: bytes) -> None:
        head = data[:BLOCK_BYTES]
        self.encoding, bom = detect_encoding(head, complete=len(head) < BLOCK_BYTES)
        self.bom = data[:bom]
        try:
            self.text = data[bom:].decode(self.encoding)
        except UnicodeDecodeError:
            raise ProtectionError(
                f"holds bytes that are not valid {self.encoding}; rewriting it "
                "would change them"
            ) from None
        if self.text.encode(self.encoding) != data[bom:]:
            raise ProtectionError(
                f"its {self.encoding} text does not encode back to the same bytes"
            )

    def encode(self, text: str) -> bytes:
        """Return ``text`` as bytes in the document's encoding."""
        try:
            return self.bom + text.encode(self.encoding)
        except UnicodeEncodeError:
            raise ProtectionError(
                f"a replacement cannot be written in {self.encoding}"
            ) from None


def read_units(reader: str, name: str, data: bytes, job: Job) -> Iterator[TextUnit]:
    """Yield the units the scan reads from ``data`` with reader ``reader``."""
    yield from source_units(reader, _in_memory(name, data), job)


def _in_memory(name: str, data: bytes) -> Source:
    return Source(name, lambda: io.BytesIO(data), len(data))


def source_units(reader: str, source: Source, job: Job) -> Iterator[TextUnit]:
    """Yield the units the scan reads from ``source`` with reader ``reader``."""
    context = ReadContext(job.policy.limits, depth=job.depth)
    yield from reader_named(reader).read(source, context)
    job.problems.extend(context.problems)


def file_edits(reader: str, name: str, data: bytes, job: Job) -> list[Edit]:
    """Return the edits for ``data`` with offsets into its whole decoded text."""
    return source_edits(reader, _in_memory(name, data), job)


def source_edits(reader: str, source: Source, job: Job) -> list[Edit]:
    """Return the edits for ``source`` with offsets into its whole decoded text.

    The protect pipeline plans a text, CSV or JSON file this way straight from
    the disk, as the scan reads it, and reads the whole file only if an edit
    comes out.
    """
    edits: list[Edit] = []
    for unit in source_units(reader, source, job):
        for edit in plan_unit(job, unit):
            if unit.base_offset is None:
                job.skip(edit, "no-position-in-the-file")
                continue
            shift = unit.base_offset - unit.origin
            edits.append(
                Edit(edit.start + shift, edit.end + shift, edit.text, edit.action)
            )
        del unit  # freed before the reader builds the next one
    return edits


class TextFormat:
    """Plain text: replace the values where the scan found them."""

    exact = True
    reader = "text"

    def protect(self, name: str, data: bytes, job: Job) -> bytes | None:
        """Return ``data`` with the chosen values replaced, or None."""
        return self.apply(data, job, file_edits(self.reader, name, data, job))

    def apply(self, data: bytes, job: Job, edits: list[Edit]) -> bytes | None:
        """Return ``data`` with ``edits`` (planned on it) made, or None."""
        if not edits:
            return None
        decoded = Decoded(data)
        edits = [
            checked
            for edit in edits
            if (checked := self.check(decoded.text, edit, job)) is not None
        ]
        if not edits or job.dry_run:
            return None
        return decoded.encode(apply_edits(decoded.text, edits))

    def check(self, text: str, edit: Edit, job: Job) -> Edit | None:
        """Return ``edit`` as the format needs it, or None (skipped) if it cannot."""
        return edit

    def restore(self, name: str, data: bytes, job: Restoration) -> bytes | None:
        """Return ``data`` with every token put back, or None if it has none."""
        decoded = Decoded(data)
        restored = job.text(decoded.text)
        return None if restored == decoded.text else decoded.encode(restored)


FORMAT = TextFormat()
