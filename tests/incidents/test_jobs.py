"""The worker alerts responders once about each overdue notification step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from districtguard.accounts.models import AuditEntry, User
from districtguard.accounts.roles import Role
from districtguard.incidents import services
from districtguard.incidents.jobs import alert_overdue_steps
from districtguard.incidents.models import Incident, Notification, Report

pytestmark = pytest.mark.django_db


def test_overdue_superintendent_step_alerts_once(
    person: Callable[..., User], mailoutbox: list[Any]
) -> None:
    director = person(Role.DIRECTOR)
    incident = services.open_incident(
        actor=director, title="Ransom note", category="ransomware"
    )
    mailoutbox.clear()
    assert alert_overdue_steps() == 0
    step = incident.notifications.get(step=Notification.Step.SUPERINTENDENT)
    step.due_at = timezone.now() - dt.timedelta(minutes=5)
    step.save()
    assert alert_overdue_steps() == 1
    assert len(mailoutbox) == 1 and "OVERDUE" in mailoutbox[0].subject
    assert director.email in mailoutbox[0].to
    assert alert_overdue_steps() == 0
    assert AuditEntry.objects.filter(action="incident.step_overdue").count() == 1


def test_recorded_or_closed_steps_do_not_alert(person: Callable[..., User]) -> None:
    director = person(Role.DIRECTOR)
    done = services.open_incident(actor=director, title="a", category="other")
    closed = services.open_incident(actor=director, title="b", category="other")
    past = timezone.now() - dt.timedelta(hours=3)
    done.notifications.update(due_at=past, done_at=past)
    closed.notifications.update(due_at=past)
    closed.phase = "closed"
    closed.save()
    assert alert_overdue_steps() == 0


def test_demo_district_has_incident_history_once() -> None:
    from django.core.management import call_command

    call_command("load_demo")
    call_command("load_demo")
    assert Incident.objects.count() == 2
    assert Report.objects.filter(status=Report.Status.NEW).count() == 2
    closed = Incident.objects.get(phase=Incident.Phase.CLOSED)
    assert not closed.notifications.filter(required=True, done_at__isnull=True).exists()
    opened = Incident.objects.get(phase=Incident.Phase.CONTAINED)
    assert opened.notifications.get(step=Notification.Step.COUNSEL).is_overdue()


class BrokenChannel:
    """A channel that always fails, as a chat webhook does when its service is down."""

    def send(self, recipients: list[User], subject: str, body: str) -> None:
        raise ConnectionError("service down")


def test_failing_alert_channel_does_not_lose_the_report_or_the_email(
    person: Callable[..., User], mailoutbox: list[Any], settings: Any
) -> None:
    from districtguard.incidents import alerts

    settings.DISTRICTGUARD_ALERT_CHANNELS = [
        "tests.incidents.test_jobs.BrokenChannel",
        "districtguard.incidents.alerts.EmailChannel",
    ]
    alerts.channels.cache_clear()
    try:
        director = person(Role.DIRECTOR)
        report = services.submit_report(reporter=director, summary="USB stick found")
    finally:
        alerts.channels.cache_clear()
    assert Report.objects.filter(pk=report.pk).exists()
    assert len(mailoutbox) == 1 and report.reference in mailoutbox[0].subject
