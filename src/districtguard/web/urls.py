"""The site's URLs: each app under its own prefix, allauth under /accounts/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from districtguard.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("people/", include("districtguard.accounts.urls")),
    path("audit/", include("districtguard.accounts.audit_urls")),
    path("district/", include("districtguard.district.urls")),
    path("incidents/", include("districtguard.incidents.urls")),
    path("admin/", admin.site.urls),
]
