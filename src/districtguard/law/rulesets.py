"""Dated rule sets: which elements and codes make personal information, when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from districtguard.law import citations as c
from districtguard.law.facts import Code, DataKind

AMENDMENT_DATE = dt.date(2026, 1, 1)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The personal-information definition of one statute at one time."""

    id: str
    name: str
    kinds: frozenset[DataKind]
    codes: frozenset[Code]
    definition: c.Rule
    attorney_general_notice: bool


_CLASSIC_KINDS = frozenset(
    {
        DataKind.SSN,
        DataKind.DRIVER_LICENSE,
        DataKind.PAYMENT_CARD,
        DataKind.BANK_ACCOUNT,
    }
)
_CLASSIC_CODES = frozenset({Code.SECURITY_CODE, Code.ACCESS_CODE, Code.PASSWORD})

OK_2008 = RuleSet(
    "ok-2008",
    "Oklahoma Security Breach Notification Act (before 2026-01-01)",
    _CLASSIC_KINDS,
    _CLASSIC_CODES,
    c.OK_PI_2008,
    attorney_general_notice=False,
)
OK_2026 = RuleSet(
    "ok-2026",
    "Oklahoma Security Breach Notification Act as amended by SB 626",
    _CLASSIC_KINDS
    | {DataKind.GOVERNMENT_ID, DataKind.ROUTING_NUMBER, DataKind.BIOMETRIC},
    _CLASSIC_CODES | {Code.EXPIRATION},
    c.OK_PI_2026,
    attorney_general_notice=True,
)
STATE_GOVERNMENT = RuleSet(
    "ok-74-3113.1",
    "74 O.S. § 3113.1 (state government units)",
    _CLASSIC_KINDS,
    _CLASSIC_CODES,
    c.R_74_4,
    attorney_general_notice=False,
)


def breach_act_for(discovery_date: dt.date) -> RuleSet:
    """Return the Act's rule set for an incident discovered on ``discovery_date``."""
    return OK_2026 if discovery_date >= AMENDMENT_DATE else OK_2008
