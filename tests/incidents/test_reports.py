"""Staff report suspected incidents; responders are alerted; reports are triaged."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from districtguard.accounts.models import AuditEntry, User
from districtguard.accounts.roles import Role
from districtguard.incidents.models import (
    Evidence,
    Incident,
    Notification,
    Report,
    Task,
)

pytestmark = pytest.mark.django_db
SignIn = Callable[[str], tuple[Client, User]]


def _report(client: Client, **extra: object) -> Report:
    data = {"summary": "Email asked for my password", "details": "I clicked the link."}
    data.update(extra)  # type: ignore[arg-type]
    response = client.post("/incidents/report/", data)
    assert response.status_code == 302, response.content[:500]
    return Report.objects.latest("submitted_at")


def test_report_form_is_one_click_from_home(as_role: SignIn) -> None:
    client, _ = as_role(Role.STAFF)
    page = client.get("/").content.decode()
    assert 'href="/incidents/report/"' in page
    assert client.get("/incidents/report/").status_code == 200


def test_staff_report_gets_reference_and_alerts_responders(
    as_role: SignIn, person: Callable[..., User]
) -> None:
    director = person(Role.DIRECTOR)
    tech = person(Role.TECH_STAFF)
    person(Role.BOARD)
    client, reporter = as_role(Role.STAFF)
    shot = SimpleUploadedFile("screen.png", b"\x89PNG fake image", "image/png")
    report = _report(client, attachments=[shot])
    assert report.reference.startswith("R-") and report.reporter == reporter
    assert report.attachments.count() == 1
    evidence = report.attachments.get()
    assert len(evidence.sha256) == 64 and evidence.custody.count() == 1
    page = client.get(f"/incidents/reports/{report.pk}/").content.decode()
    assert report.reference in page and "What happens next" in page
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {director.email, tech.email}
    assert report.reference in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="incident.report_submitted").exists()


def test_oversized_attachment_is_refused_and_nothing_is_half_saved(
    as_role: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from districtguard.incidents import forms

    client, _ = as_role(Role.STAFF)
    big = SimpleUploadedFile("big.bin", b"x" * 2048, "application/octet-stream")
    monkeypatch.setattr(forms, "MAX_EVIDENCE_BYTES", 1024)
    response = client.post("/incidents/report/", {"summary": "s", "attachments": [big]})
    assert response.status_code == 200
    assert "big.bin" in response.content.decode()
    assert Report.objects.count() == 0 and Evidence.objects.count() == 0


def test_empty_report_gets_a_clear_error(as_role: SignIn) -> None:
    client, _ = as_role(Role.STAFF)
    response = client.post("/incidents/report/", {"summary": ""})
    assert response.status_code == 200 and b"This field is required" in response.content


def test_other_staff_cannot_see_someone_elses_report(as_role: SignIn) -> None:
    client, _ = as_role(Role.STAFF)
    report = _report(client)
    other, _ = as_role(Role.STAFF)
    assert other.get(f"/incidents/reports/{report.pk}/").status_code == 404
    board, _ = as_role(Role.BOARD)
    assert board.get(f"/incidents/reports/{report.pk}/").status_code == 404


def test_triage_opens_incident_with_playbook_and_chain(as_role: SignIn) -> None:
    staff, _ = as_role(Role.STAFF)
    report = _report(staff)
    director, user = as_role(Role.DIRECTOR)
    response = director.post(
        f"/incidents/reports/{report.pk}/triage/",
        {
            "decision": "open",
            "title": "Phishing at Lincoln",
            "category": "phishing",
            "severity": "3",
        },
    )
    incident = Incident.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/incidents/{incident.pk}/"
    )
    report.refresh_from_db()
    assert report.status == Report.Status.INCIDENT and report.incident == incident
    assert Task.objects.filter(incident=incident).count() >= 5
    steps = set(incident.notifications.values_list("step", flat=True))
    assert (
        Notification.Step.SUPERINTENDENT in steps and Notification.Step.BOARD in steps
    )
    superintendent = incident.notifications.get(step=Notification.Step.SUPERINTENDENT)
    assert superintendent.due_at is not None
    assert (superintendent.due_at - incident.opened_at).total_seconds() == 3600
    assert incident.timeline.filter(kind="report").exists()
    assert incident.owner == user


def test_triage_needs_reason_to_dismiss_and_cannot_run_twice(as_role: SignIn) -> None:
    staff, _ = as_role(Role.STAFF)
    report = _report(staff)
    tech, _ = as_role(Role.TECH_STAFF)
    url = f"/incidents/reports/{report.pk}/triage/"
    assert tech.post(url, {"decision": "dismiss", "reason": ""}).status_code == 400
    assert (
        tech.post(
            url, {"decision": "dismiss", "reason": "Simulated phishing test"}
        ).status_code
        == 302
    )
    report.refresh_from_db()
    assert report.status == Report.Status.NOT_INCIDENT
    tech.post(url, {"decision": "open", "title": "x", "category": "other"})
    assert Incident.objects.count() == 0


def test_duplicate_report_merges_into_incident(as_role: SignIn) -> None:
    staff, _ = as_role(Role.STAFF)
    first, second = _report(staff), _report(staff, summary="Same email again")
    director, _ = as_role(Role.DIRECTOR)
    director.post(
        f"/incidents/reports/{first.pk}/triage/",
        {"decision": "open", "title": "Phish", "category": "phishing"},
    )
    incident = Incident.objects.get()
    director.post(
        f"/incidents/reports/{second.pk}/triage/",
        {"decision": "merge", "incident": incident.pk},
    )
    second.refresh_from_db()
    assert second.status == Report.Status.MERGED and second.incident == incident
    assert incident.reports.count() == 2


def test_staff_cannot_triage(as_role: SignIn) -> None:
    staff, _ = as_role(Role.STAFF)
    report = _report(staff)
    response = staff.post(
        f"/incidents/reports/{report.pk}/triage/",
        {"decision": "dismiss", "reason": "mine"},
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.NEW
