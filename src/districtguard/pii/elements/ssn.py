"""Social Security numbers (and the ITINs that look like them).

Matches ``ddd-dd-dddd`` with one delimiter (dash, space or dot) used throughout,
or nine bare digits, which need an SSN keyword or an SSN column. Rejects what the
SSA never assigns (area 000, 666 or 900-999, group 00, serial 0000), numbers that
were published and are used by thousands of people (the Woolworth wallet card,
the 1940 pamphlet, the LifeLock ad) and obvious samples (123-45-6789, all digits
equal). Sources: SSA "Social Security Number Randomization" FAQ; Microsoft Purview
``sit-defn-us-social-security-number`` for the keywords and confidence levels.

Numbers starting with 9 whose middle group is in the IRS ranges are ITINs
(``reference/pii-rules.md`` § 3): reported as ``GOVERNMENT_ID`` of kind ``itin``,
never as an SSN.
"""

from __future__ import annotations

from enum import Enum

DENY_LIST = frozenset(
    {
        "078051120",  # Woolworth wallet-card sample
        "219099999",  # 1940 SSA pamphlet
        "457555462",  # published in LifeLock advertisements
        "123456789",  # the obvious sample
    }
)

# 987-65-4320 to 987-65-4329 are set aside for advertisements; their middle group
# falls in an ITIN range, so they must be rejected before the ITIN test.
ADVERTISING_PREFIX = "98765432"

PLACEHOLDERS = frozenset({"000000000", "999999999", "111111111", "999999998"})

_ITIN_GROUPS = frozenset(
    [*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100)]
)


class SsnVerdict(Enum):
    """What a nine-digit string is, as far as the SSA and IRS rules can tell."""

    SSN = "ssn"
    ITIN = "itin"
    PLACEHOLDER = "placeholder"
    INVALID = "invalid"


def classify_ssn(digits: str) -> SsnVerdict:
    """Return whether nine digits are a possible SSN, an ITIN, or neither."""
    if len(digits) != 9 or not digits.isdigit():
        return SsnVerdict.INVALID
    if digits in PLACEHOLDERS or digits.startswith("000"):
        return SsnVerdict.PLACEHOLDER
    area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
    if digits.startswith(ADVERTISING_PREFIX):
        return SsnVerdict.INVALID
    if area >= 900:
        return SsnVerdict.ITIN if group in _ITIN_GROUPS else SsnVerdict.INVALID
    if area == 666 or group == 0 or serial == 0:
        return SsnVerdict.INVALID
    if digits in DENY_LIST or len(set(digits)) == 1:
        return SsnVerdict.INVALID
    return SsnVerdict.SSN


def assigned_before_2011(digits: str) -> bool:
    """Return whether the area was in use before randomization (2011-06-25).

    A confidence booster, not a validity test: since 2011 any area 001-899 but
    666 can be issued. Areas 734-749 and 773-899 were never assigned before it.
    """
    area = int(digits[:3])
    return not (734 <= area <= 749 or area >= 773)
