"""Django app configuration for the PII inventory."""

from __future__ import annotations

from django.apps import AppConfig


class InventoryConfig(AppConfig):
    """Data stores, their scans, the exceptions register and protection runs."""

    name = "districtguard.inventory"
    label = "inventory"
    verbose_name = "PII inventory"

    def ready(self) -> None:
        """Register the inventory card on the dashboard."""
        from districtguard.inventory import cards  # noqa: F401
