"""Add up a store's file results into its totals, counting accepted gaps out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from districtguard.inventory.models import (
    DataStore,
    FileState,
    FindingException,
    Fingerprint,
    ScanRun,
    Snapshot,
)
from districtguard.pii.elements import Element

NAME = str(Element.PERSON_NAME)


def active_exceptions(
    store: DataStore, day: dt.date | None = None
) -> list[FindingException]:
    """Return the store's exceptions that count a gap out on ``day`` (today)."""
    day = day or timezone.localdate()
    return list(
        FindingException.objects.filter(
            store=store, ended_at__isnull=True, expires_on__gte=day
        )
    )


def remaining_records(file: FileState, exceptions: Iterable[FindingException]) -> int:
    """Return the file's unprotected statutory records no exception covers.

    Worked out from the masked findings kept for the file; a file with more
    findings than are kept is counted from the kept ones. A name is statutory
    only with the number beside it: once the number is excepted, the name alone
    does not keep the record a gap.
    """
    covering = list(exceptions)
    if not covering:
        return file.unprotected_statutory
    records = {
        finding.get("record")
        for finding in file.masked
        if finding.get("statutory")
        and finding.get("element") != NAME
        and not any(e.covers(file.pk, finding) for e in covering)
    }
    return min(len(records), file.unprotected_statutory)


def excepted_records(store: DataStore, exceptions: list[FindingException]) -> int:
    """Return how many unprotected statutory records the exceptions count out."""
    if not exceptions:
        return 0
    file_ids = {e.file_id for e in exceptions if e.file_id and not e.fingerprint}
    values = [e.fingerprint for e in exceptions if e.fingerprint]
    if values:
        file_ids.update(
            Fingerprint.objects.filter(store=store, fingerprint__in=values)
            .values_list("file_id", flat=True)
            .distinct()
        )
    excepted = 0
    for file in FileState.objects.filter(pk__in=file_ids, store=store):
        excepted += file.unprotected_statutory - remaining_records(file, exceptions)
    return excepted


def distinct_people(stores: Iterable[DataStore] | None = None) -> int:
    """Return the distinct values of the most common element: people, at least.

    Two files naming the same student by the same ID count once; across stores
    too, when ``stores`` is ``None`` (the whole district). Names are counted
    only where no number was found: a name kept in first- and last-name
    columns is two name values for one person, and spellings vary, while each
    person's SSN or account number is one value.
    """
    rows = Fingerprint.objects.all()
    if stores is not None:
        rows = rows.filter(store__in=list(stores))
    per_element = rows.values("element").annotate(n=Count("fingerprint", distinct=True))
    numbers = _most(per_element.exclude(element=NAME))
    return numbers or _most(per_element.filter(element=NAME))


def _most(rows: Any) -> int:
    return max((int(row["n"]) for row in rows), default=0)


def refresh_totals(store: DataStore, day: dt.date | None = None) -> DataStore:
    """Recompute and save the store's totals from its file results."""
    sums = FileState.objects.filter(store=store).aggregate(
        files=Count("id"),
        bytes=Sum("size"),
        findings=Sum("findings_total"),
        statutory=Sum("statutory_records"),
        unprotected=Sum("unprotected_statutory"),
        protected=Sum("protected_values"),
    )
    store.files = sums["files"] or 0
    store.bytes = sums["bytes"] or 0
    store.findings = sums["findings"] or 0
    store.statutory_records = sums["statutory"] or 0
    store.protected_values = sums["protected"] or 0
    unprotected = sums["unprotected"] or 0
    gaps = unprotected - excepted_records(store, active_exceptions(store, day))
    store.unprotected_statutory = max(gaps, 0)
    store.people = distinct_people([store])
    store.save(
        update_fields=[
            "files",
            "bytes",
            "findings",
            "statutory_records",
            "unprotected_statutory",
            "protected_values",
            "people",
        ]
    )
    return store


def take_snapshot(store: DataStore, run: ScanRun) -> Snapshot:
    """Record the store's totals after ``run``, for its trend."""
    snapshot, _ = Snapshot.objects.update_or_create(
        run=run,
        defaults={
            "store": store,
            "files": store.files,
            "bytes": store.bytes,
            "findings": store.findings,
            "statutory_records": store.statutory_records,
            "unprotected_statutory": store.unprotected_statutory,
            "protected_values": store.protected_values,
            "people": store.people,
        },
    )
    return snapshot
