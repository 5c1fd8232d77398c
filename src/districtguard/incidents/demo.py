"""Demo history for incidents: reports in every state and incidents in every phase.

Called by ``load_demo`` with the demo district's people; adds its history once.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from districtguard.accounts.models import User
from districtguard.accounts.roles import Role
from districtguard.incidents import services
from districtguard.incidents.inventory import apply_inventory
from districtguard.incidents.legal import apply_determination, determination_for
from districtguard.incidents.models import (
    ExposedElement,
    Incident,
    Notification,
    Report,
)
from districtguard.inventory.models import DataStore

PHISH = b"""From: "IT Helpdesk" <helpdesk@mailbox-verify.example>
To: staff@demo.example.org
Subject: Your mailbox is full - verify now
Content-Type: text/plain

Your mailbox has exceeded its quota. Verify your password at
http://mailbox-verify.example/login within 24 hours.
"""


def load(people: list[User]) -> None:
    """Add the demo reports and incidents, unless they are already there."""
    if Report.objects.exists() or Incident.objects.exists():
        return
    staff = [p for p in people if p.role == Role.STAFF]
    responder = User.objects.filter(role=Role.DIRECTOR, is_active=True).first() or next(
        p for p in people if p.role == Role.TECH_STAFF
    )
    superintendent = next(p for p in people if p.role == Role.SUPERINTENDENT)
    now = timezone.now()

    phish = services.submit_report(
        reporter=staff[0],
        summary="Email asking me to verify my mailbox password",
        details="I did not click the link. Forwarding it as a file.",
        files=[SimpleUploadedFile("message.eml", PHISH, "message/rfc822")],
    )
    services.submit_report(
        reporter=staff[1],
        summary="Got the same mailbox-full email",
        device="Room 14 PC",
    )
    services.submit_report(
        reporter=staff[2],
        summary="A pop-up says my computer has a virus and to call a number",
        device="Library laptop 3",
    )
    opened = services.open_incident(
        actor=responder,
        title="Credential phishing campaign: mailbox-full lure",
        category=Incident.Category.PHISHING,
        severity=Incident.Severity.HIGH,
        reports=[phish],
    )
    superintendent_step = opened.notifications.get(
        step=Notification.Step.SUPERINTENDENT
    )
    services.record_notification(
        superintendent_step,
        responder,
        method="phone",
        recipient=str(superintendent),
        message="Phishing campaign under way; one account may be compromised.",
    )
    services.change_phase(
        opened, Incident.Phase.CONTAINED, responder, "Sender blocked."
    )
    opened.notifications.filter(step=Notification.Step.COUNSEL).update(
        due_at=now - dt.timedelta(hours=6)
    )
    _name_demo_store(opened, responder, people)

    lost = services.open_incident(
        actor=responder,
        title="Laptop stolen from a car (encrypted)",
        category=Incident.Category.LOST_DEVICE,
        severity=Incident.Severity.MEDIUM,
    )
    lost.discovered_on = timezone.localdate() - dt.timedelta(days=40)
    lost.save(update_fields=["discovered_on"])
    ExposedElement.objects.create(
        incident=lost,
        kind="SSN",
        protection="encrypted",
        source="the laptop's payroll export (demo)",
    )
    facts = lost.facts
    facts.accessed = facts.acquired = True
    facts.harm_believed = False
    facts.harm_rationale = (
        "Full-disk encryption was on and the key was not with the device."
    )
    facts.harm_assessor = str(superintendent)
    facts.ok_residents = 38
    facts.save()
    apply_determination(lost, determination_for(lost))
    for task in lost.tasks.all():
        services.complete_task(task, responder)
    for step in lost.notifications.filter(required=True, done_at__isnull=True):
        services.record_notification(
            step,
            responder,
            method="email",
            recipient="as the policy names",
            message="Stolen encrypted laptop; no personal information exposed.",
        )
    services.change_phase(lost, Incident.Phase.CLOSED, responder, "Device replaced.")


def _name_demo_store(incident: Incident, actor: User, people: list[User]) -> None:
    """Name the demo share as reached by the phishing, and use its figures."""
    from districtguard.inventory import demo as inventory_demo

    inventory_demo.load(people)  # idempotent: the stores exist once, scanned
    store = DataStore.objects.filter(
        name=inventory_demo.SHARE_NAME, last_scanned_at__isnull=False
    ).first()
    if store is None:  # the share could not be copied or scanned
        return
    incident.affected_stores.add(store)
    apply_inventory(incident, actor)
