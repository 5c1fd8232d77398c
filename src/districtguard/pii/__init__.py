"""Find statutory personal information. A pure library: it never imports Django."""

from __future__ import annotations

from districtguard.pii.documents.base import TextUnit
from districtguard.pii.elements import Element
from districtguard.pii.engine import detect
from districtguard.pii.findings import Finding
from districtguard.pii.options import DetectOptions, GovernmentIdFormat
from districtguard.pii.rules import RULE_SETS, RuleSet, rules_for_date


def scan_text(
    text: str, options: DetectOptions, *, path: str = "<text>"
) -> list[Finding]:
    """Return the findings in a piece of plain text (paragraphs are records)."""
    return detect(TextUnit(text), path, options)


__all__ = [
    "RULE_SETS",
    "DetectOptions",
    "Element",
    "Finding",
    "GovernmentIdFormat",
    "RuleSet",
    "TextUnit",
    "detect",
    "rules_for_date",
    "scan_text",
]
