"""Which exposed elements count as personal information, under each rule set."""

from __future__ import annotations

import pytest

from districtguard.law import (
    OK_2008,
    OK_2026,
    STATE_GOVERNMENT,
    Code,
    DataElement,
    DataKind,
    Protection,
    RuleSet,
    Settlements,
)
from districtguard.law.personal_info import assess_element

K = DataKind
P = Protection
CASES: list[tuple[str, DataElement, RuleSet, bool]] = [
    ("plain SSN", DataElement(K.SSN), OK_2008, True),
    (
        "SSN not linked to a name",
        DataElement(K.SSN, linked_to_name=False),
        OK_2026,
        False,
    ),
    (
        "SSN encrypted, key safe",
        DataElement(K.SSN, protection=P.ENCRYPTED),
        OK_2026,
        False,
    ),
    (
        "SSN encrypted, key exposed",
        DataElement(K.SSN, protection=P.ENCRYPTED, key_compromised=True),
        OK_2026,
        True,
    ),
    (
        "SSN encrypted but taken decrypted",
        DataElement(K.SSN, protection=P.ENCRYPTED, acquired_unencrypted=True),
        OK_2026,
        True,
    ),
    (
        "SSN 5 digits visible",
        DataElement(K.SSN, protection=P.REDACTED, visible_digits=5),
        OK_2026,
        False,
    ),
    (
        "SSN 6 digits visible",
        DataElement(K.SSN, protection=P.REDACTED, visible_digits=6),
        OK_2026,
        True,
    ),
    (
        "SSN 4 digits visible",
        DataElement(K.SSN, protection=P.REDACTED, visible_digits=4),
        OK_2008,
        False,
    ),
    (
        "SSN redacted, digits unknown",
        DataElement(K.SSN, protection=P.REDACTED),
        OK_2026,
        True,
    ),
    ("SSN removed", DataElement(K.SSN, protection=P.REMOVED), OK_2026, False),
    (
        "licence last 4 visible",
        DataElement(K.DRIVER_LICENSE, protection=P.REDACTED, visible_digits=4),
        OK_2026,
        False,
    ),
    (
        "licence 5 visible",
        DataElement(K.DRIVER_LICENSE, protection=P.REDACTED, visible_digits=5),
        OK_2026,
        True,
    ),
    (
        "licence first 4 visible",
        DataElement(
            K.DRIVER_LICENSE,
            protection=P.REDACTED,
            visible_digits=4,
            visible_last=False,
        ),
        OK_2026,
        True,
    ),
    ("government ID before 2026", DataElement(K.GOVERNMENT_ID), OK_2008, False),
    ("government ID from 2026", DataElement(K.GOVERNMENT_ID), OK_2026, True),
    (
        "government ID redacted: no redaction rule",
        DataElement(K.GOVERNMENT_ID, protection=P.REDACTED, visible_digits=4),
        OK_2026,
        True,
    ),
    ("biometric from 2026", DataElement(K.BIOMETRIC), OK_2026, True),
    ("biometric before 2026", DataElement(K.BIOMETRIC), OK_2008, False),
    ("student ID, not enabled", DataElement(K.STUDENT_ID), OK_2026, False),
    (
        "card, code required, with security code",
        DataElement(
            K.PAYMENT_CARD, code_required=True, codes=frozenset({Code.SECURITY_CODE})
        ),
        OK_2008,
        True,
    ),
    (
        "card, code required, none exposed",
        DataElement(K.PAYMENT_CARD, code_required=True),
        OK_2026,
        False,
    ),
    (
        "card with expiration only, before 2026",
        DataElement(
            K.PAYMENT_CARD, code_required=True, codes=frozenset({Code.EXPIRATION})
        ),
        OK_2008,
        False,
    ),
    (
        "card with expiration only, from 2026",
        DataElement(
            K.PAYMENT_CARD, code_required=True, codes=frozenset({Code.EXPIRATION})
        ),
        OK_2026,
        True,
    ),
    (
        "account, no code needed",
        DataElement(K.BANK_ACCOUNT, code_required=False),
        OK_2008,
        True,
    ),
    (
        "account, unknown whether code needed",
        DataElement(K.BANK_ACCOUNT),
        OK_2008,
        True,
    ),
    ("routing code before 2026", DataElement(K.ROUTING_NUMBER), OK_2008, False),
    (
        "routing code with password from 2026",
        DataElement(
            K.ROUTING_NUMBER, code_required=True, codes=frozenset({Code.PASSWORD})
        ),
        OK_2026,
        True,
    ),
    (
        "SSN redacted to 4: § 3113.1 names only encryption",
        DataElement(K.SSN, protection=P.REDACTED, visible_digits=4),
        STATE_GOVERNMENT,
        True,
    ),
    (
        "government ID under § 3113.1",
        DataElement(K.GOVERNMENT_ID),
        STATE_GOVERNMENT,
        False,
    ),
]


@pytest.mark.parametrize(
    ("element", "rules", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_personal_information(
    element: DataElement, rules: RuleSet, expected: bool
) -> None:
    result = assess_element(element, rules, Settlements())
    assert result.personal_information is expected
    assert all(step.rules for step in result.conclusions)


def test_student_id_counts_once_the_district_turns_it_on() -> None:
    settled = Settlements(student_ids_are_government_ids=True)
    result = assess_element(DataElement(K.STUDENT_ID), OK_2026, settled)
    assert result.personal_information
    assert any(step.unsettled for step in result.conclusions)


def test_redaction_counts_under_3113_1_once_counsel_settles_it() -> None:
    element = DataElement(K.SSN, protection=P.REDACTED, visible_digits=4)
    settled = Settlements(redaction_satisfies_3113_1=True)
    assert not assess_element(element, STATE_GOVERNMENT, settled).personal_information


def test_unknown_code_requirement_is_flagged_unsettled() -> None:
    result = assess_element(DataElement(K.BANK_ACCOUNT), OK_2026, Settlements())
    assert any(step.unsettled for step in result.conclusions)
