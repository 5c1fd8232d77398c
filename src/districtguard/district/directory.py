"""Keep a staff import between preview and application, and apply it.

:mod:`.staff_import` reads the file and :mod:`.import_plan` works out the changes;
this module takes the directory's snapshot, stores the upload as a
:class:`StaffImport`, and applies it once, in one transaction, audited.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, cast

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from districtguard.accounts import audit
from districtguard.accounts.models import User
from districtguard.district.import_plan import Person, Plan, plan_import
from districtguard.district.models import Site, StaffImport
from districtguard.district.staff_import import DIRECTOR, StaffRow, read_upload


def snapshot_people() -> list[Person]:
    """Return everyone in the directory, as the planner sees them."""
    return [
        Person(
            pk=user.pk,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            title=user.title,
            site=user.site.name if user.site else "",
            handles_pii=user.handles_pii,
            employee_id=user.employee_id,
            role=user.role,
            is_active=user.is_active,
        )
        for user in User.objects.select_related("site")
    ]


def current_plan(staff_import: StaffImport) -> Plan:
    """Return what applying ``staff_import`` to today's directory would change."""
    sites = Site.objects.values_list("name", flat=True)
    return plan_import(staff_import.staff_rows(), snapshot_people(), list(sites))


def preview_upload(data: bytes, filename: str, request: HttpRequest) -> StaffImport:
    """Read an uploaded file and keep it for preview; raise ImportFileError if bad."""
    result = read_upload(data)
    staff_import = StaffImport.objects.create(
        created_by=cast(User, request.user),
        filename=filename[:255],
        encoding=result.encoding,
        rows=[asdict(row) for row in result.rows],
        errors=[asdict(problem) for problem in result.errors],
        warnings=[asdict(problem) for problem in result.warnings],
        columns=result.columns,
        ignored_columns=result.ignored_columns,
    )
    audit.record(
        "staff_import.previewed",
        obj=staff_import,
        request=request,
        rows=len(result.rows),
        rows_with_errors=len(result.errors),
    )
    return staff_import


def discard_import(staff_import: StaffImport, request: HttpRequest) -> bool:
    """Discard an import waiting to be applied; return False if it was not waiting."""
    waiting = StaffImport.objects.filter(
        pk=staff_import.pk, status=StaffImport.Status.PREVIEWED
    )
    if not waiting.update(status=StaffImport.Status.DISCARDED):
        return False
    audit.record("staff_import.discarded", obj=staff_import, request=request)
    return True


@transaction.atomic
def apply_import(
    staff_import: StaffImport, *, deactivate_missing: bool, request: HttpRequest
) -> dict[str, int] | None:
    """Apply the import to the directory; return the counts, or None if already done.

    The status is claimed first, inside the transaction, so two requests (a
    double click, a second tab) apply it at most once.
    """
    claimed = StaffImport.objects.filter(
        pk=staff_import.pk, status=StaffImport.Status.PREVIEWED
    ).update(
        status=StaffImport.Status.APPLIED,
        applied_at=timezone.now(),
        applied_by=cast(User, request.user),
        deactivated_missing=deactivate_missing,
    )
    if not claimed:
        return None
    plan = current_plan(staff_import)
    sites = {site.name.lower(): site for site in Site.objects.all()}
    for name in plan.new_sites:
        site = Site.objects.create(name=name)
        sites[name.lower()] = site
        audit.record("site.created", obj=site, request=request, by_import=True)
    for row in plan.new:
        _create_person(row, sites)
    for update in plan.updates:
        _update_person(update.pk, update.values, sites, request)
    deactivated = 0
    if deactivate_missing:
        deactivated = _deactivate(plan, request)
    counts = {
        "created": len(plan.new),
        "updated": len(plan.updates),
        "unchanged": plan.unchanged,
        "rows_with_errors": len(staff_import.errors) + len(plan.errors),
        "sites_created": len(plan.new_sites),
        "role_changes": len(plan.role_changes),
        "missing": len(plan.missing),
        "deactivated": deactivated,
    }
    StaffImport.objects.filter(pk=staff_import.pk).update(result=counts)
    staff_import.refresh_from_db()
    detail: dict[str, Any] = dict(counts)
    audit.record("staff_import.applied", obj=staff_import, request=request, **detail)
    return counts


def _create_person(row: StaffRow, sites: dict[str, Site]) -> User:
    # No password: new people sign in through a password reset or single sign-on.
    return User.objects.create_user(
        row.email,
        None,
        first_name=row.first_name or "",
        last_name=row.last_name or "",
        title=row.title or "",
        site=sites.get(row.site.lower()) if row.site else None,
        handles_pii=bool(row.handles_pii),
        employee_id=row.employee_id,
        role=row.role or "staff",
    )


def _update_person(
    pk: int, values: dict[str, Any], sites: dict[str, Site], request: HttpRequest
) -> None:
    person = User.objects.get(pk=pk)
    old_role = person.role
    for name, value in values.items():
        if name == "site":
            person.site = sites.get(str(value).lower()) if value else None
        else:
            setattr(person, name, value)
    if person.role == DIRECTOR or (old_role == DIRECTOR and person.role != old_role):
        person.role = old_role  # never given or taken away by import
    person.save()
    if person.role != old_role:
        audit.record(
            "person.role_changed",
            obj=person,
            request=request,
            old=old_role,
            new=person.role,
            by_import=True,
        )


def _deactivate(plan: Plan, request: HttpRequest) -> int:
    keep = {request.user.pk}
    missing = [p.pk for p in plan.missing if p.pk not in keep and p.role != DIRECTOR]
    for person in User.objects.filter(pk__in=missing, is_active=True):
        person.is_active = False
        person.save(update_fields=["is_active"])
        audit.record("person.deactivated", obj=person, request=request, by_import=True)
    return len(missing)
