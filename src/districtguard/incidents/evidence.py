"""Store evidence files with their hash, and keep their chain of custody."""

from __future__ import annotations

import hashlib
from typing import IO, Any

from django.core.files.base import File

from districtguard.incidents.models import CustodyEvent, Evidence, Incident, Report

MAX_EVIDENCE_BYTES = 25 << 20


class EvidenceTooLarge(ValueError):
    """A file is over the evidence size limit."""


def _digest(stream: IO[bytes]) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    stream.seek(0)
    while chunk := stream.read(1 << 20):
        size += len(chunk)
        if size > MAX_EVIDENCE_BYTES:
            raise EvidenceTooLarge(
                f"files over {MAX_EVIDENCE_BYTES >> 20} MB cannot be attached"
            )
        sha.update(chunk)
    stream.seek(0)
    return sha.hexdigest(), size


def store_evidence(
    upload: Any,
    *,
    name: str,
    content_type: str = "",
    actor: Any = None,
    incident: Incident | None = None,
    report: Report | None = None,
    description: str = "",
) -> Evidence:
    """Keep ``upload`` (a file object) as evidence and record that it was collected."""
    digest, size = _digest(upload)
    evidence = Evidence(
        incident=incident,
        report=report,
        original_name=name[:255] or "unnamed",
        content_type=content_type[:100],
        size=size,
        sha256=digest,
        description=description[:300],
        added_by=actor if getattr(actor, "pk", None) else None,
    )
    evidence.file.save("evidence", File(upload), save=False)
    evidence.save()
    CustodyEvent.objects.create(
        evidence=evidence,
        actor=evidence.added_by,
        action=CustodyEvent.Action.COLLECTED,
        note=f"SHA-256 {digest}",
    )
    return evidence


def verify_evidence(evidence: Evidence, actor: Any) -> bool:
    """Recompute the stored file's hash, record the check, and say if it matches."""
    with evidence.file.open("rb") as stream:
        digest, _ = _digest(stream)
    matches = digest == evidence.sha256
    CustodyEvent.objects.create(
        evidence=evidence,
        actor=actor,
        action=CustodyEvent.Action.VERIFIED,
        note="hash matches" if matches else f"HASH MISMATCH: now {digest}",
    )
    return matches
