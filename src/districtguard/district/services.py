"""Change the district's settings and sites, each change in the audit log."""

from __future__ import annotations

from django.db import models, transaction
from django.http import HttpRequest

from districtguard.accounts import audit
from districtguard.district.models import District, Site


def _shown(instance: models.Model, name: str) -> str:
    value = getattr(instance, name)
    display = getattr(instance, f"get_{name}_display", None)
    return str(display()) if callable(display) else str(value)


def changed_fields(
    before: models.Model, after: models.Model, names: list[str]
) -> dict[str, dict[str, str]]:
    """Return ``{field: {"old": ..., "new": ...}}`` for the fields that differ."""
    return {
        name: {"old": _shown(before, name), "new": _shown(after, name)}
        for name in names
        if getattr(before, name) != getattr(after, name)
    }


@transaction.atomic
def update_district(
    district: District, names: list[str], request: HttpRequest
) -> dict[str, dict[str, str]]:
    """Save the edited ``district``; audit the fields changed, old -> new."""
    before = District.objects.get(pk=district.pk)
    changes = changed_fields(before, district, names)
    if changes:
        district.save()
        audit.record(
            "district.settings_changed", obj=district, request=request, changes=changes
        )
    return changes


@transaction.atomic
def save_site(site: Site, names: list[str], request: HttpRequest) -> None:
    """Create or update ``site`` and audit it."""
    if site.pk is None:
        site.save()
        audit.record("site.created", obj=site, request=request)
        return
    before = Site.objects.get(pk=site.pk)
    changes = changed_fields(before, site, names)
    if changes:
        site.save()
        audit.record("site.changed", obj=site, request=request, changes=changes)


@transaction.atomic
def delete_site(site: Site, request: HttpRequest) -> int:
    """Delete ``site``; the people assigned to it keep their records, without a site.

    Returns how many people were unassigned.
    """
    unassigned = site.people.update(site=None)
    audit.record(
        "site.deleted", obj=site, request=request, people_unassigned=unassigned
    )
    site.delete()
    return unassigned
