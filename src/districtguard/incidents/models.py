"""Reports from staff, incident cases, and everything that happens to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from districtguard.law.facts import DataKind, Protection, Role

User = settings.AUTH_USER_MODEL
# How the source of a row the inventory filled in begins.
INVENTORY_SOURCE = "inventory:"


def _next_reference(model: type[models.Model], prefix: str) -> str:
    """Return the next reference such as ``R-2026-0007`` for this year."""
    year = timezone.localdate().year
    stem = f"{prefix}-{year}-"
    last = (
        model._default_manager.filter(reference__startswith=stem)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{number:04d}"


class Referenced(models.Model):
    """A record people quote by a yearly reference number, such as ``R-2026-0007``."""

    PREFIX = ""
    reference = models.CharField(max_length=20, unique=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Give a new record its reference number."""
        if self.reference:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            self.reference = _next_reference(type(self), self.PREFIX)
            super().save(*args, **kwargs)


class Report(Referenced):
    """What a staff member saw, as they told it; triage turns it into an incident."""

    class Channel(models.TextChoices):
        WEB = "web", "Report form"
        EMAIL = "email", "Email"

    class Status(models.TextChoices):
        NEW = "new", "New"
        INCIDENT = "incident", "Opened as an incident"
        NOT_INCIDENT = "not_incident", "Not an incident"
        MERGED = "merged", "Merged into an incident"

    PREFIX = "R"
    reporter = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    reporter_email = models.EmailField(blank=True)
    channel = models.CharField(
        max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    summary = models.CharField("what happened, in a line", max_length=200)
    details = models.TextField("what happened", blank=True)
    occurred_at = models.DateTimeField("when it happened", null=True, blank=True)
    device = models.CharField("device or system", max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    triaged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    triage_reason = models.TextField(blank=True)
    incident = models.ForeignKey(
        "Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )

    class Meta:
        ordering = ("-submitted_at",)

    def __str__(self) -> str:
        return f"{self.reference}: {self.summary}"


class Incident(Referenced):
    """A security incident, from detection to closure."""

    class Category(models.TextChoices):
        RANSOMWARE = "ransomware", "Ransomware"
        PHISHING = "phishing", "Phishing or credential compromise"
        LOST_DEVICE = "lost_device", "Lost or stolen device"
        DISCLOSURE = "disclosure", "Unauthorized disclosure of student records"
        VENDOR = "vendor", "Vendor breach"
        MALWARE = "malware", "Other malware"
        OTHER = "other", "Other"

    class Severity(models.IntegerChoices):
        LOW = 1, "Low"
        MEDIUM = 2, "Medium"
        HIGH = 3, "High"
        CRITICAL = 4, "Critical"

    class Phase(models.TextChoices):
        DETECTED = "detected", "Detected"
        CONTAINED = "contained", "Contained"
        ERADICATED = "eradicated", "Eradicated"
        RECOVERED = "recovered", "Recovered"
        CLOSED = "closed", "Closed"

    PREFIX = "INC"
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices)
    severity = models.PositiveSmallIntegerField(
        choices=Severity.choices, default=Severity.MEDIUM
    )
    phase = models.CharField(
        max_length=20, choices=Phase.choices, default=Phase.DETECTED
    )
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )
    description = models.TextField(blank=True)
    affected_systems = models.TextField(blank=True)
    # The inventory's stores the incident reached: their holdings feed the facts.
    affected_stores = models.ManyToManyField(
        "inventory.DataStore", blank=True, related_name="incidents"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    discovered_on = models.DateField(default=timezone.localdate)
    determined_on = models.DateField(null=True, blank=True)
    breach_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-opened_at",)

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def is_open(self) -> bool:
        """Return whether the incident is still being worked."""
        return self.phase != self.Phase.CLOSED


class BreachFacts(models.Model):
    """What is known for the breach-law determination (see ``districtguard.law``)."""

    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="facts"
    )
    accessed = models.BooleanField(null=True, help_text="Blank: not yet known.")
    acquired = models.BooleanField(null=True, help_text="Blank: not yet known.")
    computerized = models.BooleanField(default=True)
    good_faith_insider = models.BooleanField(default=False)
    ok_residents = models.PositiveIntegerField("Oklahoma residents affected", default=0)
    credit_bureau = models.BooleanField(default=False)
    role = models.CharField(
        max_length=12,
        choices=[(r.value, r.value.title()) for r in Role],
        default=Role.OWNER.value,
    )
    harm_believed = models.BooleanField(null=True, help_text="Blank: not yet assessed.")
    harm_rationale = models.TextField(blank=True)
    harm_assessor = models.CharField(max_length=200, blank=True)
    hold_agency = models.CharField("law-enforcement agency", max_length=200, blank=True)
    hold_advised_on = models.DateField(null=True, blank=True)
    hold_released_on = models.DateField(null=True, blank=True)
    hold_criminal = models.BooleanField(default=True)
    residents_notified_on = models.DateField(null=True, blank=True)
    notice_cost_estimate = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True
    )
    contact_info_sufficient = models.BooleanField(default=True)
    students_affected = models.PositiveIntegerField(default=0)
    education_records = models.BooleanField(default=False)
    # Where ok_residents and students_affected came from ("inventory: ..."),
    # cleared when someone changes either by hand.
    people_source = models.CharField(max_length=200, blank=True, editable=False)

    def __str__(self) -> str:
        return f"Breach facts of {self.incident}"


