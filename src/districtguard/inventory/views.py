"""Pages of the PII inventory: stores, scans, files, trends, exceptions, protection."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from districtguard.accounts.access import current_user, requires
from districtguard.inventory import access, services, trend
from districtguard.inventory.databases import table_name
from districtguard.inventory.forms import (
    DatabaseProtectionForm,
    DataStoreForm,
    ExceptionForm,
    ProtectionForm,
)
from districtguard.inventory.models import (
    DataStore,
    FileState,
    FindingException,
    ProtectionRun,
    ScanRun,
)
from districtguard.inventory.totals import active_exceptions, remaining_records

FILES_PER_PAGE = 50


@requires("inventory.view")
def store_list(request: HttpRequest) -> HttpResponse:
    """Every store, the most unprotected statutory records first."""
    stores = DataStore.objects.select_related("owner")
    totals = stores.aggregate(
        gaps=Sum("unprotected_statutory"), records=Sum("statutory_records")
    )
    return render(
        request, "inventory/store_list.html", {"stores": stores, "totals": totals}
    )


@requires("inventory.manage")
def store_new(request: HttpRequest) -> HttpResponse:
    """Register a data store, owned by whoever registers it unless they pick another."""
    form = DataStoreForm(
        request.POST or None, initial={"owner": current_user(request).pk}
    )
    if request.method == "POST" and form.is_valid():
        store = services.save_store(
            form.save(commit=False), actor=current_user(request), created=True
        )
        return redirect("inventory:store", store.pk)
    return render(request, "inventory/store_form.html", {"form": form})


@requires("inventory.manage")
def store_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a data store."""
    store = access.get_store_for_user(request, pk, permission="inventory.manage")
    form = DataStoreForm(request.POST or None, instance=store)
    if request.method == "POST" and form.is_valid():
        services.save_store(
            form.save(commit=False), actor=current_user(request), created=False
        )
        return redirect("inventory:store", store.pk)
    return render(request, "inventory/store_form.html", {"form": form, "store": store})


@requires("inventory.view")
def store_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A store's totals, its scan in progress, its worst files and its trend."""
    store = access.get_store_for_user(request, pk)
    runs = list(ScanRun.objects.filter(store=store)[:5])
    current = next((run for run in runs if run.active), None)
    files, after = worst_files(store, request.GET.get("after", ""))
    context = {
        "store": store,
        # A database store's results are its tables: say so, not "files".
        "db": store.kind == DataStore.Kind.DATABASE,
        "runs": runs,
        "current": current,
        "last_failed": runs[0] if runs and runs[0].status == "failed" else None,
        "files": files[:FILES_PER_PAGE],
        "after": after,
        "next_after": _key(files[FILES_PER_PAGE - 1])
        if len(files) > FILES_PER_PAGE
        else "",
        "trend": trend.store_trend(store),
        "refresh": current is not None,
    }
    return render(request, "inventory/store_detail.html", context)


def _key(file: FileState) -> str:
    return f"{file.unprotected_statutory}.{file.pk}"


def worst_files(store: DataStore, after: str) -> tuple[list[FileState], str]:
    """Return a page of the store's files, worst first, after the key ``after``.

    Keyset paging ("after this file") rather than page numbers: a page deep in a
    million files costs the same as the first.
    """
    files = FileState.objects.filter(store=store).order_by(
        "-unprotected_statutory", "-id"
    )
    gaps, _, pk = after.partition(".")
    if gaps.isdigit() and pk.isdigit():
        files = files.filter(
            Q(unprotected_statutory__lt=int(gaps))
            | Q(unprotected_statutory=int(gaps), id__lt=int(pk))
        )
    else:
        after = ""
    fields = (
        "id",
        "path",
        "status",
        "reason",
        "unprotected_statutory",
        "findings_total",
        "protected_values",
        "store_id",
    )
    return list(files.only(*fields)[: FILES_PER_PAGE + 1]), after


@requires("inventory.manage")
@require_POST
def scan_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a scan of the store now."""
    store = access.get_store_for_user(request, pk, permission="inventory.manage")
    services.queue_scan(store, actor=current_user(request))
    messages.success(request, "Scan queued: progress shows below.")
    return redirect("inventory:store", store.pk)


@requires("inventory.manage")
@require_POST
def scan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a scan; what it wrote is kept and the next scan carries on."""
    run = access.get_run_for_user(request, pk)
    if run.active:
        services.cancel_scan(run, actor=current_user(request))
    return redirect("inventory:store", run.store_id)


