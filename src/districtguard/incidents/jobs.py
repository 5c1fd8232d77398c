"""Background jobs for incidents, run by the worker."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from districtguard.accounts import audit
from districtguard.incidents import alerts
from districtguard.incidents.models import Incident, Notification


def alert_overdue_steps() -> int:
    """Alert responders once about each required notification step now overdue.

    Returns how many steps were alerted. A step is alerted once; recording it
    afterwards is what clears it from the dashboard.
    """
    now = timezone.now()
    overdue = (
        Notification.objects.filter(
            required=True,
            done_at__isnull=True,
            due_at__lt=now,
            overdue_alerted_at__isnull=True,
        )
        .exclude(incident__phase=Incident.Phase.CLOSED)
        .select_related("incident")
    )
    count = 0
    for step in overdue:
        with transaction.atomic():
            claimed = Notification.objects.filter(
                pk=step.pk, overdue_alerted_at__isnull=True
            ).update(overdue_alerted_at=now)
            if not claimed:
                continue  # another worker got it first
            incident = step.incident
            due = timezone.localtime(step.due_at) if step.due_at else now
            alerts.alert(
                alerts.responders(),
                f"[DistrictGuard] OVERDUE: {step.get_step_display()} for "
                f"{incident.reference}",
                f"{incident.reference} ({incident.title}): the step "
                f"'{step.get_step_display()}' was due {due:%Y-%m-%d %H:%M} "
                "and has not been recorded.\n",
            )
            audit.record(
                "incident.step_overdue",
                obj=incident,
                actor_label="system",
                step=step.step,
            )
            count += 1
    return count


def poll_report_mailbox() -> str:
    """File the report mailbox's unseen mail, when a mailbox is configured."""
    from districtguard.incidents.mailin import poll_imap
    from districtguard.incidents.management.commands.poll_report_mailbox import (
        mailbox_from_environment,
    )

    mailbox = mailbox_from_environment()
    if mailbox is None:
        return "no report mailbox configured"
    filed, refused = poll_imap(mailbox)
    return f"{filed} filed, {refused} refused"
