"""Turn what the inventory knows about an incident's stores into breach facts.

The inventory's rows stand beside the Director's: a row entered or corrected by
hand is never overwritten, and an element kind with a hand row is left to it.
Protection is read conservatively: an element with any value in the clear is
unprotected, and one both encrypted and redacted counts as redacted (the
weaker, since § 3113.1 names only encryption).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from districtguard.accounts import audit
from districtguard.incidents import services
from districtguard.incidents.models import (
    INVENTORY_SOURCE,
    BreachFacts,
    ExposedElement,
    Incident,
)
from districtguard.inventory.holdings import Holdings, holdings_of
from districtguard.inventory.models import DataStore
from districtguard.inventory.totals import distinct_people
from districtguard.law import Code, DataKind, Protection
from districtguard.pii.elements import Element

# pii element -> law kind; PERSON_NAME and the card codes are not kinds.
KINDS: dict[str, DataKind] = {
    Element.SSN: DataKind.SSN,
    Element.DRIVER_LICENSE: DataKind.DRIVER_LICENSE,
    Element.GOVERNMENT_ID: DataKind.GOVERNMENT_ID,
    Element.PAYMENT_CARD: DataKind.PAYMENT_CARD,
    Element.BANK_ACCOUNT: DataKind.BANK_ACCOUNT,
    Element.ROUTING_NUMBER: DataKind.ROUTING_NUMBER,
}
# Found beside a card number, these make it usable: they become its codes.
CARD_CODES: dict[str, Code] = {
    Element.CARD_SECURITY_CODE: Code.SECURITY_CODE,
    Element.CARD_EXPIRATION: Code.EXPIRATION,
}
REDACTED_DIGITS = 4  # what DistrictGuard's redaction leaves (pii/protection)
STALE_DAYS = 30
SOURCE_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Proposal:
    """One exposed-element row the inventory would write."""

    kind: DataKind
    protection: Protection
    linked_to_name: bool
    clear: int
    encrypted: int
    redacted: int
    visible_digits: int | None = None
    codes: tuple[str, ...] = ()

    @property
    def mixed(self) -> bool:
        """Return whether some values were protected and some were not."""
        return bool(self.clear and (self.encrypted or self.redacted))


@dataclass(frozen=True, slots=True)
class StoreView:
    """One named store's holdings and what to warn about."""

    store: DataStore
    holdings: Holdings
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InventoryView:
    """What the facts page shows about the incident's stores."""

    stores: tuple[StoreView, ...]
    together: Holdings | None
    proposals: tuple[Proposal, ...]
    people: int
    students: int
    source: str
    hidden: int = 0  # named stores the viewer may not see: in the totals only


@dataclass
class Applied:
    """What one apply changed, in counts only."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_by_hand: list[str] = field(default_factory=list)
    people: int | None = None
    students: int | None = None


def propose(held: Holdings) -> tuple[Proposal, ...]:
    """Return the rows ``held`` calls for, one per law kind found."""
    names = held.elements.get(Element.PERSON_NAME, 0) or any(
        held.protection.get(Element.PERSON_NAME, {}).values()
    )
    linked = bool(names) or held.unprotected_statutory > 0
    codes = tuple(
        sorted(
            code
            for element, code in CARD_CODES.items()
            if any(held.mode_counts(element))
        )
    )
    proposals = []
    for element in held.element_names:
        kind = KINDS.get(element)
        if kind is None:
            continue
        clear, encrypted, redacted = held.mode_counts(element)
        if not clear + encrypted + redacted:
            continue
        if clear:
            protection = Protection.NONE
        elif redacted:
            protection = Protection.REDACTED
        else:
            protection = Protection.ENCRYPTED
        proposals.append(
            Proposal(
                kind,
                protection,
                linked,
                clear,
                encrypted,
                redacted,
                REDACTED_DIGITS if protection is Protection.REDACTED else None,
                codes if kind is DataKind.PAYMENT_CARD else (),
            )
        )
    return tuple(proposals)


def _warnings(store: DataStore, incident: Incident) -> tuple[str, ...]:
    scanned = store.last_scanned_at
    if scanned is None:
        return ("never scanned: the inventory knows nothing of it yet",)
    day = timezone.localdate(scanned)
    if day > incident.discovered_on:
        return (
            f"scanned {day:%Y-%m-%d}, after the incident was discovered: it shows "
            "the store as it is now, which may differ from when it was exposed",
        )
    age = (incident.discovered_on - day).days
    if age > STALE_DAYS:
        return (
            f"last scanned {age} days before the incident was discovered; "
            "scan it again for current figures",
        )
    return ()


def source_for(stores: Sequence[DataStore]) -> str:
    """Return the ``source`` text of rows from ``stores``' last scans."""
    scanned = [s for s in stores if s.last_scanned_at]
    if not scanned:
        return f"{INVENTORY_SOURCE} no store scanned yet"
    oldest = min(s.last_scanned_at for s in scanned if s.last_scanned_at)
    when = f" scanned {timezone.localdate(oldest):%Y-%m-%d}"
    names = ", ".join(s.name for s in scanned)  # a store never scanned adds nothing
    room = SOURCE_LENGTH - len(INVENTORY_SOURCE) - len(when) - 1
    if len(names) > room:
        names = names[: room - 1] + "…"
    return f"{INVENTORY_SOURCE} {names}{when}"


