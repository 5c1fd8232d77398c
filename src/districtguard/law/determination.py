"""Decide who must be told what, by when, and why, for one incident.

The steps follow ``reference/law.md`` § 7. Where the two Oklahoma statutes
differ, both are applied and the stricter result wins (the district's policy
cites both; whether § 3113.1 reaches a district is for counsel to settle).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from districtguard.law import citations as c
from districtguard.law.facts import IncidentFacts, Role
from districtguard.law.personal_info import ElementResult, assess_element
from districtguard.law.rulesets import (
    AMENDMENT_DATE,
    STATE_GOVERNMENT,
    RuleSet,
    breach_act_for,
)
from districtguard.law.steps import Conclusion, Obligation, Recipient

AG_DAYS = 60
AG_THRESHOLD = 500
AG_THRESHOLD_CREDIT_BUREAU = 1_000
SUBSTITUTE_COST = 50_000
SUBSTITUTE_CLASS = 100_000
SUBSTITUTE_COST_74 = 250_000
SUBSTITUTE_CLASS_74 = 500_000
WITHOUT_DELAY = "without unreasonable delay (no fixed number of days)"


@dataclass(frozen=True, slots=True)
class Determination:
    """The outcome: the obligations, and every step that led to them."""

    rule_set: RuleSet
    notice_required: bool
    obligations: tuple[Obligation, ...]
    conclusions: tuple[Conclusion, ...]
    elements: tuple[ElementResult, ...]

    @property
    def unsettled(self) -> tuple[c.Rule, ...]:
        """Return the UNCONFIRMED rules the outcome rests on, for counsel."""
        seen: dict[str, c.Rule] = {}
        steps: list[Conclusion | Obligation] = [*self.conclusions, *self.obligations]
        for step in steps:
            for rule in step.rules:
                if rule.status is c.Status.UNCONFIRMED:
                    seen.setdefault(rule.id, rule)
        return tuple(seen.values())

    def obligation(self, recipient: Recipient) -> Obligation | None:
        """Return the obligation towards ``recipient``, if the determination has one."""
        return next((o for o in self.obligations if o.recipient is recipient), None)

    def explain(self) -> list[str]:
        """Return the reasoning as lines a person can read, each with its citations."""
        lines = [f"Rule set: {self.rule_set.name}."]
        for step in self.conclusions:
            mark = "yes" if step.holds else "no"
            cites = "; ".join(str(rule) for rule in step.rules)
            flag = " [unsettled: counsel to confirm]" if step.unsettled else ""
            lines.append(f"- {step.reason} ({mark}) — {cites}{flag}")
        for duty in self.obligations:
            state = "REQUIRED" if duty.required else "not required"
            due = f", due {duty.due.isoformat()}" if duty.due else ""
            lines.append(f"* {duty.recipient}: {state}{due}. {duty.reason}")
        return lines


def _yes_unless_known_no(value: bool | None) -> bool:
    return value is None or value


def _exposure(facts: IncidentFacts, rules: RuleSet) -> tuple[list[ElementResult], bool]:
    results = [assess_element(e, rules, facts.settlements) for e in facts.elements]
    return results, any(r.personal_information for r in results)


def _event_steps(facts: IncidentFacts) -> list[Conclusion]:
    steps = [
        Conclusion(
            facts.computerized,
            "the data was computerized"
            if facts.computerized
            else "the data was on paper; the Act covers computerized data only",
            (c.R_OK_11,),
        )
    ]
    for what, value in (("accessed", facts.accessed), ("acquired", facts.acquired)):
        if value is None:
            steps.append(
                Conclusion(
                    True,
                    f"whether the data was {what} is not yet known; "
                    f"treated as {what} (conservative)",
                    (c.OK_DEFINITIONS,),
                    unsettled=True,
                )
            )
        else:
            steps.append(
                Conclusion(
                    value,
                    f"the data was {'' if value else 'not '}{what}",
                    (c.OK_DEFINITIONS,),
                )
            )
    if facts.good_faith_insider:
        steps.append(
            Conclusion(
                False,
                "acquired in good faith by an employee or agent for "
                "the district's purposes and not further used or disclosed: "
                "not a breach",
                (c.OK_DEFINITIONS,),
            )
        )
    return steps


def _harm_step(facts: IncidentFacts) -> Conclusion:
    if facts.harm is None:
        return Conclusion(
            True,
            "no harm assessment recorded; identity theft or fraud is "
            "presumed (conservative)",
            (c.R_OK_1,),
            unsettled=True,
        )
    believed = facts.harm.identity_theft_or_fraud_believed
    return Conclusion(
        believed,
        (
            "identity theft or fraud is reasonably believed"
            if believed
            else "identity theft or fraud is not reasonably believed"
        )
        + f": {facts.harm.rationale}",
        (c.R_OK_1,),
    )


def _date_steps(facts: IncidentFacts, rules: RuleSet) -> list[Conclusion]:
    steps = [
        Conclusion(
            True,
            f"discovered {facts.discovery_date.isoformat()}: {rules.name} applies",
            (c.R_OK_11, c.DATES),
        )
    ]
    later = [d for d in (facts.determination_date, facts.residents_notified_on) if d]
    if facts.discovery_date < AMENDMENT_DATE and any(
        d >= AMENDMENT_DATE for d in later
    ):
        steps.append(
            Conclusion(
                True,
                "discovered before 2026 but determined or notified in "
                "2026: counsel should confirm which version applies",
                (c.DATES,),
                unsettled=True,
            )
        )
    return steps


def _resident_due(facts: IncidentFacts, today: dt.date) -> tuple[bool, str]:
    hold = facts.hold
    if hold is None:
        return False, WITHOUT_DELAY
    if hold.active_on(today):
        return True, (
            f"delayed while {hold.agency} advises notice would impede its "
            f"investigation (advised {hold.advised_on.isoformat()}); then "
            + WITHOUT_DELAY
        )
    if hold.released_on is not None:
        return False, (
            f"{WITHOUT_DELAY}; the law-enforcement hold ended "
            f"{hold.released_on.isoformat()}"
        )
    return False, WITHOUT_DELAY


def _methods(facts: IncidentFacts, state_gov: bool) -> tuple[tuple[str, ...], str]:
    direct = (
        "written notice to the postal address on record",
        "telephone",
        "electronic notice consistent with E-SIGN (15 U.S.C. 7001)",
    )
    cost = facts.notice_cost_estimate or 0
    people = facts.ok_residents
    act_allows = (
        cost > SUBSTITUTE_COST
        or people > SUBSTITUTE_CLASS
        or not facts.contact_info_sufficient
    )
    if not act_allows:
        return direct, "direct notice (substitute notice conditions not met)"
    if state_gov:
        gov_allows = (
            cost > SUBSTITUTE_COST_74
            or people > SUBSTITUTE_CLASS_74
            or not facts.contact_info_sufficient
        )
        if not gov_allows:
            return direct, (
                "direct notice: the Act would allow substitute notice, but "
                "§ 3113.1's higher thresholds are not met"
            )
        return (
            *direct,
            "substitute notice: email where held AND a conspicuous website "
            "posting AND major statewide media",
        ), ("substitute notice allowed; § 3113.1 needs all three channels")
    return (
        *direct,
        "substitute notice: any two of email where held, a conspicuous "
        "website posting, major statewide media",
    ), "substitute notice allowed"


def determine(facts: IncidentFacts, today: dt.date | None = None) -> Determination:
    """Return what the breach laws require for ``facts``, with the reasons."""
    today = today or facts.determination_date or facts.discovery_date
    act = breach_act_for(facts.discovery_date)
    state_gov = facts.settlements.apply_state_government_statute
    steps = _date_steps(facts, act)
    event = _event_steps(facts)
    steps += event
    act_results, act_exposed = _exposure(facts, act)
    steps.append(
        Conclusion(
            act_exposed,
            "unencrypted, unredacted personal information was exposed"
            if act_exposed
            else "no personal information was exposed unprotected",
            (act.definition,),
        )
    )
    harm = _harm_step(facts)
    steps.append(harm)
    breach_act = all(step.holds for step in event) and act_exposed and harm.holds

    breach_74 = False
    results = list(act_results)
    if state_gov:
        gov_results, gov_exposed = _exposure(facts, STATE_GOVERNMENT)
        results += gov_results
        acquired = facts.computerized and _yes_unless_known_no(facts.acquired)
        acquired = acquired and not facts.good_faith_insider
        breach_74 = acquired and gov_exposed
        steps.append(
            Conclusion(
                breach_74,
                "§ 3113.1: unencrypted personal information was acquired (no harm test)"
                if breach_74
                else "§ 3113.1: no unencrypted personal information was acquired",
                (c.R_74_1, c.R_74_SCOPE),
            )
        )

    breach = breach_act or breach_74
    steps.append(
        Conclusion(
            breach,
            "this is a breach of the security of the system"
            if breach
            else "this is not a breach that requires notice",
            (c.R_OK_1,) + ((c.R_74_1,) if breach_74 else ()),
        )
    )
    duties: list[Obligation] = []
    owner = facts.role is Role.OWNER
    if not owner:
        duties.append(
            Obligation(
                Recipient.DATA_OWNER,
                breach or _yes_unless_known_no(facts.acquired),
                facts.discovery_date,
                "immediately, as soon as practicable following discovery",
                ("the owner's designated contact, in writing",),
                (c.R_OK_3, c.R_74_2),
                "the district maintains data it does not own: the owner decides on "
                "and gives the resident notices",
            )
        )
    residents_required = owner and breach
    paused, due_text = _resident_due(facts, today)
    methods, method_reason = _methods(facts, state_gov and breach_74)
    resident_rules: tuple[c.Rule, ...] = (
        c.R_OK_1,
        c.R_OK_6,
        c.R_OK_6A,
        c.R_OK_7,
        c.R_OK_8,
    )
    if breach_74:
        resident_rules += (c.R_74_1, c.R_74_3, c.R_74_4)
    if (
        paused
        and state_gov
        and breach_74
        and facts.hold
        and not facts.hold.criminal_investigation
    ):
        paused, due_text = (
            False,
            (
                WITHOUT_DELAY + "; § 3113.1 allows delay only for a "
                "criminal investigation (conservative: not delayed)"
            ),
        )
    duties.append(
        Obligation(
            Recipient.RESIDENTS,
            residents_required,
            None,
            due_text,
            methods if residents_required else (),
            resident_rules,
            (
                method_reason
                if residents_required
                else "no notice to residents is required"
                + ("" if owner else " of the district as maintainer")
            ),
            paused=paused and residents_required,
            contents=(
                "what happened",
                "the date or date range of the breach",
                "the kinds of personal information involved",
                "what the district has done",
                "what the person can do",
                "whom to contact",
            )
            if residents_required
            else (),
        )
    )
    duties.append(
        _attorney_general(
            facts,
            act,
            residents_required
            or (
                not owner
                and breach
                and facts.settlements.maintainer_notifies_attorney_general
            ),
        )
    )
    duties.append(
        Obligation(
            Recipient.CREDIT_BUREAUS,
            False,
            None,
            "",
            (),
            (c.R_OK_5,),
            "the Act imposes no notice to consumer reporting agencies",
        )
    )
    if facts.students_affected and facts.education_records:
        duties.append(
            Obligation(
                Recipient.STUDENT_RECORDS,
                True,
                None,
                "kept with each student's record as long as the record is kept",
                ("an entry in each affected student's education record",),
                (c.F_2, c.F_3),
                "FERPA: record the disclosure in each of the "
                f"{facts.students_affected} affected students' records "
                "(no FERPA notice duty)",
            )
        )
    return Determination(
        act,
        any(d.required for d in duties),
        tuple(duties),
        tuple(steps),
        tuple(results),
    )


def _attorney_general(facts: IncidentFacts, act: RuleSet, notice: bool) -> Obligation:
    rules = (c.R_OK_4, c.R_OK_4A) + (
        (c.R_OK_4B,) if facts.role is Role.MAINTAINER else ()
    )
    if not act.attorney_general_notice:
        return Obligation(
            Recipient.ATTORNEY_GENERAL,
            False,
            None,
            "",
            (),
            (c.R_OK_11,),
            "the Attorney General notice applies to breaches discovered "
            "from 2026-01-01",
        )
    threshold = AG_THRESHOLD_CREDIT_BUREAU if facts.credit_bureau else AG_THRESHOLD
    who = "a credit bureau's" if facts.credit_bureau else "the"
    if not notice:
        return Obligation(
            Recipient.ATTORNEY_GENERAL,
            False,
            None,
            "",
            (),
            rules,
            "no resident notice is required, so no Attorney General notice",
        )
    if facts.ok_residents < threshold:
        return Obligation(
            Recipient.ATTORNEY_GENERAL,
            False,
            None,
            "",
            (),
            rules,
            f"{facts.ok_residents} Oklahoma residents is below {who} "
            f"threshold of {threshold:,}",
        )
    due = facts.discovery_date + dt.timedelta(days=AG_DAYS)
    if facts.residents_notified_on:
        due = min(due, facts.residents_notified_on + dt.timedelta(days=AG_DAYS))
    return Obligation(
        Recipient.ATTORNEY_GENERAL,
        True,
        due,
        f"{AG_DAYS} days after discovery (the earliest reading; counsel to confirm)",
        ("the Attorney General's breach notice (confidential)",),
        rules,
        f"{facts.ok_residents:,} Oklahoma residents meets {who} threshold of "
        f"{threshold:,}",
        contents=(
            "date of the breach",
            "date it was determined",
            "nature of the breach",
            "kinds of personal information",
            "number of Oklahoma residents affected",
            "estimated monetary impact, where determinable",
            "reasonable safeguards in use",
        ),
    )
