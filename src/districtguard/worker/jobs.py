"""Jobs the worker runs; each is a plain function the queue calls by dotted name."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail

from districtguard.accounts import audit
from districtguard.accounts.models import AuditEntry, User
from districtguard.accounts.roles import Role

logger = logging.getLogger(__name__)

# How many problems an audit entry lists; the rest are counted.
_LISTED_PROBLEMS = 20


def verify_audit_chain() -> str:
    """Verify the whole audit chain and record the result in the audit log.

    A broken chain is also mailed to every active Director: an entry in the very
    log that was tampered with is not enough on its own.
    """
    problems = audit.verify_chain()
    head = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
    entries = head.seq if head else 0
    if not problems:
        audit.record(
            "audit.chain_verified",
            actor_label="worker",
            entries=entries,
            head=head.hash if head else audit.GENESIS,
        )
        logger.info("audit chain verified: %d entries", entries)
        return f"verified {entries} entries"
    listed = [f"#{p.seq}: {p.problem}" for p in problems[:_LISTED_PROBLEMS]]
    audit.record(
        "audit.chain_broken",
        actor_label="worker",
        entries=entries,
        problems=len(problems),
        first_broken=problems[0].seq,
        listed=listed,
    )
    logger.error(
        "audit chain broken: %d problems, first at entry #%d",
        len(problems),
        problems[0].seq,
    )
    _tell_directors(len(problems), listed)
    return f"broken: {len(problems)} problems, first at #{problems[0].seq}"


def _tell_directors(count: int, listed: list[str]) -> None:
    recipients = list(
        User.objects.filter(role=Role.DIRECTOR, is_active=True).values_list(
            "email", flat=True
        )
    )
    if not recipients:
        return
    body = (
        "The nightly check of the DistrictGuard audit log found that entries were "
        f"edited, deleted or reordered ({count} problems):\n\n"
        + "\n".join(listed)
        + "\n\nRun `districtguard audit verify` for the full list, and treat this "
        "as a possible security incident.\n"
    )
    try:
        send_mail(
            "[DistrictGuard] The audit log failed its integrity check",
            body,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
    except OSError:
        # The result is already in the log; a mail server that is down must not
        # turn a finished check into a failed job that runs again.
        logger.exception("could not mail the broken-chain alert")


def import_unprotect_log() -> str:
    """Bring new lines of the command line's unprotect log into the audit log."""
    from districtguard.accounts.unprotect_log import import_unprotect_log as run

    return f"{run()} unprotect use(s) recorded"
