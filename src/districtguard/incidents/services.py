"""What can happen to reports and incidents: each change timed, attributed, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from districtguard.accounts import audit
from districtguard.accounts.models import User
from districtguard.incidents import alerts
from districtguard.incidents.evidence import store_evidence
from districtguard.incidents.models import (
    BreachFacts,
    Incident,
    Notification,
    Playbook,
    Report,
    Task,
    TimelineEntry,
)

# Phases in order; an incident moves forward one or more steps, or is reopened.
PHASES = [phase.value for phase in Incident.Phase]
POLICY_STEPS = (
    Notification.Step.SUPERINTENDENT,
    Notification.Step.COUNSEL,
    Notification.Step.LAW_ENFORCEMENT,
    Notification.Step.BOARD,
)


class TransitionError(ValueError):
    """The requested change is not allowed from the incident's current state."""


def note(incident: Incident, actor: Any, kind: str, text: str) -> TimelineEntry:
    """Add an entry to the incident's timeline."""
    return TimelineEntry.objects.create(
        incident=incident,
        actor=actor if getattr(actor, "pk", None) else None,
        kind=kind,
        text=text,
    )


def submit_report(
    *,
    reporter: User | None,
    summary: str,
    details: str = "",
    occurred_at: dt.datetime | None = None,
    device: str = "",
    files: Iterable[Any] = (),
    channel: str = Report.Channel.WEB,
    reporter_email: str = "",
    request: Any = None,
) -> Report:
    """Record a staff member's report, keep its attachments, alert the responders."""
    with transaction.atomic():
        report = Report.objects.create(
            reporter=reporter,
            reporter_email=reporter_email or (reporter.email if reporter else ""),
            summary=summary[:200],
            details=details,
            occurred_at=occurred_at,
            device=device[:200],
            channel=channel,
        )
        for upload in files:
            store_evidence(
                upload,
                name=getattr(upload, "name", "attachment"),
                content_type=getattr(upload, "content_type", "") or "",
                actor=reporter,
                report=report,
            )
        audit.record(
            "incident.report_submitted",
            actor=reporter,
            obj=report,
            request=request,
            actor_label="" if reporter else f"email ({reporter_email})",
            channel=channel,
            attachments=report.attachments.count(),
        )
    link = reverse("incidents:report", args=[report.pk])
    alerts.alert(
        alerts.responders(),
        f"[DistrictGuard] New incident report {report.reference}",
        f"{report.reporter_email or 'A staff member'} reported: {report.summary}\n\n"
        f"Triage it: {_site_url()}{link}\n",
    )
    return report


def _site_url() -> str:
    from django.conf import settings

    return str(getattr(settings, "SITE_URL", "")).rstrip("/")


def _superintendent_due(opened: dt.datetime) -> dt.datetime:
    from districtguard.district.models import District

    return opened + dt.timedelta(hours=District.current().superintendent_notice_hours)


@transaction.atomic
def open_incident(
    *,
    actor: User,
    title: str,
    category: str,
    severity: int = Incident.Severity.MEDIUM,
    reports: Iterable[Report] = (),
    owner: User | None = None,
    request: Any = None,
) -> Incident:
    """Open an incident (from reports or by hand), with its playbook and chain."""
    incident = Incident.objects.create(
        title=title[:200],
        category=category,
        severity=severity,
        owner=owner or actor,
    )
    BreachFacts.objects.create(incident=incident)
    note(incident, actor, "opened", f"Opened as {incident.get_category_display()}.")
    for report in reports:
        _attach_report(report, incident, actor, Report.Status.INCIDENT, "")
    playbook = Playbook.objects.filter(category=category).first()
    if playbook is not None:
        for item in playbook.tasks.all():
            due = (
                incident.opened_at + dt.timedelta(hours=item.due_hours)
                if item.due_hours is not None
                else None
            )
            Task.objects.create(incident=incident, title=item.title, due_at=due)
        note(
            incident,
            actor,
            "playbook",
            f"Tasks added from the {playbook.name} playbook.",
        )
    Notification.objects.bulk_create(
        Notification(
            incident=incident,
            step=step,
            required=step != Notification.Step.LAW_ENFORCEMENT,
            due_at=_superintendent_due(incident.opened_at)
            if step == Notification.Step.SUPERINTENDENT
            else None,
            due_text="at once (district setting)"
            if step == Notification.Step.SUPERINTENDENT
            else "as soon as practicable",
        )
        for step in POLICY_STEPS
    )
    audit.record("incident.opened", actor=actor, obj=incident, request=request)
    return incident


