"""Signing in: password then TOTP, MFA required by role, throttling, sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from districtguard.accounts.audit import AuditEntry
from districtguard.accounts.models import User
from districtguard.accounts.roles import MFA_REQUIRED, Role
from tests.web.conftest import PASSWORD, make_person, signed_in, totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client: Client, email: str, password: str = PASSWORD) -> str:
    """Post the sign-in form; return where it sends the browser ('' if nowhere)."""
    response = client.post(LOGIN, {"login": email, "password": password})
    return str(response.get("Location", ""))


def test_director_signs_in_with_password_then_totp(director: User) -> None:
    client = Client()
    assert sign_in(client, director.email) == reverse("mfa_authenticate")
    # Half-way through, nothing privileged opens.
    assert client.get("/").status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(director)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.sign_in", actor=director).exists()


def test_wrong_totp_code_is_refused_and_audited(director: User) -> None:
    client = Client()
    sign_in(client, director.email)
    good = totp_code(director)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="mfa.failed", actor=director).exists()


def test_staff_member_signs_in_with_password_only(staff: User) -> None:
    client = Client()
    assert sign_in(client, staff.email) == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_and_audited_without_the_password(
    staff: User,
) -> None:
    client = Client()
    response = client.post(LOGIN, {"login": staff.email, "password": "not-it-1234"})
    assert response.status_code == 200
    assert client.get("/").status_code == 302
    entry = AuditEntry.objects.get(action="auth.sign_in_failed")
    assert staff.email in entry.actor_label
    assert "not-it-1234" not in str(entry.content())


def test_deactivated_person_cannot_sign_in(inactive_person: User) -> None:
    client = Client()
    sign_in(client, inactive_person.email)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("role", sorted(MFA_REQUIRED))
def test_privileged_role_without_mfa_is_sent_to_set_it_up(role: str) -> None:
    client = signed_in(make_person(role, mfa=False))
    for url in ("/", reverse("accounts:people"), reverse("district:settings")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("role", [Role.STAFF, Role.BOARD, Role.AUDITOR])
def test_other_roles_are_not_forced_to_set_up_mfa(role: str) -> None:
    assert signed_in(make_person(role, mfa=False)).get("/").status_code == 200


def test_setting_up_totp_opens_privileged_pages(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    counsel = make_person(Role.COUNSEL, mfa=False)
    client = Client()
    assert sign_in(client, counsel.email) == "/"
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")
    # Changing how one signs in asks for the password again first.
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(asked["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    # The QR code is a data: image; the CSP must allow exactly that.
    img_src = next(
        part for part in page["Content-Security-Policy"].split(";") if "img-src" in part
    )
    assert "data:" in img_src
    secret = client.session[SECRET_SESSION_KEY]
    counters = list(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
    # allauth announces the new authenticator once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert is_mfa_enabled(counsel)
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="mfa.added", actor=counsel).exists()
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert len(codes.context["unused_codes"]) > 0


def test_failed_sign_ins_for_one_address_are_throttled(staff: User) -> None:
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"login": staff.email, "password": "guess-000-x"})
    # Even the right password is refused while the limit holds.
    response = client.post(LOGIN, {"login": staff.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "Too many" in response.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="auth.sign_in_failed").count() == 5


def test_failed_sign_ins_from_one_client_are_throttled(staff: User) -> None:
    client = Client()
    for n in range(10):
        client.post(LOGIN, {"login": f"nobody{n}@example.org", "password": "x-123456"})
    response = client.post(LOGIN, {"login": staff.email, "password": PASSWORD})
    assert "Too many" in response.content.decode()
    assert client.get("/").status_code == 302
    # Another client (another IP address) is not held up by this one.
    other = Client(REMOTE_ADDR="192.0.2.10")
    assert sign_in(other, staff.email) == "/"


def test_session_lasts_session_cookie_age(staff: User, settings: Settings) -> None:
    settings.SESSION_COOKIE_AGE = 600
    client = Client()
    sign_in(client, staff.email)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = Session.objects.get(session_key=key)
    lifetime = session.expire_date - timezone.now()
    assert dt.timedelta(seconds=590) < lifetime <= dt.timedelta(seconds=600)
    # Once that time has passed the session no longer signs anyone in.
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get("/").status_code == 302


def test_pages_carry_a_content_security_policy(staff: User) -> None:
    for client in (Client(), signed_in(staff)):
        response = client.get(LOGIN if client.session.is_empty() else "/")
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy


def _open_totp_setup(client: Client, person: User) -> str:
    """Sign ``person`` in, confirm the password, open MFA setup; return its secret."""
    assert sign_in(client, person.email) == "/"
    asked = client.get(reverse("mfa_activate_totp"))
    client.post(asked["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret: str = client.session[SECRET_SESSION_KEY]
    return secret


def test_a_set_password_link_does_not_block_mfa_setup() -> None:
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress

    # Making the link (as `up` and password resets do) records the address
    # as unverified; allauth would then refuse to set up an authenticator.
    director = make_person(Role.DIRECTOR, mfa=False)
    default_token_generator.make_token(director)
    assert EmailAddress.objects.filter(user=director, verified=False).exists()
    client = Client()
    secret = _open_totp_setup(client, director)
    counters = list(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
    client.post(reverse("mfa_activate_totp"), {"code": code})
    assert is_mfa_enabled(director)


def test_the_browsers_favicon_request_keeps_the_authenticator_secret() -> None:
    counsel = make_person(Role.COUNSEL, mfa=False)
    client = Client()
    secret = _open_totp_setup(client, counsel)
    icon = client.get("/favicon.ico")
    assert icon.get("Location") != reverse("mfa_activate_totp")
    assert client.session[SECRET_SESSION_KEY] == secret


def test_pages_name_their_icon_so_browsers_need_not_guess(staff: User) -> None:
    html = signed_in(staff).get("/").content.decode()
    assert 'rel="icon" href="/static/districtguard/favicon.svg"' in html


def test_the_sign_in_page_offers_one_forgotten_password_link() -> None:
    html = Client().get(LOGIN).content.decode()
    assert html.count(reverse("account_reset_password")) == 1
