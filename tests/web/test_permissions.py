"""Every view, every role: generated from the URL patterns and the permission table.

Each URL of the project (allauth's ``/accounts/`` and the admin aside) must be a
view registered by ``@requires``, so a new view cannot skip its permission. Each
is requested as every persona: roles the table allows get the page (or a
redirect that is not to sign-in, or 405 for a POST-only action), the others 403
or 404, anonymous visitors the sign-in page. A view with a ``pk`` is requested
for an object that belongs to an outsider (a staff member), made by the factory
registered below for its URL name; a view without one fails, so register one
when adding such a view. Where a view shows only some permitted roles an
outsider's object, :data:`VISIBLE_TO` says which; the others must get 404.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from districtguard.accounts.access import VIEW_PERMISSIONS
from districtguard.accounts.models import AccessReview, User
from districtguard.accounts.roles import Role, allowed_roles
from districtguard.district.models import Site, StaffImport
from districtguard.incidents import services as incidents
from districtguard.incidents.evidence import store_evidence
from districtguard.incidents.models import (
    ExposedElement,
    Incident,
    Notification,
    Report,
    Task,
)
from districtguard.inventory.models import (
    DataStore,
    FileState,
    FindingException,
    ProtectionRun,
    ScanRun,
)
from tests.web.conftest import make_person, signed_in

pytestmark = pytest.mark.django_db

# Mounted by libraries with their own access rules (allauth, Django admin) or
# serving files.
SKIPPED_PREFIXES = ("accounts/", "admin/", "static/")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its route, namespaced name and view."""

    route: str
    name: str
    view: Callable[..., Any]

    @property
    def needs_object(self) -> bool:
        return "<int:pk>" in self.route


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield Route(prefix + str(pattern.pattern), name, pattern.callback)


ROUTES = [
    route
    for route in _walk(get_resolver().url_patterns, "", "")
    if not route.route.startswith(SKIPPED_PREFIXES)
]


def _incident(owner: User) -> Incident:
    return incidents.open_incident(
        actor=owner, title="Synthetic incident", category=Incident.Category.OTHER
    )


def _report(owner: User) -> Report:
    return incidents.submit_report(reporter=owner, summary="Odd pop-up window")


def _task(owner: User) -> int:
    task = Task.objects.create(incident=_incident(owner), title="Check", assignee=owner)
    return task.pk


def _evidence(owner: User) -> int:
    evidence = store_evidence(
        io.BytesIO(b"synthetic log line\n"),
        name="log.txt",
        actor=owner,
        report=_report(owner),
    )
    return evidence.pk


def _notification(owner: User) -> int:
    notification = Notification.objects.filter(incident=_incident(owner)).first()
    assert notification is not None
    return notification.pk


def _staff_import(owner: User) -> int:
    made = StaffImport.objects.create(
        created_by=owner, filename="staff.csv", encoding="utf-8"
    )
    return made.pk


def _site(owner: User) -> int:
    return Site.objects.create(name="Synthetic Elementary").pk


def _access_review(owner: User) -> int:
    return AccessReview.objects.create(
        reviewer=owner, notes="synthetic", people_reviewed=0
    ).pk


def _store(owner: User) -> DataStore:
    return DataStore.objects.create(
        name=f"Share of {owner.email}", location="/srv/synthetic", owner=owner
    )


def _file(owner: User) -> FileState:
    return FileState.objects.create(store=_store(owner), path="/srv/synthetic/a.txt")


def _scan_run(owner: User) -> int:
    return ScanRun.objects.create(store=_store(owner)).pk


def _exception(owner: User) -> int:
    file = _file(owner)
    return FindingException.objects.create(
        store=file.store,
        file=file,
        reason="synthetic",
        expires_on=dt.date(2099, 1, 1),
        approved_by=owner,
    ).pk


def _protection(owner: User) -> int:
    store = _store(owner)
    return ProtectionRun.objects.create(
        store=store, path=store.location, mode="redact", requested_by=owner
    ).pk


