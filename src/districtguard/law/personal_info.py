"""Is an exposed element personal information? (24 O.S. § 162, § 1.2 of law.md)."""

from __future__ import annotations

from dataclasses import dataclass

from districtguard.law import citations as c
from districtguard.law.facts import (
    FINANCIAL,
    DataElement,
    DataKind,
    Protection,
    Settlements,
)
from districtguard.law.rulesets import STATE_GOVERNMENT, RuleSet
from districtguard.law.steps import Conclusion

_SSN_VISIBLE = 5
_TAIL_VISIBLE = 4
_TAIL_REDACTABLE = frozenset(
    {DataKind.DRIVER_LICENSE, DataKind.PAYMENT_CARD, DataKind.BANK_ACCOUNT}
)


@dataclass(frozen=True, slots=True)
class ElementResult:
    """Whether one element counts as personal information, and why."""

    element: DataElement
    personal_information: bool
    conclusions: tuple[Conclusion, ...]


def _covered(element: DataElement, rules: RuleSet, settled: Settlements) -> Conclusion:
    kind = element.kind
    if kind is DataKind.STUDENT_ID:
        if rules.id != "ok-2026":
            return Conclusion(
                False,
                f"a student ID is not an element of {rules.name}",
                (rules.definition,),
            )
        if not settled.student_ids_are_government_ids:
            return Conclusion(
                False,
                "student IDs are not treated as government identification numbers "
                "(the district has not turned this on)",
                (c.OK_STUDENT_ID,),
            )
        return Conclusion(
            True,
            "a student ID counts as a government identification "
            "number (the district's setting)",
            (c.OK_STUDENT_ID,),
        )
    if kind in rules.kinds:
        return Conclusion(
            True, f"{kind} is an element under {rules.name}", (rules.definition,)
        )
    return Conclusion(
        False, f"{kind} is not an element under {rules.name}", (rules.definition,)
    )


def _with_code(element: DataElement, rules: RuleSet) -> Conclusion:
    usable = element.codes & rules.codes
    if element.code_required is False:
        return Conclusion(
            True,
            "no code is needed to use the account, so the number alone suffices",
            (rules.definition,),
        )
    if element.code_required is None:
        return Conclusion(
            True,
            "it is not known whether a code is needed to use the account; treated as "
            "usable without one (conservative)",
            (rules.definition,),
            unsettled=True,
        )
    if usable:
        names = ", ".join(sorted(code.lower().replace("_", " ") for code in usable))
        return Conclusion(
            True, f"exposed with the required {names}", (rules.definition,)
        )
    return Conclusion(
        False,
        "a code is required to use the account and none the law "
        "names was exposed with it",
        (rules.definition,),
    )


def _redaction(
    element: DataElement, rules: RuleSet, settled: Settlements
) -> Conclusion:
    visible = element.visible_digits
    if rules is STATE_GOVERNMENT and not settled.redaction_satisfies_3113_1:
        return Conclusion(
            False,
            "§ 3113.1 names only encryption; redaction is not treated as protecting "
            "the element under it until counsel settles it (conservative)",
            (c.R_74_1, c.R_74_SCOPE),
            unsettled=True,
        )
    if visible is None:
        return Conclusion(
            False,
            "redacted, but how many digits remain is not known; "
            "treated as unredacted (conservative)",
            (c.OK_REDACT,),
            unsettled=True,
        )
    if element.kind is DataKind.SSN:
        ok = visible <= _SSN_VISIBLE
        return Conclusion(
            ok,
            f"{visible} SSN digits remain; the Act allows at most {_SSN_VISIBLE}",
            (c.OK_REDACT,),
        )
    if element.kind in _TAIL_REDACTABLE:
        ok = visible <= _TAIL_VISIBLE and element.visible_last
        where = "the last" if element.visible_last else "not the last"
        return Conclusion(
            ok,
            f"{visible} digits remain, {where} ones; the Act allows "
            f"the last {_TAIL_VISIBLE}",
            (c.OK_REDACT,),
        )
    return Conclusion(
        False,
        f"the Act gives {element.kind} no redaction rule: only "
        "encryption or removal protects it (conservative)",
        (c.OK_NO_REDACTION_RULE,),
        unsettled=True,
    )


def _protected(
    element: DataElement, rules: RuleSet, settled: Settlements
) -> Conclusion:
    match element.protection:
        case Protection.NONE:
            return Conclusion(
                False, "stored neither encrypted nor redacted", (c.OK_DEFINITIONS,)
            )
        case Protection.REMOVED:
            return Conclusion(True, "removed from the data", (c.OK_DEFINITIONS,))
        case Protection.ENCRYPTED:
            if element.acquired_unencrypted:
                return Conclusion(
                    False,
                    "encrypted at rest but acquired in unencrypted form",
                    (c.R_OK_2,),
                )
            if element.key_compromised:
                return Conclusion(
                    False,
                    "encrypted, but the key was exposed or a person "
                    "with key access was involved",
                    (c.R_OK_2,),
                )
            return Conclusion(
                True,
                "encrypted and the key was not compromised",
                (c.OK_DEFINITIONS, c.R_OK_2),
            )
        case Protection.REDACTED:
            return _redaction(element, rules, settled)


def assess_element(
    element: DataElement, rules: RuleSet, settled: Settlements
) -> ElementResult:
    """Decide whether ``element`` is personal information under ``rules``."""
    steps = [_covered(element, rules, settled)]
    if steps[0].holds and element.kind in FINANCIAL:
        steps.append(_with_code(element, rules))
    if all(step.holds for step in steps):
        if not element.linked_to_name:
            steps.append(
                Conclusion(
                    False,
                    "not linked to a person's name; a number "
                    "alone is not personal information",
                    (rules.definition,),
                )
            )
        else:
            steps.append(
                Conclusion(True, "linked to a person's name", (rules.definition,))
            )
    if all(step.holds for step in steps):
        protected = _protected(element, rules, settled)
        steps.append(protected.negated())
    return ElementResult(element, all(step.holds for step in steps), tuple(steps))
