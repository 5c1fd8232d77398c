"""Thin views: check access, validate a form, call one service, redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from districtguard.accounts import audit
from districtguard.accounts.access import current_user, requires
from districtguard.incidents import access, services
from districtguard.incidents.chain import open_incidents_by_deadline
from districtguard.incidents.evidence import EvidenceTooLarge, store_evidence
from districtguard.incidents.forms import (
    EvidenceForm,
    IncidentForm,
    NoteForm,
    NotificationForm,
    PhaseForm,
    ReportForm,
    TaskForm,
    TriageForm,
)
from districtguard.incidents.legal import determination_for
from districtguard.incidents.models import (
    CustodyEvent,
    Incident,
    Report,
    Task,
)


@requires("incidents.report")
def report_new(request: HttpRequest) -> HttpResponse:
    """Let any staff member report a suspected incident."""
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.submit_report(
                reporter=current_user(request),
                files=form.cleaned_data["attachments"],
                request=request,
                **{
                    k: form.cleaned_data[k]
                    for k in ("summary", "details", "occurred_at", "device")
                },
            )
        except EvidenceTooLarge as exc:
            form.add_error("attachments", str(exc))
        else:
            messages.success(request, f"Thank you. Your report is {report.reference}.")
            return redirect("incidents:report", report.pk)
    return render(request, "incidents/report_new.html", {"form": form})


@requires("incidents.report")
def report_mine(request: HttpRequest) -> HttpResponse:
    """List the signed-in person's own reports."""
    reports = Report.objects.filter(reporter=current_user(request))
    return render(request, "incidents/report_mine.html", {"reports": reports})


@requires("incidents.report")
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a report: to its reporter, and to those who see all incidents."""
    report = access.get_report_for_user(request, pk)
    can_triage = (
        current_user(request).can("incidents.manage")
        and report.status == Report.Status.NEW
    )
    return render(
        request,
        "incidents/report_detail.html",
        {"report": report, "triage": TriageForm() if can_triage else None},
    )


@requires("incidents.manage")
@require_POST
def report_triage(request: HttpRequest, pk: int) -> HttpResponse:
    """Open an incident from a report, merge it into one, or dismiss it."""
    report = access.get_report_for_user(request, pk, write=True)
    form = TriageForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "incidents/report_detail.html",
            {"report": report, "triage": form},
            status=400,
        )
    data, user = form.cleaned_data, current_user(request)
    try:
        if data["decision"] == "open":
            incident = services.open_incident(
                actor=user,
                title=data["title"],
                category=data["category"],
                severity=data["severity"] or Incident.Severity.MEDIUM,
                reports=[report],
                request=request,
            )
            return redirect("incidents:detail", incident.pk)
        if data["decision"] == "merge":
            services.merge_report(report, data["incident"], user, request)
            return redirect("incidents:detail", data["incident"].pk)
        services.dismiss_report(report, user, data["reason"], request)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    return redirect("incidents:reports")


@requires("incidents.view")
def report_list(request: HttpRequest) -> HttpResponse:
    """The queue of reports, new ones first."""
    reports = Report.objects.select_related("reporter", "incident").order_by(
        "-status", "-submitted_at"
    )
    status = request.GET.get("status", "new")
    if status in Report.Status.values:
        reports = reports.filter(status=status)
    return render(
        request,
        "incidents/report_list.html",
        {"reports": reports[:500], "status": status, "statuses": Report.Status.choices},
    )


@requires("incidents.view")
def incident_list(request: HttpRequest) -> HttpResponse:
    """Open incidents with the next deadline of each, overdue first."""
    rows = open_incidents_by_deadline()
    closed = Incident.objects.filter(phase=Incident.Phase.CLOSED).annotate(
        reports_count=Count("reports")
    )[:50]
    new_reports = Report.objects.filter(status=Report.Status.NEW).count()
    return render(
        request,
        "incidents/incident_list.html",
        {"rows": rows, "closed": closed, "new_reports": new_reports},
    )


@requires("incidents.manage")
def incident_new(request: HttpRequest) -> HttpResponse:
    """Open an incident by hand (found by monitoring, not reported by staff)."""
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        incident = services.open_incident(
            actor=current_user(request),
            title=data["title"],
            category=data["category"],
            severity=data["severity"],
            owner=data["owner"],
            request=request,
        )
        return redirect("incidents:detail", incident.pk)
    return render(
        request, "incidents/incident_form.html", {"form": form, "incident": None}
    )


@requires("incidents.view")
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The incident record: phase, tasks, chain, timeline, evidence, the law."""
    incident = access.get_incident_for_user(request, pk)
    user = current_user(request)
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "tasks": incident.tasks.select_related("assignee"),
            "chain": incident.notifications.all(),
            "timeline": incident.timeline.select_related("actor"),
            "evidence": incident.evidence.all(),
            "elements": incident.elements.all(),
            "determination": determination_for(incident),
            "can_manage": user.can("incidents.manage"),
            "can_notify": user.can("incidents.notify"),
            "can_legal": user.can("incidents.legal"),
            "phase_form": PhaseForm(initial={"phase": incident.phase}),
            "task_form": TaskForm(),
            "note_form": NoteForm(),
            "evidence_form": EvidenceForm(),
        },
    )


