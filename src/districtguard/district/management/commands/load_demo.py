"""Load a synthetic demo district: settings, sites, staff, some history.

Every person is made up by Faker with a fixed seed, at the reserved
``example.org`` domain, so no real person's data is ever loaded. Running it
again changes nothing: people are matched by email, sites by name, and the
history is added only the first time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from faker import Faker

from districtguard.accounts import audit
from districtguard.accounts.models import AccessReview, User
from districtguard.accounts.roles import Role
from districtguard.district.models import District, Site

SEED = 20260101
DOMAIN = "demo.example.org"
SITES = (
    ("Prairie View Elementary", "PVE"),
    ("Cedar Ridge Elementary", "CRE"),
    ("Red Hills Middle School", "RHM"),
    ("Prairie Valley High School", "PVH"),
    ("Early Childhood Center", "ECC"),
    ("District Administration Building", "ADM"),
)
# (role, title, how many, handles personal information)
LEADERS = (
    (Role.SUPERINTENDENT, "Superintendent", 1, True),
    (Role.COUNSEL, "District Counsel", 1, True),
    (Role.BOARD, "Board Member", 2, False),
    (Role.TECH_STAFF, "Network Technician", 2, True),
    (Role.AUDITOR, "External Auditor", 1, False),
)
STAFF_TITLES = (
    ("Teacher", False),
    ("Teacher", False),
    ("Teacher", False),
    ("Principal", True),
    ("Counselor", True),
    ("Registrar", True),
    ("Payroll Clerk", True),
    ("School Nurse", True),
    ("Paraprofessional", False),
    ("Librarian", False),
)
STAFF_COUNT = 53


class Command(BaseCommand):
    """Load the synthetic demo district (idempotent)."""

    help = "Load a synthetic demo district: sites, ~60 staff, some history."

    def handle(self, *args: Any, **options: Any) -> None:
        """Create what is missing and say what was done."""
        created = load_demo()
        if created:
            self.stdout.write(
                f"Loaded the demo district: {created} people added "
                f"({User.objects.count()} in the directory)."
            )
        else:
            self.stdout.write("The demo district is already loaded; nothing changed.")


@transaction.atomic
def load_demo() -> int:
    """Create the demo district; return how many people were added."""
    fake = Faker("en_US")
    fake.seed_instance(SEED)
    district = District.current()
    if district.name == District._meta.get_field("name").get_default():
        district.name = "Prairie Valley Public Schools (demo)"
        district.student_id_pattern = r"S\d{7}"
        district.staff_id_pattern = r"E\d{5}"
        district.save()
    sites = [
        Site.objects.get_or_create(name=name, defaults={"code": code})[0]
        for name, code in SITES
    ]
    specs: list[tuple[str, str, bool, Site]] = []
    for leader, job, count, private in LEADERS:
        specs += [(str(leader), job, private, sites[-1])] * count
    for n in range(STAFF_COUNT):
        title, handles = STAFF_TITLES[n % len(STAFF_TITLES)]
        specs.append((Role.STAFF, title, handles, sites[n % (len(sites) - 1)]))
    added = 0
    people: list[User] = []
    for n, (role, title, handles, site) in enumerate(specs, start=1):
        first, last = fake.first_name(), fake.last_name()
        email = f"{first}.{last}.{n}@{DOMAIN}".lower().replace("'", "")
        person, made = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "title": title,
                "handles_pii": handles,
                "site": site,
                "employee_id": f"E{10000 + n}",
            },
        )
        if made:
            person.set_unusable_password()
            person.save(update_fields=["password"])
            added += 1
        people.append(person)
    if not AccessReview.objects.exists():
        _add_history(people, sites)
    for load_area in _area_loaders():
        load_area(people)
    return added


def _area_loaders() -> list[Callable[[list[User]], None]]:
    """Return each app's ``demo.load(people)``: every policy area adds its history.

    An area's loader must be idempotent, like this command.
    """
    loaders = []
    for app in apps.get_app_configs():
        if app.name.startswith("districtguard.") and find_spec(f"{app.name}.demo"):
            loaders.append(import_module(f"{app.name}.demo").load)
    return loaders


def _add_history(people: list[User], sites: list[Site]) -> None:
    """Record a past access review and a few audit entries, once."""
    reviewer = (
        User.objects.filter(role=Role.DIRECTOR, is_active=True).first()
        or people[0]  # the Superintendent, when no Director exists yet
    )
    label = "demo data"
    for site in sites:
        audit.record("site.created", actor=reviewer, obj=site, demo=True)
    audit.record(
        "staff_import.applied",
        actor=reviewer,
        actor_label=label,
        created=len(people),
        updated=0,
        demo=True,
    )
    privileged = [p for p in people if p.role != Role.STAFF]
    review = AccessReview.objects.create(
        reviewer=reviewer,
        notes="Quarterly review of privileged roles (demo).",
        people_reviewed=len(privileged),
        changes_made="",
        snapshot=[{"person": str(p), "role": p.role} for p in privileged],
    )
    reviewed_at = timezone.now() - dt.timedelta(days=75)
    AccessReview.objects.filter(pk=review.pk).update(reviewed_at=reviewed_at)
    audit.record(
        "access_review.recorded",
        actor=reviewer,
        obj=review,
        people_reviewed=len(privileged),
        demo=True,
    )
