"""URLs of the accounts app."""

from __future__ import annotations

from django.urls import URLPattern, path  # noqa: F401

app_name = "accounts"
urlpatterns: list[URLPattern] = []
