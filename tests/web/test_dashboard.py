"""The dashboard: cards per role, real figures, nothing shown for what is not built."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone

from districtguard.accounts import audit
from districtguard.accounts.models import AccessReview, AuditEntry, User
from districtguard.accounts.roles import Role
from districtguard.district.audit_status import chain_status
from districtguard.district.models import District, Site, StaffImport
from districtguard.web import dashboard
from districtguard.web.dashboard import Task
from tests.web.conftest import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _titles(client: Client, person: User) -> list[str]:
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 200
    return [c.title for c in response.context["cards"]]


def test_director_sees_people_audit_and_district_cards(client: Client) -> None:
    titles = _titles(client, make_person(Role.DIRECTOR))
    assert {"People and access", "Audit log", "District settings"} <= set(titles)
    assert "Your tasks" not in titles
    assert "Security program" not in titles


def test_staff_member_sees_no_leadership_cards(client: Client) -> None:
    titles = _titles(client, make_person(Role.STAFF))
    assert not {"People and access", "Audit log", "District settings"} & set(titles)
    assert "Your tasks" not in titles  # no area has registered a task yet


@pytest.mark.parametrize("role", [Role.SUPERINTENDENT, Role.BOARD])
def test_superintendent_and_board_see_a_summary(client: Client, role: str) -> None:
    titles = _titles(client, make_person(role))
    assert "Security program" in titles
    assert "District settings" not in titles


def _card(client: Client, title: str) -> dashboard.Card:
    response = client.get("/")
    cards: list[dashboard.Card] = response.context["cards"]
    (found,) = [c for c in cards if c.title == title]
    return found


def test_people_card_counts_privileged_people_without_mfa(client: Client) -> None:
    director = make_person(Role.DIRECTOR)
    make_person(Role.TECH_STAFF, mfa=False)
    make_person(Role.COUNSEL)
    make_person(Role.STAFF, mfa=False)
    make_person(Role.TECH_STAFF, mfa=False, is_active=False)
    client.force_login(director)
    card = _card(client, "People and access")
    assert card.summary == (
        "3 people in privileged roles, 1 without multi-factor authentication"
    )
    assert card.status == "overdue"  # never reviewed
    assert card.lines == ("No access review recorded yet",)


@pytest.mark.parametrize(
    ("days", "status", "overdue_note"), [(30, "ok", False), (91, "overdue", True)]
)
def test_access_review_is_overdue_after_90_days(
    client: Client, days: int, status: str, overdue_note: bool
) -> None:
    director = make_person(Role.DIRECTOR)
    review = AccessReview.objects.create(reviewer=director, people_reviewed=1)
    AccessReview.objects.filter(pk=review.pk).update(
        reviewed_at=timezone.now() - dt.timedelta(days=days, hours=1)
    )
    client.force_login(director)
    card = _card(client, "People and access")
    assert card.status == status
    assert card.lines[0].startswith(f"Last access review {days} days ago")
    assert ("due every 90 days" in card.lines[0]) is overdue_note


def test_district_card_flags_incomplete_settings(client: Client) -> None:
    client.force_login(make_person(Role.DIRECTOR))
    card = _card(client, "District settings")
    assert card.status == "attention"
    texts = [link.text for link in card.links]
    assert "Give the district its name" in texts
    assert "Add the schools and sites" in texts
    assert "Import the staff directory" in texts
    assert card.summary.endswith("; 3 things to set up")
    page = client.get("/").content.decode()
    assert 'href="/district/sites/"' in page


def test_district_card_is_ok_once_set_up(client: Client) -> None:
    district = District.current()
    district.name = "Prairie Valley"
    district.staff_id_pattern = r"E\d{5}"
    district.save()
    Site.objects.create(name="North")
    director = make_person(Role.DIRECTOR)
    StaffImport.objects.create(
        created_by=director, filename="s.csv", encoding="utf-8", status="applied"
    )
    client.force_login(director)
    card = _card(client, "District settings")
    assert card.status == "ok"
    assert card.links == ()


def test_district_card_counts_one_thing_to_set_up_in_the_singular(
    client: Client,
) -> None:
    district = District.current()
    district.name = "Prairie Valley"
    district.save()
    Site.objects.create(name="North")
    client.force_login(make_person(Role.DIRECTOR))
    card = _card(client, "District settings")
    assert card.summary.endswith("; 1 thing to set up")


def test_audit_card_says_verified_then_broken_after_tampering(client: Client) -> None:
    director = make_person(Role.DIRECTOR)
    for n in range(5):
        audit.record("test.action", actor_label="system", number=n)
    client.force_login(director)
    card = _card(client, "Audit log")
    assert card.status == "ok"
    assert "chain verified" in card.summary
    _tamper(3)
    audit.record("test.action", actor_label="system", number=99)  # new head
    card = _card(client, "Audit log")
    assert card.status == "overdue"
    assert "BROKEN" in card.summary
    assert "#3" in card.lines[0]


def _tamper(seq: int) -> None:
    """Edit an entry behind the application's back, as an attacker with SQL would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(
                "UPDATE accounts_auditentry SET action = 'edited' WHERE seq = %s", [seq]
            )
            cursor.execute("SET session_replication_role = DEFAULT")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'accounts_auditentry'"
        )
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        cursor.execute(
            "UPDATE accounts_auditentry SET action = 'edited' WHERE seq = %s", [seq]
        )
        for _, sql in triggers:
            cursor.execute(sql)


def test_audit_status_verifies_only_entries_after_the_nightly_check() -> None:
    for n in range(3):
        audit.record("test.action", actor_label="system", number=n)
    head = AuditEntry.objects.order_by("-seq").first()
    assert head is not None
    audit.record(
        "audit.chain_verified", actor_label="worker", entries=head.seq, head=head.hash
    )
    audit.record("test.action", actor_label="system", number=3)
    status = chain_status()
    assert status.ok
    assert status.entries == 5
    assert "2 new since the last check" in status.message
    assert status.last_full_check is not None
    _tamper(5)
    cache.clear()
    assert not chain_status().ok


def test_audit_status_reports_a_broken_nightly_check() -> None:
    audit.record("audit.chain_broken", actor_label="worker", problems=2, first_broken=7)
    status = chain_status()
    assert not status.ok
    assert "first at entry #7" in status.message


def test_tasks_card_gathers_registered_tasks(client: Client) -> None:
    person = make_person(Role.STAFF)

    def training(request: object) -> list[Task]:
        return [
            Task("Take the annual PII training", "/t/", dt.date(2026, 1, 1)),
            Task("Acknowledge the phishing bulletin", "/b/", overdue=True),
        ]

    dashboard._TASKS.append(training)
    try:
        client.force_login(person)
        card = _card(client, "Your tasks")
    finally:
        dashboard._TASKS.remove(training)
    assert card.status == "overdue"
    assert card.summary == "2 to do, 1 overdue"
    assert [link.url for link in card.links] == ["/b/", "/t/"]
    assert card.links[1].text.endswith("(due 2026-01-01)")


def test_refused_and_anonymous_get_no_cards() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert dashboard.cards_for(request) == []
