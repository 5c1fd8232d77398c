"""Template filter ``user|can:"permission"`` for showing only what a person may use."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def can(user: Any, permission: str) -> bool:
    """Return whether ``user`` is signed in and holds ``permission``."""
    return bool(getattr(user, "is_authenticated", False) and user.can(permission))
