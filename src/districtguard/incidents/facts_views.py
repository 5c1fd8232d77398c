"""The breach facts page: named stores, the inventory's figures, exposed data, the law.

Thin views like the rest of the app; the work is in ``incidents.inventory`` and
``incidents.legal``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from districtguard.accounts import audit
from districtguard.accounts.access import current_user, requires
from districtguard.incidents import access, services
from districtguard.incidents.forms import BreachFactsForm, ExposedElementForm
from districtguard.incidents.inventory import apply_inventory, describe, inventory_view
from districtguard.incidents.legal import apply_determination, determination_for
from districtguard.incidents.models import INVENTORY_SOURCE, Incident
from districtguard.inventory.models import DataStore


@requires("incidents.legal")
def facts_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the breach facts and see the determination they lead to."""
    incident = access.get_incident_for_user(request, pk, permission="incidents.legal")
    facts = incident.facts
    form = BreachFactsForm(request.POST or None, instance=facts, prefix="facts")
    element_form = ExposedElementForm(request.POST or None, prefix="element")
    if request.method == "POST" and "save_stores" in request.POST:
        chosen = access.get_stores_for_user(request, request.POST.getlist("stores"))
        _name_stores(request, incident, chosen)
        return redirect("incidents:facts", incident.pk)
    if request.method == "POST":
        if "add_element" in request.POST and element_form.is_valid():
            element = element_form.save(commit=False)
            element.incident = incident
            element.source = "entered by hand"
            element.save()
            services.note(
                incident,
                current_user(request),
                "facts",
                f"Exposed data added: {element.kind}",
            )
            return redirect("incidents:facts", incident.pk)
        if "save_facts" in request.POST and form.is_valid():
            facts = form.save(commit=False)
            if {"ok_residents", "students_affected"} & set(form.changed_data):
                facts.people_source = ""  # now the Director's figures
            facts.save()
            services.note(
                incident,
                current_user(request),
                "facts",
                "Breach facts updated: " + ", ".join(form.changed_data),
            )
            audit.record(
                "incident.facts_changed",
                obj=incident,
                request=request,
                fields=form.changed_data,
            )
            return redirect("incidents:facts", incident.pk)
    visible = access.stores_for_user(request)
    named = set(incident.affected_stores.values_list("pk", flat=True))
    return render(
        request,
        "incidents/facts.html",
        {
            "incident": incident,
            "form": form,
            "element_form": element_form,
            "elements": incident.elements.all(),
            "determination": determination_for(incident),
            "store_choices": [(s, s.pk in named) for s in visible],
            "inventory": inventory_view(incident, visible),
        },
    )


def _name_stores(
    request: HttpRequest, incident: Incident, chosen: list[DataStore]
) -> None:
    """Set the incident's stores; those the person cannot see stay as they were."""
    unseen = incident.affected_stores.exclude(
        pk__in=access.stores_for_user(request).values("pk")
    )
    before = set(incident.affected_stores.values_list("pk", flat=True))
    incident.affected_stores.set([*unseen, *chosen])
    after = set(incident.affected_stores.values_list("pk", flat=True))
    if before == after:
        return
    names = ", ".join(s.name for s in incident.affected_stores.order_by("name"))
    services.note(
        incident,
        current_user(request),
        "facts",
        f"Affected data stores: {names or 'none'}",
    )
    audit.record(
        "incident.stores_changed",
        obj=incident,
        request=request,
        added=sorted(after - before),
        removed=sorted(before - after),
    )


@requires("incidents.legal")
@require_POST
def inventory_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill the exposed data and head counts from the named stores' last scans."""
    incident = access.get_incident_for_user(request, pk, permission="incidents.legal")
    if not incident.affected_stores.exists():
        messages.error(request, "Name the affected data stores first.")
        return redirect("incidents:facts", incident.pk)
    done = apply_inventory(incident, current_user(request), request)
    messages.success(request, describe(done, inventory_view(incident)))
    return redirect("incidents:facts", incident.pk)


@requires("incidents.legal")
def element_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an exposed-data row; a corrected inventory row becomes the Director's."""
    element = access.get_element_for_user(request, pk)
    incident = element.incident
    form = ExposedElementForm(request.POST or None, instance=element)
    if request.method == "POST" and form.is_valid():
        element = form.save(commit=False)
        if form.changed_data and element.from_inventory:
            element.source = ("corrected by hand, from " + element.source)[:200]
        element.save()
        services.note(
            incident,
            current_user(request),
            "facts",
            f"Exposed data corrected: {element.kind} ({', '.join(form.changed_data)})",
        )
        audit.record(
            "incident.element_changed",
            obj=incident,
            request=request,
            kind=element.kind,
            fields=form.changed_data,
        )
        return redirect("incidents:facts", incident.pk)
    return render(
        request,
        "incidents/element_form.html",
        {"incident": incident, "element": element, "form": form},
    )


@requires("incidents.legal")
@require_POST
def element_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an exposed-data row that does not belong in the determination."""
    element = access.get_element_for_user(request, pk)
    incident = element.incident
    kind, source = element.kind, element.source
    element.delete()
    services.note(
        incident, current_user(request), "facts", f"Exposed data removed: {kind}"
    )
    audit.record(
        "incident.element_deleted",
        obj=incident,
        request=request,
        kind=kind,
        from_inventory=source.startswith(INVENTORY_SOURCE),
    )
    return redirect("incidents:facts", incident.pk)


@requires("incidents.legal")
@require_POST
def determination_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the determination's legal notices into the notification chain."""
    incident = access.get_incident_for_user(request, pk, permission="incidents.legal")
    result = determination_for(incident)
    changed = apply_determination(incident, result)
    services.note(
        incident,
        current_user(request),
        "determination",
        "Breach-law determination applied: " + "; ".join(result.explain()[-6:]),
    )
    audit.record(
        "incident.determination_applied",
        obj=incident,
        request=request,
        notice_required=result.notice_required,
        steps=[str(s) for s in changed],
    )
    messages.success(request, "The notification chain now follows the determination.")
    return redirect("incidents:detail", incident.pk)
