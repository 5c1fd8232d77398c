"""The finding contract: what the detector reports, never the raw value."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from districtguard.pii.elements import Element


@dataclass(frozen=True, slots=True)
class Finding:
    """One element found in one place.

    ``start``/``end`` are character offsets into the decoded text for text-like
    formats (txt, csv, tsv, json, email bodies) and ``None`` elsewhere; ``location``
    always says where a person would look (line and column, sheet and cell, page,
    paragraph, archive member). ``masked`` shows only what statutory redaction
    leaves visible and ``fingerprint`` is a keyed HMAC of the normalised value, so
    distinct values can be counted without being kept.
    """

    path: str
    element: Element
    start: int | None
    end: int | None
    location: str
    confidence: float
    masked: str
    fingerprint: str
    record: str
    statutory: bool
    kind: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form used by every machine-readable output."""
        data = asdict(self)
        data["element"] = str(self.element)
        return data
