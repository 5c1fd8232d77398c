"""The registry of scheduled jobs, stored in the database where the worker reads them.

Each area adds its :class:`ScheduledJob` to :data:`SCHEDULES`.
:func:`register_schedules` creates the missing ones and brings changed ones up to
date; it keeps the next run time of a job whose timing has not changed, so
restarting the worker never delays or repeats a nightly job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django_q.models import Schedule


@dataclass(frozen=True, slots=True)
class ScheduledJob:
    """A job the worker runs on a schedule."""

    name: str
    func: str
    # One of django-q2's Schedule types: Schedule.DAILY, Schedule.HOURLY, ...
    schedule_type: str
    # Local time of day of the first run (daily and slower schedules).
    at: dt.time = dt.time(2, 30)
    # Minutes between runs, for Schedule.MINUTES (first run: at once).
    minutes: int | None = None


SCHEDULES: tuple[ScheduledJob, ...] = (
    ScheduledJob(
        name="Verify the audit chain",
        func="districtguard.worker.jobs.verify_audit_chain",
        schedule_type=Schedule.DAILY,
        at=dt.time(2, 30),
    ),
    ScheduledJob(
        name="Record command-line unprotect uses in the audit log",
        func="districtguard.worker.jobs.import_unprotect_log",
        schedule_type=Schedule.MINUTES,
        minutes=5,
    ),
    ScheduledJob(
        name="Alert on overdue incident notifications",
        func="districtguard.incidents.jobs.alert_overdue_steps",
        schedule_type=Schedule.MINUTES,
        minutes=5,
    ),
    ScheduledJob(
        name="File reports from the report mailbox",
        func="districtguard.incidents.jobs.poll_report_mailbox",
        schedule_type=Schedule.MINUTES,
        minutes=2,
    ),
    ScheduledJob(
        name="Queue the data stores whose scan is due",
        func="districtguard.inventory.jobs.run_due_scans",
        schedule_type=Schedule.MINUTES,
        minutes=15,
    ),
)


def first_run(at: dt.time, now: dt.datetime | None = None) -> dt.datetime:
    """Return the next moment, local time, at the time of day ``at``."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate


def _first(job: ScheduledJob) -> dt.datetime:
    if job.schedule_type == Schedule.MINUTES:
        return timezone.now()
    return first_run(job.at)


def register_schedules(jobs: tuple[ScheduledJob, ...] = SCHEDULES) -> list[str]:
    """Store every job's schedule; return the names created or changed."""
    changed: list[str] = []
    for job in jobs:
        schedule = Schedule.objects.filter(name=job.name).first()
        if schedule is None:
            Schedule.objects.create(
                name=job.name,
                func=job.func,
                schedule_type=job.schedule_type,
                minutes=job.minutes,
                next_run=_first(job),
                repeats=-1,
            )
            changed.append(job.name)
        elif (schedule.func, schedule.schedule_type, schedule.minutes) != (
            job.func,
            job.schedule_type,
            job.minutes,
        ):
            schedule.func = job.func
            schedule.schedule_type = job.schedule_type
            schedule.minutes = job.minutes
            schedule.next_run = _first(job)
            schedule.repeats = -1
            schedule.save()
            changed.append(job.name)
    return changed
