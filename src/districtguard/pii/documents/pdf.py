"""Read PDF text page by page with pypdf.

Each page is one unit and one record: its text in content order, a line per run
of text. pypdf reads a page's text from its content stream without laying out
every glyph, several times faster than a layout analysis (``docs/benchmarks.md``),
and as pure Python a hostile file can only raise, never bring the scan down.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import pypdf
from pypdf import PageObject, PasswordType
from pypdf.errors import (
    FileNotDecryptedError,
    LimitReachedError,
    PdfReadError,
    PdfStreamError,
)

from districtguard.pii.documents.base import (
    DocumentError,
    EncryptedDocument,
    ReadContext,
    Record,
    Source,
    TextUnit,
)

# pypdf logs what it works around in damaged files ("EOF marker not found");
# the reader reports what it could not read itself, once and in its own words.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def describe_pdf_failure(exc: Exception) -> str:
    """Return a short reason a PDF cannot be parsed, never the exception's text."""
    if isinstance(exc, LimitReachedError):
        return "a compressed stream expands past the size limit (a decompression bomb?)"
    if isinstance(exc, PdfStreamError):
        return "cut short or damaged (a stream ends unexpectedly)"
    if isinstance(exc, PdfReadError):
        return "malformed PDF structure"
    if isinstance(exc, zlib.error):
        return "damaged compressed data"
    if isinstance(exc, RecursionError):
        return "objects nested too deeply"
    return f"unexpected content ({type(exc).__name__})"


@dataclass(frozen=True, slots=True)
class PdfReader:
    """PDF files with a text layer; scanned pages are reported, not read."""

    name: str = "pdf"
    suffixes: tuple[str, ...] = (".pdf",)

    def read(self, source: Source, context: ReadContext) -> Iterator[TextUnit]:
        """Yield one unit per page that has text."""
        with source.open() as handle:
            document = _open(handle)
            textless: list[int] = []
            pictured: list[int] = []
            number = 0
            for number, page in enumerate(_pages(document, context), 1):
                try:
                    text = page.extract_text()
                    # A page is one record: a label must still reach the number
                    # in the next cell of a table (the window bounds linking).
                    if text.strip():
                        yield TextUnit(
                            text=text,
                            location=f"page {number}",
                            records=(Record(0, len(text), ""),),
                            base_offset=None,
                        )
                        continue
                    image = _has_image(page)
                except Exception as exc:  # a hostile page can fail anywhere in pypdf
                    reason = describe_pdf_failure(exc)
                    context.warn(f"page {number} could not be read: {reason}")
                    continue
                textless.append(number)
                if image:
                    pictured.append(number)
        # Blank pages are normal; a page that is only a picture, or a file with
        # no text at all, most likely needs OCR.
        missing = textless if len(textless) == number else pictured
        if missing:
            context.warn(_no_text_layer(missing))


def _open(handle: IO[bytes]) -> pypdf.PdfReader:
    """Open the document now, so failures surface before any page."""
    try:
        document = pypdf.PdfReader(handle, strict=False)
        # An owner password alone (printing, copying limits) opens with "".
        if document.is_encrypted and document.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise EncryptedDocument(
                "encrypted PDF (password): protected as a whole, contents not read"
            )
        len(document.pages)  # the page tree, read now
    except EncryptedDocument:
        raise
    except (FileNotDecryptedError, NotImplementedError):
        raise EncryptedDocument(
            "encrypted PDF (an encryption the reader does not support): "
            "contents not read"
        ) from None
    except Exception as exc:  # a hostile file can fail anywhere in pypdf
        raise DocumentError(
            f"not a readable PDF: {describe_pdf_failure(exc)}"
        ) from None
    return document


def _pages(document: pypdf.PdfReader, context: ReadContext) -> Iterator[PageObject]:
    count = len(document.pages)
    for index in range(count):
        try:
            page = document.pages[index]
        except Exception as exc:  # a damaged page tree can fail anywhere
            reason = describe_pdf_failure(exc)
            context.warn(f"pages after page {index} could not be read: {reason}")
            return
        yield page


def _has_image(page: PageObject) -> bool:
    """Say whether a page shows a picture (an image object or an inline image)."""
    return len(page.images) > 0


def _no_text_layer(pages: list[int]) -> str:
    if len(pages) == 1:
        return f"page {pages[0]} has no text layer (scanned image?)"
    more = len(pages) - 1
    return f"page {pages[0]} and {more} more pages have no text layer (scanned image?)"


READER = PdfReader()
