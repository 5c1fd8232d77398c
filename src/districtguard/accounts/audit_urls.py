"""URLs of the audit-log browser (``audit:log``), mounted at ``/audit/``."""

from __future__ import annotations

from django.urls import URLPattern, path

from districtguard.accounts import audit_views

app_name = "audit"
urlpatterns: list[URLPattern] = [
    path("", audit_views.log, name="log"),
    path("export.csv", audit_views.export, name="export"),
    path("verify/", audit_views.verify, name="verify"),
]
