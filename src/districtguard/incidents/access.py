"""Fetch reports, incidents and their parts only for people allowed to see them.

Staff see their own reports; the permission table decides the rest. Anything
a person may not see is a 404, so its existence does not leak.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from districtguard.accounts.access import current_user
from districtguard.incidents.models import (
    Evidence,
    ExposedElement,
    Incident,
    Notification,
    Report,
    Task,
)
from districtguard.inventory.models import DataStore


def get_report_for_user(
    request: HttpRequest, pk: int, *, write: bool = False
) -> Report:
    """Return report ``pk``: the reporter may read it; triage needs incidents.manage."""
    user = current_user(request)
    report = get_object_or_404(Report, pk=pk)
    if write:
        if not user.can("incidents.manage"):
            raise Http404
    elif report.reporter_id != user.pk and not user.can("incidents.view"):
        raise Http404
    return report


def get_incident_for_user(
    request: HttpRequest, pk: int, *, write: bool = False, permission: str = ""
) -> Incident:
    """Return incident ``pk`` if the person may see it (and change it, if ``write``)."""
    user = current_user(request)
    needed = permission or ("incidents.manage" if write else "incidents.view")
    if not user.can(needed):
        raise Http404
    return get_object_or_404(Incident, pk=pk)


def get_task_for_user(request: HttpRequest, pk: int) -> Task:
    """Return task ``pk`` for someone who manages incidents or is its assignee."""
    user = current_user(request)
    task = get_object_or_404(Task.objects.select_related("incident"), pk=pk)
    if not user.can("incidents.manage") and task.assignee_id != user.pk:
        raise Http404
    return task


def get_notification_for_user(request: HttpRequest, pk: int) -> Notification:
    """Return notification step ``pk`` for someone who may record notifications."""
    if not current_user(request).can("incidents.notify"):
        raise Http404
    return get_object_or_404(Notification.objects.select_related("incident"), pk=pk)


def get_evidence_for_user(request: HttpRequest, pk: int) -> Evidence:
    """Return evidence ``pk`` for someone who may see incidents, or its reporter."""
    user = current_user(request)
    evidence = get_object_or_404(Evidence.objects.select_related("report"), pk=pk)
    if user.can("incidents.view"):
        return evidence
    if evidence.report is not None and evidence.report.reporter_id == user.pk:
        return evidence
    raise Http404


def get_element_for_user(request: HttpRequest, pk: int) -> ExposedElement:
    """Return exposed-data row ``pk`` for someone who may record breach facts."""
    if not current_user(request).can("incidents.legal"):
        raise Http404
    return get_object_or_404(ExposedElement.objects.select_related("incident"), pk=pk)


def stores_for_user(request: HttpRequest) -> QuerySet[DataStore]:
    """Return the data stores the person may see (those holding inventory.view)."""
    if not current_user(request).can("inventory.view"):
        return DataStore.objects.none()
    return DataStore.objects.order_by("name")


def get_stores_for_user(request: HttpRequest, pks: list[str]) -> list[DataStore]:
    """Return stores ``pks``; any the person may not see (or no store) is a 404."""
    try:
        wanted = {int(pk) for pk in pks}
    except ValueError:
        raise Http404 from None
    found = list(stores_for_user(request).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise Http404
    return found
