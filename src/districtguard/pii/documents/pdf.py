"""Read PDF text page by page with pdfminer.six.

Each page is one unit whose text boxes are separated by blank lines, so the
detector's paragraphs are the page's text blocks.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, BinaryIO, cast

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTContainer, LTImage, LTItem, LTTextContainer
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.psexceptions import PSEOF

from districtguard.pii.documents.base import (
    DocumentError,
    EncryptedDocument,
    ReadContext,
    Record,
    Source,
    TextUnit,
)


def describe_pdf_failure(exc: Exception) -> str:
    """Return a short reason a PDF cannot be parsed, never the exception's text."""
    if isinstance(exc, PSEOF):
        return "cut short (unexpected end of file)"
    if isinstance(exc, PDFSyntaxError):
        return "malformed PDF structure"
    if isinstance(exc, ValueError | zlib.error):
        return "damaged compressed data"
    return f"unexpected content ({type(exc).__name__})"


@dataclass(frozen=True, slots=True)
class PdfReader:
    """PDF files with a text layer; scanned pages are reported, not read."""

    name: str = "pdf"
    suffixes: tuple[str, ...] = (".pdf",)

    def read(self, source: Source, context: ReadContext) -> Iterator[TextUnit]:
        """Yield one unit per page that has text."""
        with source.open() as handle:
            pages = _pages(handle, context)
            resources = PDFResourceManager(caching=True)
            device = PDFPageAggregator(resources, laparams=LAParams(all_texts=True))
            interpreter = PDFPageInterpreter(resources, device)
            textless: list[int] = []
            pictured: list[int] = []
            number = 0
            for number, page in enumerate(pages, 1):
                try:
                    interpreter.process_page(page)
                    texts, image = _contents(device.get_result())
                except Exception as exc:  # a hostile page can fail anywhere in pdfminer
                    reason = describe_pdf_failure(exc)
                    context.warn(f"page {number} could not be read: {reason}")
                    continue
                text = "\n".join(texts)
                if text.strip():
                    # A page is one record: layout analysis splits a table's
                    # cells into separate blocks, and a label must still reach
                    # the number in the next cell (the window bounds linking).
                    yield TextUnit(
                        text=text,
                        location=f"page {number}",
                        records=(Record(0, len(text), ""),),
                        base_offset=None,
                    )
                    continue
                textless.append(number)
                if image:
                    pictured.append(number)
        # Blank pages are normal; a page that is only a picture, or a file with
        # no text at all, most likely needs OCR.
        missing = textless if len(textless) == number else pictured
        if missing:
            context.warn(_no_text_layer(missing))


def _pages(handle: IO[bytes], context: ReadContext) -> Iterator[PDFPage]:
    """Open the document now (so failures surface first) and yield its pages."""
    try:
        # pdfminer wants a BinaryIO; it only reads and seeks, as every IO[bytes] can.
        document = PDFDocument(PDFParser(cast(BinaryIO, handle)), password="")
        pages = PDFPage.create_pages(document)
        first = next(pages, None)
    except PDFPasswordIncorrect:
        raise EncryptedDocument(
            "encrypted PDF (password): protected as a whole, contents not read"
        ) from None
    except PDFEncryptionError:
        raise EncryptedDocument(
            "encrypted PDF (an encryption the reader does not support): "
            "contents not read"
        ) from None
    except Exception as exc:  # a hostile file can fail anywhere in pdfminer
        raise DocumentError(
            f"not a readable PDF: {describe_pdf_failure(exc)}"
        ) from None
    return _remaining(first, pages, context)


def _remaining(
    first: PDFPage | None, pages: Iterator[PDFPage], context: ReadContext
) -> Iterator[PDFPage]:
    if first is None:
        return
    yield first
    count = 1
    while True:
        try:
            page = next(pages)
        except StopIteration:
            return
        except Exception as exc:  # a damaged page tree can fail anywhere
            reason = describe_pdf_failure(exc)
            context.warn(f"pages after page {count} could not be read: {reason}")
            return
        count += 1
        yield page


def _contents(items: Iterable[LTItem]) -> tuple[list[str], bool]:
    """Return the text of every text box, and whether there is any image."""
    texts: list[str] = []
    image = False
    for item in items:
        if isinstance(item, LTTextContainer):
            texts.append(item.get_text())
        elif isinstance(item, LTImage):
            image = True
        elif isinstance(item, LTContainer):
            inner, inner_image = _contents(item)
            texts.extend(inner)
            image = image or inner_image
    return texts, image


def _no_text_layer(pages: list[int]) -> str:
    if len(pages) == 1:
        return f"page {pages[0]} has no text layer (scanned image?)"
    more = len(pages) - 1
    return f"page {pages[0]} and {more} more pages have no text layer (scanned image?)"


READER = PdfReader()
