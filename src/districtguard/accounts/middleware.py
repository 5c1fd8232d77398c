"""Refuse privileged pages until a person whose role needs MFA has set it up."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Pages a person may reach before MFA is set up: signing in and out, setting up
# MFA itself, and static files. The browser's own /favicon.ico request must not
# be redirected to the setup page: that GET would make a new authenticator
# secret behind the page the person is reading, and their code would be refused.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/favicon.ico")


class RequireMfaMiddleware:
    """Send Director, technology staff, Superintendent and counsel to MFA setup."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "needs_mfa", False)
            and not request.path.startswith(_OPEN_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
