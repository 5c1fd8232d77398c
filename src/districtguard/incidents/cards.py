"""Dashboard cards for incidents: open incidents for responders, reporting for all."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from districtguard.accounts.models import User
from districtguard.incidents.chain import open_incidents_by_deadline
from districtguard.incidents.models import Report
from districtguard.web.dashboard import Card, card


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
    lines = tuple(
        f"{row.incident.reference}: {row.next.what}"
        if row.next
        else row.incident.reference
        for row in rows[:3]
    )
    return Card(
        "Incidents",
        status,
        f"{len(rows)} open ({overdue} with overdue steps), {new_reports} new reports",
        reverse("incidents:list"),
        lines,
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
        (f"You have sent {mine} report(s).",) if mine else (),
    )
