"""The district (one per installation) and its schools and sites."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from districtguard.district.staff_import import RowProblem, StaffRow


def _validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            f"{value!r} is not a time zone name such as America/Chicago"
        )


class ContingencyFrequency(models.TextChoices):
    """How often the district tests its contingency (restore) plan."""

    ANNUALLY = "annually", "Annually"
    SEMI_ANNUALLY = "semi_annually", "Semi-annually"
    QUARTERLY = "quarterly", "Quarterly"
    MONTHLY = "monthly", "Monthly"


class RuleSetChoice(models.TextChoices):
    """Which breach-law rule set detection applies."""

    BY_DATE = "auto", "By date (the law in force today)"
    OK_2008 = "ok-2008", "Oklahoma Act before 2026-01-01"
    OK_2026 = "ok-2026", "Oklahoma Act as amended from 2026-01-01"


class District(models.Model):
    """The district running this installation and the policy's parameters."""

    name = models.CharField(max_length=200, default="Our School District")
    state = models.CharField(max_length=2, default="OK")
    time_zone = models.CharField(
        max_length=64, default="America/Chicago", validators=[_validate_time_zone]
    )
    contingency_test_frequency = models.CharField(
        max_length=20,
        choices=ContingencyFrequency.choices,
        default=ContingencyFrequency.ANNUALLY,
    )
    training_cycle_months = models.PositiveSmallIntegerField(
        default=12, help_text="How often staff who handle personal information retrain."
    )
    rule_set = models.CharField(
        max_length=10, choices=RuleSetChoice.choices, default=RuleSetChoice.BY_DATE
    )
    student_id_pattern = models.CharField(
        max_length=200,
        blank=True,
        help_text="A regular expression for the district's student ID, e.g. S\\d{7}. "
        "Blank: student IDs are not treated as government IDs.",
    )
    staff_id_pattern = models.CharField(max_length=200, blank=True)
    superintendent_notice_hours = models.PositiveSmallIntegerField(
        default=1,
        help_text="Hours within which the Director must tell the Superintendent "
        "of an incident before it is shown as overdue.",
    )

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep exactly one district: always row 1."""
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> District:
        """Return the district, creating it with defaults on first use."""
        district, _ = cls.objects.get_or_create(pk=1)
        return district


class Site(models.Model):
    """A school, office or other site of the district."""

    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(max_length=32, blank=True)
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class StaffImport(models.Model):
    """An uploaded staff directory, kept between its preview and its application.

    The rows read from the file are stored here, so applying never trusts the
    browser to send them again; the status makes applying twice a no-op.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Waiting to be applied"
        APPLIED = "applied", "Applied"
        DISCARDED = "discarded", "Discarded"

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=255)
    encoding = models.CharField(max_length=40)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PREVIEWED
    )
    rows = models.JSONField(default=list, help_text="The good rows, as read.")
    errors = models.JSONField(default=list, help_text="Rows left out, and why.")
    warnings = models.JSONField(default=list)
    columns = models.JSONField(default=dict, help_text="Header -> field used.")
    ignored_columns = models.JSONField(default=list)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deactivated_missing = models.BooleanField(default=False)
    result = models.JSONField(default=dict, help_text="Counts when applied.")

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Staff import {self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    def staff_rows(self) -> list[StaffRow]:
        """Return the stored rows as :class:`StaffRow` values."""
        return [StaffRow(**row) for row in self.rows]

    def row_errors(self) -> list[RowProblem]:
        """Return the rows left out when the file was read."""
        return [RowProblem(**problem) for problem in self.errors]

    def row_warnings(self) -> list[RowProblem]:
        """Return the caveats noted when the file was read."""
        return [RowProblem(**problem) for problem in self.warnings]
