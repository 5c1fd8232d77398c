"""Tell the people who must act: email now, other channels pluggable.

A channel is any object with ``send(recipients, subject, body)``; the setting
``DISTRICTGUARD_ALERT_CHANNELS`` (dotted paths, comma-separated) picks them.
A channel that fails is logged and the others still run: an alert that
cannot be sent must never lose the report that caused it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from districtguard.accounts.models import User
from districtguard.accounts.roles import Role

log = logging.getLogger(__name__)


class Channel(Protocol):
    """Somewhere an alert can go."""

    def send(self, recipients: list[User], subject: str, body: str) -> None:
        """Deliver the alert to ``recipients``."""
        ...


class EmailChannel:
    """Send alerts by email through Django's configured mail backend."""

    def send(self, recipients: list[User], subject: str, body: str) -> None:
        """Send one message to every recipient with an address."""
        addresses = [person.email for person in recipients if person.email]
        if addresses:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)


@cache
def channels() -> tuple[Channel, ...]:
    """Return the configured alert channels (email by default)."""
    paths = getattr(settings, "DISTRICTGUARD_ALERT_CHANNELS", None) or [
        "districtguard.incidents.alerts.EmailChannel"
    ]
    return tuple(import_string(path)() for path in paths)


def responders() -> list[User]:
    """Return the people alerted to every new report: Director and technology staff."""
    return list(
        User.objects.filter(is_active=True, role__in=[Role.DIRECTOR, Role.TECH_STAFF])
    )


def alert(recipients: Iterable[User], subject: str, body: str) -> int:
    """Send ``subject``/``body`` on every channel; return how many channels failed."""
    people = list(recipients)
    failures = 0
    for channel in channels():
        try:
            channel.send(people, subject, body)
        except Exception:  # any channel failure must not stop the others
            failures += 1
            log.exception("alert channel %s failed", type(channel).__name__)
    return failures