def _students(stores: Sequence[DataStore]) -> int:
    held = [s for s in stores if s.holds_students]
    return distinct_people(held) if held else 0


def inventory_view(
    incident: Incident, visible: Iterable[DataStore] | None = None
) -> InventoryView:
    """Return what the inventory knows about the incident's named stores.

    With ``visible``, only those stores are shown one by one; the totals and
    proposals still cover every named store, as an apply does.
    """
    stores = list(incident.affected_stores.order_by("name"))
    shown = stores
    if visible is not None:
        seen = {s.pk for s in visible}
        shown = [s for s in stores if s.pk in seen]
    per_store = tuple(
        StoreView(s, holdings_of([s]), _warnings(s, incident)) for s in shown
    )
    together = holdings_of(stores) if stores else None
    return InventoryView(
        stores=per_store,
        together=together,
        proposals=propose(together) if together else (),
        people=together.people if together else 0,
        students=_students(stores),
        source=source_for(stores),
        hidden=len(stores) - len(shown),
    )


def _fields(proposal: Proposal, source: str) -> dict[str, Any]:
    return {
        "kind": proposal.kind.value,
        "protection": proposal.protection.value,
        "linked_to_name": proposal.linked_to_name,
        "visible_digits": proposal.visible_digits,
        "codes": list(proposal.codes),
        "source": source,
    }


def _apply_people(facts: BreachFacts, view: InventoryView, done: Applied) -> None:
    """Propose the head counts, unless someone has set them by hand."""
    by_hand = not facts.people_source and (
        facts.ok_residents or facts.students_affected
    )
    if by_hand:
        done.kept_by_hand.append("people affected")
        return
    facts.ok_residents = view.people
    facts.students_affected = view.students
    facts.people_source = view.source
    facts.save(update_fields=["ok_residents", "students_affected", "people_source"])
    done.people, done.students = view.people, view.students


@transaction.atomic
def apply_inventory(incident: Incident, actor: Any, request: Any = None) -> Applied:
    """Write the inventory's rows and head counts into the incident's facts.

    Each apply is in the timeline and the audit log, counts and kinds only.
    """
    view = inventory_view(incident)
    done = Applied()
    rows = list(incident.elements.all())
    by_hand = {row.kind for row in rows if not row.from_inventory}
    ours = {row.kind: row for row in rows if row.from_inventory}
    wanted = set()
    for proposal in view.proposals:
        kind = proposal.kind.value
        if kind in by_hand:
            done.kept_by_hand.append(kind)
            continue
        wanted.add(kind)
        values = _fields(proposal, view.source)
        row = ours.get(kind)
        if row is None:
            ExposedElement.objects.create(incident=incident, **values)
            done.added.append(kind)
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.save()
            done.updated.append(kind)
    for kind, row in ours.items():
        if kind not in wanted:
            row.delete()
            done.removed.append(kind)
    facts, _ = BreachFacts.objects.get_or_create(incident=incident)
    _apply_people(facts, view, done)
    services.note(incident, actor, "facts", describe(done, view))
    audit.record(
        "incident.inventory_applied",
        actor=actor,
        obj=incident,
        request=request,
        stores=[s.store.pk for s in view.stores],
        added=done.added,
        updated=done.updated,
        removed=done.removed,
        kept_by_hand=done.kept_by_hand,
        people=done.people,
        students=done.students,
    )
    return done


def describe(done: Applied, view: InventoryView) -> str:
    """Return the timeline's line for an apply: kinds and counts, never values."""
    parts = [f"Inventory figures used ({view.source})"]
    for label, kinds in (
        ("added", done.added),
        ("updated", done.updated),
        ("removed", done.removed),
        ("kept as entered by hand", done.kept_by_hand),
    ):
        if kinds:
            parts.append(f"{label}: {', '.join(kinds)}")
    if done.people is not None:
        parts.append(
            f"people affected {done.people}, students {done.students} (proposed)"
        )
    if not (done.added or done.updated or done.removed):
        parts.append("no element changed")
    return "; ".join(parts) + "."
