"""Context keywords: the words that say what a nearby number is.

Lists follow Microsoft Purview's keyword groups (``reference/pii-rules.md``),
trimmed of words that mean something else in a school district ("transaction",
"reference number") and extended with the labels district exports use. Matching is
whole-word and case-insensitive, except the two-letter state codes, which count
only in upper case ("OK", "IN", "OR" are ordinary words in lower case). The
longest keyword at a position wins, so "student id" is a negative label and not
the ID keyword inside it.
"""

from __future__ import annotations

import bisect
import re
from itertools import groupby, product
from typing import Final, NamedTuple

import ahocorasick

from districtguard.pii.elements.driver_license import STATE_SPELLINGS, STATES

SSN: Final = "ssn"
ITIN: Final = "itin"
DL: Final = "dl"
DL_ABBR: Final = "dl_abbr"
STATE: Final = "state"
CARD: Final = "card"
CVV: Final = "cvv"
EXPIRY: Final = "expiry"
BANK: Final = "bank"
ROUTING: Final = "routing"
PASSPORT: Final = "passport"
ACCESS_CODE: Final = "access_code"
NEGATIVE: Final = "negative"

_DRIVER = ("driver", "drivers", "driver's", "driver’s", "driving", "operator's")
_LICENSE = ("license", "licence", "lic", "lic.", "license number", "license no")

WORDS: dict[str, tuple[str, ...]] = {
    SSN: (
        "ssn",
        "ssns",
        "ss#",
        "ss #",
        "ssn#",
        "soc sec",
        "soc. sec.",
        "soc sec #",
        "social security",
        "social security number",
        "social security no",
        "social security #",
        "social sec",
        "ssa number",
        "ss number",
        "ss no",
        "ssno",
        "soc_sec",
        "social_security",
    ),
    ITIN: (
        "itin",
        "i.t.i.n.",
        "itins",
        "individual taxpayer",
        "taxpayer id",
        "taxpayer identification",
        "tax id",
        "taxid",
        "tax identification",
        "tin",
    ),
    DL: (
        *(f"{d} {lic}" for d, lic in product(_DRIVER, _LICENSE)),
        *(f"{d}{lic}" for d, lic in product(("driver", "drivers"), ("license", "lic"))),
        "dl number",
        "dl no",
        "dl #",
        "dl#",
        "dln",
        "cdl",
        "cdl#",
        "cdl number",
        "state id",
        "state id card",
        "state identification",
        "state identification card",
        "identification card",
        "id card",
        "license number",
        "license #",
        "license no",
        "licence number",
        "driver license number",
        "drivers_license",
        "driver_license",
        "dl_number",
    ),
    DL_ABBR: ("dl", "dls", "lic", "lic#", "id", "id#", "id number", "id no"),
    CARD: (
        "credit card",
        "credit cards",
        "debit card",
        "debit cards",
        "card number",
        "card no",
        "card no.",
        "card #",
        "card num",
        "cardnumber",
        "cc#",
        "cc #",
        "ccn",
        "cc number",
        "visa",
        "mastercard",
        "master card",
        "amex",
        "american express",
        "discover card",
        "diners club",
        "jcb",
        "unionpay",
        "cardholder",
        "card holder",
        "payment card",
        "bank card",
        "check card",
        "atm card",
        "purchasing card",
        "p-card",
        "pcard",
        "corporate card",
        "card on file",
        "card",
        "credit",
        "debit",
        "card_number",
        "pan",
    ),
    CVV: (
        "cvv",
        "cvv2",
        "cvc",
        "cvc2",
        "cid",
        "csc",
        "cvn",
        "security code",
        "card verification",
        "verification code",
        "card security code",
        "security number",
        "card code",
    ),
    EXPIRY: (
        "exp",
        "exp.",
        "exp date",
        "expiration",
        "expiration date",
        "expiry",
        "expiry date",
        "expires",
        "valid thru",
        "valid through",
        "good thru",
        "exp_date",
        "expiration_date",
    ),
    BANK: (
        *(
            f"{kind} {label}"
            for kind, label in product(
                ("bank", "checking", "savings", "debit", "deposit"),
                (
                    "account",
                    "account number",
                    "account #",
                    "acct",
                    "acct #",
                    "acct no",
                    "acct number",
                    "account no",
                    "acct. no.",
                ),
            )
        ),
        "account number",
        "account no",
        "account #",
        "acct",
        "acct #",
        "acct no",
        "acct number",
        "acct#",
        "a/c",
        "direct deposit",
        "checking",
        "savings",
        "account",
        "bank_account",
        "account_number",
    ),
    ROUTING: (
        "routing",
        "routing number",
        "routing no",
        "routing #",
        "routing#",
        "aba",
        "aba#",
        "aba number",
        "aba routing",
        "rtn",
        "transit number",
        "routing transit number",
        "bank routing",
        "routing_number",
    ),
    PASSPORT: ("passport", "passport number", "passport no", "passport #"),
    ACCESS_CODE: ("pin", "password", "passcode", "access code", "pin number"),
    NEGATIVE: (
        "phone",
        "telephone",
        "tel",
        "cell",
        "mobile",
        "fax",
        "zip",
        "zip code",
        "postal code",
        "student id",
        "student number",
        "student #",
        "student no",
        "stu id",
        "employee id",
        "employee number",
        "employee #",
        "emp id",
        "staff id",
        "badge",
        "invoice",
        "inv",
        "po",
        "p.o.",
        "purchase order",
        "order",
        "order number",
        "order #",
        "asset",
        "asset tag",
        "tag",
        "serial",
        "serial number",
        "serial no",
        "s/n",
        "tracking",
        "tracking number",
        "case number",
        "ticket",
        "ticket #",
        "ref",
        "reference",
        "confirmation",
        "claim",
        "policy number",
        "model",
        "part number",
        "sku",
        "upc",
        "isbn",
        "lot",
        "check number",
        "check #",
        "receipt",
        "student_id",
        "employee_id",
        "phone_number",
        "lunch pin",
        "lunch number",
        "locker",
        "room",
        "ext",
        "extension",
        "npi",
        "ein",
        "vendor id",
        "vendor number",
        "district id",
        "state student id",
        "ssid",
        "version",
    ),
}


