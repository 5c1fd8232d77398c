"""Rewrite email: bodies and attachments protected, headers left as they were.

A message is parsed with the standard library's ``compat32`` policy, which
writes an unchanged message back byte for byte; only the payloads of changed
parts are set again, in their own charset and transfer encoding. Every text
body is rewritten, each alternative of ``multipart/alternative`` included (the
scan reads only the plainest one, but the others hold the same values).
Attachments are rewritten in their own format, forwarded messages as messages.
Headers are never changed: a value in the From, To, Cc or Subject header is
reported as skipped. An mbox is rewritten message by message; a message with
nothing to protect keeps its bytes.
"""

from __future__ import annotations

import base64
import quopri
import re
from collections.abc import Iterator
from email import policy
from email.message import Message
from email.parser import BytesParser

from districtguard.pii.documents.archive import display_name
from districtguard.pii.documents.base import DocumentError, Record, TextUnit
from districtguard.pii.documents.email import HEADERS, attachment_filename, header_text
from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.edits import Edit, Job, apply_edits, plan_unit
from districtguard.pii.protection.rewrite import (
    Restoration,
    protect_document,
    restore_document,
)

IN_HEADER = "in-a-mail-header"
_FROM_LINE = re.compile(rb"^(>*From )", re.MULTILINE)
_ESCAPED = re.compile(rb"^>(>*From )", re.MULTILINE)


def split_mbox(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """Yield (``From `` line, message bytes as written) for each message."""
    if not data.startswith(b"From "):
        yield b"", data
        return
    starts = [0] + [m.start() + 1 for m in re.finditer(rb"\nFrom ", data)]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(data)
        line_end = data.find(b"\n", start, end)
        line_end = end if line_end == -1 else line_end + 1
        yield data[start:line_end], data[line_end:end]


def _unescape(body: bytes) -> bytes:
    return _ESCAPED.sub(rb"\1", body)


def _escape(body: bytes) -> bytes:
    return _FROM_LINE.sub(rb">\1", body)


def _set_bytes(part: Message, data: bytes) -> None:
    encoding = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    if encoding == "base64":
        part.set_payload(base64.encodebytes(data).decode("ascii"))
    elif encoding == "quoted-printable":
        part.set_payload(quopri.encodestring(data).decode("ascii"))
    else:
        part.set_payload(data.decode("ascii", "surrogateescape"))


def _payload(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _charset(part: Message) -> str:
    charset = part.get_content_charset() or "us-ascii"
    try:
        "".encode(charset)
    except LookupError:
        raise ProtectionError("a body is in an unknown charset") from None
    return charset


def _is_body(part: Message) -> bool:
    return (
        part.get_content_type() in ("text/plain", "text/html")
        and part.get_content_disposition() != "attachment"
        and not attachment_filename(part)
    )


def _leaves(message: Message) -> Iterator[Message]:
    if message.is_multipart():
        for child in message.get_payload():
            if isinstance(child, Message):
                yield from _leaves(child)
    else:
        yield message


def _attachment_name(part: Message, number: int) -> str:
    return attachment_filename(part) or f"attachment {number}"


def _protect_message(message: Message, where: str, job: Job) -> bool:
    """Protect one parsed message in place; return whether it changed."""
    lines = [f"{n}: {v}\n" for n in HEADERS if (v := header_text(message, n))]
    preamble = "".join(lines) + "\n" if lines else ""
    bodies: list[tuple[Message, str, int]] = []
    others: list[Message] = []
    text = preamble
    for part in _leaves(message):
        if part.get_content_type() == "message/rfc822" or not _is_body(part):
            others.append(part)
            continue
        body = _payload(part).decode(_charset(part), errors="replace")
        if "\ufffd" in body:
            raise ProtectionError("a body does not decode in its charset")
        if bodies:
            text += "\n\n"
        bodies.append((part, body, len(text)))
        text += body
    unit = TextUnit(text, records=[Record(0, len(text), where, where)])
    changed = False
    per_body: dict[int, list[Edit]] = {}
    starts = [start for _, _, start in bodies]
    for edit in plan_unit(job, unit, where):
        index = max(i for i, s in enumerate([0, *starts]) if s <= edit.start) - 1
        if index < 0:
            job.skip(edit, IN_HEADER)
            continue
        per_body.setdefault(index, []).append(edit)
    for index, edits in per_body.items():
        part, body, start = bodies[index]
        if not job.dry_run:
            new = apply_edits(body, edits, shift=start)
            _set_bytes(part, new.encode(_charset(part)))
        changed = True
    for number, part in enumerate(others, 1):
        changed |= _protect_attachment(part, where, number, job)
    return changed


def _protect_attachment(part: Message, where: str, number: int, job: Job) -> bool:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            place = f"{where}, attached message {number}"
            return _protect_message(inner[0], place, job.nested(""))
        return False
    name = _attachment_name(part, number)
    child = job.nested(f"{where}, attachment {display_name(name)}")
    try:
        new = protect_document(name, _payload(part), child)
    except (ProtectionError, DocumentError) as exc:
        job.problems.append(f"{child.where}: {exc}")
        return False
    if child.whole_file:
        job.whole_file = f"{child.where}: {child.whole_file}"
    if new is None:
        return False
    _set_bytes(part, new)
    return True


def _restore_message(message: Message, job: Restoration) -> bool:
    changed = False
    for number, part in enumerate(_leaves(message), 1):
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                changed |= _restore_message(inner[0], job.nested())
            continue
        payload = _payload(part)
        if _is_body(part):
            body = payload.decode(_charset(part), errors="replace")
            restored = job.text(body)
            if restored != body:
                _set_bytes(part, restored.encode(_charset(part)))
                changed = True
            continue
        new = restore_document(_attachment_name(part, number), payload, job.nested())
        if new is not None:
            _set_bytes(part, new)
            changed = True
    return changed


def _parse(data: bytes) -> Message:
    return BytesParser(policy=policy.compat32).parsebytes(data)


class EmailFormat:
    """RFC 5322 messages and mbox mailboxes."""

    exact = False

    def protect(self, name: str, data: bytes, job: Job) -> bytes | None:
        """Return the mail with bodies and attachments protected, or None."""
        out: list[bytes] = []
        changed = False
        for number, (line, raw) in enumerate(split_mbox(data), 1):
            message = _parse(_unescape(raw) if line else raw)
            if _protect_message(message, f"message {number}", job):
                changed = True
                body = message.as_bytes(policy=message.policy)
                raw = _escape(body) if line else body
            out += [line, raw]
        return b"".join(out) if changed and not job.dry_run else None

    def restore(self, name: str, data: bytes, job: Restoration) -> bytes | None:
        """Return the mail with every token restored, or None if it has none."""
        out: list[bytes] = []
        changed = False
        for line, raw in split_mbox(data):
            message = _parse(_unescape(raw) if line else raw)
            if _restore_message(message, job):
                changed = True
                body = message.as_bytes(policy=message.policy)
                raw = _escape(body) if line else body
            out += [line, raw]
        return b"".join(out) if changed else None


FORMAT = EmailFormat()
