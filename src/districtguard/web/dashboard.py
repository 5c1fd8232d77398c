"""Dashboard cards: each policy area contributes the cards its roles should see.

An area registers a function with :func:`card`; the home page shows, in order,
every card whose function returns something for the signed-in person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass(frozen=True, slots=True)
class Card:
    """One box on the dashboard."""

    title: str
    status: str  # "ok", "attention" or "overdue"
    summary: str
    url: str = ""
    lines: tuple[str, ...] = field(default_factory=tuple)


CardSource = Callable[[HttpRequest], Card | None]
_SOURCES: list[tuple[int, CardSource]] = []


def card(order: int) -> Callable[[CardSource], CardSource]:
    """Register a card source shown at position ``order``."""

    def register(source: CardSource) -> CardSource:
        _SOURCES.append((order, source))
        _SOURCES.sort(key=lambda item: item[0])
        return source

    return register


def cards_for(request: HttpRequest) -> list[Card]:
    """Return the cards the signed-in person should see, in order."""
    return [c for _, source in _SOURCES if (c := source(request)) is not None]
