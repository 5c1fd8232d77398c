"""Sites: listing for leadership, changes by the Director only, all audited."""

from __future__ import annotations

import pytest
from django.test import Client

from districtguard.accounts.models import AuditEntry
from districtguard.accounts.roles import Role
from districtguard.district.models import Site
from tests.web.conftest import make_person

pytestmark = pytest.mark.django_db


def test_board_member_sees_sites_without_edit_links(client: Client) -> None:
    Site.objects.create(name="North Elementary")
    client.force_login(make_person(Role.BOARD))
    response = client.get("/district/sites/")
    assert response.status_code == 200
    assert b"North Elementary" in response.content
    assert b"Add a site" not in response.content


def test_staff_member_is_refused_sites(client: Client) -> None:
    client.force_login(make_person(Role.STAFF))
    assert client.get("/district/sites/").status_code == 403


def test_director_adds_edits_and_deletes_a_site(client: Client) -> None:
    client.force_login(make_person(Role.DIRECTOR))
    response = client.post(
        "/district/sites/new/", {"name": "  West   High ", "code": "WH"}
    )
    assert response.status_code == 302
    site = Site.objects.get()
    assert site.name == "West High"
    response = client.post(
        f"/district/sites/{site.pk}/", {"name": "West High School", "code": "WH"}
    )
    assert response.status_code == 302
    response = client.post(f"/district/sites/{site.pk}/delete/")
    assert response.status_code == 302
    assert not Site.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="site.").values_list(
            "action", flat=True
        )
    )
    assert actions == ["site.created", "site.changed", "site.deleted"]
    changed = AuditEntry.objects.get(action="site.changed")
    assert changed.detail["changes"] == {
        "name": {"old": "West High", "new": "West High School"}
    }


def test_duplicate_site_name_is_refused(client: Client) -> None:
    Site.objects.create(name="East Middle")
    client.force_login(make_person(Role.DIRECTOR))
    response = client.post("/district/sites/new/", {"name": "east middle"})
    assert response.status_code == 200
    assert b"already a site with this name" in response.content
    assert Site.objects.count() == 1


def test_deleting_a_site_with_people_says_what_happens(client: Client) -> None:
    site = Site.objects.create(name="Central Office")
    person = make_person(Role.STAFF, site=site)
    client.force_login(make_person(Role.DIRECTOR))
    page = client.get(f"/district/sites/{site.pk}/delete/").content.decode()
    assert "1 person is assigned" in page
    assert "stay in the directory with no site" in page
    client.post(f"/district/sites/{site.pk}/delete/")
    person.refresh_from_db()
    assert person.site is None
    entry = AuditEntry.objects.get(action="site.deleted")
    assert entry.detail == {"people_unassigned": 1}


@pytest.mark.parametrize("role", [Role.TECH_STAFF, Role.AUDITOR, Role.BOARD])
def test_others_cannot_change_sites(client: Client, role: str) -> None:
    site = Site.objects.create(name="South Elementary")
    client.force_login(make_person(role))
    assert client.post("/district/sites/new/", {"name": "X"}).status_code == 403
    assert client.post(f"/district/sites/{site.pk}/", {"name": "Y"}).status_code == 403
    assert client.post(f"/district/sites/{site.pk}/delete/").status_code == 403
    assert Site.objects.get().name == "South Elementary"


def test_unknown_site_is_404(client: Client) -> None:
    client.force_login(make_person(Role.DIRECTOR))
    assert client.get("/district/sites/9999/").status_code == 404
