"""The append-only, hash-chained audit log.

Each entry stores the hash of the one before it and its own hash, an HMAC over
its content and that previous hash. Editing, deleting or reordering any entry
breaks the chain at that point, and :func:`verify_chain` says where. The HMAC key
lives outside the database (``DISTRICTGUARD_AUDIT_KEY`` or ``audit.key`` in the
home), so someone who can write to the database alone cannot forge a new chain.
Database triggers (see the migration) refuse UPDATE and DELETE on the table.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

if TYPE_CHECKING:
    from django.http import HttpRequest

GENESIS = "0" * 64
KEY_ENV = "DISTRICTGUARD_AUDIT_KEY"


class AuditLogError(Exception):
    """The audit log was asked to change an entry it keeps forever."""


@cache
def audit_key() -> bytes:
    """Return the audit log's HMAC key, creating ``audit.key`` on first use."""
    from districtguard.web.env import env_secret, home

    configured = env_secret(KEY_ENV)
    if configured:
        return configured.encode("utf-8")
    path = home() / "audit.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with path.open("x", encoding="utf-8") as handle:
            path.chmod(0o600)
            handle.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


class AuditEntry(models.Model):
    """One thing that happened: who did what to which object, and when."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=254)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=254, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ("seq",)
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once; refuse any later change."""
        if not self._state.adding:
            raise AuditLogError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: audit entries are kept forever."""
        raise AuditLogError("audit entries cannot be deleted")

    def content(self) -> dict[str, Any]:
        """Return what the hash covers, in a stable form."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_label": self.object_label,
            "detail": self.detail,
            "ip": self.ip,
        }

    def compute_hash(self, key: bytes | None = None) -> str:
        """Return the HMAC of this entry's content chained to ``prev_hash``."""
        body = json.dumps(self.content(), sort_keys=True, separators=(",", ":"))
        message = f"{self.prev_hash}\n{body}".encode()
        return hmac.new(key or audit_key(), message, hashlib.sha256).hexdigest()


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
    object_label: str = "",
    **detail: Any,
) -> AuditEntry:
    """Append an entry to the audit log and return it.

    ``actor`` defaults to the request's signed-in user. ``detail`` must never
    hold personal information beyond names and counts; it is kept forever.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    label = actor_label or (str(getattr(actor, "email", "")) if actor else "system")
    for attempt in range(20):
        try:
            with transaction.atomic():
                last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
                entry = AuditEntry(
                    seq=(last.seq + 1) if last else 1,
                    at=timezone.now(),
                    actor=actor if getattr(actor, "pk", None) else None,
                    actor_label=label[:254],
                    action=action,
                    object_type=obj._meta.label_lower if obj is not None else "",
                    object_id=str(obj.pk) if obj is not None else "",
                    object_label=(object_label or (str(obj) if obj else ""))[:254],
                    detail=detail,
                    ip=_client_ip(request),
                    prev_hash=last.hash if last else GENESIS,
                )
                entry.hash = entry.compute_hash()
                entry.save()
                return entry
        except IntegrityError:
            # Another process took this sequence number; chain onto its entry.
            if attempt == 19:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class ChainProblem:
    """Where the chain breaks and how."""

    seq: int
    problem: str


def verify_chain(entries: Iterator[AuditEntry] | None = None) -> list[ChainProblem]:
    """Check every entry's hash and link; return the problems found, in order."""
    key = audit_key()
    problems: list[ChainProblem] = []
    previous_hash = GENESIS
    expected_seq = 1
    rows = (
        entries
        if entries is not None
        else AuditEntry.objects.order_by("seq").iterator()
    )
    for entry in rows:
        if entry.seq != expected_seq:
            kind = "missing" if entry.seq > expected_seq else "out of order"
            problems.append(
                ChainProblem(
                    entry.seq,
                    f"expected entry #{expected_seq}; "
                    f"entries {kind} before #{entry.seq}",
                )
            )
        if entry.prev_hash != previous_hash:
            problems.append(
                ChainProblem(entry.seq, "does not link to the entry before it")
            )
        if entry.compute_hash(key) != entry.hash:
            problems.append(
                ChainProblem(entry.seq, "content does not match its hash (edited)")
            )
        previous_hash = entry.hash
        expected_seq = entry.seq + 1
    return problems
