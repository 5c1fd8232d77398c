"""The background worker: jobs run in a real worker process; schedules fire."""

from __future__ import annotations

import datetime as dt
import json
import signal
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule

from districtguard.accounts import audit
from districtguard.accounts.models import AuditEntry, User
from districtguard.accounts.roles import Role
from districtguard.worker import jobs
from districtguard.worker.schedules import (
    SCHEDULES,
    ScheduledJob,
    first_run,
    register_schedules,
)
from tests.e2e.fixtures import (  # noqa: F401
    installation_fixture,
    installation_template_fixture,
)
from tests.e2e.harness import Installation, children_of, is_alive

AUDIT_ACTIONS = """
from districtguard.accounts.models import AuditEntry
import json
print(json.dumps([[e.action, e.detail] for e in AuditEntry.objects.order_by("seq")]))
"""


def _audit_actions(installation: Installation) -> list[list[object]]:
    result: list[list[object]] = json.loads(installation.python(AUDIT_ACTIONS))
    return result


def _wait_for(predicate: object, timeout: float, what: str) -> None:
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(1)
    raise AssertionError(f"{what} did not happen within {timeout}s")


def _break_chain() -> None:
    """Edit entry #2 behind the log's back, as an intruder with the database would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE accounts_auditentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_update")
        cursor.execute(
            "UPDATE accounts_auditentry SET actor_label = 'someone else' WHERE seq = 2"
        )


@pytest.mark.django_db
def test_verification_of_a_sound_chain_is_recorded() -> None:
    for n in range(3):
        audit.record("test.action", actor_label="system", number=n)
    assert jobs.verify_audit_chain() == "verified 3 entries"
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.action == "audit.chain_verified"
    assert entry.actor_label == "worker"
    assert entry.detail["entries"] == 3
    assert audit.verify_chain() == []


@pytest.mark.django_db
def test_broken_chain_is_recorded_and_mailed_to_directors() -> None:
    User.objects.create_user("director@example.org", role=Role.DIRECTOR)
    User.objects.create_user("former@example.org", role=Role.DIRECTOR, is_active=False)
    User.objects.create_user("teacher@example.org", role=Role.STAFF)
    for n in range(3):
        audit.record("test.action", actor_label="system", number=n)
    _break_chain()

    assert jobs.verify_audit_chain().startswith("broken: 1 problems, first at #2")

    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.action == "audit.chain_broken"
    assert entry.detail["first_broken"] == 2
    assert entry.detail["listed"] == ["#2: content does not match its hash (edited)"]
    assert [message.to for message in mail.outbox] == [["director@example.org"]]
    assert "#2" in mail.outbox[0].body


@pytest.mark.django_db
def test_schedules_are_registered_once_and_keep_their_next_run() -> None:
    assert register_schedules() == [job.name for job in SCHEDULES]
    nightly = Schedule.objects.get(name="Verify the audit chain")
    assert nightly.func == "districtguard.worker.jobs.verify_audit_chain"
    assert nightly.schedule_type == Schedule.DAILY
    local = timezone.localtime(nightly.next_run)
    assert (local.hour, local.minute) == (2, 30)
    assert nightly.next_run > timezone.now()

    assert register_schedules() == []
    assert Schedule.objects.filter(name="Verify the audit chain").count() == 1
    assert Schedule.objects.get(pk=nightly.pk).next_run == nightly.next_run


@pytest.mark.django_db
def test_a_changed_job_is_brought_up_to_date() -> None:
    register_schedules()
    moved = ScheduledJob(
        name="Verify the audit chain",
        func="districtguard.worker.jobs.verify_audit_chain",
        schedule_type=Schedule.WEEKLY,
    )
    assert register_schedules((moved,)) == ["Verify the audit chain"]
    assert Schedule.objects.get(name=moved.name).schedule_type == Schedule.WEEKLY


def test_first_run_is_later_today_or_tomorrow() -> None:
    zone = timezone.get_current_timezone()
    morning = dt.datetime(2026, 3, 2, 1, 0, tzinfo=zone)
    evening = dt.datetime(2026, 3, 2, 23, 0, tzinfo=zone)
    assert first_run(dt.time(2, 30), morning) == morning.replace(hour=2, minute=30)
    assert first_run(dt.time(2, 30), evening) == dt.datetime(
        2026, 3, 3, 2, 30, tzinfo=zone
    )


ENQUEUE = """
from django_q.tasks import async_task
print(async_task("districtguard.worker.jobs.verify_audit_chain"))
"""

TASK_RESULT = """
from django_q.models import Task
task = Task.objects.filter(id="{task}").first()
print("" if task is None else f"{{task.success}} {{task.result}}")
"""

SCHEDULE_NOW = """
from django.utils import timezone
from django_q.models import Schedule
Schedule.objects.create(
    name="now", func="districtguard.worker.jobs.verify_audit_chain",
    schedule_type=Schedule.ONCE, next_run=timezone.now(), repeats=1,
)
"""

SCHEDULE_RESULT = """
from django_q.models import Schedule, Task
schedule = Schedule.objects.filter(name="now").first()
task = Task.objects.filter(id=schedule.task).first() if schedule.task else None
print(f"{task.success} {task.result}" if task else "")
"""


@pytest.mark.slow
def test_worker_process_runs_queued_jobs_and_fires_schedules(
    installation: Installation, tmp_path: Path
) -> None:
    worker = installation.popen("worker", log=tmp_path / "worker.log")
    try:
        task = installation.python(ENQUEUE).strip()
        assert task
        _wait_for(
            lambda: (
                installation.python(TASK_RESULT.format(task=task)).strip()
                == "True verified 0 entries"
            ),
            60,
            "the queued job",
        )
        installation.python(SCHEDULE_NOW)
        # django-q2's cluster looks at its schedules every 30 seconds.
        _wait_for(
            lambda: (
                installation.python(SCHEDULE_RESULT).strip()
                == "True verified 1 entries"
            ),
            75,
            "the scheduled job",
        )
        descendants = children_of(worker.pid)
        assert descendants, "the worker runs its jobs in child processes"
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(60)
    log = (tmp_path / "worker.log").read_text()
    assert code == 0, log
    assert "scheduled 'Verify the audit chain'" in log
    assert not [pid for pid in descendants if is_alive(pid)]
    actions = [action for action, _ in _audit_actions(installation)]
    assert actions == ["audit.chain_verified", "audit.chain_verified"]
