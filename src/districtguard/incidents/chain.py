"""The next deadline of each open incident, overdue ones first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from districtguard.incidents.models import Incident, Notification, Task


@dataclass(frozen=True, slots=True)
class Deadline:
    """What is due next in an incident, and when."""

    what: str
    due_at: dt.datetime


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """An open incident with its next deadline, for the list and the dashboard."""

    incident: Incident
    next: Deadline | None
    overdue: int


def _deadlines(incident: Incident) -> list[Deadline]:
    items = [
        Deadline(f"Notify: {n.get_step_display()}", n.due_at)
        for n in incident.notifications.all()
        if n.required and n.done_at is None and n.due_at is not None
    ]
    items += [
        Deadline(f"Task: {t.title}", t.due_at)
        for t in incident.tasks.all()
        if t.done_at is None and t.due_at is not None
    ]
    return sorted(items, key=lambda d: d.due_at)


def open_incidents_by_deadline(now: dt.datetime | None = None) -> list[IncidentRow]:
    """Return open incidents, those with overdue items first, then by next deadline."""
    now = now or timezone.now()
    incidents = (
        Incident.objects.exclude(phase=Incident.Phase.CLOSED)
        .select_related("owner")
        .prefetch_related(
            Prefetch("notifications", queryset=Notification.objects.all()),
            Prefetch("tasks", queryset=Task.objects.all()),
        )
    )
    rows = []
    for incident in incidents:
        deadlines = _deadlines(incident)
        overdue = sum(1 for d in deadlines if d.due_at < now)
        rows.append(IncidentRow(incident, deadlines[0] if deadlines else None, overdue))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    rows.sort(
        key=lambda r: (
            r.overdue == 0,
            r.next.due_at if r.next else far,
            -r.incident.severity,
        )
    )
    return rows