class ExposedElement(models.Model):
    """One kind of data element the incident exposed, and how it was stored."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="elements"
    )
    kind = models.CharField(
        max_length=20, choices=[(k.value, k.value) for k in DataKind]
    )
    linked_to_name = models.BooleanField(default=True)
    protection = models.CharField(
        max_length=10,
        choices=[(p.value, p.value.title()) for p in Protection],
        default=Protection.NONE.value,
    )
    key_compromised = models.BooleanField(default=False)
    acquired_unencrypted = models.BooleanField(default=False)
    visible_digits = models.PositiveSmallIntegerField(null=True, blank=True)
    code_required = models.BooleanField(null=True)
    codes = models.JSONField(default=list, blank=True)
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where this came from (inventory, by hand).",
    )

    def __str__(self) -> str:
        return f"{self.kind} ({self.protection})"

    @property
    def from_inventory(self) -> bool:
        """Return whether the row is the inventory's, which a new apply replaces."""
        return self.source.startswith(INVENTORY_SOURCE)


class TimelineEntry(models.Model):
    """Something that happened in the incident, timestamped and attributed."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="timeline"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=30)
    text = models.TextField()

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.text[:60]}"


class Task(models.Model):
    """A piece of work in the response, from a playbook or added by hand."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(max_length=200)
    assignee = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident_tasks",
    )
    due_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = (
            models.F("done_at").asc(nulls_first=True),
            models.F("due_at").asc(nulls_last=True),
            "pk",
        )

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        """Return whether the task is past due and not done."""
        now = now or timezone.now()
        return self.done_at is None and self.due_at is not None and self.due_at < now


def _evidence_path(instance: models.Model, filename: str) -> str:
    # Stored under a random name: the original name is kept in the row only.
    import secrets

    return f"incidents/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class Evidence(models.Model):
    """A file kept as evidence, with its hash and chain of custody.

    Report attachments (screenshots, the suspicious email) are evidence too:
    ``report`` is set and ``incident`` may follow at triage.
    """

    incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    report = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(upload_to=_evidence_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("added_at", "pk")
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.original_name


class CustodyEvent(models.Model):
    """Who had, moved or looked at a piece of evidence, and when."""

    class Action(models.TextChoices):
        COLLECTED = "collected", "Collected"
        DOWNLOADED = "downloaded", "Downloaded"
        TRANSFERRED = "transferred", "Handed over"
        VERIFIED = "verified", "Hash verified"

    evidence = models.ForeignKey(
        Evidence, on_delete=models.PROTECT, related_name="custody"
    )
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=20, choices=Action.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """A step of the policy's notification chain: who was told, when, how, what."""

    class Step(models.TextChoices):
        SUPERINTENDENT = "superintendent", "Superintendent (by the Director, at once)"
        COUNSEL = "counsel", "Legal counsel"
        LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
        DATA_OWNER = "data_owner", "Data owner"
        RESIDENTS = "residents", "Affected people"
        ATTORNEY_GENERAL = "attorney_general", "Oklahoma Attorney General"
        STUDENT_RECORDS = "student_records", "FERPA entries in student records"
        BOARD = "board", "Board of Education"

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="notifications"
    )
    step = models.CharField(max_length=20, choices=Step.choices)
    required = models.BooleanField(default=True)
    due_at = models.DateTimeField(null=True, blank=True)
    due_text = models.CharField(max_length=300, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    method = models.CharField(max_length=200, blank=True)
    recipient = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=("incident", "step"), name="one_step_per_incident"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident.reference}: {self.get_step_display()}"

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        """Return whether a required step is past due and not done."""
        now = now or timezone.now()
        return (
            self.required
            and self.done_at is None
            and self.due_at is not None
            and self.due_at < now
        )


class Playbook(models.Model):
    """The tasks a category of incident starts with; each district edits its own."""

    category = models.CharField(
        max_length=20, choices=Incident.Category.choices, unique=True
    )
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class PlaybookTask(models.Model):
    """One task of a playbook, due some hours after the incident opens."""

    playbook = models.ForeignKey(
        Playbook, on_delete=models.CASCADE, related_name="tasks"
    )
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    due_hours = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("order", "pk")

    def __str__(self) -> str:
        return self.title
