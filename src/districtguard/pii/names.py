"""Name dictionaries: US Census first names and surnames, loaded once.

The lists are public-domain US Census Bureau data (the 1990 name files, shipped
by the ``names`` package), widened with the SSA-derived first and last names in
Faker's ``en_US`` locale, which include names given since 1990. Nothing is
downloaded at run time.
"""

from __future__ import annotations

import functools
from importlib import resources

# Capitalised words that are first names or surnames in the lists but, in the
# text around an SSN or a card number, are almost always something else.
STOPWORDS = frozenset(
    """
    ACCOUNT ADDRESS AMOUNT APRIL AUGUST AVENUE BANK BILL BILLING BOARD CARD CASE
    CHECK CHECKING CITY CLAIM CODE COUNTY CREDIT DATE DAY DEAR DEBIT DECEMBER
    DEPARTMENT DEPOSIT DESK DIRECT DISTRICT DRIVE DRIVER ELEMENTARY EMPLOYEE
    EXPRESS FEBRUARY FORM FRIDAY GRADE HALL HIGH HUMAN IDENTIFICATION JANUARY JULY
    JUNE LANE LICENSE MAIN MARCH MAY MIDDLE MONDAY NEW NORTH NOTE NOTES NOVEMBER
    NUMBER OCTOBER OFFICE OKLAHOMA PARK PAY PAYROLL PHONE PLEASE POLICY PUBLIC
    RECORD RESOURCES ROAD ROUTING SATURDAY SAVINGS SCHOOL SCHOOLS SECURITY
    SEPTEMBER SERVICE SOCIAL SOUTH STATE STREET STUDENT SUNDAY SUPPORT TECHNOLOGY
    THURSDAY TUESDAY UNION VISA WEDNESDAY WEST EAST YOUNG WILL GRANT BROWN WHITE
    GREEN BLACK GRAY LONG SHORT HOPE JOY FAITH SUMMER WINTER AUTUMN DAWN RAY ROSE
    TECH HELP THANKS THANK REGARDS BEST SINCERELY MISS
    """.split()
)


def _census(filename: str) -> set[str]:
    text = resources.files("names").joinpath(filename).read_text(encoding="ascii")
    return {line.split(" ", 1)[0] for line in text.splitlines() if line.strip()}


@functools.cache
def first_names() -> frozenset[str]:
    """Return upper-case given names."""
    found = _census("dist.male.first") | _census("dist.female.first")
    try:
        from faker.providers.person.en_US import Provider
    except ImportError:  # pragma: no cover - Faker is a declared dependency
        pass
    else:
        found |= {name.upper() for name in Provider.first_names_female}
        found |= {name.upper() for name in Provider.first_names_male}
    return frozenset(found)


@functools.cache
def surnames() -> frozenset[str]:
    """Return upper-case family names."""
    found = _census("dist.all.last")
    try:
        from faker.providers.person.en_US import Provider
    except ImportError:  # pragma: no cover - Faker is a declared dependency
        pass
    else:
        found |= {name.upper() for name in Provider.last_names}
    return frozenset(found)
