"""What the people and access-review pages do: each change is checked and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.mfa.models import Authenticator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from districtguard.accounts import audit
from districtguard.accounts.models import AccessReview, User
from districtguard.accounts.roles import Role

# Access reviews are due quarterly, counted as 90 days (the dashboard's card,
# district.cards.REVIEW_DUE_DAYS, shows a review overdue after the same 90).
REVIEW_INTERVAL = dt.timedelta(days=90)

# Authenticator types that count as multi-factor authentication being set up
# (recovery codes alone do not).
_MFA_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class AccessChangeRefused(Exception):
    """A role change or deactivation would leave the district without a Director."""


def _other_active_directors(person: User) -> bool:
    # Lock the Director rows so two Directors demoting each other at the same
    # moment cannot both succeed (PostgreSQL; SQLite takes the write lock anyway).
    directors = (
        User.objects.select_for_update()
        .filter(role=Role.DIRECTOR, is_active=True)
        .exclude(pk=person.pk)
    )
    return bool(list(directors.values_list("pk", flat=True)))


def change_role(person: User, role: str, request: HttpRequest) -> bool:
    """Give ``person`` the role ``role``; return whether anything changed.

    Refuses to demote the last active Director.
    """
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        old = person.role
        if old == role:
            return False
        if (
            old == Role.DIRECTOR
            and person.is_active
            and not _other_active_directors(person)
        ):
            raise AccessChangeRefused(
                "This is the only active Director. Make someone else Director first."
            )
        person.role = role
        person.save(update_fields=["role"])
        audit.record(
            "people.role_changed", obj=person, request=request, old=old, new=role
        )
    return True


def set_active(person: User, active: bool, request: HttpRequest) -> bool:
    """Deactivate or reactivate ``person``; return whether anything changed.

    A deactivated person cannot sign in and their open sessions stop working at
    their next request. Nobody deactivates themselves, and the last active
    Director stays.
    """
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.is_active == active:
            return False
        if not active:
            if person.pk == request.user.pk:
                raise AccessChangeRefused("You cannot deactivate yourself.")
            if person.role == Role.DIRECTOR and not _other_active_directors(person):
                raise AccessChangeRefused(
                    "This is the only active Director. Make someone else Director "
                    "first."
                )
        person.is_active = active
        person.save(update_fields=["is_active"])
        action = "people.reactivated" if active else "people.deactivated"
        audit.record(action, obj=person, request=request, role=person.role)
    return True


def privileged_people() -> QuerySet[User]:
    """Return everyone whose role is other than staff, active or not."""
    return User.objects.exclude(role=Role.STAFF).select_related("site")


def people_with_mfa(people: QuerySet[User]) -> set[int]:
    """Return the ids of ``people`` who have set up TOTP or a security key."""
    return set(
        Authenticator.objects.filter(
            user__in=people.values("pk"), type__in=_MFA_TYPES
        ).values_list("user_id", flat=True)
    )


def review_rows() -> list[dict[str, Any]]:
    """Return who holds which role now, as an access review shows and snapshots it."""
    people = privileged_people().order_by("role", "last_name", "first_name", "email")
    with_mfa = people_with_mfa(people)
    return [
        {
            "id": person.pk,
            "name": str(person),
            "email": person.email,
            "role": person.role,
            "role_label": person.get_role_display(),
            "active": person.is_active,
            "mfa": person.pk in with_mfa,
            "mfa_required": person.needs_mfa,
            "last_login": person.last_login.isoformat() if person.last_login else None,
            "date_joined": person.date_joined.isoformat(),
        }
        for person in people
    ]


def record_access_review(
    notes: str, changes_made: str, request: HttpRequest
) -> AccessReview:
    """Store an access review with a snapshot of who holds which role now."""
    snapshot = review_rows()
    with transaction.atomic():
        review = AccessReview.objects.create(
            reviewer=request.user,  # type: ignore[misc]  # views require sign-in
            notes=notes,
            changes_made=changes_made,
            people_reviewed=len(snapshot),
            snapshot=snapshot,
        )
        audit.record(
            "access_review.recorded",
            obj=review,
            request=request,
            people_reviewed=len(snapshot),
            changes=bool(changes_made.strip()),
        )
    return review


def next_review_due(last: AccessReview | None) -> dt.date:
    """Return when the next access review is due: a quarter after the last one.

    With no review yet it is due today.
    """
    if last is None:
        return timezone.localdate()
    return timezone.localdate(last.reviewed_at + REVIEW_INTERVAL)
