"""Fetch inventory objects only for people allowed to see (or act on) them.

Every role that holds ``inventory.view`` sees every store; acting needs the
permission the view names. Anything else is a 404, so existence does not leak.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from districtguard.accounts.access import current_user
from districtguard.inventory.models import (
    DataStore,
    FileState,
    FindingException,
    ProtectionRun,
    ScanRun,
)


def _check(request: HttpRequest, permission: str) -> None:
    if not current_user(request).can(permission):
        raise Http404


def get_store_for_user(
    request: HttpRequest, pk: int, *, permission: str = "inventory.view"
) -> DataStore:
    """Return store ``pk`` if the person holds ``permission``."""
    _check(request, permission)
    return get_object_or_404(DataStore, pk=pk)


def get_file_for_user(
    request: HttpRequest, pk: int, *, permission: str = "inventory.view"
) -> FileState:
    """Return file result ``pk`` if the person holds ``permission``."""
    _check(request, permission)
    return get_object_or_404(FileState.objects.select_related("store"), pk=pk)


def get_run_for_user(
    request: HttpRequest, pk: int, *, permission: str = "inventory.manage"
) -> ScanRun:
    """Return scan run ``pk`` if the person holds ``permission``."""
    _check(request, permission)
    return get_object_or_404(ScanRun.objects.select_related("store"), pk=pk)


def get_exception_for_user(
    request: HttpRequest, pk: int, *, permission: str = "inventory.exceptions"
) -> FindingException:
    """Return exception ``pk`` if the person holds ``permission``."""
    _check(request, permission)
    return get_object_or_404(FindingException.objects.select_related("store"), pk=pk)


def get_protection_for_user(
    request: HttpRequest, pk: int, *, permission: str = "inventory.protect"
) -> ProtectionRun:
    """Return protection run ``pk`` if the person holds ``permission``."""
    _check(request, permission)
    return get_object_or_404(ProtectionRun.objects.select_related("store"), pk=pk)
