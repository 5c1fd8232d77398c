"""The home page: a dashboard for the signed-in person's role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from districtguard.accounts.access import requires
from districtguard.web.dashboard import cards_for


@requires("home.view")
def home(request: HttpRequest) -> HttpResponse:
    """Show the person's dashboard: policy areas for leaders, own tasks for staff."""
    return render(request, "home.html", {"cards": cards_for(request)})
