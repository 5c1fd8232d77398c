"""Django admin for people, access reviews and (read-only) the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from districtguard.accounts.audit import AuditEntry
from districtguard.accounts.models import AccessReview, User


@admin.register(User)
class PersonAdmin(UserAdmin):  # type: ignore[type-arg]
    """People by email; roles are changed on the People pages, where it is audited."""

    ordering = ("last_name", "first_name", "email")
    list_display = ("email", "first_name", "last_name", "role", "site", "is_active")
    list_filter = ("role", "is_active", "site")
    search_fields = ("email", "first_name", "last_name", "title")
    readonly_fields = ("role", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "title", "site")}),
        ("Policy", {"fields": ("role", "handles_pii", "employee_id")}),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Let the admin look, never add, change or delete."""

    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Refuse."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Refuse."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Refuse."""
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log, to read only: it is append-only everywhere."""

    list_display = ("seq", "at", "actor_label", "action", "object_type", "object_label")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_label", "action")
    date_hierarchy = "at"


@admin.register(AccessReview)
class AccessReviewAdmin(ReadOnlyAdmin):
    """Recorded access reviews are evidence: read only."""

    list_display = ("reviewed_at", "reviewer", "people_reviewed")
