"""The audit-log browser: filters, pages, CSV export, verification, read-only admin."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from districtguard.accounts import audit
from districtguard.accounts.audit import AuditEntry
from districtguard.accounts.models import User
from districtguard.accounts.roles import Role
from districtguard.district.models import Site
from tests.web.conftest import make_person, signed_in

pytestmark = pytest.mark.django_db


def seqs(client: Client, **query: str) -> list[int]:
    response = client.get(reverse("audit:log"), query)
    assert response.status_code == 200
    return [entry.seq for entry in response.context["page"]]


def test_filters_by_action_actor_object_type_and_date(
    director: User, staff: User
) -> None:
    role_change = audit.record("people.role_changed", actor=director, obj=staff)
    other = audit.record("incidents.opened", actor=staff)
    site_added = audit.record("district.site_added", obj=Site.objects.create(name="A"))
    client = signed_in(director)
    assert role_change.seq in seqs(client, action="people.")
    assert other.seq not in seqs(client, action="people.")
    assert seqs(client, actor=staff.email) == [other.seq]
    assert seqs(client, object_type="district.site") == [site_added.seq]
    today = timezone.localdate()
    assert other.seq in seqs(client, date_from=str(today), date_to=str(today))
    tomorrow = today + dt.timedelta(days=1)
    assert seqs(client, date_from=str(tomorrow)) == []


def test_reversed_dates_are_an_error_not_a_crash(director: User) -> None:
    response = signed_in(director).get(
        reverse("audit:log"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 200
    assert "end date is before the start date" in response.content.decode()


def test_pages_hold_fifty_newest_first(auditor: User) -> None:
    for n in range(120):
        audit.record("test.bulk", actor_label="system", number=n)
    client = signed_in(auditor)
    first = seqs(client, action="test.bulk")
    assert len(first) == 50
    assert first == sorted(first, reverse=True)
    third = seqs(client, action="test.bulk", page="3")
    assert len(third) == 20
    assert min(third) == min(
        e.seq for e in AuditEntry.objects.filter(action="test.bulk")
    )


def test_csv_export_matches_the_filter_and_is_audited(auditor: User) -> None:
    for n in range(3):
        audit.record("test.export", actor_label="=HYPERLINK(evil)", number=n)
    audit.record("test.other", actor_label="system")
    response = signed_in(auditor).get(
        reverse("audit:export"), {"action": "test.export"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["action"] for row in rows] == ["test.export"] * 3
    # A label that a spreadsheet would run as a formula is neutralised.
    assert all(row["actor"].startswith("'=") for row in rows)
    stored = {e.seq: e.hash for e in AuditEntry.objects.filter(action="test.export")}
    assert {int(row["seq"]): row["hash"] for row in rows} == stored
    exported = AuditEntry.objects.get(action="audit.exported")
    assert exported.actor_id == auditor.pk
    assert exported.detail["rows"] == 3
    assert exported.detail["filters"] == {"action": "test.export"}


def test_verify_now_reports_and_records_the_result(director: User) -> None:
    audit.record("test.action", actor_label="system")
    response = signed_in(director).post(reverse("audit:verify"))
    assert "The chain verified" in response.content.decode()
    check = AuditEntry.objects.get(action="audit.chain_verified")
    assert check.actor_id == director.pk
    page = signed_in(director).get(reverse("audit:log")).content.decode()
    assert "The whole chain verified" in page


def test_verify_needs_a_post(director: User) -> None:
    assert signed_in(director).get(reverse("audit:verify")).status_code == 405


@pytest.mark.parametrize("role", [Role.TECH_STAFF, Role.SUPERINTENDENT, Role.STAFF])
def test_other_roles_cannot_browse_or_export(role: str) -> None:
    client = signed_in(make_person(role))
    assert client.get(reverse("audit:log")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403
    assert not AuditEntry.objects.filter(action="audit.exported").exists()


@pytest.fixture
def admin_client_for_director(db: None) -> Client:
    person = make_person(Role.DIRECTOR, is_staff=True, is_superuser=True)
    return signed_in(person)


def test_admin_shows_entries_but_refuses_every_change(
    admin_client_for_director: Client,
) -> None:
    entry = audit.record("test.action", actor_label="system", number=1)
    client = admin_client_for_director
    base = "/admin/accounts/auditentry/"
    before = AuditEntry.objects.count()
    assert client.get(base).status_code == 200
    assert client.get(f"{base}{entry.pk}/change/").status_code == 200  # view only
    changed = client.post(
        f"{base}{entry.pk}/change/",
        {"action": "test.forged", "actor_label": "x", "seq": entry.seq},
    )
    assert changed.status_code == 403
    assert client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{base}add/", {"action": "test.forged"}).status_code == 403
    bulk = client.post(
        base, {"action": "delete_selected", "_selected_action": [entry.pk]}
    )
    assert bulk.status_code in (200, 302)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.hash) == ("test.action", entry.hash)
    assert AuditEntry.objects.count() == before
    assert audit.verify_chain() == []


@pytest.mark.parametrize(("problems", "words"), [(1, "1 problem,"), (2, "2 problems,")])
def test_a_broken_nightly_check_counts_its_problems_in_words(
    director: User, problems: int, words: str
) -> None:
    audit.record(
        "audit.chain_broken", actor_label="worker", problems=problems, first_broken=7
    )
    page = signed_in(director).get(reverse("audit:log")).content.decode()
    assert f"{words} the first at entry #7" in page
