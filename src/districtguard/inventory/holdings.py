"""What named data stores hold: the inventory's input to a breach determination.

An incident that names affected stores asks here which elements they hold,
whether protected (and how), and how many distinct people; the Director can
still correct the result by hand on the incident.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Sum

from districtguard.inventory.models import DataStore, FileState
from districtguard.inventory.totals import distinct_people


@dataclass(frozen=True, slots=True)
class Holdings:
    """What a set of stores held at their last scans.

    ``elements`` counts values found in the clear; ``protection`` counts values
    found already protected, by element and mode (``encrypted``, ``redacted``).
    """

    elements: dict[str, int]  # element -> findings
    unprotected_statutory: int
    protected_values: int
    people: int  # distinct over all the stores together
    never_scanned: tuple[str, ...]
    protection: dict[str, dict[str, int]]  # element -> mode -> values
    scanned: tuple[tuple[str, dt.datetime], ...] = ()  # store name, last scan

    @property
    def protected_only(self) -> bool:
        """Return whether everything statutory found is protected."""
        return self.unprotected_statutory == 0

    @property
    def oldest_scan(self) -> dt.datetime | None:
        """Return the earliest last-scan time among the scanned stores."""
        return min((at for _, at in self.scanned), default=None)

    def mode_counts(self, element: str) -> tuple[int, int, int]:
        """Return ``element``'s values in the clear, encrypted and redacted."""
        modes = self.protection.get(element, {})
        return (
            self.elements.get(element, 0),
            modes.get("encrypted", 0),
            modes.get("redacted", 0),
        )

    @property
    def element_names(self) -> list[str]:
        """Return every element found, in the clear or protected, sorted."""
        return sorted(set(self.elements) | set(self.protection))

    @property
    def rows(self) -> list[tuple[str, int, int, int]]:
        """Return each element with its values in the clear, encrypted, redacted."""
        return [(name, *self.mode_counts(name)) for name in self.element_names]


def holdings_of(stores: Iterable[DataStore]) -> Holdings:
    """Return what ``stores`` held, counting a person in two stores once."""
    chosen = list(stores)
    files = FileState.objects.filter(store__in=chosen)
    elements: Counter[str] = Counter()
    protection: dict[str, Counter[str]] = {}
    for counts, kinds in files.values_list("counts", "protected_kinds"):
        elements.update(counts)
        for element, modes in kinds.items():
            protection.setdefault(element, Counter()).update(modes)
    protected = files.aggregate(n=Sum("protected_values"))["n"]
    return Holdings(
        elements=dict(sorted(elements.items())),
        unprotected_statutory=sum(store.unprotected_statutory for store in chosen),
        protected_values=int(protected or 0),
        people=distinct_people(chosen),
        never_scanned=tuple(s.name for s in chosen if s.last_scanned_at is None),
        protection={k: dict(sorted(v.items())) for k, v in sorted(protection.items())},
        scanned=tuple((s.name, s.last_scanned_at) for s in chosen if s.last_scanned_at),
    )
