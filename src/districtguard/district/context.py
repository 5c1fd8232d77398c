"""Template context: the district, for the page header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def district(request: HttpRequest) -> dict[str, Any]:
    """Return the district for every template."""
    return {"district": getattr(request, "district", None)}
