"""People for the district tests, one per role, with MFA set up where required.

Used until the shared persona fixtures cover every case these tests need.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from faker import Faker

from districtguard.accounts.models import User
from districtguard.accounts.roles import MFA_REQUIRED

fake = Faker()


def make_person(role: str, *, mfa: bool = True, **extra: object) -> User:
    """Create an active person in ``role``; MFA set up if the role needs it."""
    person = User.objects.create_user(
        fake.unique.email(),
        None,
        role=role,
        first_name=fake.first_name(),
        last_name=fake.last_name(),
        **extra,
    )
    if mfa and role in MFA_REQUIRED:
        Authenticator.objects.create(
            user=person, type=Authenticator.Type.TOTP, data={"secret": "unused"}
        )
    return person
