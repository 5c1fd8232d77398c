"""The Director edits a playbook in the admin; the change joins the audit chain."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from districtguard.accounts.audit import verify_chain
from districtguard.accounts.models import AuditEntry, User
from districtguard.accounts.roles import Role
from districtguard.incidents.models import Playbook

pytestmark = pytest.mark.django_db


def test_director_renames_a_playbook_and_it_is_audited(
    person: Callable[..., User],
) -> None:
    director = person(Role.DIRECTOR, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(director)
    playbook = Playbook.objects.get(category="phishing")
    url = f"/admin/incidents/playbook/{playbook.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "name": "Phishing (district version)",
        "category": "phishing",
        "tasks-TOTAL_FORMS": "0",
        "tasks-INITIAL_FORMS": "0",
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:300]
    playbook.refresh_from_db()
    assert playbook.name == "Phishing (district version)"
    entry = AuditEntry.objects.get(action="admin.changed")
    assert (
        entry.actor == director and "Phishing (district version)" in entry.object_label
    )
    assert verify_chain() == []


def test_tech_staff_cannot_reach_the_admin(person: Callable[..., User]) -> None:
    client = Client()
    client.force_login(person(Role.TECH_STAFF))
    response = client.get("/admin/incidents/playbook/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
