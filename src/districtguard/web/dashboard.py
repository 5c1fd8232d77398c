"""Dashboard cards: each policy area contributes the cards its roles should see.

An area registers a function with :func:`card`; the home page shows, in order,
every card whose function returns something for the signed-in person. An area
with something for a person to do (training due, a guidance bulletin to
acknowledge) registers a function with :func:`task` instead: the tasks of every
area are gathered into one "Your tasks" card, shown only when there are some.
"""

from __future__ import annotations

import datetime as dt
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
    links: tuple[Link, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Link:
    """A line of a card that leads somewhere."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Task:
    """Something the signed-in person has to do."""

    text: str
    url: str
    due: dt.date | None = None
    overdue: bool = False


CardSource = Callable[[HttpRequest], Card | None]
TaskSource = Callable[[HttpRequest], list[Task]]
_SOURCES: list[tuple[int, CardSource]] = []
_TASKS: list[TaskSource] = []


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


def task(source: TaskSource) -> TaskSource:
    """Register a source of the signed-in person's tasks."""
    _TASKS.append(source)
    return source


def tasks_for(request: HttpRequest) -> list[Task]:
    """Return the person's tasks from every area: overdue first, then by due date."""
    found = [item for source in _TASKS for item in source(request)]
    return sorted(found, key=lambda t: (not t.overdue, t.due or dt.date.max))
