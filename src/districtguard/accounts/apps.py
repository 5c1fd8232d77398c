"""Django app configuration for accounts."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People, roles, MFA and the audit log."""

    name = "districtguard.accounts"
    label = "accounts"
    verbose_name = "People and access"

    def ready(self) -> None:
        """Connect the sign-in signals to the audit log."""
        from districtguard.accounts import signals  # noqa: F401
