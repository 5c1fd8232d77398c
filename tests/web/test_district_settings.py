"""District settings: who may see and change them, validation, ID pattern preview."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from districtguard.accounts.models import AuditEntry
from districtguard.accounts.roles import Role
from districtguard.district.models import District
from tests.web.conftest import make_person

pytestmark = pytest.mark.django_db


def _form(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Prairie Public Schools",
        "state": "ok",
        "time_zone": "America/Chicago",
        "contingency_test_frequency": "semi_annually",
        "training_cycle_months": "12",
        "rule_set": "auto",
        "student_id_pattern": r"S\d{7}",
        "staff_id_pattern": "",
        "superintendent_notice_hours": "2",
        "save": "1",
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    "role",
    [
        Role.DIRECTOR,
        Role.TECH_STAFF,
        Role.SUPERINTENDENT,
        Role.COUNSEL,
        Role.BOARD,
        Role.AUDITOR,
    ],
)
def test_leadership_and_board_see_the_settings(client: Client, role: str) -> None:
    client.force_login(make_person(role))
    response = client.get("/district/")
    assert response.status_code == 200
    assert b"Contingency (restore) test" in response.content


def test_staff_member_is_refused_the_settings(client: Client) -> None:
    client.force_login(make_person(Role.STAFF))
    assert client.get("/district/").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    assert client.get("/district/edit/").status_code == 302


@pytest.mark.parametrize("role", [Role.TECH_STAFF, Role.SUPERINTENDENT, Role.AUDITOR])
def test_only_the_director_may_change_settings(client: Client, role: str) -> None:
    client.force_login(make_person(role))
    assert client.get("/district/edit/").status_code == 403
    assert client.post("/district/edit/", _form()).status_code == 403
    assert District.current().name != "Prairie Public Schools"


def test_director_saves_settings_and_the_change_is_audited(client: Client) -> None:
    client.force_login(make_person(Role.DIRECTOR))
    response = client.post("/district/edit/", _form())
    assert response.status_code == 302
    district = District.current()
    assert (district.name, district.state) == ("Prairie Public Schools", "OK")
    assert district.superintendent_notice_hours == 2
    entry = AuditEntry.objects.get(action="district.settings_changed")
    assert entry.detail["changes"]["name"] == {
        "old": "Our School District",
        "new": "Prairie Public Schools",
    }
    assert entry.detail["changes"]["contingency_test_frequency"] == {
        "old": "Annually",
        "new": "Semi-annually",
    }
    assert "time_zone" not in entry.detail["changes"]


def test_saving_without_changes_records_nothing(client: Client) -> None:
    client.force_login(make_person(Role.DIRECTOR))
    client.post("/district/edit/", _form())
    client.post("/district/edit/", _form())
    assert AuditEntry.objects.filter(action="district.settings_changed").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus", "Select a valid choice"),
        ("state", "Oklahoma", "two-letter state"),
        ("training_cycle_months", "0", "between 1 and 36"),
        ("superintendent_notice_hours", "500", "between 1 and 168"),
        ("student_id_pattern", "S[0-9", "not a regular expression"),
        ("student_id_pattern", r"(\d+)+", "repeats something that itself repeats"),
        ("staff_id_pattern", r"(a|a)*b", "takes too long"),
        ("staff_id_pattern", r"\d*", "matches an empty value"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(
    client: Client, field: str, value: str, message: str
) -> None:
    client.force_login(make_person(Role.DIRECTOR))
    response = client.post("/district/edit/", _form(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert District.current().name == "Our School District"
    assert not AuditEntry.objects.filter(action="district.settings_changed").exists()


def test_preview_shows_what_the_pattern_matches_without_saving(client: Client) -> None:
    client.force_login(make_person(Role.DIRECTOR))
    data = _form(pattern_sample="S1234567, S12345 and (S7654321).")
    del data["save"]
    data["preview"] = "1"
    response = client.post("/district/edit/", data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "matches S1234567, S7654321" in text
    assert District.current().student_id_pattern == ""
    assert not AuditEntry.objects.filter(action="district.settings_changed").exists()
