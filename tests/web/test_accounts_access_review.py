"""Access reviews: who holds which role, MFA and sign-in, recorded with a snapshot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from districtguard.accounts import services
from districtguard.accounts.audit import AuditEntry
from districtguard.accounts.models import AccessReview, User
from districtguard.accounts.roles import Role
from tests.web.conftest import make_person, signed_in

pytestmark = pytest.mark.django_db


def test_review_lists_every_role_but_staff_with_mfa_status(
    director: User, staff: User, board_member: User
) -> None:
    no_mfa = make_person(Role.TECH_STAFF, mfa=False)
    rows = signed_in(director).get(reverse("accounts:access_review")).context["rows"]
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {director.pk, board_member.pk, no_mfa.pk}
    assert by_id[director.pk]["mfa"] is True
    assert by_id[no_mfa.pk]["mfa"] is False
    assert by_id[no_mfa.pk]["mfa_required"] is True
    assert by_id[board_member.pk]["mfa_required"] is False
    assert by_id[director.pk]["last_login"] is not None  # signed in just now


def test_recording_a_review_keeps_a_snapshot_and_is_audited(
    director: User, counsel: User
) -> None:
    response = signed_in(director).post(
        reverse("accounts:access_review_record"),
        {"notes": "Checked against HR list.", "changes_made": "None needed."},
    )
    review = AccessReview.objects.get()
    assert response["Location"] == reverse(
        "accounts:access_review_detail", args=[review.pk]
    )
    assert review.reviewer == director
    assert review.people_reviewed == 2
    assert {row["email"]: row["role"] for row in review.snapshot} == {
        director.email: Role.DIRECTOR,
        counsel.email: Role.COUNSEL,
    }
    # The snapshot keeps what was true then, whatever changes later.
    counsel.role = Role.STAFF
    counsel.save()
    review.refresh_from_db()
    assert len(review.snapshot) == 2
    entry = AuditEntry.objects.get(action="access_review.recorded")
    assert entry.actor_id == director.pk
    assert entry.detail == {"people_reviewed": 2, "changes": True}


def test_a_review_needs_notes(director: User) -> None:
    response = signed_in(director).post(
        reverse("accounts:access_review_record"), {"notes": "", "changes_made": ""}
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not AccessReview.objects.exists()


def test_next_review_is_due_a_quarter_after_the_last(director: User) -> None:
    assert services.next_review_due(None) == timezone.localdate()
    review = AccessReview.objects.create(
        reviewer=director, notes="n", people_reviewed=1
    )
    due = services.next_review_due(review)
    assert due - timezone.localdate(review.reviewed_at) == dt.timedelta(days=90)
    page = signed_in(director).get(reverse("accounts:access_review"))
    assert page.context["due"] == due


def test_superintendent_and_auditor_see_reviews_but_cannot_record(
    superintendent: User, auditor: User, director: User
) -> None:
    review = AccessReview.objects.create(
        reviewer=director, notes="n", people_reviewed=0
    )
    for person in (superintendent, auditor):
        client = signed_in(person)
        assert client.get(reverse("accounts:access_review")).status_code == 200
        detail = reverse("accounts:access_review_detail", args=[review.pk])
        assert client.get(detail).status_code == 200
        refused = client.post(
            reverse("accounts:access_review_record"), {"notes": "forged"}
        )
        assert refused.status_code == 403
    assert AccessReview.objects.count() == 1


def test_counsel_cannot_see_reviews(counsel: User) -> None:
    assert signed_in(counsel).get(reverse("accounts:access_review")).status_code == 403