def _attach_report(
    report: Report, incident: Incident, actor: User, status: str, reason: str
) -> None:
    if report.status != Report.Status.NEW:
        raise TransitionError(f"report {report.reference} has already been triaged")
    report.status = status
    report.incident = incident
    report.triaged_by = actor
    report.triaged_at = timezone.now()
    report.triage_reason = reason
    report.save()
    report.attachments.update(incident=incident)
    note(
        incident, actor, "report", f"Report {report.reference} added: {report.summary}"
    )


@transaction.atomic
def merge_report(
    report: Report, incident: Incident, actor: User, request: Any = None
) -> None:
    """Add a duplicate report to an existing incident."""
    _attach_report(report, incident, actor, Report.Status.MERGED, "duplicate")
    audit.record(
        "incident.report_merged",
        actor=actor,
        obj=incident,
        request=request,
        report=report.reference,
    )


@transaction.atomic
def dismiss_report(
    report: Report, actor: User, reason: str, request: Any = None
) -> None:
    """Mark a report as not an incident, with the reason."""
    if report.status != Report.Status.NEW:
        raise TransitionError(f"report {report.reference} has already been triaged")
    if not reason.strip():
        raise TransitionError("say why this is not an incident")
    report.status = Report.Status.NOT_INCIDENT
    report.triaged_by = actor
    report.triaged_at = timezone.now()
    report.triage_reason = reason
    report.save()
    audit.record("incident.report_dismissed", actor=actor, obj=report, request=request)


@transaction.atomic
def change_phase(
    incident: Incident, phase: str, actor: User, comment: str = "", request: Any = None
) -> None:
    """Move the incident to ``phase``: forward, or back (a reopen) with a reason."""
    if phase not in PHASES:
        raise TransitionError(f"unknown phase {phase!r}")
    old = incident.phase
    if phase == old:
        raise TransitionError(f"the incident is already {incident.get_phase_display()}")
    backwards = PHASES.index(phase) < PHASES.index(old)
    if backwards and not comment.strip():
        raise TransitionError("say why the incident is being reopened")
    incident.phase = phase
    incident.closed_at = timezone.now() if phase == Incident.Phase.CLOSED else None
    incident.save(update_fields=["phase", "closed_at"])
    verb = "reopened" if backwards else "moved"
    text = f"{verb.capitalize()} from {old} to {phase}." + (
        f" {comment}" if comment else ""
    )
    note(incident, actor, "phase", text)
    audit.record(
        f"incident.{'reopened' if backwards else 'phase_changed'}",
        actor=actor,
        obj=incident,
        request=request,
        old=old,
        new=phase,
    )


def complete_task(task: Task, actor: User, request: Any = None) -> None:
    """Mark a task done."""
    if task.done_at is not None:
        raise TransitionError("the task is already done")
    task.done_at = timezone.now()
    task.done_by = actor
    task.save(update_fields=["done_at", "done_by"])
    note(task.incident, actor, "task", f"Task done: {task.title}")


@transaction.atomic
def record_notification(
    notification: Notification,
    actor: User,
    *,
    method: str,
    recipient: str,
    message: str,
    at: dt.datetime | None = None,
    request: Any = None,
) -> None:
    """Record that a step of the notification chain was carried out."""
    if notification.done_at is not None:
        raise TransitionError("this notification has already been recorded")
    notification.done_at = at or timezone.now()
    notification.done_by = actor
    notification.method = method[:200]
    notification.recipient = recipient[:200]
    notification.message = message
    notification.save()
    incident = notification.incident
    note(
        incident,
        actor,
        "notification",
        f"{notification.get_step_display()} notified by {method} ({recipient}).",
    )
    audit.record(
        "incident.notified",
        actor=actor,
        obj=incident,
        request=request,
        step=notification.step,
    )
