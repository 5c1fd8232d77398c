"""Admin: read-only views of the inventory, for support."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from districtguard.inventory.models import DataStore, FindingException


@admin.register(DataStore)
class DataStoreAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "owner", "unprotected_statutory", "enabled")
    exclude = ("password_env",)


@admin.register(FindingException)
class FindingExceptionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("store", "element", "expires_on", "approved_by", "ended_at")

    def has_change_permission(
        self, request: HttpRequest, obj: object | None = None
    ) -> bool:
        return False  # exceptions change through the register, which audits them
