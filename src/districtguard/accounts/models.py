"""People and access reviews; the audit log lives in :mod:`.audit`."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from districtguard.accounts.audit import AuditEntry
from districtguard.accounts.roles import MFA_REQUIRED, Role, role_has


class PersonManager(UserManager["User"]):
    """Create people by email; there are no usernames."""

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        """Create a person who signs in with ``email``."""
        if not email:
            raise ValueError("a person needs an email address")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        """Create a Director with Django admin rights."""
        extra.setdefault("role", Role.DIRECTOR)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person in the district: signs in by email, holds one role."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.STAFF)
    title = models.CharField(max_length=200, blank=True)
    site = models.ForeignKey(
        "district.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    handles_pii = models.BooleanField(
        "handles personal information",
        default=False,
        help_text="Must take the annual training on personal information.",
    )
    employee_id = models.CharField(max_length=64, blank=True, db_index=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects: ClassVar[PersonManager] = PersonManager()

    class Meta:
        ordering = ("last_name", "first_name", "email")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def needs_mfa(self) -> bool:
        """Return whether this person's role requires multi-factor authentication."""
        return self.role in MFA_REQUIRED

    def can(self, permission: str) -> bool:
        """Return whether this person may do ``permission`` (see :mod:`.roles`)."""
        return self.is_active and role_has(self.role, permission)


class AccessReview(models.Model):
    """A periodic review of who holds which role, recorded as evidence."""

    reviewed_at = models.DateTimeField(auto_now_add=True)
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    people_reviewed = models.PositiveIntegerField()
    changes_made = models.TextField(
        blank=True, help_text="Roles removed or changed as a result of the review."
    )
    snapshot = models.JSONField(
        default=list, help_text="Who held which role when the review was recorded."
    )

    class Meta:
        ordering = ("-reviewed_at",)

    def __str__(self) -> str:
        return f"Access review of {self.reviewed_at:%Y-%m-%d}"


__all__ = ["AccessReview", "AuditEntry", "User"]
