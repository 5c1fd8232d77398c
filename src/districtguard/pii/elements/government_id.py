"""Other government-issued identifiers: ITINs, passports, district-declared IDs.

The amended Act adds "other unique identification number created or collected
by a government entity". ITINs come from the SSN validator (``ssn.py``). US
passport numbers (nine digits, or a letter and eight digits since 2021) are
reported only beside a passport keyword. A district can declare its own student
or staff ID format (``GovernmentIdFormat``); it is off by default and needs one
of its keywords or its column, since such IDs are bare digits.
"""

from __future__ import annotations

import re

PASSPORT_RE = re.compile(r"(?:[A-Z]\d{8}|\d{9})\Z")


def passport_plausible(token: str) -> bool:
    """Return whether ``token`` has the shape of a US passport number."""
    return bool(PASSPORT_RE.match(token)) and len(set(token)) > 2
