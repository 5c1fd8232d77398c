"""The audit-log browser: filter, page, export, verify. Nothing here changes it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from districtguard.accounts import audit, auditlog
from districtguard.accounts.access import requires
from districtguard.accounts.audit import AuditEntry
from districtguard.accounts.forms import AuditFilterForm

PAGE_SIZE = 50


@requires("audit.view")
def log(request: HttpRequest) -> HttpResponse:
    """List audit entries, newest first, filtered and paged."""
    form = AuditFilterForm(request.GET)
    entries = form.filter(AuditEntry.objects.order_by("-seq"))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    actions = AuditEntry.objects.values_list("action", flat=True).distinct()
    return render(
        request,
        "accounts/audit_log.html",
        {
            "form": form,
            "page": page,
            "query": form.query_string(),
            "actions": sorted(set(actions)),
            "last_check": auditlog.last_check(),
            "can_export": request.user.can("audit.export"),  # type: ignore[union-attr]
        },
    )


@requires("audit.export")
def export(request: HttpRequest) -> HttpResponse:
    """Download the filtered entries as CSV; the export itself is audited."""
    form = AuditFilterForm(request.GET)
    head = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    # The export holds the log as it was when asked for; its own entry, added
    # next, is in the next export.
    entries = form.filter(AuditEntry.objects.filter(seq__lte=head or 0))
    count = entries.count()
    filters = (
        {k: str(v) for k, v in form.cleaned_data.items() if v}
        if form.is_valid()
        else {}
    )
    audit.record(
        "audit.exported", request=request, rows=count, up_to=head or 0, filters=filters
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(
        auditlog.csv_lines(entries), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response  # type: ignore[return-value]


@requires("audit.view")
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Verify the whole chain now, record the outcome and show it."""
    result = auditlog.verify_and_record(request)
    return render(
        request,
        "accounts/audit_verify.html",
        {"result": result, "problems": result.problems[:200]},
    )
