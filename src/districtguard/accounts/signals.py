"""Write sign-ins, failed sign-ins, sign-outs and MFA changes to the audit log."""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals as mfa_signals
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import signals as auth_signals
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from districtguard.accounts import audit


@receiver(auth_signals.user_logged_in)
def _signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit.record("auth.sign_in", actor=user, obj=user, request=request)


@receiver(auth_signals.user_logged_out)
def _signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record("auth.sign_out", actor=user, obj=user, request=request)


@receiver(auth_signals.user_login_failed)
def _sign_in_failed(
    sender: Any,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    # Only the address tried is kept; never the password.
    tried = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit.record(
        "auth.sign_in_failed", request=request, actor_label=f"anonymous ({tried})"
    )


@receiver(mfa_signals.authenticator_added)
def _mfa_added(
    sender: Any, request: HttpRequest, authenticator: Any, **kw: Any
) -> None:
    user = kw.get("user")
    audit.record(
        "mfa.added", actor=user, obj=user, request=request, kind=str(authenticator.type)
    )


@receiver(mfa_signals.authenticator_removed)
def _mfa_removed(
    sender: Any, request: HttpRequest, authenticator: Any, **kw: Any
) -> None:
    user = kw.get("user")
    audit.record(
        "mfa.removed",
        actor=user,
        obj=user,
        request=request,
        kind=str(authenticator.type),
    )


@receiver(mfa_signals.authenticator_reset)
def _mfa_reset(
    sender: Any, request: HttpRequest, authenticator: Any, **kw: Any
) -> None:
    user = kw.get("user")
    audit.record(
        "mfa.recovery_codes_reset",
        actor=user,
        obj=user,
        request=request,
        kind=str(authenticator.type),
    )


@receiver(mfa_signals.authentication_failed)
def _mfa_failed(sender: Any, request: HttpRequest, user: Any, **kw: Any) -> None:
    audit.record("mfa.failed", actor=user, obj=user, request=request)


@receiver(post_save, sender=LogEntry)
def _admin_change(sender: Any, instance: LogEntry, created: bool, **kw: Any) -> None:
    # Whatever the Director changes in the admin (playbooks, people) joins the chain.
    if not created:
        return
    verb = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}.get(
        instance.action_flag, "changed"
    )
    model = instance.content_type.model if instance.content_type else ""
    audit.record(
        f"admin.{verb}",
        actor=instance.user,
        actor_label=str(getattr(instance.user, "email", "")),
        object_label=f"{model}: {instance.object_repr}"[:254],
        change=instance.get_change_message()[:500],
    )
