"""Fetch the district's objects for the signed-in person, or answer 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from districtguard.district.models import Site, StaffImport


def _can(request: HttpRequest, permission: str) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.can(permission))


def get_site_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Site:
    """Return site ``pk`` if the person may see it (or, with ``write``, change it)."""
    if not _can(request, "district.change" if write else "district.view"):
        raise Http404
    return get_object_or_404(Site, pk=pk)


def get_import_for_user(request: HttpRequest, pk: int) -> StaffImport:
    """Return staff import ``pk`` if the person may import the staff directory."""
    if not _can(request, "people.import"):
        raise Http404
    return get_object_or_404(StaffImport, pk=pk)
