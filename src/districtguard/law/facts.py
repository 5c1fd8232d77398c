"""What is known about an incident: the input of a breach-law determination.

Every field that can be unknown is ``None`` when it is; the determination then
takes the conservative reading and says that it did.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class DataKind(StrEnum):
    """A kind of data element the breach laws name (DESIGN.md element names)."""

    SSN = "SSN"
    DRIVER_LICENSE = "DRIVER_LICENSE"  # driver license or state ID card
    GOVERNMENT_ID = "GOVERNMENT_ID"  # other government-issued numbers
    STUDENT_ID = "STUDENT_ID"  # district-issued, counted only when enabled
    PAYMENT_CARD = "PAYMENT_CARD"
    BANK_ACCOUNT = "BANK_ACCOUNT"
    ROUTING_NUMBER = "ROUTING_NUMBER"  # routing code or electronic identifier
    BIOMETRIC = "BIOMETRIC"


class Code(StrEnum):
    """What can accompany a financial number and make it usable."""

    SECURITY_CODE = "SECURITY_CODE"
    ACCESS_CODE = "ACCESS_CODE"
    PASSWORD = "PASSWORD"  # noqa: S105 - a kind of code, not a secret
    EXPIRATION = "EXPIRATION"


class Protection(StrEnum):
    """How an element was stored when it was exposed."""

    NONE = "none"
    ENCRYPTED = "encrypted"
    REDACTED = "redacted"
    REMOVED = "removed"


class Role(StrEnum):
    """Whether the district owns (or licenses) the data or only maintains it."""

    OWNER = "owner"
    MAINTAINER = "maintainer"


FINANCIAL = frozenset(
    {DataKind.PAYMENT_CARD, DataKind.BANK_ACCOUNT, DataKind.ROUTING_NUMBER}
)


@dataclass(frozen=True, slots=True)
class DataElement:
    """One kind of element exposed, and how it was protected.

    ``visible_digits`` is how many digits a redaction left, and
    ``visible_last`` whether they are the last ones. For financial numbers,
    ``code_required`` says whether a code or password is needed to use the
    account (``None``: unknown) and ``codes`` which ones were exposed with it.
    """

    kind: DataKind
    linked_to_name: bool = True
    protection: Protection = Protection.NONE
    key_compromised: bool = False
    acquired_unencrypted: bool = False
    visible_digits: int | None = None
    visible_last: bool = True
    code_required: bool | None = None
    codes: frozenset[Code] = frozenset()


@dataclass(frozen=True, slots=True)
class LawEnforcementHold:
    """A law-enforcement agency's advice to delay notice (R-OK-8, R-74-3)."""

    agency: str
    advised_on: dt.date
    released_on: dt.date | None = None
    criminal_investigation: bool = True

    def active_on(self, day: dt.date) -> bool:
        """Return whether the hold is in force on ``day``."""
        return self.advised_on <= day and (
            self.released_on is None or day < self.released_on
        )


@dataclass(frozen=True, slots=True)
class HarmAssessment:
    """Whether identity theft or fraud is reasonably believed, and why."""

    identity_theft_or_fraud_believed: bool
    rationale: str
    assessor: str = ""


@dataclass(frozen=True, slots=True)
class Settlements:
    """Questions the law leaves open, as counsel has settled them.

    The defaults are the conservative readings ``reference/law.md`` calls for.
    """

    apply_state_government_statute: bool = True  # 74 O.S. § 3113.1 alongside
    redaction_satisfies_3113_1: bool = False
    student_ids_are_government_ids: bool = False
    maintainer_notifies_attorney_general: bool = True


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """What the district knows about a security incident.

    ``accessed``/``acquired`` are ``None`` when not yet known (treated as yes).
    ``harm`` is ``None`` until someone has assessed it (treated as harm believed).
    """

    discovery_date: dt.date
    elements: tuple[DataElement, ...] = ()
    accessed: bool | None = None
    acquired: bool | None = None
    computerized: bool = True
    good_faith_insider: bool = False
    ok_residents: int = 0
    credit_bureau: bool = False
    role: Role = Role.OWNER
    determination_date: dt.date | None = None
    breach_date: dt.date | None = None
    residents_notified_on: dt.date | None = None
    hold: LawEnforcementHold | None = None
    harm: HarmAssessment | None = None
    notice_cost_estimate: float | None = None
    contact_info_sufficient: bool = True
    students_affected: int = 0
    education_records: bool = False
    settlements: Settlements = field(default_factory=Settlements)