class KeywordHit(NamedTuple):
    """A keyword found in text: where, which group, and (for states) which state."""

    start: int
    end: int
    group: str
    value: str = ""


def _build(codes: bool = False) -> ahocorasick.Automaton:
    """Return the automaton of every keyword, lower case; with ``codes`` the
    two-letter state codes too (the single pass :func:`find_keywords` replaced,
    kept to prove the two passes equal)."""
    automaton = ahocorasick.Automaton()
    entries: dict[str, tuple[str, str, bool]] = {}
    for group, words in WORDS.items():
        for word in words:
            entries.setdefault(word.lower(), (group, "", False))
    for spelling, code in STATE_SPELLINGS.items():
        entries.setdefault(spelling.lower(), (STATE, code, False))
    for code in STATES if codes else ():
        # Upper case only; checked against the original text after matching.
        entries.setdefault(code.lower(), (STATE, code, True))
    for word, (group, value, exact_case) in entries.items():
        automaton.add_word(word, (len(word), group, value, exact_case))
    automaton.make_automaton()
    return automaton


_AUTOMATON: Final = _build()
# The state codes count in capitals only, as whole words ("OK", never "ok" or
# the "or" in "board"). In the automaton they matched inside every other word
# of lower-cased text and each match was turned down in Python: in a table of
# school names that was nine matches in ten. A case-sensitive expression finds
# only the real ones. A code that is also a keyword ("ID") stays a keyword.
# Whole words: no letter or digit (``[^\W_]``, as ``str.isalnum``) before or
# after. The look behind comes after the code, so the search starts from the
# codes' first letters (a lookbehind in front makes it five times slower).
# The codes are grouped by first letter ("A[KLRZ]|C[AOT]|..."): ``re`` tries
# the branches of an alternation one by one, so a branch per letter rather than
# per code costs a third less on dense text.
_CODES = sorted(code for code in STATES if code.lower() not in _AUTOMATON)
_BY_FIRST = [
    f"{first}[{''.join(code[1] for code in codes)}]"
    for first, codes in groupby(_CODES, key=lambda code: code[0])
]
_STATE_CODE: Final = re.compile(
    "(?:" + "|".join(_BY_FIRST) + r")(?<![^\W_]..)(?![^\W_])"
)


_ASCII_LOWER: Final = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
)


def _words(
    automaton: ahocorasick.Automaton, text: str, start: int, end: int
) -> list[KeywordHit]:
    """Return the whole-word hits of ``automaton`` in ``text[start:end]``."""
    window = text[start:end]
    lowered = window.lower()
    if len(lowered) != len(window):  # a few Unicode letters lengthen when lowered
        lowered = window.translate(_ASCII_LOWER)
    hits: list[KeywordHit] = []
    size = len(text)
    for last, (length, group, value, exact_case) in automaton.iter_long(lowered):
        first = start + last - length + 1
        after = start + last + 1
        if first > 0 and text[first - 1].isalnum() and text[first].isalnum():
            continue
        if after < size and text[after].isalnum() and text[after - 1].isalnum():
            continue
        if exact_case and text[first:after] != value:
            continue
        # tuple.__new__: a named tuple's own __new__ is Python code, even compiled.
        hits.append(tuple.__new__(KeywordHit, (first, after, group, value)))
    return hits


def find_keywords(
    text: str, start: int = 0, end: int | None = None
) -> list[KeywordHit]:
    """Return whole-word keyword hits in ``text[start:end]``, leftmost-longest."""
    end = len(text) if end is None else end
    hits = _words(_AUTOMATON, text, start, end)
    # One character past the end, so "OK" at the end is not read as whole
    # when a letter follows it outside the window.
    codes = [
        KeywordHit(match.start(), match.end(), STATE, match.group())
        for match in _STATE_CODE.finditer(text, start, min(end + 1, len(text)))
        if match.end() <= end
    ]
    if not codes:
        return hits
    # A code inside a keyword ("PA." for Pennsylvania) is no hit of its own.
    starts = [hit.start for hit in hits]
    for code in codes:
        index = bisect.bisect_left(starts, code.end) - 1
        if index < 0 or hits[index].end <= code.start:
            hits.append(code)
    hits.sort()  # two sorted runs: one merge
    return hits


class KeywordIndex:
    """Keyword hits of one text, sorted, for proximity questions."""

    def __init__(self, hits: list[KeywordHit]) -> None:
        self.hits = hits
        self._starts = [hit.start for hit in hits]

    def between(self, low: int, high: int) -> list[KeywordHit]:
        """Return the hits that lie entirely inside ``[low, high)``."""
        starts = self._starts
        first = bisect.bisect_left(starts, low)
        last = bisect.bisect_left(starts, high, first)
        return [hit for hit in self.hits[first:last] if hit.end <= high]
