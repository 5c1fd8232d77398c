"""Decode the bytes of text-like documents without ever failing on them.

The encoding is decided once, from the first block: a byte order mark (UTF-8,
UTF-16, UTF-32), else UTF-16 without a mark when every other byte is NUL, else
UTF-8 when the block is valid UTF-8, else Windows-1252 for the whole document.
Bytes that turn out to be invalid later are replaced (U+FFFD) and reported once;
the BOM itself is not part of the decoded text.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import Protocol

from districtguard.pii.documents.base import ReadContext

BLOCK_BYTES = 1 << 16

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian mark starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_LABELS = {
    "utf-8": "UTF-8",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32-le": "UTF-32",
    "utf-32-be": "UTF-32",
}


class Readable(Protocol):
    """Anything with a binary ``read``: files, archive members, sockets."""

    def read(self, size: int, /) -> bytes:
        """Return up to ``size`` bytes, ``b""`` at the end."""
        ...


def detect_encoding(head: bytes, complete: bool = False) -> tuple[str, int]:
    """Return the codec for a document starting with ``head`` and its BOM length.

    ``complete`` says ``head`` is the whole document, so a multi-byte character
    cut at its end is an error rather than the start of the next block.
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    guessed = _guess_utf16(head)
    if guessed is not None:
        return guessed, 0
    if head.isascii():  # most text: valid UTF-8 without decoding it to see
        return "utf-8", 0
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
    except UnicodeDecodeError:
        return "cp1252", 0
    return "utf-8", 0


def _guess_utf16(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 8 or b"\0" not in sample:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    # Mostly-ASCII UTF-16 has a NUL in every other byte; binary junk rarely does.
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def iter_text(
    handle: Readable,
    context: ReadContext,
    block_bytes: int = BLOCK_BYTES,
    first_bytes: int = 0,
) -> Iterator[str]:
    """Yield the decoded text of ``handle`` in pieces of at most ``block_bytes``.

    ``first_bytes``, when larger, is the size of the first piece instead: a file
    that fits in it is read and decoded in one call and comes as one piece,
    which the caller can take as it is rather than join. The encoding is
    decided from the first ``block_bytes`` either way.
    """
    head = _read_block(handle, max(block_bytes, first_bytes))
    sample = head[:block_bytes]
    encoding, bom = detect_encoding(sample, complete=len(sample) < block_bytes)
    decoder = _StreamDecoder(encoding, context)
    raw, position = head, 0  # a block as read, and where it starts
    while raw:
        # The mark is not text; a first block that is only the mark is not the end.
        block = raw[bom:] if position == 0 and bom else raw
        text = decoder.decode(block, position + len(raw) - len(block))
        if text:
            yield text
        position += len(raw)
        raw = _read_block(handle, block_bytes)
    tail = decoder.decode(b"", position, final=True)
    if tail:
        yield tail


def decode_bytes(data: bytes, context: ReadContext | None = None) -> str:
    """Return ``data`` decoded the way :func:`iter_text` decodes a stream."""
    return "".join(iter_text(io.BytesIO(data), context or ReadContext()))


def _read_block(handle: Readable, size: int) -> bytes:
    # Some streams (archive members, sockets) return short reads before the end.
    parts: list[bytes] = []
    wanted = size
    while wanted > 0:
        part = handle.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


class _StreamDecoder:
    """Decode strictly until the first bad byte, then replace and warn once."""

    def __init__(self, encoding: str, context: ReadContext) -> None:
        self._encoding = encoding
        self._context = context
        # Windows-1252 leaves five bytes undefined; nothing else can go wrong.
        errors = "replace" if encoding == "cp1252" else "strict"
        self._decoder = codecs.getincrementaldecoder(encoding)(errors)

    def decode(self, block: bytes, position: int, final: bool = False) -> str:
        try:
            return self._decoder.decode(block, final)
        except UnicodeDecodeError as exc:
            pending, flags = self._decoder.getstate()
            where = position + exc.start - len(pending)
            label = _LABELS.get(self._encoding, self._encoding)
            self._context.warn(
                f"invalid {label} near byte {max(where, 0)}; undecodable bytes replaced"
            )
            self._decoder = codecs.getincrementaldecoder(self._encoding)("replace")
            self._decoder.setstate((pending, flags))
            return self._decoder.decode(block, final)
