"""Dashboard cards of the platform: people and access, the audit log, the district.

Also the "Your tasks" card, which gathers what other areas register with
:func:`districtguard.web.dashboard.task` and is shown only when there is some.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from districtguard.accounts.models import AccessReview, User
from districtguard.accounts.roles import MFA_REQUIRED, Role
from districtguard.district.audit_status import chain_status
from districtguard.district.models import District, Site, StaffImport
from districtguard.web.dashboard import Card, Link, card, tasks_for

# Auditors expect roles to be reviewed at least every quarter.
REVIEW_DUE_DAYS = 90
_DEFAULT_NAME = District._meta.get_field("name").get_default()


def _url(*names: str) -> str:
    """Return the first of ``names`` that resolves: pages of areas not built yet."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_active else None


def _days_since_review() -> int | None:
    last = AccessReview.objects.order_by("-reviewed_at").first()
    return None if last is None else (timezone.now() - last.reviewed_at).days


@card(order=10)
def people_card(request: HttpRequest) -> Card | None:
    """Privileged people, those without MFA, and when roles were last reviewed."""
    user = _user(request)
    if user is None or not user.can("access_review.record"):
        return None
    privileged = User.objects.filter(is_active=True, role__in=MFA_REQUIRED)
    with_mfa = Authenticator.objects.filter(
        user__in=privileged,
        type__in=(Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN),
    ).values("user")
    without_mfa = privileged.exclude(pk__in=with_mfa).count()
    days = _days_since_review()
    overdue = days is None or days > REVIEW_DUE_DAYS
    review = (
        "No access review recorded yet"
        if days is None
        else f"Last access review {days} day{'s' if days != 1 else ''} ago"
        + (f" (due every {REVIEW_DUE_DAYS} days)" if overdue else "")
    )
    status = "overdue" if overdue else ("attention" if without_mfa else "ok")
    return Card(
        "People and access",
        status,
        f"{privileged.count()} people in privileged roles, "
        f"{without_mfa} without multi-factor authentication",
        _url("accounts:access_review", "accounts:people"),
        (review,),
    )


@card(order=11)
def audit_card(request: HttpRequest) -> Card | None:
    """How big the audit log is and whether its chain still verifies."""
    user = _user(request)
    if user is None or not user.can("audit.view"):
        return None
    status = chain_status()
    lines = [status.message]
    if status.last_full_check is not None:
        checked = timezone.localtime(status.last_full_check)
        lines.append(f"Last full check {checked:%Y-%m-%d %H:%M}")
    return Card(
        "Audit log",
        "ok" if status.ok else "overdue",
        f"{status.entries:,} entries; chain {'verified' if status.ok else 'BROKEN'}",
        _url("audit:log", "accounts:audit"),
        tuple(lines),
    )


def incomplete_settings() -> list[Link]:
    """Return what the Director still has to set up, each with where to do it."""
    district = District.current()
    missing: list[Link] = []
    if district.name == _DEFAULT_NAME:
        missing.append(
            Link("Give the district its name", reverse("district:settings_edit"))
        )
    if not Site.objects.exists():
        missing.append(Link("Add the schools and sites", reverse("district:sites")))
    if not StaffImport.objects.filter(status=StaffImport.Status.APPLIED).exists():
        missing.append(Link("Import the staff directory", reverse("district:import")))
    if not district.student_id_pattern and not district.staff_id_pattern:
        missing.append(
            Link(
                "Optional: give the student or staff ID format",
                reverse("district:settings_edit"),
            )
        )
    return missing


def _count(number: int, noun: str) -> str:
    """Return ``number`` with ``noun``, plural unless it is one: "2 things"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


@card(order=12)
def district_card(request: HttpRequest) -> Card | None:
    """The district's settings, with what is still incomplete."""
    user = _user(request)
    if user is None or not user.can("district.change"):
        return None
    missing = incomplete_settings()
    required = [link for link in missing if not link.text.startswith("Optional")]
    sites = Site.objects.count()
    people = User.objects.filter(is_active=True).count()
    return Card(
        "District settings",
        "attention" if required else "ok",
        f"{sites} site{'s' if sites != 1 else ''}, {people} active people"
        + (f"; {_count(len(required), 'thing')} to set up" if required else ""),
        reverse("district:settings"),
        links=tuple(missing),
    )


@card(order=2)
def tasks_card(request: HttpRequest) -> Card | None:
    """The person's own tasks from every area; nothing when there are none."""
    tasks = tasks_for(request)
    if not tasks:
        return None
    overdue = sum(1 for t in tasks if t.overdue)
    return Card(
        "Your tasks",
        "overdue" if overdue else "attention",
        f"{len(tasks)} to do" + (f", {overdue} overdue" if overdue else ""),
        links=tuple(
            Link(t.text + (f" (due {t.due:%Y-%m-%d})" if t.due else ""), t.url)
            for t in tasks
        ),
    )


@card(order=30)
def summary_card(request: HttpRequest) -> Card | None:
    """A short summary of the program for the Superintendent and the Board."""
    user = _user(request)
    if user is None or user.role not in (Role.SUPERINTENDENT, Role.BOARD):
        return None
    days = _days_since_review()
    status = chain_status()
    lines = (
        f"{User.objects.filter(is_active=True).count()} people at "
        f"{Site.objects.count()} sites",
        "Roles last reviewed "
        + ("never" if days is None else f"{days} day{'s' if days != 1 else ''} ago"),
        "Audit log intact" if status.ok else "Audit log integrity check FAILED",
    )
    overdue = days is None or days > REVIEW_DUE_DAYS
    return Card(
        "Security program",
        "overdue" if not status.ok else ("attention" if overdue else "ok"),
        "How the district's cybersecurity program stands today.",
        "",
        lines,
    )
