"""Show times in the district's time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class DistrictTimezoneMiddleware:
    """Activate the district's time zone for every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from districtguard.district.models import District

        district = District.objects.filter(pk=1).only("time_zone", "name").first()
        request.district = district  # type: ignore[attr-defined]
        if district is not None:
            timezone.activate(zoneinfo.ZoneInfo(district.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
