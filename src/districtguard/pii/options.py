"""Options that shape detection, shared by the library, the CLI and the web app."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from districtguard.pii.elements import Element
from districtguard.pii.rules import OK_2026, RuleSet


@dataclass(frozen=True, slots=True)
class GovernmentIdFormat:
    """A district-declared identifier format (student or staff ID), off by default.

    ``pattern`` is a regular expression matched against whole tokens; ``keywords``
    are the labels that must be near a match (the column header or a word before
    it), because a district ID is just digits and looks like many other numbers.
    """

    name: str
    pattern: str
    keywords: tuple[str, ...] = ()

    def compiled(self) -> re.Pattern[str]:
        """Return the pattern anchored to the whole token."""
        return re.compile(rf"(?:{self.pattern})\Z")


@dataclass(frozen=True, slots=True)
class DetectOptions:
    """How to detect: which rules, which elements, which key, which thresholds."""

    fingerprint_key: bytes
    rules: RuleSet = OK_2026
    elements: frozenset[Element] = frozenset(Element)
    min_confidence: float = 0.5
    home_state: str | None = "OK"
    government_ids: tuple[GovernmentIdFormat, ...] = ()
    window: int = 300
    today: dt.date = field(default_factory=dt.date.today)
