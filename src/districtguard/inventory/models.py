"""Where the district's personal information lives: stores, scans and their results.

Nothing here holds a raw value. A file's results are counts, masked findings
(what statutory redaction leaves visible) and keyed fingerprints, which count
distinct values without keeping them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone


class DataStore(models.Model):
    """A folder, file share or database the district keeps personal information in.

    The totals are those of the last scan, kept here so the list and the
    dashboard never add up a million file rows to answer.
    """

    class Kind(models.TextChoices):
        FOLDER = "folder", "Folder or file share"
        DATABASE = "database", "Database"

    class Schedule(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        MANUAL = "manual", "Only when asked"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FOLDER)
    name = models.CharField(max_length=200, unique=True)
    # A folder path the server can read, or an SQLAlchemy URL without its password.
    location = models.CharField(max_length=1000)
    # The name of the environment variable holding the database password; the
    # password itself is never stored or shown.
    password_env = models.CharField(max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_stores"
    )
    description = models.TextField(blank=True)
    holds_students = models.BooleanField(default=False)
    holds_staff = models.BooleanField(default=False)
    holds_families = models.BooleanField(default=False)
    # Databases: rows read per table; bigger tables are sampled.
    sample_rows = models.PositiveIntegerField(
        default=10_000, validators=[MinValueValidator(1)]
    )
    schedule = models.CharField(
        max_length=10, choices=Schedule.choices, default=Schedule.WEEKLY
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Totals of the last finished scan (exceptions already counted out).
    files = models.BigIntegerField(default=0)
    bytes = models.BigIntegerField(default=0)
    findings = models.BigIntegerField(default=0)
    statutory_records = models.BigIntegerField(default=0)
    unprotected_statutory = models.BigIntegerField(default=0)
    protected_values = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)
    last_scanned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-unprotected_statutory", "name")
        indexes = (models.Index(fields=["-unprotected_statutory", "name"]),)

    def __str__(self) -> str:
        return self.name

    @property
    def populations(self) -> list[str]:
        """Return whose data the store holds, for display."""
        named = [
            ("students", self.holds_students),
            ("staff", self.holds_staff),
            ("families", self.holds_families),
        ]
        return [name for name, held in named if held]

    def is_due(self, now: dt.datetime) -> bool:
        """Return whether the store's schedule calls for a scan at ``now``."""
        if not self.enabled or self.schedule == self.Schedule.MANUAL:
            return False
        if self.last_scanned_at is None:
            return True
        days = 1 if self.schedule == self.Schedule.DAILY else 7
        # An hour's slack, so a daily scan that took a while still runs daily.
        return now - self.last_scanned_at >= dt.timedelta(days=days, hours=-1)