@requires("incidents.manage")
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the incident's record."""
    incident = access.get_incident_for_user(request, pk, write=True)
    form = IncidentForm(request.POST or None, instance=incident)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.note(
            incident,
            current_user(request),
            "edited",
            "Record updated: " + ", ".join(form.changed_data),
        )
        audit.record(
            "incident.edited", obj=incident, request=request, fields=form.changed_data
        )
        return redirect("incidents:detail", incident.pk)
    return render(
        request, "incidents/incident_form.html", {"form": form, "incident": incident}
    )


@requires("incidents.manage")
@require_POST
def incident_phase(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the incident to another phase."""
    incident = access.get_incident_for_user(request, pk, write=True)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.change_phase(
                incident,
                form.cleaned_data["phase"],
                current_user(request),
                form.cleaned_data["comment"],
                request,
            )
        except services.TransitionError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "Choose a phase.")
    return redirect("incidents:detail", incident.pk)


@requires("incidents.manage")
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a task to the incident."""
    incident = access.get_incident_for_user(request, pk, write=True)
    form = TaskForm(request.POST)
    if form.is_valid():
        task = Task.objects.create(incident=incident, **form.cleaned_data)
        services.note(
            incident, current_user(request), "task", f"Task added: {task.title}"
        )
    else:
        messages.error(request, "A task needs a title.")
    return redirect("incidents:detail", incident.pk)


@requires("incidents.report")
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a task done (its assignee, or someone who manages incidents)."""
    task = access.get_task_for_user(request, pk)
    try:
        services.complete_task(task, current_user(request), request)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    if current_user(request).can("incidents.view"):
        return redirect("incidents:detail", task.incident_id)
    return redirect("home")


@requires("incidents.manage")
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an observation to the incident's timeline."""
    incident = access.get_incident_for_user(request, pk, write=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note(
            incident, current_user(request), "note", form.cleaned_data["text"]
        )
    return redirect("incidents:detail", incident.pk)


@requires("incidents.manage")
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep a file as evidence of the incident."""
    incident = access.get_incident_for_user(request, pk, write=True)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        item = store_evidence(
            upload,
            name=upload.name,
            content_type=upload.content_type or "",
            actor=current_user(request),
            incident=incident,
            description=form.cleaned_data["description"],
        )
        services.note(
            incident,
            current_user(request),
            "evidence",
            f"Evidence added: {item.original_name} (SHA-256 {item.sha256[:16]}…)",
        )
        audit.record(
            "incident.evidence_added",
            obj=incident,
            request=request,
            evidence=item.pk,
            sha256=item.sha256,
        )
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.values()))
    return redirect("incidents:detail", incident.pk)


@requires("incidents.report")
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Download an evidence file; the download joins its chain of custody."""
    evidence = access.get_evidence_for_user(request, pk)
    CustodyEvent.objects.create(
        evidence=evidence,
        actor=current_user(request),
        action=CustodyEvent.Action.DOWNLOADED,
    )
    audit.record("incident.evidence_downloaded", obj=evidence, request=request)
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )


@requires("incidents.notify")
def notification_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a step of the notification chain was carried out."""
    step = access.get_notification_for_user(request, pk)
    form = NotificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_notification(
                step, current_user(request), request=request, **form.cleaned_data
            )
        except services.TransitionError as exc:
            messages.error(request, str(exc))
        return redirect("incidents:detail", step.incident_id)
    return render(
        request, "incidents/notification_form.html", {"step": step, "form": form}
    )
