"""People for the incident tests: one per role, MFA set up where the role needs it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from districtguard.accounts.models import User
from districtguard.accounts.roles import Role
from tests.inventory.conftest import (  # noqa: F401  (fixtures for the inventory link)
    director,
    make_store,
)

MakePerson = Callable[..., User]


@pytest.fixture
def person(db: None) -> MakePerson:
    """Return a factory: ``person(Role.DIRECTOR)`` makes a signed-up person."""
    counter = iter(range(1, 1000))

    def make(role: str = Role.STAFF, **extra: object) -> User:
        number = next(counter)
        user = User.objects.create_user(
            f"{role}{number}@district.example",
            None,
            role=role,
            first_name=role.replace("_", " ").title(),
            last_name=f"Person{number}",
            **extra,
        )
        if user.needs_mfa:
            TOTP.activate(user, generate_totp_secret())
        return user

    return make


@pytest.fixture
def as_role(person: MakePerson) -> Callable[[str], tuple[Client, User]]:
    """Return a factory of signed-in clients: ``client, user = as_role(Role.STAFF)``."""

    def sign_in(role: str) -> tuple[Client, User]:
        user = person(role)
        client = Client()
        client.force_login(user)
        return client, user

    return sign_in
