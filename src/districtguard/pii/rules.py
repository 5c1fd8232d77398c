"""Rule sets: which elements, linked to a name, make a record statutory, by date.

Oklahoma's Security Breach Notification Act (24 O.S. §§ 161-166) defines personal
information as a first name or first initial and last name linked to one of a
list of elements. SB 626 widened that list for breaches discovered from
2026-01-01. The rule set in force is chosen by date; ``--rules`` overrides it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from districtguard.pii.elements import Element

AMENDMENT_DATE = dt.date(2026, 1, 1)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A dated definition of statutory personal information."""

    name: str
    title: str
    citation: str
    linked_elements: frozenset[Element]

    def is_statutory(self, element: Element) -> bool:
        """Return whether ``element``, linked to a name, is personal information."""
        return element in self.linked_elements


OK_2008 = RuleSet(
    name="ok-2008",
    title="Oklahoma Security Breach Notification Act (before 2026-01-01)",
    citation="24 O.S. § 162 (as in force 2008-11-01 to 2025-12-31)",
    linked_elements=frozenset(
        {
            Element.SSN,
            Element.DRIVER_LICENSE,
            Element.PAYMENT_CARD,
            Element.BANK_ACCOUNT,
            Element.CARD_SECURITY_CODE,
        }
    ),
)

OK_2026 = RuleSet(
    name="ok-2026",
    title="Oklahoma Security Breach Notification Act as amended by SB 626",
    citation="24 O.S. § 162 (as amended by SB 626, 2025, from 2026-01-01)",
    linked_elements=OK_2008.linked_elements
    | frozenset(
        {Element.CARD_EXPIRATION, Element.ROUTING_NUMBER, Element.GOVERNMENT_ID}
    ),
)

RULE_SETS: dict[str, RuleSet] = {rules.name: rules for rules in (OK_2008, OK_2026)}


def rules_for_date(day: dt.date) -> RuleSet:
    """Return the rule set in force on ``day``."""
    return OK_2026 if day >= AMENDMENT_DATE else OK_2008


def resolve_rules(name: str, today: dt.date) -> RuleSet:
    """Return the rule set called ``name``; ``auto`` picks the one in force today."""
    if name == "auto":
        return rules_for_date(today)
    try:
        return RULE_SETS[name]
    except KeyError:
        known = ", ".join(["auto", *RULE_SETS])
        raise ValueError(f"unknown rule set {name!r} (choose from {known})") from None
