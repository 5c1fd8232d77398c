"""The demo district: synthetic, complete enough to explore, loaded once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from districtguard.accounts import audit
from districtguard.accounts.models import AccessReview, AuditEntry, User
from districtguard.accounts.roles import Role
from districtguard.district.management.commands.load_demo import DOMAIN
from districtguard.district.models import District, Site

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_loads_sites_staff_roles_and_history() -> None:
    assert "60 people added" in _load()
    assert Site.objects.count() == 6
    assert User.objects.count() == 60
    counts = {role: User.objects.filter(role=role).count() for role in Role}
    assert counts[Role.SUPERINTENDENT] == 1
    assert counts[Role.COUNSEL] == 1
    assert counts[Role.BOARD] == 2
    assert counts[Role.TECH_STAFF] == 2
    assert counts[Role.AUDITOR] == 1
    assert counts[Role.STAFF] == 53
    assert all(u.email.endswith("@" + DOMAIN) for u in User.objects.all())
    assert not any(u.has_usable_password() for u in User.objects.all())
    assert District.current().name.endswith("(demo)")
    review = AccessReview.objects.get()
    assert review.people_reviewed == 7
    assert review.reviewed_at < timezone.now() - dt.timedelta(days=60)
    assert AuditEntry.objects.filter(detail__demo=True).count() >= 3
    assert audit.verify_chain() == []


def test_loading_twice_changes_nothing() -> None:
    _load()
    entries = AuditEntry.objects.count()
    emails = set(User.objects.values_list("email", flat=True))
    assert "already loaded" in _load()
    assert set(User.objects.values_list("email", flat=True)) == emails
    assert Site.objects.count() == 6
    assert AccessReview.objects.count() == 1
    assert AuditEntry.objects.count() == entries


def test_existing_director_reviews_and_keeps_the_district_name() -> None:
    director = User.objects.create_user("dir@example.org", None, role=Role.DIRECTOR)
    district = District.current()
    district.name = "Our Own District"
    district.save()
    _load()
    assert AccessReview.objects.get().reviewer == director
    assert District.current().name == "Our Own District"
