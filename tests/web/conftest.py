"""Persona fixtures: one person per role, signed-in clients, TOTP codes.

Every person is synthetic (Faker). Roles that need multi-factor authentication
(Director, technology staff, Superintendent, counsel) get a real TOTP
authenticator through allauth, so the MFA middleware lets them through and a
test can compute a valid code with :func:`totp_code`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.test import Client
from faker import Faker

from districtguard.accounts.models import User
from districtguard.accounts.roles import MFA_REQUIRED, Role

fake = Faker()

# Every persona's password; synthetic and long enough for the validators.
PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105 (synthetic, tests only)

# person -> the TOTP secret of their authenticator (for computing codes).
TOTP_SECRETS: dict[int, str] = {}


def totp_code(person: User) -> str:
    """Return the TOTP code valid now for ``person``'s authenticator."""
    secret = TOTP_SECRETS[person.pk]
    counters = list(yield_hotp_counters_from_time())
    code: str = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
    return code


def set_up_totp(person: User) -> str:
    """Give ``person`` a TOTP authenticator and return its secret."""
    secret: str = generate_totp_secret()
    TOTP.activate(person, secret)
    TOTP_SECRETS[person.pk] = secret
    return secret


def make_person(
    role: str = Role.STAFF, *, mfa: bool | None = None, **extra: object
) -> User:
    """Create an active person in ``role`` with :data:`PASSWORD`.

    ``mfa`` defaults to whether the role requires it; pass ``False`` to get a
    privileged person who has not set it up yet.
    """
    person = User.objects.create_user(
        fake.unique.email(),
        PASSWORD,
        role=role,
        first_name=fake.first_name(),
        last_name=fake.last_name(),
        **extra,
    )
    if mfa if mfa is not None else role in MFA_REQUIRED:
        set_up_totp(person)
    return person


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Start each test with an empty cache (rate limits, cached statuses)."""
    cache.clear()


@pytest.fixture
def director(db: None) -> User:
    return make_person(Role.DIRECTOR)


@pytest.fixture
def tech_staff(db: None) -> User:
    return make_person(Role.TECH_STAFF)


@pytest.fixture
def superintendent(db: None) -> User:
    return make_person(Role.SUPERINTENDENT)


@pytest.fixture
def counsel(db: None) -> User:
    return make_person(Role.COUNSEL)


@pytest.fixture
def board_member(db: None) -> User:
    return make_person(Role.BOARD)


@pytest.fixture
def staff(db: None) -> User:
    return make_person(Role.STAFF)


@pytest.fixture
def auditor(db: None) -> User:
    return make_person(Role.AUDITOR)


@pytest.fixture
def outsider(db: None) -> User:
    """Another staff member: owns things the other personas must not see."""
    return make_person(Role.STAFF)


@pytest.fixture
def inactive_person(db: None) -> User:
    """A staff member who has left: deactivated, may not sign in."""
    return make_person(Role.STAFF, is_active=False)


def signed_in(person: User) -> Client:
    """Return a test client signed in as ``person`` (no password, no MFA step)."""
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def client_for(db: None) -> Callable[[str], Client]:
    """Return ``client_for(role)``: a client signed in as a new person in ``role``.

    ``client_for(role).person`` is that person (MFA set up where required).
    """

    def make(role: str) -> Client:
        person = make_person(role)
        client = signed_in(person)
        client.person = person  # type: ignore[attr-defined]
        return client

    return make
