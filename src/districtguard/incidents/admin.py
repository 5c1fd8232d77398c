"""Admin: districts edit their playbooks here."""

from __future__ import annotations

from django.contrib import admin

from districtguard.incidents.models import Playbook, PlaybookTask


class PlaybookTaskInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PlaybookTask
    extra = 1


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "category")
    inlines = (PlaybookTaskInline,)
