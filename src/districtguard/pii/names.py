"""Name dictionaries: US Census first names and surnames, loaded once.

The lists are public-domain US Census Bureau data (the 1990 name files, shipped
by the ``names`` package), widened with the SSA-derived first and last names in
Faker's ``en_US`` locale, which include names given since 1990. Nothing is
downloaded at run time.
"""

from __future__ import annotations

import functools
import unicodedata
from importlib import resources

# Capitalised words that are first names or surnames in the lists but, in the
# text around an SSN or a card number, are almost always something else.
_STATE_CODES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT "
    "NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
)
STOPWORDS = frozenset(
    f"""
    ACCOUNT ACCT ADDRESS AMOUNT APRIL AUGUST AVE AVENUE BANK BILL BILLING BLVD
    BOARD BROADWAY BUS CARD CARDHOLDER CASE CDL CEDAR CHECK CHECKING CITY CLAIM
    CODE COUNTY CREDIT CREEK CT DATE DEAR DEBIT DECEMBER DEPARTMENT DEPOSIT DESK
    DIRECT DISTRICT DL DR DRIVE DRIVER DRIVERS ELEMENTARY EMPLOYEE EXPRESS
    FEBRUARY FOOD FORM FRIDAY FYI GRADE GUARDIAN HELP HIGH HUMAN IDENTIFICATION
    ISLAND JANUARY JULY JUNE LAKE LAKEVIEW LIBRARY LICENSE LN MAIN MAPLE MARCH
    MIDDLE MONDAY MONITOR MOTION NEW NO NORTH NOTE NOTES NOVEMBER NUMBER OAK
    OCTOBER OFFICE OKLAHOMA PARENT PAYROLL PHONE PINE PLEASE POLICY PRINCIPAL
    PUBLIC RD RECORD REGARDS REGISTRATION REIMBURSEMENT RENEWALS RESOURCES RIDGE
    RIVER ROAD ROUTING SATURDAY SAVINGS SCHOOL SCHOOLS SECURITY SEPTEMBER SERVICE
    SINCERELY SOCIAL SOUTH ST STATE STREET STUDENT SUNDAY SUPERINTENDENT SUPPLY
    SUPPORT TEACHER TECH TECHNOLOGY THANKS THURSDAY TUESDAY UNCLAIMED UNION VALLEY
    VISA WAY WEDNESDAY WEST EAST PKWY PARKWAY HWY HIGHWAY CIR TRL {_STATE_CODES}
    SSN SSNS ITIN EIN TIN DOB PIN CVV CVC EXP ZIP ACCT
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


@functools.cache
def english_words() -> frozenset[str]:
    """Return common English words (upper case), which rare names must not be."""
    try:
        from faker.providers.lorem.en_US import Provider
    except ImportError:  # pragma: no cover - Faker is a declared dependency
        return frozenset()
    return frozenset(word.upper() for word in Provider.word_list)


def fold(name: str) -> str:
    """Return a name as the dictionaries spell it: upper case, no accents or '."""
    if name.isascii():
        return name.replace("'", "").upper()
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.replace("'", "").replace("’", "").upper()
