"""The detector: candidates, validation, context, names and linking over a unit."""

from __future__ import annotations

from districtguard.pii.documents.base import TextUnit
from districtguard.pii.findings import Finding
from districtguard.pii.options import DetectOptions


def detect(unit: TextUnit, path: str, options: DetectOptions) -> list[Finding]:
    """Return the findings in ``unit``, sorted by position."""
    raise NotImplementedError
