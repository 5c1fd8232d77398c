"""What named data stores hold: the inventory's input to a breach determination.

An incident that names affected stores asks here which elements they hold,
whether protected, and how many distinct people; the Director can still
correct the result by hand on the incident.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Sum

from districtguard.inventory.models import DataStore, FileState
from districtguard.inventory.totals import distinct_people


@dataclass(frozen=True, slots=True)
class Holdings:
    """What a set of stores held at their last scans."""

    elements: dict[str, int]  # element -> findings
    unprotected_statutory: int
    protected_values: int
    people: int  # distinct over all the stores together
    never_scanned: tuple[str, ...]

    @property
    def protected_only(self) -> bool:
        """Return whether everything statutory found is protected."""
        return self.unprotected_statutory == 0


def holdings_of(stores: Iterable[DataStore]) -> Holdings:
    """Return what ``stores`` held, counting a person in two stores once."""
    chosen = list(stores)
    elements: Counter[str] = Counter()
    for counts in FileState.objects.filter(store__in=chosen).values_list(
        "counts", flat=True
    ):
        elements.update(counts)
    protected = FileState.objects.filter(store__in=chosen).aggregate(
        n=Sum("protected_values")
    )["n"]
    return Holdings(
        elements=dict(sorted(elements.items())),
        unprotected_statutory=sum(store.unprotected_statutory for store in chosen),
        protected_values=int(protected or 0),
        people=distinct_people(chosen),
        never_scanned=tuple(s.name for s in chosen if s.last_scanned_at is None),
    )
