"""Format readers, and how a file or archive member is matched to one.

Readers live one per module and are looked up by suffix first, then by sniffing
the first bytes (so ``export`` without a suffix, or a ``.dat`` that is really a
ZIP, is still read). Each reader module exposes ``READER``.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from districtguard.pii.documents.base import (
    DocumentError,
    ReadContext,
    Reader,
    SkippedDocument,
    Source,
    TextUnit,
)

# Suffix -> reader module. Order does not matter; every suffix is lower case.
SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".log": "text",
    ".text": "text",
    ".md": "text",
    ".csv": "delimited",
    ".tsv": "delimited",
    ".tab": "delimited",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".docx": "docx",
    ".pdf": "pdf",
    ".json": "jsonfile",
    ".jsonl": "jsonfile",
    ".ndjson": "jsonfile",
    ".eml": "email",
    ".mbox": "email",
    ".zip": "archive",
}

SNIFF_BYTES = 4096


def reader_named(module: str) -> Reader:
    """Return the reader defined in ``districtguard.pii.documents.<module>``."""
    loaded = importlib.import_module(f"districtguard.pii.documents.{module}")
    reader: Reader = loaded.READER
    return reader


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if b"xl/" in head:
            return "xlsx"
        if b"word/" in head:
            return "docx"
        return "archive"
    if head.startswith(b"From ") and b"\n" in head:
        return "email"
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return "text"
    if b"\x00" in head:
        return None
    return "text"


def choose_reader(name: str, head: bytes) -> Reader:
    """Return the reader for a document called ``name`` that starts with ``head``.

    Raises :class:`SkippedDocument` for binary content no reader understands.
    """
    suffix = PurePosixPath(name.lower()).suffix
    module = SUFFIXES.get(suffix)
    if module is None or (module == "text" and _sniff(head) != "text"):
        module = _sniff(head)
    if module is None:
        raise SkippedDocument("binary file in no supported format")
    return reader_named(module)


def read_source(source: Source, context: ReadContext) -> Iterator[TextUnit]:
    """Yield the text units of ``source``, choosing the reader from name and content."""
    try:
        with source.open() as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise DocumentError(f"cannot open: {exc.strerror or exc}") from None
    reader = choose_reader(source.name, head)
    if len(head) < SNIFF_BYTES:  # the whole document: read it from here
        source = Source(source.name, lambda: io.BytesIO(head), len(head))
    yield from reader.read(source, context)


def file_source(path: Path) -> Source:
    """Return a :class:`Source` for a file on disk."""
    return Source(name=path.name, open=lambda: path.open("rb"))


__all__ = [
    "SUFFIXES",
    "DocumentError",
    "ReadContext",
    "SkippedDocument",
    "Source",
    "choose_reader",
    "file_source",
    "read_source",
    "reader_named",
]
