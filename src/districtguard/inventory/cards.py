"""The inventory's dashboard card: unprotected statutory PII held, and where."""

from __future__ import annotations

from django.db.models import Sum
from django.http import HttpRequest
from django.urls import reverse

from districtguard.accounts.models import User
from districtguard.inventory.models import DataStore
from districtguard.web.dashboard import Card, Link, card

SHOWN = 3


@card(order=30)
def inventory_card(request: HttpRequest) -> Card | None:
    """Unprotected statutory records across the district, worst stores first."""
    user = request.user
    if not isinstance(user, User) or not user.can("inventory.view"):
        return None
    stores = DataStore.objects.all()
    total = stores.aggregate(gaps=Sum("unprotected_statutory"))["gaps"] or 0
    worst = list(stores.filter(unprotected_statutory__gt=0)[:SHOWN])
    never = stores.filter(last_scanned_at__isnull=True).count()
    status = "attention" if total or never else "ok"
    summary = (
        f"{total:,} unprotected statutory records in {len(worst)} of "
        f"{stores.count()} data stores"
        if total
        else "No unprotected statutory records found in the stores scanned."
    )
    links = tuple(
        Link(
            f"{store.name}: {store.unprotected_statutory:,}",
            reverse("inventory:store", args=[store.pk]),
        )
        for store in worst
    )
    unscanned = "1 store" if never == 1 else f"{never} stores"
    lines = (f"{unscanned} never scanned.",) if never else ()
    return Card(
        "PII inventory", status, summary, reverse("inventory:stores"), lines, links
    )
