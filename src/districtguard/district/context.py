"""Template context: the district for the page header, and what the person may do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def district(request: HttpRequest) -> dict[str, Any]:
    """Return the district and the district links the person may follow."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "district": getattr(request, "district", None),
        "can_view_district": signed_in and user.can("district.view"),  # type: ignore[union-attr]
        "can_change_district": signed_in and user.can("district.change"),  # type: ignore[union-attr]
        "can_import_people": signed_in and user.can("people.import"),  # type: ignore[union-attr]
    }
