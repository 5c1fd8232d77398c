"""Django app configuration for the district."""

from __future__ import annotations

from django.apps import AppConfig


class DistrictConfig(AppConfig):
    """District settings and sites."""

    name = "districtguard.district"
    label = "district"
    verbose_name = "District"
