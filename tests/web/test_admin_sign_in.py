"""The Django admin cannot be used to sign in around MFA."""

from __future__ import annotations

import pytest
from django.test import Client

from districtguard.accounts.models import User

pytestmark = pytest.mark.django_db


def test_admin_sign_in_form_sends_people_to_the_mfa_sign_in(client: Client) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_posting_a_password_to_the_admin_does_not_sign_in(client: Client) -> None:
    User.objects.create_superuser("chief@district.example", "Correct-Horse-9")
    response = client.post(
        "/admin/login/",
        {"username": "chief@district.example", "password": "Correct-Horse-9"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
