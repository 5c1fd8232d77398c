"""Django app configuration for incidents."""

from __future__ import annotations

from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Reports, incident cases, notifications and breach determinations."""

    name = "districtguard.incidents"
    label = "incidents"
    verbose_name = "Incidents"

    def ready(self) -> None:
        """Register the incident cards on the dashboard."""
        from districtguard.incidents import cards  # noqa: F401
