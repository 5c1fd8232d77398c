"""URLs of the district app."""

from __future__ import annotations

from django.urls import URLPattern, path

from districtguard.district import views

app_name = "district"
urlpatterns: list[URLPattern] = [
    path("", views.settings_view, name="settings"),
    path("edit/", views.settings_edit, name="settings_edit"),
    path("sites/", views.sites, name="sites"),
    path("sites/new/", views.site_add, name="site_add"),
    path("sites/<int:pk>/", views.site_edit, name="site_edit"),
    path("sites/<int:pk>/delete/", views.site_delete, name="site_delete"),
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("import/<int:pk>/discard/", views.import_discard, name="import_discard"),
]
