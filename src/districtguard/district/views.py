"""District settings, sites and the staff directory import: thin views."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from districtguard.accounts.access import requires
from districtguard.district import directory, services
from districtguard.district.access import get_import_for_user, get_site_for_user
from districtguard.district.forms import (
    ApplyImportForm,
    DistrictForm,
    SiteForm,
    StaffUploadForm,
)
from districtguard.district.models import District, Site, StaffImport
from districtguard.district.staff_import import ImportFileError

# How many people of each kind the preview lists before saying "and N more".
PREVIEW_LIMIT = 500


@requires("district.view")
def settings_view(request: HttpRequest) -> HttpResponse:
    """Show the district's settings."""
    return render(
        request,
        "district/settings.html",
        {"settings": District.current(), "site_count": Site.objects.count()},
    )


@requires("district.change")
def settings_edit(request: HttpRequest) -> HttpResponse:
    """Edit the settings; "Preview" shows what the ID patterns match, "Save" saves."""
    district = District.current()
    form = DistrictForm(request.POST or None, instance=district)
    if request.method == "POST" and "save" in request.POST and form.is_valid():
        names = [n for n in form.Meta.fields if n in form.cleaned_data]
        changes = services.update_district(form.save(commit=False), names, request)
        if changes:
            messages.success(request, "The district settings were saved.")
        else:
            messages.info(request, "Nothing was changed.")
        return redirect("district:settings")
    preview = form.pattern_preview() if request.method == "POST" else []
    return render(
        request,
        "district/settings_form.html",
        {"form": form, "preview": preview, "previewed": "preview" in request.POST},
    )


@requires("district.view")
def sites(request: HttpRequest) -> HttpResponse:
    """List the district's sites and how many people each has."""
    listed = Site.objects.annotate(people_count=Count("people"))
    return render(request, "district/sites.html", {"sites": listed})


@requires("district.change")
def site_add(request: HttpRequest) -> HttpResponse:
    """Add a site."""
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        site = form.save(commit=False)
        services.save_site(site, list(SiteForm.Meta.fields), request)
        messages.success(request, f"Added {site.name}.")
        return redirect("district:sites")
    return render(request, "district/site_form.html", {"form": form})


@requires("district.change")
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a site."""
    site = get_site_for_user(request, pk, write=True)
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        services.save_site(form.save(commit=False), list(SiteForm.Meta.fields), request)
        messages.success(request, f"Saved {site.name}.")
        return redirect("district:sites")
    return render(request, "district/site_form.html", {"form": form, "site": site})


@requires("district.change")
def site_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete a site; the people assigned to it are left without one."""
    site = get_site_for_user(request, pk, write=True)
    if request.method == "POST":
        name = site.name
        unassigned = services.delete_site(site, request)
        messages.success(
            request,
            f"Deleted {name}."
            + (f" {unassigned} people now have no site." if unassigned else ""),
        )
        return redirect("district:sites")
    people = site.people.count()
    return render(
        request, "district/site_confirm_delete.html", {"site": site, "people": people}
    )


@requires("people.import")
def import_start(request: HttpRequest) -> HttpResponse:
    """Upload a staff directory file; read it and show the preview."""
    form = StaffUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staff_import = directory.preview_upload(
                upload.read(), upload.name or "upload.csv", request
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("district:import_preview", pk=staff_import.pk)
    recent = StaffImport.objects.select_related("created_by")[:10]
    return render(
        request, "district/import_upload.html", {"form": form, "recent": recent}
    )


@requires("people.import")
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Show what applying the import would change (or what it did)."""
    staff_import = get_import_for_user(request, pk)
    plan = directory.current_plan(staff_import)
    return render(
        request,
        "district/import_preview.html",
        {
            "staff_import": staff_import,
            "waiting": staff_import.status == StaffImport.Status.PREVIEWED,
            "plan": plan,
            "new": plan.new[:PREVIEW_LIMIT],
            "more_new": max(0, len(plan.new) - PREVIEW_LIMIT),
            "updates": plan.updates[:PREVIEW_LIMIT],
            "more_updates": max(0, len(plan.updates) - PREVIEW_LIMIT),
            "errors": sorted(
                staff_import.row_errors() + plan.errors, key=lambda p: p.line
            ),
            "warnings": staff_import.row_warnings(),
            "form": ApplyImportForm(),
        },
    )


@requires("people.import")
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a previewed import once; a second attempt changes nothing."""
    staff_import = get_import_for_user(request, pk)
    form = ApplyImportForm(request.POST)
    form.is_valid()
    counts = directory.apply_import(
        staff_import,
        deactivate_missing=bool(form.cleaned_data.get("deactivate_missing")),
        request=request,
    )
    if counts is None:
        messages.info(request, "This import was already applied or discarded.")
    else:
        messages.success(
            request,
            f"Imported: {counts['created']} added, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['deactivated']} deactivated.",
        )
    return redirect("district:import_preview", pk=staff_import.pk)


@requires("people.import")
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Discard a previewed import without changing anything."""
    staff_import = get_import_for_user(request, pk)
    if directory.discard_import(staff_import, request):
        messages.info(request, "The import was discarded; nothing was changed.")
    return redirect("district:import")
