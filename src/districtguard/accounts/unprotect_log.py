"""Carry the command line's unprotect log into the web app's audit log.

``districtguard unprotect`` runs without the web app and writes a local,
hash-chained log (:mod:`districtguard.pii.protection.accesslog`). The worker
imports each new line of it into the audit log as ``pii.unprotected``, so every
decryption ends up in the one chain auditors read. A line is imported once (the
audit entry keeps the line's hash); a broken local chain is itself recorded,
once per break.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from districtguard.accounts import audit
from districtguard.accounts.models import AuditEntry
from districtguard.pii.protection.accesslog import log_path, verify

IMPORTED = "pii.unprotected"
BROKEN = "pii.unprotect_log_broken"


def _imported() -> set[str]:
    rows = AuditEntry.objects.filter(action=IMPORTED).values_list(
        "detail__line_sha256", flat=True
    )
    return {str(row) for row in rows}


def import_unprotect_log(home: Path | None = None) -> int:
    """Append the log's new lines to the audit log; return how many were added."""
    path = log_path(home)
    if not path.exists():
        return 0
    check = verify(home)
    if (
        not check.ok
        and not AuditEntry.objects.filter(
            action=BROKEN, detail__line=check.broken_at
        ).exists()
    ):
        audit.record(
            BROKEN, actor_label="system", line=check.broken_at, reason=check.reason
        )
    lines = [line for line in path.read_bytes().splitlines() if line]
    hashes = [hashlib.sha256(line).hexdigest() for line in lines]
    done = _imported()
    added = 0
    for line, digest in zip(lines, hashes, strict=True):
        if digest in done:
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a torn or edited line: already reported as a broken chain
        audit.record(
            IMPORTED,
            actor_label=f"{entry.get('user', 'unknown')} (command line)"[:254],
            object_label=str(entry.get("path", ""))[:254],
            values=entry.get("values"),
            at=entry.get("at"),
            line_sha256=digest,
        )
        added += 1
    return added
