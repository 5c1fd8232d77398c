"""The platform starts: migrations apply, the audit log chains and refuses edits."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection
from django.test import Client

from districtguard.accounts import audit
from districtguard.accounts.models import User
from districtguard.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_member_sees_home(client: Client) -> None:
    person = User.objects.create_user(
        "staff@example.org", "pw-unused-123", role=Role.STAFF
    )
    client.force_login(person)
    assert client.get("/").status_code == 200


def test_director_without_mfa_is_sent_to_set_it_up(client: Client) -> None:
    person = User.objects.create_user(
        "dir@example.org", "pw-unused-123", role=Role.DIRECTOR
    )
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")


def test_audit_chain_verifies_and_database_refuses_edits() -> None:
    for n in range(3):
        audit.record("test.action", actor_label="system", number=n)
    assert audit.verify_chain() == []
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_auditentry SET action = 'x' WHERE seq = 2")
