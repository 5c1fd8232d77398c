"""Breach-notification law as code: dated rule sets, a determination, citations.

Pure library: never imports Django. ``determine(facts)`` says whether notice is
required, to whom, by when, by which method and why, every step citing its
rule; where the law is unsettled it says so and takes the conservative path.
"""

from __future__ import annotations

from districtguard.law.citations import Rule, Status
from districtguard.law.determination import Determination, determine
from districtguard.law.facts import (
    Code,
    DataElement,
    DataKind,
    HarmAssessment,
    IncidentFacts,
    LawEnforcementHold,
    Protection,
    Role,
    Settlements,
)
from districtguard.law.rulesets import OK_2008, OK_2026, STATE_GOVERNMENT, RuleSet
from districtguard.law.steps import Conclusion, Obligation, Recipient

__all__ = [
    "OK_2008",
    "OK_2026",
    "STATE_GOVERNMENT",
    "Code",
    "Conclusion",
    "DataElement",
    "DataKind",
    "Determination",
    "HarmAssessment",
    "IncidentFacts",
    "LawEnforcementHold",
    "Obligation",
    "Protection",
    "Recipient",
    "Role",
    "Rule",
    "RuleSet",
    "Settlements",
    "Status",
    "determine",
]
