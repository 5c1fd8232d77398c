"""Find statutory personal information. A pure library: it never imports Django."""

from __future__ import annotations

from districtguard.pii.documents.base import TextUnit
from districtguard.pii.elements import Element
from districtguard.pii.engine import detect
from districtguard.pii.findings import Finding
from districtguard.pii.options import DetectOptions, GovernmentIdFormat
from districtguard.pii.rules import RULE_SETS, RuleSet, rules_for_date


def detector_build() -> str:
    """Return which build of the detector runs: ``"compiled"`` when the hot
    modules are the C extensions a standard wheel carries (mypyc), ``"pure
    Python"`` otherwise (an editable install, or no compiler at build time)."""
    from districtguard.pii import engine

    return "compiled" if (engine.__file__ or "").endswith(".so") else "pure Python"


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
    "detector_build",
    "rules_for_date",
    "scan_text",
]
