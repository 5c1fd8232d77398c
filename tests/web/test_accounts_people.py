"""People pages: the directory, a person, role changes and deactivation."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse

from districtguard.accounts.audit import AuditEntry
from districtguard.accounts.models import User
from districtguard.accounts.roles import Role
from districtguard.district.models import Site
from tests.web.conftest import make_person, signed_in

pytestmark = pytest.mark.django_db


def listed(response: HttpResponseBase) -> set[int]:
    """Return the ids of the people the directory page links to."""
    assert isinstance(response, HttpResponse)
    html = response.content.decode()
    return {int(pk) for pk in re.findall(r'href="/people/(\d+)/"', html)}


def test_directory_filters_by_role_site_and_search(director: User) -> None:
    north = Site.objects.create(name="North Elementary")
    teacher = make_person(Role.STAFF, site=north, title="Science teacher")
    counsel = make_person(Role.COUNSEL)
    client = signed_in(director)
    url = reverse("accounts:people")

    assert listed(client.get(url)) == {director.pk, teacher.pk, counsel.pk}
    assert listed(client.get(url, {"role": Role.COUNSEL})) == {counsel.pk}
    assert listed(client.get(url, {"site": north.pk})) == {teacher.pk}
    assert listed(client.get(url, {"q": "science"})) == {teacher.pk}
    assert listed(client.get(url, {"q": teacher.email.upper()})) == {teacher.pk}


def test_directory_hides_deactivated_people_unless_asked(
    director: User, inactive_person: User
) -> None:
    client = signed_in(director)
    url = reverse("accounts:people")
    assert listed(client.get(url)) == {director.pk}
    assert listed(client.get(url, {"status": "inactive"})) == {inactive_person.pk}


def test_bad_filter_value_is_ignored_with_a_message(director: User) -> None:
    response = signed_in(director).get(
        reverse("accounts:people"), {"role": "emperor", "site": "x"}
    )
    assert response.status_code == 200
    assert "were not understood" in response.content.decode()
    assert listed(response) == {director.pk}


def test_director_changes_a_role_and_it_is_audited(director: User, staff: User) -> None:
    response = signed_in(director).post(
        reverse("accounts:person_role", args=[staff.pk]), {"role": Role.TECH_STAFF}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.role == Role.TECH_STAFF
    entry = AuditEntry.objects.get(action="people.role_changed")
    assert entry.actor_id == director.pk
    assert entry.object_id == str(staff.pk)
    assert entry.detail == {"old": Role.STAFF, "new": Role.TECH_STAFF}


def test_same_role_again_changes_and_records_nothing(
    director: User, staff: User
) -> None:
    signed_in(director).post(
        reverse("accounts:person_role", args=[staff.pk]), {"role": Role.STAFF}
    )
    assert not AuditEntry.objects.filter(action="people.role_changed").exists()


def test_unknown_role_is_refused_with_an_error(director: User, staff: User) -> None:
    response = signed_in(director).post(
        reverse("accounts:person_role", args=[staff.pk]), {"role": "emperor"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    staff.refresh_from_db()
    assert staff.role == Role.STAFF


def test_last_active_director_cannot_be_demoted(director: User) -> None:
    make_person(Role.DIRECTOR, is_active=False)
    response = signed_in(director).post(
        reverse("accounts:person_role", args=[director.pk]), {"role": Role.STAFF}
    )
    assert response.status_code == 200
    assert "only active Director" in response.content.decode()
    director.refresh_from_db()
    assert director.role == Role.DIRECTOR
    assert not AuditEntry.objects.filter(action="people.role_changed").exists()


def test_a_director_may_step_down_when_another_remains(director: User) -> None:
    make_person(Role.DIRECTOR)
    signed_in(director).post(
        reverse("accounts:person_role", args=[director.pk]), {"role": Role.AUDITOR}
    )
    director.refresh_from_db()
    assert director.role == Role.AUDITOR


def test_deactivate_and_reactivate_are_audited(director: User, staff: User) -> None:
    client = signed_in(director)
    url = reverse("accounts:person_active", args=[staff.pk])
    client.post(url, {"active": "0"})
    staff.refresh_from_db()
    assert not staff.is_active
    client.post(url, {"active": "1"})
    staff.refresh_from_db()
    assert staff.is_active
    actions = list(
        AuditEntry.objects.filter(object_id=str(staff.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["people.deactivated", "people.reactivated"]


def test_deactivated_person_is_signed_out_at_next_request(
    director: User, staff: User
) -> None:
    staff_client = signed_in(staff)
    assert staff_client.get("/").status_code == 200
    signed_in(director).post(
        reverse("accounts:person_active", args=[staff.pk]), {"active": "0"}
    )
    response = staff_client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_director_cannot_deactivate_themselves(director: User) -> None:
    make_person(Role.DIRECTOR)
    response = signed_in(director).post(
        reverse("accounts:person_active", args=[director.pk]),
        {"active": "0"},
        follow=True,
    )
    assert "cannot deactivate yourself" in response.content.decode()
    director.refresh_from_db()
    assert director.is_active


def test_a_director_deactivates_another_director(director: User) -> None:
    other = make_person(Role.DIRECTOR)
    signed_in(other).post(
        reverse("accounts:person_active", args=[director.pk]), {"active": "0"}
    )
    director.refresh_from_db()
    assert not director.is_active


def test_person_page_shows_missing_mfa_for_privileged_role(director: User) -> None:
    unprotected = make_person(Role.COUNSEL, mfa=False)
    page = signed_in(director).get(reverse("accounts:person", args=[unprotected.pk]))
    assert "required for this role" in page.content.decode()


def test_superintendent_sees_people_but_cannot_change_roles(
    superintendent: User, staff: User
) -> None:
    client = signed_in(superintendent)
    page = client.get(reverse("accounts:person", args=[staff.pk]))
    assert page.status_code == 200
    assert "Change role" not in page.content.decode()
    refused = client.post(
        reverse("accounts:person_role", args=[staff.pk]), {"role": Role.DIRECTOR}
    )
    assert refused.status_code == 403
    staff.refresh_from_db()
    assert staff.role == Role.STAFF


def test_missing_person_is_404(client_for: Callable[[str], Client]) -> None:
    client = client_for(Role.DIRECTOR)
    assert client.get(reverse("accounts:person", args=[999999])).status_code == 404


def test_admin_lists_adds_and_shows_people_with_role_read_only(db: None) -> None:
    admin = signed_in(make_person(Role.DIRECTOR, is_staff=True, is_superuser=True))
    person = make_person(Role.STAFF)
    assert admin.get("/admin/accounts/user/").status_code == 200
    page = admin.get(f"/admin/accounts/user/{person.pk}/change/")
    assert page.status_code == 200
    assert 'name="role"' not in page.content.decode()
    assert admin.get("/admin/accounts/user/add/").status_code == 200
    added = admin.post(
        "/admin/accounts/user/add/",
        {
            "email": "new.person@example.org",
            "password1": "a-long-synthetic-pass-91",
            "password2": "a-long-synthetic-pass-91",
            "usable_password": "true",
        },
    )
    assert added.status_code == 302
    assert User.objects.get(email="new.person@example.org").role == Role.STAFF
