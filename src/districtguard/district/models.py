"""The district (one per installation) and its schools and sites."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models


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
