"""Connect an incident record to the breach-law library.

``facts_for`` turns the stored facts into ``districtguard.law`` input;
``apply_determination`` turns the output into the notification chain's legal
steps (data owner, residents, Attorney General, FERPA entries) with due dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from districtguard.incidents.models import BreachFacts, Incident, Notification
from districtguard.law import (
    Code,
    DataElement,
    DataKind,
    Determination,
    HarmAssessment,
    IncidentFacts,
    LawEnforcementHold,
    Protection,
    Recipient,
    Role,
    Settlements,
    determine,
)

_STEPS = {
    Recipient.DATA_OWNER: Notification.Step.DATA_OWNER,
    Recipient.RESIDENTS: Notification.Step.RESIDENTS,
    Recipient.ATTORNEY_GENERAL: Notification.Step.ATTORNEY_GENERAL,
    Recipient.STUDENT_RECORDS: Notification.Step.STUDENT_RECORDS,
}


def _settlements() -> Settlements:
    from districtguard.district.models import District

    district = District.current()
    return Settlements(student_ids_are_government_ids=bool(district.student_id_pattern))


def facts_for(incident: Incident) -> IncidentFacts:
    """Return what the incident record says, as the law library's input."""
    facts, _ = BreachFacts.objects.get_or_create(incident=incident)
    hold = None
    if facts.hold_agency and facts.hold_advised_on:
        hold = LawEnforcementHold(
            facts.hold_agency,
            facts.hold_advised_on,
            facts.hold_released_on,
            facts.hold_criminal,
        )
    harm = None
    if facts.harm_believed is not None:
        harm = HarmAssessment(
            facts.harm_believed, facts.harm_rationale, facts.harm_assessor
        )
    elements = tuple(
        DataElement(
            DataKind(e.kind),
            linked_to_name=e.linked_to_name,
            protection=Protection(e.protection),
            key_compromised=e.key_compromised,
            acquired_unencrypted=e.acquired_unencrypted,
            visible_digits=e.visible_digits,
            code_required=e.code_required,
            codes=frozenset(Code(code) for code in e.codes),
        )
        for e in incident.elements.all()
    )
    cost = facts.notice_cost_estimate
    return IncidentFacts(
        discovery_date=incident.discovered_on,
        elements=elements,
        accessed=facts.accessed,
        acquired=facts.acquired,
        computerized=facts.computerized,
        good_faith_insider=facts.good_faith_insider,
        ok_residents=facts.ok_residents,
        credit_bureau=facts.credit_bureau,
        role=Role(facts.role),
        determination_date=incident.determined_on,
        breach_date=incident.breach_on,
        residents_notified_on=facts.residents_notified_on,
        hold=hold,
        harm=harm,
        notice_cost_estimate=float(cost) if cost is not None else None,
        contact_info_sufficient=facts.contact_info_sufficient,
        students_affected=facts.students_affected,
        education_records=facts.education_records,
        settlements=_settlements(),
    )


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def determination_for(
    incident: Incident, today: dt.date | None = None
) -> Determination:
    """Return the breach-law determination for the incident as recorded now."""
    return determine(facts_for(incident), today=today or timezone.localdate())


def apply_determination(incident: Incident, result: Determination) -> list[Any]:
    """Update the legal notification steps from ``result``; return what changed."""
    changed = []
    for duty in result.obligations:
        step = _STEPS.get(duty.recipient)
        if step is None:
            continue
        due_text = duty.due_text + (
            " — paused by a law-enforcement hold" if duty.paused else ""
        )
        defaults = {
            "required": duty.required,
            "due_at": _end_of_day(duty.due) if duty.due else None,
            "due_text": due_text[:300],
        }
        notification, created = Notification.objects.get_or_create(
            incident=incident, step=step, defaults=defaults
        )
        if created:
            changed.append(step)
            continue
        if notification.done_at is None and any(
            getattr(notification, key) != value for key, value in defaults.items()
        ):
            for key, value in defaults.items():
                setattr(notification, key, value)
            notification.save()
            changed.append(step)
    return changed
