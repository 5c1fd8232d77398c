"""The persona fixtures work: MFA where the role needs it, valid TOTP codes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import is_mfa_enabled
from django.test import Client

from districtguard.accounts.models import User
from districtguard.accounts.roles import MFA_REQUIRED, Role
from tests.web.conftest import make_person, totp_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_mfa_exactly_when_required(role: str) -> None:
    assert is_mfa_enabled(make_person(role)) == (role in MFA_REQUIRED)


def test_totp_code_validates_against_the_stored_authenticator(director: User) -> None:
    authenticator = Authenticator.objects.get(
        user=director, type=Authenticator.Type.TOTP
    )
    code = totp_code(director)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert not TOTP(authenticator).validate_code(wrong)
    assert TOTP(authenticator).validate_code(code)


def test_client_for_director_passes_the_mfa_middleware(
    client_for: Callable[[str], Client],
) -> None:
    client = client_for(Role.DIRECTOR)
    assert client.person.role == Role.DIRECTOR  # type: ignore[attr-defined]
    assert client.get("/").status_code == 200
