"""Say cheaply whether the audit chain verifies, for the dashboard.

Verifying the whole chain costs one HMAC per entry, too much for every page
view of a log that grows for years. The worker verifies the whole chain every
night and records ``audit.chain_verified`` with the head it reached; here only
the entries added since that head are verified, chained onto it, and the answer
is cached until a new entry arrives. With no nightly check yet, the whole chain
is verified (once, then cached).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache

from districtguard.accounts import audit
from districtguard.accounts.models import AuditEntry

_CACHE_KEY = "district:audit-chain-status"
_CACHE_SECONDS = 600
_CHECKS = ("audit.chain_verified", "audit.chain_broken")


@dataclass(frozen=True, slots=True)
class ChainStatus:
    """Whether the chain verifies, its length, and when it was last fully checked."""

    ok: bool
    entries: int
    message: str
    last_full_check: dt.datetime | None = None


def chain_status() -> ChainStatus:
    """Return the audit chain's status, verifying only what is new."""
    head = AuditEntry.objects.order_by("-seq").only("seq").first()
    head_seq = head.seq if head else 0
    cached = cache.get(_CACHE_KEY)
    if isinstance(cached, tuple) and cached[0] == head_seq:
        status: ChainStatus = cached[1]
        return status
    status = _compute(head_seq)
    cache.set(_CACHE_KEY, (head_seq, status), _CACHE_SECONDS)
    return status


def _compute(head_seq: int) -> ChainStatus:
    check = AuditEntry.objects.filter(action__in=_CHECKS).order_by("-seq").first()
    if check is None:
        problems = audit.verify_chain()
        return _result(head_seq, problems, None, "the whole chain was checked")
    if check.action == "audit.chain_broken":
        first = check.detail.get("first_broken", "?")
        return ChainStatus(
            False,
            head_seq,
            f"The nightly check found {check.detail.get('problems', '?')} "
            f"problem(s), the first at entry #{first}. Run `districtguard audit "
            "verify`.",
            check.at,
        )
    since = int(check.detail.get("entries", 0))
    problems = verify_since(since, str(check.detail.get("head", audit.GENESIS)))
    added = head_seq - since
    return _result(head_seq, problems, check.at, f"{added} new since the last check")


def _result(
    entries: int,
    problems: list[audit.ChainProblem],
    checked: dt.datetime | None,
    scope: str,
) -> ChainStatus:
    if problems:
        first = problems[0]
        return ChainStatus(
            False,
            entries,
            f"Entry #{first.seq} {first.problem}; {len(problems)} problem(s) in all. "
            "Run `districtguard audit verify`.",
            checked,
        )
    return ChainStatus(True, entries, f"Chain verified ({scope}).", checked)


def verify_since(seq: int, head: str) -> list[audit.ChainProblem]:
    """Verify the entries after ``seq``, chained onto ``head`` (the hash at ``seq``)."""
    problems: list[audit.ChainProblem] = []
    if seq:
        anchor = AuditEntry.objects.filter(seq=seq).only("hash").first()
        if anchor is None or anchor.hash != head:
            problems.append(
                audit.ChainProblem(seq, "no longer matches the last full check")
            )
    key = audit.audit_key()
    previous, expected = head, seq + 1
    for entry in AuditEntry.objects.filter(seq__gt=seq).order_by("seq").iterator():
        if entry.seq != expected:
            problems.append(
                audit.ChainProblem(entry.seq, f"expected entry #{expected} first")
            )
        if entry.prev_hash != previous:
            problems.append(
                audit.ChainProblem(entry.seq, "does not link to the entry before it")
            )
        if entry.compute_hash(key) != entry.hash:
            problems.append(
                audit.ChainProblem(
                    entry.seq, "content does not match its hash (edited)"
                )
            )
        previous, expected = entry.hash, entry.seq + 1
    return problems