class ScanRun(models.Model):
    """One scan of one store, with its live progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    store = models.ForeignKey(DataStore, on_delete=models.CASCADE, related_name="runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    cancel_requested = models.BooleanField(default=False)
    files_seen = models.BigIntegerField(default=0)
    files_scanned = models.BigIntegerField(default=0)
    files_unchanged = models.BigIntegerField(default=0)
    files_failed = models.BigIntegerField(default=0)
    files_expected = models.BigIntegerField(default=0)
    bytes_scanned = models.BigIntegerField(default=0)
    findings = models.BigIntegerField(default=0)
    rate = models.FloatField(default=0.0)  # files looked at per second
    eta_seconds = models.IntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("-queued_at", "-pk")

    def __str__(self) -> str:
        return f"scan {self.pk} of {self.store_id}"

    @property
    def active(self) -> bool:
        """Return whether the run is waiting or running."""
        return self.status in self.ACTIVE


class FileState(models.Model):
    """What the last scan of one file found: one row per file, updated in place."""

    store = models.ForeignKey(DataStore, on_delete=models.CASCADE, related_name="+")
    path = models.TextField()
    size = models.BigIntegerField(default=0)
    mtime_ns = models.BigIntegerField(default=0)
    # The change time when the file was looked at, 0 when it cannot be trusted
    # (changed moments before: see ``pii.protection.journal.RACY_NS``).
    ctime_ns = models.BigIntegerField(default=0)
    content_hash = models.CharField(max_length=64, blank=True)
    last_run = models.ForeignKey(
        ScanRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scanned_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, default="scanned")
    reason = models.CharField(max_length=300, blank=True)
    counts = models.JSONField(default=dict)  # element -> findings
    findings_total = models.IntegerField(default=0)
    statutory_records = models.IntegerField(default=0)
    protected_values = models.IntegerField(default=0)
    # Protected values by element and mode: {"SSN": {"encrypted": 3}}.
    protected_kinds = models.JSONField(default=dict)
    # Statutory records not protected, before exceptions are counted out.
    unprotected_statutory = models.IntegerField(default=0)
    # Masked findings: element, location, masked, fingerprint, record, statutory.
    masked = models.JSONField(default=list)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["store", "path"], name="one_state_per_file"
            ),
        )
        indexes = (models.Index(fields=["store", "-unprotected_statutory", "-id"]),)

    def __str__(self) -> str:
        return self.path


class Fingerprint(models.Model):
    """A keyed fingerprint of a value found in a file: never the value itself."""

    store = models.ForeignKey(DataStore, on_delete=models.CASCADE, related_name="+")
    file = models.ForeignKey(
        FileState, on_delete=models.CASCADE, related_name="fingerprints"
    )
    element = models.CharField(max_length=40)
    fingerprint = models.CharField(max_length=64)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["file", "element", "fingerprint"], name="one_fingerprint"
            ),
        )
        indexes = (models.Index(fields=["store", "element", "fingerprint"]),)

    def __str__(self) -> str:
        return f"{self.element} {self.fingerprint[:8]}"


class Snapshot(models.Model):
    """A store's totals after one finished scan, for trends."""

    store = models.ForeignKey(
        DataStore, on_delete=models.CASCADE, related_name="snapshots"
    )
    run = models.OneToOneField(ScanRun, on_delete=models.CASCADE)
    taken_at = models.DateTimeField(default=timezone.now)
    files = models.BigIntegerField(default=0)
    bytes = models.BigIntegerField(default=0)
    findings = models.BigIntegerField(default=0)
    statutory_records = models.BigIntegerField(default=0)
    unprotected_statutory = models.BigIntegerField(default=0)
    protected_values = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)

    class Meta:
        ordering = ("taken_at", "pk")

    def __str__(self) -> str:
        return f"snapshot of {self.store_id} at {self.taken_at:%Y-%m-%d}"


class FindingException(models.Model):
    """An accepted gap: not counted until it expires.

    It covers a whole file, one element in a file, or one value (by its
    fingerprint) wherever it is in the store.
    """

    store = models.ForeignKey(
        DataStore, on_delete=models.CASCADE, related_name="exceptions"
    )
    file = models.ForeignKey(
        FileState, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    element = models.CharField(max_length=40, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    reason = models.TextField()
    expires_on = models.DateField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("expires_on", "pk")

    def __str__(self) -> str:
        return f"exception {self.pk}"

    def active_on(self, day: dt.date) -> bool:
        """Return whether the exception still counts the gap out on ``day``."""
        return self.ended_at is None and day <= self.expires_on

    def covers(self, file_id: int, finding: dict[str, Any]) -> bool:
        """Return whether a masked finding of file ``file_id`` is excepted."""
        if self.fingerprint:
            return bool(finding.get("fingerprint") == self.fingerprint)
        if self.file_id != file_id:
            return False
        return not self.element or finding.get("element") == self.element


class ProtectionRun(models.Model):
    """Protection of a file or a whole store: a dry run first, then the real one."""

    class Status(models.TextChoices):
        PREVIEWING = "previewing", "Preparing the preview"
        PREVIEWED = "previewed", "Preview ready"
        APPLYING = "applying", "Protecting"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Mode(models.TextChoices):
        REDACT = "redact", "Redact (cannot be undone)"
        ENCRYPT = "encrypt", "Encrypt (key holders can restore)"

    store = models.ForeignKey(
        DataStore, on_delete=models.CASCADE, related_name="protections"
    )
    file = models.ForeignKey(
        FileState, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    path = models.TextField()  # what is protected: the file, or the store's folder
    mode = models.CharField(max_length=10, choices=Mode.choices)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PREVIEWING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    preview = models.JSONField(default=dict)  # the dry run's counts
    result = models.JSONField(default=dict)  # the real run's counts
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"protection {self.pk}"
