"""Citations: every conclusion the law library draws names the rule behind it.

Each rule carries the status ``reference/law.md`` gives it: CONFIRMED (primary
text or two independent sources), SECONDARY (one credible source) or
UNCONFIRMED (conflicting sources or an interpretation). A determination that
rests on an UNCONFIRMED rule says so, so counsel knows what to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """How firmly a rule is established."""

    CONFIRMED = "CONFIRMED"
    SECONDARY = "SECONDARY"
    UNCONFIRMED = "UNCONFIRMED"


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule of law the library applies."""

    id: str
    cite: str
    summary: str
    status: Status = Status.CONFIRMED

    def __str__(self) -> str:
        return f"{self.id} ({self.cite})"


def _rule(id: str, cite: str, summary: str, status: Status = Status.CONFIRMED) -> Rule:
    return Rule(id, cite, summary, status)


OK_DEFINITIONS = _rule(
    "OK-162",
    "24 O.S. § 162",
    "Personal information, breach, encrypted and redact as the Act defines them",
)
OK_PI_2008 = _rule(
    "OK-162-PI-2008",
    "24 O.S. § 162(6) before SB 626",
    "Name linked to an SSN, a driver license or state ID number, or an account or "
    "card number with any required code",
)
OK_PI_2026 = _rule(
    "OK-162-PI-2026",
    "24 O.S. § 162 as amended by SB 626 (2025), from 2026-01-01",
    "Adds other government identification numbers, card expiration dates, "
    "electronic identifiers and routing codes, and biometric data",
)
OK_REDACT = _rule(
    "OK-162-REDACT",
    "24 O.S. § 162 (redact)",
    "No more than five digits of an SSN, or the last four digits of a driver "
    "license, state ID or account number, remain",
    Status.SECONDARY,
)
OK_NO_REDACTION_RULE = _rule(
    "OK-1.2-NO-REDACTION-RULE",
    "reference/law.md § 1.2",
    "Elements the Act gives no redaction rule (other government IDs, routing codes, "
    "biometrics) are protected only if encrypted or removed",
    Status.UNCONFIRMED,
)
OK_STUDENT_ID = _rule(
    "OK-1.2-STUDENT-ID",
    "reference/law.md § 1.2",
    "A district-issued student ID may be an 'other unique identification number "
    "created or collected by a government entity' from 2026",
    Status.UNCONFIRMED,
)
R_OK_1 = _rule(
    "R-OK-1",
    "24 O.S. § 163(A)",
    "The owner notifies each resident whose unencrypted, unredacted personal "
    "information was accessed and acquired, where identity theft or fraud is "
    "reasonably believed, without unreasonable delay",
)
R_OK_2 = _rule(
    "R-OK-2",
    "24 O.S. § 163(A)",
    "Encryption does not protect data acquired in unencrypted form or when a "
    "person with access to the key was involved",
)
R_OK_3 = _rule(
    "R-OK-3",
    "24 O.S. § 163(B)",
    "A maintainer notifies the owner as soon as practicable following discovery",
)
R_OK_4 = _rule(
    "R-OK-4",
    "24 O.S. § 163 as amended by SB 626",
    "Notify the Attorney General when 500 or more residents (1,000 for a credit "
    "bureau) must be notified; due 60 days after discovery at the earliest reading, "
    "never later than 60 days after notice to residents",
    Status.UNCONFIRMED,
)
R_OK_4A = _rule(
    "R-OK-4a",
    "24 O.S. § 163 as amended by SB 626",
    "The Attorney General notice gives the breach date, date determined, nature, "
    "kinds of personal information, number of residents, estimated monetary impact "
    "and the reasonable safeguards in use",
)
R_OK_4B = _rule(
    "R-OK-4b",
    "24 O.S. § 163 as amended (one summary)",
    "A maintainer may also have to notify the Attorney General",
    Status.UNCONFIRMED,
)
R_OK_5 = _rule(
    "R-OK-5",
    "24 O.S. §§ 161-166",
    "No consumer reporting agency notice",
    Status.SECONDARY,
)
R_OK_6 = _rule(
    "R-OK-6",
    "24 O.S. § 162 (notice)",
    "Notice by writing to the postal address on record, by telephone, or "
    "electronically consistent with E-SIGN (15 U.S.C. 7001)",
)
R_OK_6A = _rule(
    "R-OK-6a",
    "24 O.S. § 162 (substitute notice)",
    "Substitute notice when notice would cost more than $50,000, the class exceeds "
    "100,000, or contact information is insufficient: any two of email, a "
    "conspicuous website posting, and major statewide media",
    Status.SECONDARY,
)
R_OK_7 = _rule(
    "R-OK-7",
    "24 O.S. § 163 as amended (summary)",
    "Resident notice content: breach date, description of the information, contact "
    "details (suggested: what happened, steps taken, what to do)",
    Status.UNCONFIRMED,
)
R_OK_8 = _rule(
    "R-OK-8",
    "24 O.S. § 164",
    "Notice is delayed while a law-enforcement agency advises it would impede an "
    "investigation or security; notify without unreasonable delay once released",
    Status.SECONDARY,
)
R_OK_11 = _rule(
    "R-OK-11",
    "24 O.S. § 162; SB 626",
    "The Act covers computerized data only; SB 626 applies to breaches discovered "
    "from 2026-01-01",
)
R_74_1 = _rule(
    "R-74-1",
    "74 O.S. § 3113.1(A)",
    "A unit of state government discloses to residents when unencrypted personal "
    "information was, or is reasonably believed to have been, acquired: no harm test",
)
R_74_2 = _rule(
    "R-74-2",
    "74 O.S. § 3113.1(B)",
    "A maintainer notifies the owner immediately following discovery",
)
R_74_3 = _rule(
    "R-74-3",
    "74 O.S. § 3113.1(C)",
    "Delay while an agency determines notice would impede a criminal investigation",
)
R_74_4 = _rule(
    "R-74-4",
    "74 O.S. § 3113.1(D)-(E)",
    "Substitute notice when cost exceeds $250,000, more than 500,000 persons, or "
    "contact data is lacking: email, website and statewide media together",
    Status.UNCONFIRMED,
)
R_74_SCOPE = _rule(
    "R-74-SCOPE",
    "reference/law.md § 2",
    "Whether § 3113.1 reaches an independent school district is unsettled; the "
    "district's policy cites both statutes, so both are applied",
    Status.UNCONFIRMED,
)
F_2 = _rule(
    "F-2",
    "34 C.F.R. § 99.32(a)",
    "Record each disclosure of a student's personally identifiable information in "
    "that student's record, kept as long as the record is kept",
)
F_3 = _rule(
    "F-3",
    "34 C.F.R. § 99.32; 73 Fed. Reg. 74843",
    "FERPA imposes no breach notice duty, but an unauthorized disclosure is recorded "
    "in each affected student's record",
)
DATES = _rule(
    "OK-DATES",
    "reference/law.md § 0",
    "The rule set is chosen by discovery date; an incident discovered in 2025 but "
    "determined or notified in 2026 is flagged for counsel",
    Status.UNCONFIRMED,
)
