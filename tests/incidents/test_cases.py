"""Working an incident: phases, tasks, evidence, the notification chain, the law."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from districtguard.accounts.models import AuditEntry, User
from districtguard.accounts.roles import Role
from districtguard.incidents import services
from districtguard.incidents.chain import open_incidents_by_deadline
from districtguard.incidents.models import (
    CustodyEvent,
    ExposedElement,
    Incident,
    Notification,
    Report,
)

pytestmark = pytest.mark.django_db
SignIn = Callable[[str], tuple[Client, User]]


@pytest.fixture
def case(person: Callable[..., User]) -> Incident:
    director = person(Role.DIRECTOR)
    return services.open_incident(
        actor=director, title="Laptop stolen", category="lost_device"
    )


def test_phases_move_forward_and_reopen_needs_a_reason(
    as_role: SignIn, case: Incident
) -> None:
    client, _ = as_role(Role.TECH_STAFF)
    url = f"/incidents/{case.pk}/phase/"
    client.post(url, {"phase": "contained"})
    client.post(url, {"phase": "closed"})
    case.refresh_from_db()
    assert case.phase == "closed" and case.closed_at is not None
    client.post(url, {"phase": "contained", "comment": ""})
    case.refresh_from_db()
    assert case.phase == "closed"
    client.post(url, {"phase": "contained", "comment": "New sign-ins seen"})
    case.refresh_from_db()
    assert case.phase == "contained" and case.closed_at is None
    assert AuditEntry.objects.filter(action="incident.reopened").exists()
    assert case.timeline.filter(text__startswith="Reopened").exists()


def test_tasks_notes_and_evidence_custody(as_role: SignIn, case: Incident) -> None:
    client, user = as_role(Role.DIRECTOR)
    client.post(f"/incidents/{case.pk}/tasks/", {"title": "Call the insurer"})
    task = case.tasks.get(title="Call the insurer")
    client.post(f"/incidents/tasks/{task.pk}/done/")
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == user
    client.post(f"/incidents/{case.pk}/notes/", {"text": "Device last seen in room 12"})
    assert case.timeline.filter(kind="note").exists()
    upload = SimpleUploadedFile(
        "police-report.pdf", b"%PDF-1.4 synthetic", "application/pdf"
    )
    client.post(
        f"/incidents/{case.pk}/evidence/", {"file": upload, "description": "report"}
    )
    item = case.evidence.get()
    response = client.get(f"/incidents/evidence/{item.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 synthetic"  # type: ignore[attr-defined]
    actions = list(item.custody.values_list("action", flat=True))
    assert actions == [CustodyEvent.Action.COLLECTED, CustodyEvent.Action.DOWNLOADED]


def test_notification_chain_records_who_when_how(
    as_role: SignIn, case: Incident
) -> None:
    client, user = as_role(Role.DIRECTOR)
    step = case.notifications.get(step=Notification.Step.SUPERINTENDENT)
    response = client.post(
        f"/incidents/notifications/{step.pk}/",
        {"method": "phone", "recipient": "Superintendent", "message": "Laptop stolen"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_by == user and step.method == "phone" and step.done_at is not None
    again = client.post(
        f"/incidents/notifications/{step.pk}/", {"method": "email", "recipient": "x"}
    )
    assert again.status_code == 302
    step.refresh_from_db()
    assert step.method == "phone"


def test_overdue_incidents_come_first(person: Callable[..., User]) -> None:
    director = person(Role.DIRECTOR)
    calm = services.open_incident(actor=director, title="calm", category="other")
    late = services.open_incident(actor=director, title="late", category="other")
    for incident in (calm, late):
        incident.notifications.filter(step=Notification.Step.SUPERINTENDENT).update(
            done_at=timezone.now()
        )
    late.notifications.filter(step=Notification.Step.COUNSEL).update(
        due_at=timezone.now() - dt.timedelta(hours=2)
    )
    calm.notifications.filter(step=Notification.Step.COUNSEL).update(
        due_at=timezone.now() + dt.timedelta(hours=2)
    )
    rows = open_incidents_by_deadline()
    assert [row.incident.title for row in rows] == ["late", "calm"]
    assert rows[0].overdue == 1 and rows[1].overdue == 0


def test_superintendent_step_overdue_after_district_hours(
    person: Callable[..., User],
) -> None:
    director = person(Role.DIRECTOR)
    incident = services.open_incident(actor=director, title="x", category="other")
    step = incident.notifications.get(step=Notification.Step.SUPERINTENDENT)
    assert not step.is_overdue()
    assert step.is_overdue(timezone.now() + dt.timedelta(hours=2))


def test_determination_puts_legal_notices_in_the_chain(
    as_role: SignIn, case: Incident
) -> None:
    client, _ = as_role(Role.COUNSEL)
    ExposedElement.objects.create(incident=case, kind="SSN")
    facts = case.facts
    facts.accessed = facts.acquired = facts.harm_believed = True
    facts.ok_residents = 750
    facts.save()
    page = client.get(f"/incidents/{case.pk}/facts/").content.decode()
    assert "Notice is required" in page and "R-OK-4" in page
    # Each duty reads as one sentence: the how, then the when.
    assert "conditions not met); <em>without unreasonable delay" in page
    assert "Was the data acquired (copied, taken, downloaded)?" in page
    client.post(f"/incidents/{case.pk}/determination/")
    ag = case.notifications.get(step=Notification.Step.ATTORNEY_GENERAL)
    assert ag.required and ag.due_at is not None
    due_day = timezone.localtime(ag.due_at).date()
    assert due_day == case.discovered_on + dt.timedelta(days=60)
    residents = case.notifications.get(step=Notification.Step.RESIDENTS)
    assert residents.required and residents.due_at is None
    assert AuditEntry.objects.filter(action="incident.determination_applied").exists()


def test_facts_form_rejects_a_hold_released_before_advised(
    as_role: SignIn, case: Incident
) -> None:
    client, _ = as_role(Role.DIRECTOR)
    response = client.post(
        f"/incidents/{case.pk}/facts/",
        {
            "save_facts": "1",
            "facts-ok_residents": "3",
            "facts-role": "owner",
            "facts-students_affected": "0",
            "facts-hold_agency": "FBI",
            "facts-hold_advised_on": "2026-03-10",
            "facts-hold_released_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert "before it was advised" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DIRECTOR, 200),
        (Role.TECH_STAFF, 200),
        (Role.SUPERINTENDENT, 200),
        (Role.COUNSEL, 200),
        (Role.AUDITOR, 200),
        (Role.BOARD, 403),
        (Role.STAFF, 403),
    ],
)
def test_incident_page_by_role(
    as_role: SignIn, case: Incident, role: str, status: int
) -> None:
    client, _ = as_role(role)
    assert client.get(f"/incidents/{case.pk}/").status_code == status


@pytest.mark.parametrize(
    "role", [Role.AUDITOR, Role.BOARD, Role.STAFF, Role.SUPERINTENDENT]
)
def test_only_responders_change_incidents(
    as_role: SignIn, case: Incident, role: str
) -> None:
    client, _ = as_role(role)
    response = client.post(f"/incidents/{case.pk}/phase/", {"phase": "contained"})
    assert response.status_code in (403, 404)
    case.refresh_from_db()
    assert case.phase == "detected"


def test_tech_staff_cannot_record_notifications_or_facts(
    as_role: SignIn, case: Incident
) -> None:
    client, _ = as_role(Role.TECH_STAFF)
    step = case.notifications.first()
    assert step is not None
    assert client.get(f"/incidents/notifications/{step.pk}/").status_code == 403
    assert client.get(f"/incidents/{case.pk}/facts/").status_code == 403


def test_missing_incident_is_404(as_role: SignIn) -> None:
    client, _ = as_role(Role.DIRECTOR)
    assert client.get("/incidents/999/").status_code == 404


def test_dashboard_shows_incident_card_and_overdue_notification_task(
    as_role: SignIn, case: Incident
) -> None:
    case.notifications.filter(step=Notification.Step.SUPERINTENDENT).update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )
    client, user = as_role(Role.DIRECTOR)
    task = case.tasks.first()
    assert task is not None
    task.assignee = user
    task.save()
    page = client.get("/").content.decode()
    assert "Incidents" in page and "1 open (1 with overdue steps)" in page
    assert f"{case.reference}: notify Superintendent" in page
    assert f"{case.reference}: {task.title}" in page
    # The card's lines lead to the incidents they name.
    assert f'href="/incidents/{case.pk}/"' in page
    staff, reporter = as_role(Role.STAFF)
    staff_page = staff.get("/").content.decode()
    assert (
        "Report a security incident" in staff_page and case.reference not in staff_page
    )
    assert "You have sent" not in staff_page
    Report.objects.create(reporter=reporter, summary="A pop-up asks for my password")
    staff_page = staff.get("/").content.decode()
    assert "You have sent 1 report<" in staff_page
    assert 'href="/incidents/reports/mine/"' in staff_page


def test_incident_without_exposed_data_says_so_instead_of_no_notice(
    as_role: SignIn, case: Incident
) -> None:
    client, _ = as_role(Role.DIRECTOR)
    page = client.get(f"/incidents/{case.pk}/").content.decode()
    assert "No exposed data is recorded yet" in page
    assert "No notice is required" not in page


def test_tasks_with_a_due_time_come_before_those_without(case: Incident) -> None:
    titles = [t.due_at is None for t in case.tasks.all()]
    assert titles == sorted(titles)
