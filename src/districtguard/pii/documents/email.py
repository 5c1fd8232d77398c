"""Read email: one message (.eml) or an mbox of many, attachments included.

An mbox is split while it streams, one message in memory at a time. A message's
unit is a header preamble (no offsets) followed by its text bodies (offsets
count from the first body character); attachments are read by their own readers.
The message number is its record's place, not the unit's: the detector joins the
two, and a message says "message 2" once.

Messages are parsed with the standard library's ``compat32`` policy, as the
email rewriter parses them: the ``default`` policy builds and parses a header
object every time a header is asked for, which made reading a mailbox six times
slower. The few headers shown (From, To, Cc, Subject) and attachment names have
their encoded words decoded here instead.
"""

from __future__ import annotations

import io
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from html.parser import HTMLParser
from typing import IO

from districtguard.pii.documents import read_source
from districtguard.pii.documents.archive import (
    claim_problems,
    display_name,
    prefix_locations,
)
from districtguard.pii.documents.base import (
    DocumentError,
    ReadContext,
    Record,
    SkippedDocument,
    Source,
    TextUnit,
    join_location,
)
from districtguard.pii.documents.encoding import decode_bytes

HEADERS = ("From", "To", "Cc", "Subject")
MAX_LINE = 1 << 16
_ESCAPED_FROM = re.compile(rb">+From ")
_SPACES = re.compile(r"[ \t\r\n\f\xa0]+")
_BLANK_LINES = re.compile(r"\n{2,}")


@dataclass(frozen=True, slots=True)
class EmailReader:
    """RFC 5322 messages and mbox mailboxes."""

    name: str = "email"
    suffixes: tuple[str, ...] = (".eml", ".mbox")

    def read(self, source: Source, context: ReadContext) -> Iterator[TextUnit]:
        """Yield each message's unit, then the units of its attachments."""
        limit = context.limits.max_member_size
        with source.open() as handle:
            for number, data in enumerate(_messages(handle, limit), 1):
                if data is None:
                    context.warn(
                        f"message {number}: larger than {limit} bytes, not read"
                    )
                    continue
                yield from _message(data, f"message {number}", context)