@requires("inventory.view")
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One file's counts and masked findings, and the exceptions covering it."""
    file = access.get_file_for_user(request, pk)
    exceptions = active_exceptions(file.store)
    findings = [
        {**finding, "excepted": any(e.covers(file.pk, finding) for e in exceptions)}
        for finding in file.masked
    ]
    context = {
        "file": file,
        "findings": findings,
        "remaining": remaining_records(file, exceptions),
        "truncated": file.findings_total > len(file.masked),
    }
    return render(request, "inventory/file_detail.html", context)


@requires("inventory.view")
def trends(request: HttpRequest) -> HttpResponse:
    """District-wide unprotected statutory records over time, and per store."""
    return render(request, "inventory/trends.html", {"trend": trend.district_trend()})


@requires("inventory.view")
def exception_list(request: HttpRequest) -> HttpResponse:
    """The exceptions register: in force first, then ended or expired."""
    today = timezone.localdate()
    rows = FindingException.objects.select_related("store", "file", "approved_by")
    context = {
        "active": [e for e in rows if e.active_on(today)],
        "past": [e for e in rows if not e.active_on(today)][:100],
    }
    return render(request, "inventory/exception_list.html", context)


@requires("inventory.exceptions")
def exception_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a gap in a store (a file, an element of it, or one value)."""
    store = access.get_store_for_user(request, pk, permission="inventory.exceptions")
    file = None
    file_id = request.GET.get("file") or request.POST.get("file")
    if file_id and str(file_id).isdigit():
        file = access.get_file_for_user(request, int(file_id))
        if file.store_id != store.pk:
            file = None
    form = ExceptionForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        if file is None and not form.cleaned_data["fingerprint"]:
            form.add_error(None, "Choose a file, or give the fingerprint of a value.")
        else:
            services.add_exception(
                store,
                actor=current_user(request),
                file=file,
                **form.cleaned_data,
            )
            messages.success(request, "Exception recorded.")
            return redirect("inventory:exceptions")
    context = {"form": form, "store": store, "file": file}
    return render(request, "inventory/exception_form.html", context)


@requires("inventory.exceptions")
@require_POST
def exception_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End an exception now: its gap counts again."""
    exception = access.get_exception_for_user(request, pk)
    services.end_exception(exception, actor=current_user(request))
    messages.success(request, "Exception ended.")
    return redirect("inventory:exceptions")


def _protection_form(
    request: HttpRequest, store: DataStore, file: FileState | None
) -> HttpResponse:
    database = store.kind == DataStore.Kind.DATABASE
    form: ProtectionForm
    if database and file is None:
        tables = FileState.objects.filter(store=store).order_by("path")
        names = [table_name(path) for path in tables.values_list("path", flat=True)]
        form = DatabaseProtectionForm(request.POST or None, tables=names)
    else:
        form = ProtectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = ""
        if database:
            target = table_name(file.path) if file else form.cleaned_data["table"]
        run = services.start_protection(
            store,
            actor=current_user(request),
            mode=form.cleaned_data["mode"],
            file=file,
            path=target,
        )
        return redirect("inventory:protection", run.pk)
    context = {"form": form, "store": store, "file": file, "database": database}
    return render(request, "inventory/protection_form.html", context)


@requires("inventory.protect")
def protection_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Protect a whole store: choose the mode (and tables), then see the preview."""
    store = access.get_store_for_user(request, pk, permission="inventory.protect")
    return _protection_form(request, store, None)


@requires("inventory.protect")
def file_protection_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Protect one file or table: choose the mode, then see the preview."""
    file = access.get_file_for_user(request, pk, permission="inventory.protect")
    return _protection_form(request, file.store, file)


@requires("inventory.protect")
def protection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The dry run's preview, then the real run's result."""
    run = access.get_protection_for_user(request, pk)
    busy = run.status in (
        ProtectionRun.Status.PREVIEWING,
        ProtectionRun.Status.APPLYING,
    )
    # A database run keeps its progress where its counts will go.
    progress = run.preview.get("progress") or run.result.get("progress")
    context = {
        "run": run,
        "refresh": busy,
        "progress": progress,
        "preview": {} if "progress" in run.preview else run.preview,
        "result": {} if "progress" in run.result else run.result,
    }
    return render(request, "inventory/protection_detail.html", context)


@requires("inventory.protect")
@require_POST
def protection_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Protect for real, after the preview."""
    run = access.get_protection_for_user(request, pk)
    if not services.apply_protection(run, actor=current_user(request)):
        messages.error(request, "This protection has no preview ready to apply.")
    return redirect("inventory:protection", run.pk)
