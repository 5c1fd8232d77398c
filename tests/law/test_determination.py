"""Who must be told what, by when: every rule and its edges."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import replace

import pytest

from districtguard.law import (
    DataElement,
    DataKind,
    HarmAssessment,
    IncidentFacts,
    LawEnforcementHold,
    Protection,
    Recipient,
    Role,
    Settlements,
    Status,
    determine,
)

D = dt.date
SSN = DataElement(DataKind.SSN)
HARM = HarmAssessment(True, "the file was posted on a public forum", "counsel")
NO_HARM = HarmAssessment(False, "the laptop was encrypted and recovered", "counsel")


def facts(**changes: object) -> IncidentFacts:
    base = IncidentFacts(
        discovery_date=D(2026, 3, 2),
        elements=(SSN,),
        accessed=True,
        acquired=True,
        ok_residents=120,
        harm=HARM,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def required(facts_: IncidentFacts, recipient: Recipient) -> bool:
    duty = determine(facts_).obligation(recipient)
    return duty is not None and duty.required


@pytest.mark.parametrize(
    ("residents", "credit_bureau", "expected"),
    [
        (499, False, False),
        (500, False, True),
        (999, True, False),
        (1_000, True, True),
        (501, True, False),
    ],
)
def test_attorney_general_threshold(
    residents: int, credit_bureau: bool, expected: bool
) -> None:
    case = facts(ok_residents=residents, credit_bureau=credit_bureau)
    assert required(case, Recipient.ATTORNEY_GENERAL) is expected


@pytest.mark.parametrize(
    ("discovered", "rule_set", "ag"),
    [(D(2025, 12, 31), "ok-2008", False), (D(2026, 1, 1), "ok-2026", True)],
)
def test_rule_set_changes_on_2026_01_01(
    discovered: dt.date, rule_set: str, ag: bool
) -> None:
    case = facts(discovery_date=discovered, ok_residents=800)
    result = determine(case)
    assert result.rule_set.id == rule_set
    assert required(case, Recipient.ATTORNEY_GENERAL) is ag


def test_attorney_general_due_sixty_days_after_discovery() -> None:
    duty = determine(facts(ok_residents=600)).obligation(Recipient.ATTORNEY_GENERAL)
    assert duty is not None and duty.due == D(2026, 5, 1)
    assert "reasonable safeguards in use" in duty.contents
    assert duty.unsettled  # the 60-day trigger is a conflict for counsel


def test_government_id_is_personal_information_only_from_2026() -> None:
    gov = (DataElement(DataKind.GOVERNMENT_ID),)
    assert required(facts(elements=gov), Recipient.RESIDENTS)
    before = facts(elements=gov, discovery_date=D(2025, 12, 31))
    assert not required(before, Recipient.RESIDENTS)


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        (DataElement(DataKind.SSN, protection=Protection.ENCRYPTED), False),
        (
            DataElement(
                DataKind.SSN, protection=Protection.ENCRYPTED, key_compromised=True
            ),
            True,
        ),
        (
            DataElement(DataKind.SSN, protection=Protection.REDACTED, visible_digits=4),
            True,
        ),
    ],
    ids=["encrypted", "encrypted-key-exposed", "redacted-to-4"],
)
def test_safe_harbors_under_both_statutes(element: DataElement, expected: bool) -> None:
    # Redaction protects under the Act but not under § 3113.1 until counsel says so.
    assert required(facts(elements=(element,)), Recipient.RESIDENTS) is expected


@pytest.mark.parametrize(("visible", "expected"), [(5, False), (6, True)])
def test_ssn_redaction_digits_under_the_act_alone(visible: int, expected: bool) -> None:
    element = DataElement(
        DataKind.SSN, protection=Protection.REDACTED, visible_digits=visible
    )
    act_only = Settlements(apply_state_government_statute=False)
    case = facts(elements=(element,), settlements=act_only)
    assert required(case, Recipient.RESIDENTS) is expected


def test_no_harm_belief_still_notifies_under_3113_1() -> None:
    case = facts(harm=NO_HARM)
    assert required(case, Recipient.RESIDENTS)
    act_only = replace(
        case, settlements=Settlements(apply_state_government_statute=False)
    )
    assert not required(act_only, Recipient.RESIDENTS)


def test_access_without_acquisition_is_no_breach() -> None:
    assert not determine(facts(acquired=False)).notice_required


def test_unknown_acquisition_and_harm_take_the_conservative_path() -> None:
    result = determine(facts(acquired=None, harm=None))
    assert result.notice_required
    assert any(step.unsettled for step in result.conclusions)


def test_paper_records_are_outside_the_act() -> None:
    assert not required(facts(computerized=False), Recipient.RESIDENTS)


def test_good_faith_insider_acquisition_is_no_breach() -> None:
    assert not determine(facts(good_faith_insider=True)).notice_required


def test_law_enforcement_hold_pauses_resident_notice_while_active() -> None:
    hold = LawEnforcementHold("Oklahoma State Bureau of Investigation", D(2026, 3, 3))
    active = determine(facts(hold=hold), today=D(2026, 3, 10))
    duty = active.obligation(Recipient.RESIDENTS)
    assert duty is not None and duty.required and duty.paused
    released = replace(hold, released_on=D(2026, 4, 1))
    after = determine(facts(hold=released), today=D(2026, 4, 2))
    duty = after.obligation(Recipient.RESIDENTS)
    assert duty is not None and not duty.paused and "2026-04-01" in duty.due_text


def test_civil_hold_does_not_pause_under_3113_1() -> None:
    hold = LawEnforcementHold(
        "a state agency", D(2026, 3, 3), criminal_investigation=False
    )
    duty = determine(facts(hold=hold), today=D(2026, 3, 5)).obligation(
        Recipient.RESIDENTS
    )
    assert duty is not None and not duty.paused


def test_attorney_general_deadline_is_not_paused_by_a_hold() -> None:
    hold = LawEnforcementHold("FBI", D(2026, 3, 3))
    duty = determine(facts(hold=hold, ok_residents=700)).obligation(
        Recipient.ATTORNEY_GENERAL
    )
    assert duty is not None and duty.due == D(2026, 5, 1)


def test_maintainer_tells_the_owner_not_the_residents() -> None:
    result = determine(facts(role=Role.MAINTAINER, ok_residents=50))
    owner = result.obligation(Recipient.DATA_OWNER)
    residents = result.obligation(Recipient.RESIDENTS)
    assert owner is not None and owner.required and owner.due == D(2026, 3, 2)
    assert residents is not None and not residents.required


def test_maintainer_attorney_general_notice_is_flagged_unsettled() -> None:
    result = determine(facts(role=Role.MAINTAINER, ok_residents=900))
    duty = result.obligation(Recipient.ATTORNEY_GENERAL)
    assert duty is not None and duty.required
    assert any(rule.id == "R-OK-4b" for rule in duty.rules)


ACT_ONLY = Settlements(apply_state_government_statute=False)
BOTH = Settlements()


@pytest.mark.parametrize(
    ("residents", "cost", "contact", "settled", "channels"),
    [
        (100_000, 10_000.0, True, ACT_ONLY, None),
        (100_001, 10_000.0, True, ACT_ONLY, "any two"),
        (50, 50_000.0, True, ACT_ONLY, None),
        (50, 50_001.0, True, ACT_ONLY, "any two"),
        (50, 0.0, False, ACT_ONLY, "any two"),
        (50, 0.0, False, BOTH, "AND"),
        (100_001, 10_000.0, True, BOTH, None),
    ],
)
def test_substitute_notice(
    residents: int,
    cost: float,
    contact: bool,
    settled: Settlements,
    channels: str | None,
) -> None:
    case = facts(
        ok_residents=residents,
        notice_cost_estimate=cost,
        contact_info_sufficient=contact,
        settlements=settled,
    )
    duty = determine(case).obligation(Recipient.RESIDENTS)
    assert duty is not None and duty.required
    offered = [m for m in duty.methods if m.startswith("substitute")]
    if channels is None:
        assert offered == []
    else:
        assert len(offered) == 1 and channels in offered[0]


def test_3113_1_substitute_notice_needs_higher_thresholds_and_all_channels() -> None:
    case = facts(ok_residents=150_000, harm=NO_HARM)  # § 3113.1 alone triggers
    duty = determine(case).obligation(Recipient.RESIDENTS)
    assert duty is not None
    assert not any(m.startswith("substitute") for m in duty.methods)
    bigger = determine(replace(case, ok_residents=600_000)).obligation(
        Recipient.RESIDENTS
    )
    assert bigger is not None
    assert any("AND" in m for m in bigger.methods)


def test_ferpa_disclosure_entry_per_student_without_notice_duty() -> None:
    case = facts(students_affected=42, education_records=True)
    duty = determine(case).obligation(Recipient.STUDENT_RECORDS)
    assert duty is not None and duty.required and "42" in duty.reason
    assert {rule.id for rule in duty.rules} == {"F-2", "F-3"}


def test_no_credit_bureau_notice() -> None:
    duty = determine(facts(ok_residents=5_000)).obligation(Recipient.CREDIT_BUREAUS)
    assert duty is not None and not duty.required


def test_discovered_in_2025_notified_in_2026_is_flagged_for_counsel() -> None:
    case = facts(discovery_date=D(2025, 12, 20), determination_date=D(2026, 1, 5))
    result = determine(case)
    assert any("counsel should confirm" in step.reason for step in result.conclusions)


def test_every_step_cites_a_rule_and_the_explanation_shows_citations() -> None:
    result = determine(facts(ok_residents=600))
    assert all(step.rules for step in result.conclusions)
    text = "\n".join(result.explain())
    assert "24 O.S. § 163(A)" in text and "REQUIRED" in text
    assert all(rule.status is Status.UNCONFIRMED for rule in result.unsettled)


def test_law_library_does_not_import_django() -> None:
    code = "import sys, districtguard.law; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
