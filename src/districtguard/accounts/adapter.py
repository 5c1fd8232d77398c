"""allauth adapters: no self sign-up; single sign-on only for known people."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """People are added by the Director or the staff import, never by themselves."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Refuse sign-up."""
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    """Google Workspace / Entra ID sign-in connects to an existing person only."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        """Refuse accounts for addresses the district has not imported."""
        return False
