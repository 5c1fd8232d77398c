"""The site's URLs: each app under its own prefix, allauth under /accounts/."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from districtguard.web import views

# The admin's own sign-in form would skip MFA: send it through allauth's instead.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("people/", include("districtguard.accounts.urls")),
    path("audit/", include("districtguard.accounts.audit_urls")),
    path("district/", include("districtguard.district.urls")),
    path("incidents/", include("districtguard.incidents.urls")),
    path("inventory/", include("districtguard.inventory.urls")),
    path("admin/", admin.site.urls),
]