def _messages(handle: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """Yield each message's bytes, or None for one larger than ``limit``."""
    first = handle.readline(MAX_LINE)
    if not first.startswith(b"From "):
        data = first + handle.read(limit + 1 - len(first))
        if len(data) > limit:
            raise DocumentError(f"message larger than {limit} bytes, not read")
        yield data
        return
    lines: list[bytes] | None = []
    size = 0
    at_line_start = True
    while line := handle.readline(MAX_LINE):
        if at_line_start and line.startswith(b"From "):
            yield None if lines is None else b"".join(lines)
            lines, size = [], 0
        elif lines is not None:
            size += len(line)
            if size > limit:
                lines = None
            elif at_line_start and _ESCAPED_FROM.match(line):
                lines.append(line[1:])
            else:
                lines.append(line)
        at_line_start = line.endswith(b"\n")
    yield None if lines is None else b"".join(lines)


def _message(data: bytes, where: str, context: ReadContext) -> Iterator[TextUnit]:
    before = len(context.problems)
    message = BytesParser(policy=policy.compat32).parsebytes(data)
    bodies: list[str] = []
    attachments: list[tuple[str, bytes]] = []
    failure = ""
    try:
        _collect(message, bodies, attachments, context)
    except Exception as exc:  # the email package fails in odd ways on hostile input
        failure = f"{where}: not fully readable ({type(exc).__name__})"
    lines = [
        f"{name}: {value}\n"
        for name in HEADERS
        if (value := header_text(message, name))
    ]
    preamble = "".join(lines) + "\n" if lines else ""
    text = preamble + "\n\n".join(body for body in bodies if body)
    claim_problems(context, before, where)
    if failure:
        context.warn(failure)
    yield TextUnit(
        text=text,
        records=[Record(0, len(text), where, where)],
        base_offset=0,
        origin=len(preamble),
    )
    for name, payload in attachments:
        yield from _attachment(name, payload, where, context)


def _collect(
    part: Message,
    bodies: list[str],
    attachments: list[tuple[str, bytes]],
    context: ReadContext,
) -> None:
    """Sort the parts of ``part`` into text bodies and attachments."""
    kind = part.get_content_type()
    if kind == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            name = attachment_filename(part) or (
                f"attached message {len(attachments) + 1}"
            )
            # The suffix chooses the reader: a forwarded message is read as email.
            name = name if name.lower().endswith(".eml") else f"{name}.eml"
            attachments.append((name, inner[0].as_bytes()))
        return
    if part.is_multipart():
        children = [child for child in part.get_payload() if isinstance(child, Message)]
        if kind == "multipart/alternative" and children:
            # The same content in several forms: read the plainest one.
            children = [min(children, key=_plainness)]
        for child in children:
            _collect(child, bodies, attachments, context)
        return
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return
    filename = attachment_filename(part)
    is_body = part.get_content_disposition() != "attachment" and not filename
    if is_body and kind in ("text/plain", "text/html"):
        text = _decoded(part, payload, context)
        bodies.append(html_text(text) if kind == "text/html" else text)
        return
    name = filename or _invented_name(kind, len(attachments) + 1)
    attachments.append((name, payload))


def _attachment(
    name: str, payload: bytes, where: str, context: ReadContext
) -> Iterator[TextUnit]:
    place = join_location(where, f"attachment {display_name(name)}")
    before = len(context.problems)
    child: ReadContext | None = None
    try:
        child = context.nested()
        source = Source(name, lambda: io.BytesIO(payload), len(payload))
        try:
            for unit in read_source(source, child):
                yield prefix_locations(unit, place)
        finally:
            claim_problems(context, before, place)
    except SkippedDocument:
        context.skipped_members += 1
    except DocumentError as exc:
        context.warn(f"{place}: {exc}")
    finally:
        if child is not None:
            context.skipped_members += child.skipped_members


def _decoded_words(text: str) -> str | None:
    """Return ``text`` with its encoded words decoded and spaces collapsed, or
    None when an encoded word is hostile."""
    try:
        return _SPACES.sub(" ", str(make_header(decode_header(text)))).strip()
    except Exception:  # the email package fails in odd ways on hostile words
        return None


def header_text(message: Message, name: str) -> str:
    """Return a header as a reader shows it: encoded words decoded, spaces collapsed."""
    try:
        value = message.get(name)
    except Exception:  # the header parser fails in odd ways on hostile headers
        return ""
    if value is None:
        return ""
    decoded = _decoded_words(str(value))
    # A hostile encoded word: show the header as it is.
    return _SPACES.sub(" ", str(value)).strip() if decoded is None else decoded


def attachment_filename(part: Message) -> str:
    """Return a part's file name, encoded words decoded ("" when it has none).

    ``get_filename`` decodes RFC 2231 parameters (``filename*=utf-8''...``) but,
    under ``compat32``, not the encoded words many mailers write instead, which
    would hide the suffix that chooses the attachment's reader.
    """
    try:
        raw = part.get_filename()
    except Exception:  # a hostile parameter
        return ""
    if not raw or "=?" not in raw:
        return raw or ""
    decoded = _decoded_words(raw)
    return raw if decoded is None else decoded  # a hostile word: the name as it is


def _plainness(part: Message) -> int:
    order = ("text/plain", "text/html")
    kind = part.get_content_type()
    return order.index(kind) if kind in order else len(order)


def _decoded(part: Message, payload: bytes, context: ReadContext) -> str:
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset, errors="replace")
        except LookupError:
            pass  # an unknown charset name: detect it like any text
    return decode_bytes(payload, context)


def _invented_name(kind: str, number: int) -> str:
    return f"attachment {number}{mimetypes.guess_extension(kind) or '.bin'}"


class _HtmlText(HTMLParser):
    """Collect the text a browser would show, one line per block."""

    BLOCKS = frozenset(
        "address article blockquote br dd div dl dt footer form h1 h2 h3 h4 h5 h6"
        " header hr li main nav ol p pre section table title tr ul".split()
    )
    HIDDEN = frozenset(("script", "style", "template"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(_SPACES.sub(" ", data))


def html_text(html: str) -> str:
    """Return the visible text of an HTML body, without tags, scripts or styles."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    lines = (line.strip(" \t") for line in "".join(parser.parts).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


READER = EmailReader()
