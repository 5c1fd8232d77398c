"""Trends of unprotected statutory records: per store, and for the district."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from districtguard.inventory.models import DataStore, Snapshot

DAYS = 180
WIDTH, HEIGHT = 600, 160


@dataclass(frozen=True, slots=True)
class Point:
    """The totals on one day."""

    day: dt.date
    unprotected: int
    statutory: int
    people: int


@dataclass(frozen=True, slots=True)
class Trend:
    """Points over time, and the polyline that draws them."""

    points: tuple[Point, ...]

    @property
    def polyline(self) -> str:
        """Return SVG polyline points for the unprotected count (empty if < 2)."""
        if len(self.points) < 2:
            return ""
        top = max(point.unprotected for point in self.points) or 1
        step = WIDTH / (len(self.points) - 1)
        return " ".join(
            f"{round(i * step, 1)},{round(HEIGHT - HEIGHT * p.unprotected / top, 1)}"
            for i, p in enumerate(self.points)
        )

    @property
    def width(self) -> int:
        """Return the drawing's width."""
        return WIDTH

    @property
    def height(self) -> int:
        """Return the drawing's height."""
        return HEIGHT


def _since() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=DAYS)


def store_trend(store: DataStore) -> Trend:
    """Return the store's last snapshot of each day."""
    by_day: dict[dt.date, Point] = {}
    for snap in Snapshot.objects.filter(store=store, taken_at__gte=_since()):
        day = timezone.localdate(snap.taken_at)
        by_day[day] = Point(
            day, snap.unprotected_statutory, snap.statutory_records, snap.people
        )
    return Trend(tuple(by_day[day] for day in sorted(by_day)))


def district_trend() -> Trend:
    """Return, per day, the sum over stores of each store's latest snapshot."""
    latest: dict[int, Snapshot] = {}
    by_day: dict[dt.date, Point] = {}
    snaps = Snapshot.objects.filter(taken_at__gte=_since()).only(
        "store_id",
        "taken_at",
        "unprotected_statutory",
        "statutory_records",
        "people",
    )
    for snap in snaps:
        latest[snap.store_id] = snap
        day = timezone.localdate(snap.taken_at)
        by_day[day] = Point(
            day,
            sum(s.unprotected_statutory for s in latest.values()),
            sum(s.statutory_records for s in latest.values()),
            sum(s.people for s in latest.values()),
        )
    return Trend(tuple(by_day[day] for day in sorted(by_day)))
