"""Django app configuration for the district."""

from __future__ import annotations

from django.apps import AppConfig


class DistrictConfig(AppConfig):
    """District settings and sites."""

    name = "districtguard.district"
    label = "district"
    verbose_name = "District"

    def ready(self) -> None:
        """Register the platform's dashboard cards."""
        from districtguard.district import cards  # noqa: F401
