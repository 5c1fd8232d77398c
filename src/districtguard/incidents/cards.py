"""Dashboard cards for incidents: open incidents for responders, reporting for all."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from districtguard.accounts.models import User
from districtguard.incidents.chain import open_incidents_by_deadline
from districtguard.incidents.models import Incident, Notification, Report
from districtguard.incidents.models import Task as IncidentTask
from districtguard.web.dashboard import Card, Link, Task, card, task


@card(order=20)
def incidents_card(request: HttpRequest) -> Card | None:
    """Open incidents and new reports, for those who see every incident."""
    user = request.user
    if not isinstance(user, User) or not user.can("incidents.view"):
        return None
    rows = open_incidents_by_deadline()
    new_reports = Report.objects.filter(status=Report.Status.NEW).count()
    overdue = sum(1 for row in rows if row.overdue)
    status = "overdue" if overdue else ("attention" if rows or new_reports else "ok")
    links = tuple(
        Link(
            f"{row.incident.reference}: {row.next.what}"
            if row.next
            else row.incident.reference,
            reverse("incidents:detail", args=[row.incident.pk]),
        )
        for row in rows[:3]
    )
    reports = "1 new report" if new_reports == 1 else f"{new_reports} new reports"
    return Card(
        "Incidents",
        status,
        f"{len(rows)} open ({overdue} with overdue steps), {reports}",
        reverse("incidents:list"),
        links=links,
    )


@card(order=1)
def report_card(request: HttpRequest) -> Card | None:
    """Every signed-in person can report a suspected incident from the dashboard."""
    user = request.user
    if not isinstance(user, User) or not user.can("incidents.report"):
        return None
    mine = Report.objects.filter(reporter=user).count()
    return Card(
        "Report a security incident",
        "ok",
        "Something suspicious? A phishing email, a lost laptop, data sent to the wrong "
        "person: tell technology staff now.",
        reverse("incidents:report_new"),
        links=(
            (
                Link(
                    "You have sent 1 report"
                    if mine == 1
                    else f"You have sent {mine} reports",
                    reverse("incidents:reports_mine"),
                ),
            )
            if mine
            else ()
        ),
    )


@task
def incident_tasks(request: HttpRequest) -> list[Task]:
    """Incident tasks assigned to the person, and notification steps they can record."""
    user = request.user
    if not isinstance(user, User) or not user.can("incidents.view"):
        return []
    now = timezone.now()
    found = [
        Task(
            f"{item.incident.reference}: {item.title}",
            reverse("incidents:detail", args=[item.incident_id]),
            timezone.localtime(item.due_at).date() if item.due_at else None,
            item.is_overdue(now),
        )
        for item in IncidentTask.objects.filter(assignee=user, done_at__isnull=True)
        .exclude(incident__phase=Incident.Phase.CLOSED)
        .select_related("incident")
    ]
    if user.can("incidents.notify"):
        steps = (
            Notification.objects.filter(
                required=True,
                done_at__isnull=True,
                due_at__lt=now + dt.timedelta(days=7),
            )
            .exclude(incident__phase=Incident.Phase.CLOSED)
            .select_related("incident")
        )
        found += [
            Task(
                f"{step.incident.reference}: notify {step.get_step_display()}",
                reverse("incidents:notify", args=[step.pk]),
                timezone.localtime(step.due_at).date() if step.due_at else None,
                step.is_overdue(now),
            )
            for step in steps
        ]
    return found
