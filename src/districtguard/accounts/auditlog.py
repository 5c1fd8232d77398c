"""What the audit-log pages do besides listing: export to CSV, verify on demand."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest

from districtguard.accounts import audit
from districtguard.accounts.audit import AuditEntry

CSV_COLUMNS = (
    "seq",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object",
    "detail",
    "ip",
    "prev_hash",
    "hash",
)
# A spreadsheet treats a cell starting with one of these as a formula; a
# leading apostrophe keeps a crafted actor or object label from running as one.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# How many problems a recorded verification lists; the rest are counted.
_LISTED_PROBLEMS = 20


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def csv_lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    """Yield the CSV export of ``entries``, header first, one line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        line = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return line

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for entry in entries.order_by("seq").iterator(chunk_size=2000):
        writer.writerow(
            [
                entry.seq,
                entry.at.isoformat(),
                _cell(entry.actor_label),
                _cell(entry.action),
                entry.object_type,
                _cell(entry.object_id),
                _cell(entry.object_label),
                _cell(json.dumps(entry.detail, sort_keys=True)),
                entry.ip or "",
                entry.prev_hash,
                entry.hash,
            ]
        )
        yield flush()


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of verifying the whole chain."""

    entries: int
    head: str
    problems: list[audit.ChainProblem]

    @property
    def ok(self) -> bool:
        """Return whether the chain verified."""
        return not self.problems


def verify_and_record(request: HttpRequest) -> Verification:
    """Verify the whole chain now and record the outcome like the nightly check."""
    problems = audit.verify_chain()
    head = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
    entries = head.seq if head else 0
    head_hash = head.hash if head else audit.GENESIS
    if problems:
        audit.record(
            "audit.chain_broken",
            request=request,
            entries=entries,
            problems=len(problems),
            first_broken=problems[0].seq,
            listed=[f"#{p.seq}: {p.problem}" for p in problems[:_LISTED_PROBLEMS]],
        )
    else:
        audit.record(
            "audit.chain_verified", request=request, entries=entries, head=head_hash
        )
    return Verification(entries, head_hash, problems)


def last_check() -> AuditEntry | None:
    """Return the most recent recorded verification of the whole chain."""
    return (
        AuditEntry.objects.filter(
            action__in=("audit.chain_verified", "audit.chain_broken")
        )
        .order_by("-seq")
        .first()
    )
