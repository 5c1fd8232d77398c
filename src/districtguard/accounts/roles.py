"""Roles and the permission table: who may see and do what.

The table is the single source of truth: views declare the permission they need
(:func:`districtguard.accounts.access.requires`), ``docs/permissions.md`` is
checked against it by a test, and the view tests are generated from it.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    """A person's role in the district's policy."""

    DIRECTOR = "director", "Director of Technology"
    TECH_STAFF = "tech_staff", "Technology staff"
    SUPERINTENDENT = "superintendent", "Superintendent"
    COUNSEL = "counsel", "Legal counsel"
    BOARD = "board", "Board member"
    STAFF = "staff", "Staff"
    AUDITOR = "auditor", "Auditor (read-only)"


# Roles that must set up multi-factor authentication before any privileged page.
MFA_REQUIRED: frozenset[str] = frozenset(
    {Role.DIRECTOR, Role.TECH_STAFF, Role.SUPERINTENDENT, Role.COUNSEL}
)

_ALL = frozenset(Role)
_LEADERSHIP = frozenset(
    {Role.DIRECTOR, Role.TECH_STAFF, Role.SUPERINTENDENT, Role.COUNSEL, Role.AUDITOR}
)

# permission -> (roles allowed, what it means, shown in docs/permissions.md)
PERMISSIONS: dict[str, tuple[frozenset[str], str]] = {
    "home.view": (_ALL, "See their own dashboard"),
    "district.view": (
        _LEADERSHIP | {Role.BOARD},
        "See the district's settings and sites",
    ),
    "district.change": (
        frozenset({Role.DIRECTOR}),
        "Change district settings and sites",
    ),
    "people.view": (_LEADERSHIP, "See the staff directory and roles"),
    "people.import": (frozenset({Role.DIRECTOR}), "Import the staff directory"),
    "people.change_role": (frozenset({Role.DIRECTOR}), "Change a person's role"),
    "access_review.view": (
        frozenset({Role.DIRECTOR, Role.SUPERINTENDENT, Role.AUDITOR}),
        "See who holds which role, last sign-in, and past access reviews",
    ),
    "access_review.record": (frozenset({Role.DIRECTOR}), "Record an access review"),
    "audit.view": (frozenset({Role.DIRECTOR, Role.AUDITOR}), "Browse the audit log"),
    "audit.export": (frozenset({Role.DIRECTOR, Role.AUDITOR}), "Export the audit log"),
    "incidents.report": (
        _ALL,
        "Report a suspected incident and follow their own reports",
    ),
    "incidents.view": (
        _LEADERSHIP,
        "See every report and incident, its timeline and evidence",
    ),
    "incidents.manage": (
        frozenset({Role.DIRECTOR, Role.TECH_STAFF}),
        "Triage reports; open, work and close incidents; tasks and evidence",
    ),
    "incidents.notify": (
        frozenset({Role.DIRECTOR, Role.SUPERINTENDENT, Role.COUNSEL}),
        "Record the notification chain's steps",
    ),
    "incidents.legal": (
        frozenset({Role.DIRECTOR, Role.SUPERINTENDENT, Role.COUNSEL}),
        "Record the breach facts and apply the breach-law determination",
    ),
    "inventory.view": (
        _LEADERSHIP,
        "See the PII inventory: data stores, scans, findings (masked) and trends",
    ),
    "inventory.manage": (
        frozenset({Role.DIRECTOR, Role.TECH_STAFF}),
        "Register and change data stores; start and cancel scans",
    ),
    "inventory.protect": (
        frozenset({Role.DIRECTOR}),
        "Redact or encrypt a file or a whole data store",
    ),
    "inventory.exceptions": (
        frozenset({Role.DIRECTOR}),
        "Accept a gap in the exceptions register, and end an exception",
    ),
}


def allowed_roles(permission: str) -> frozenset[str]:
    """Return the roles that hold ``permission``; unknown names are an error."""
    try:
        return PERMISSIONS[permission][0]
    except KeyError:
        raise KeyError(f"unknown permission {permission!r}") from None


def role_has(role: str, permission: str) -> bool:
    """Return whether ``role`` holds ``permission``."""
    return role in allowed_roles(permission)
