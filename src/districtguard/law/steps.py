"""The pieces a determination is made of: conclusions and obligations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from districtguard.law.citations import Rule, Status


@dataclass(frozen=True, slots=True)
class Conclusion:
    """One step of reasoning: whether something holds, why, and under which rules.

    ``unsettled`` marks a step that rests on an open question of law (its rule is
    UNCONFIRMED, or a fact was unknown and the conservative reading was taken).
    """

    holds: bool
    reason: str
    rules: tuple[Rule, ...]
    unsettled: bool = False

    def __post_init__(self) -> None:
        if any(rule.status is Status.UNCONFIRMED for rule in self.rules):
            object.__setattr__(self, "unsettled", True)

    def negated(self) -> Conclusion:
        """Return the same step with ``holds`` inverted (protected → exposed)."""
        return replace(self, holds=not self.holds)


class Recipient(StrEnum):
    """Who must be told."""

    DATA_OWNER = "data owner"
    RESIDENTS = "affected residents"
    ATTORNEY_GENERAL = "Oklahoma Attorney General"
    CREDIT_BUREAUS = "consumer reporting agencies"
    STUDENT_RECORDS = "affected students' education records"


@dataclass(frozen=True, slots=True)
class Obligation:
    """A notice the law requires (or, with ``required`` false, does not)."""

    recipient: Recipient
    required: bool
    due: dt.date | None
    due_text: str
    methods: tuple[str, ...]
    rules: tuple[Rule, ...]
    reason: str
    paused: bool = False
    contents: tuple[str, ...] = ()

    @property
    def unsettled(self) -> bool:
        """Return whether the obligation rests on an UNCONFIRMED rule."""
        return any(rule.status is Status.UNCONFIRMED for rule in self.rules)
