"""URLs of the inventory app."""

from __future__ import annotations

from django.urls import path

from districtguard.inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.store_list, name="stores"),
    path("new/", views.store_new, name="store_new"),
    path("trends/", views.trends, name="trends"),
    path("exceptions/", views.exception_list, name="exceptions"),
    path("<int:pk>/", views.store_detail, name="store"),
    path("<int:pk>/edit/", views.store_edit, name="store_edit"),
    path("<int:pk>/scan/", views.scan_start, name="scan"),
    path("<int:pk>/protect/", views.protection_new, name="protect_store"),
    path("<int:pk>/exceptions/new/", views.exception_new, name="exception_new"),
    path("runs/<int:pk>/cancel/", views.scan_cancel, name="scan_cancel"),
    path("files/<int:pk>/", views.file_detail, name="file"),
    path("files/<int:pk>/protect/", views.file_protection_new, name="protect_file"),
    path("exceptions/<int:pk>/end/", views.exception_end, name="exception_end"),
    path("protections/<int:pk>/", views.protection_detail, name="protection"),
    path(
        "protections/<int:pk>/apply/", views.protection_apply, name="protection_apply"
    ),
]