# URL name -> makes an object belonging to the outsider and returns its pk.
FACTORIES: dict[str, Callable[[User], int]] = {
    "accounts:person": lambda owner: owner.pk,
    "accounts:person_role": lambda owner: owner.pk,
    "accounts:person_active": lambda owner: owner.pk,
    "accounts:access_review_detail": _access_review,
    "district:site_edit": _site,
    "district:site_delete": _site,
    "district:import_preview": _staff_import,
    "district:import_apply": _staff_import,
    "district:import_discard": _staff_import,
    "incidents:report": lambda owner: _report(owner).pk,
    "incidents:triage": lambda owner: _report(owner).pk,
    "incidents:detail": lambda owner: _incident(owner).pk,
    "incidents:edit": lambda owner: _incident(owner).pk,
    "incidents:phase": lambda owner: _incident(owner).pk,
    "incidents:task_add": lambda owner: _incident(owner).pk,
    "incidents:note_add": lambda owner: _incident(owner).pk,
    "incidents:evidence_add": lambda owner: _incident(owner).pk,
    "incidents:facts": lambda owner: _incident(owner).pk,
    "incidents:determination_apply": lambda owner: _incident(owner).pk,
    "incidents:inventory_apply": lambda owner: _incident(owner).pk,
    "incidents:element_edit": lambda owner: (
        ExposedElement.objects.create(incident=_incident(owner), kind="SSN").pk
    ),
    "incidents:element_delete": lambda owner: (
        ExposedElement.objects.create(incident=_incident(owner), kind="SSN").pk
    ),
    "incidents:task_done": _task,
    "incidents:evidence": _evidence,
    "incidents:notify": _notification,
    "inventory:store": lambda owner: _store(owner).pk,
    "inventory:store_edit": lambda owner: _store(owner).pk,
    "inventory:scan": lambda owner: _store(owner).pk,
    "inventory:protect_store": lambda owner: _store(owner).pk,
    "inventory:exception_new": lambda owner: _store(owner).pk,
    "inventory:scan_cancel": _scan_run,
    "inventory:file": lambda owner: _file(owner).pk,
    "inventory:protect_file": lambda owner: _file(owner).pk,
    "inventory:exception_end": _exception,
    "inventory:protection": _protection,
    "inventory:protection_apply": _protection,
}

_VIEWERS = allowed_roles("incidents.view")

# URL name -> the permitted roles that may see an outsider's object (default:
# every role the view's permission allows). The other permitted roles get 404.
VISIBLE_TO: dict[str, frozenset[str]] = {
    "incidents:report": _VIEWERS,
    "incidents:evidence": _VIEWERS,
    "incidents:task_done": allowed_roles("incidents.manage"),
}

PERSONAS = list(Role)


def _permission(route: Route) -> str:
    return VIEW_PERMISSIONS[route.view]


def test_the_walk_finds_the_project_views() -> None:
    names = {route.name for route in ROUTES}
    assert {"home", "accounts:people", "audit:log", "district:settings"} <= names


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_every_view_declares_a_permission(route: Route) -> None:
    assert route.view in VIEW_PERMISSIONS, (
        f"{route.name} ({route.route}) is not decorated with @requires(...) outermost"
    )


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.needs_object], ids=lambda r: r.name
)
def test_every_object_view_has_a_factory(route: Route) -> None:
    assert route.name in FACTORIES, f"register a factory for {route.name} above"


def _url(route: Route) -> str:
    if not route.needs_object:
        return reverse(route.name)
    outsider = make_person(Role.STAFF)
    return reverse(route.name, kwargs={"pk": FACTORIES[route.name](outsider)})


def _assert_allowed(response: Any, who: str) -> None:
    status = response.status_code
    if status in (301, 302):
        assert "/accounts/login/" not in response["Location"], who
        return
    assert status in (200, 405), f"{who} got {status}"


@pytest.mark.parametrize(
    "route",
    [
        r
        for r in ROUTES
        if r.view in VIEW_PERMISSIONS and (not r.needs_object or r.name in FACTORIES)
    ],
    ids=lambda r: r.name,
)
def test_each_role_gets_what_the_table_allows(route: Route) -> None:
    url = _url(route)
    permission = _permission(route)
    allowed = allowed_roles(permission)
    visible = VISIBLE_TO.get(route.name, allowed)

    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")

    for role in PERSONAS:
        response = signed_in(make_person(role)).get(url)
        who = f"{role} on {route.name} ({permission})"
        if role in allowed and role in visible:
            _assert_allowed(response, who)
        elif role in allowed:
            if response.status_code == 405:
                # POST-only: a refused POST changes nothing, so try one.
                response = signed_in(make_person(role)).post(url, {})
            assert response.status_code == 404, f"{who} got {response.status_code}"
        else:
            assert response.status_code in (403, 404), (
                f"{who} got {response.status_code}"
            )


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if r.needs_object and r.view in VIEW_PERMISSIONS],
    ids=lambda r: r.name,
)
def test_a_missing_object_is_404_for_permitted_roles(route: Route) -> None:
    allowed = allowed_roles(_permission(route))
    role = next(role for role in PERSONAS if role in allowed)
    url = reverse(route.name, kwargs={"pk": 987_654_321})
    assert signed_in(make_person(role)).get(url).status_code in (404, 405)
