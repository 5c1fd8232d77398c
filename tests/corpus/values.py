"""Generate synthetic element values and hard-negative values.

Every generator takes a seeded ``random.Random`` so a corpus is reproducible.
Validity rules follow ``reference/pii-rules.md``; the checks the self-test uses
are written again in ``tests/corpus/test_corpus.py`` rather than shared, so a
bug here cannot hide behind the same bug there.
"""

from __future__ import annotations

import base64
import random
import string
import uuid

DIGITS = string.digits
LETTERS = string.ascii_uppercase
# New Washington numbers carry no vowels and no Q or V (WA DOL).
WA_LETTERS = "BCDFGHJKLMNPRSTWXYZ"

# Known fake or misused SSNs (pii-rules § 2): never reported.
ADVERTISING_SSNS = ("078051120", "219099999", "457555462", "123456789")


def digits(rng: random.Random, count: int) -> str:
    """Return ``count`` random digits."""
    return "".join(rng.choice(DIGITS) for _ in range(count))


def letters(rng: random.Random, count: int, alphabet: str = LETTERS) -> str:
    """Return ``count`` random upper-case letters."""
    return "".join(rng.choice(alphabet) for _ in range(count))


# --- SSN and ITIN -----------------------------------------------------------


def ssn(rng: random.Random) -> str:
    """Return 9 digits the SSA could have issued (area 001-899 but 666)."""
    while True:
        area = rng.randint(1, 899)
        group = rng.randint(1, 99)
        serial = rng.randint(1, 9999)
        value = f"{area:03d}{group:02d}{serial:04d}"
        if area != 666 and value not in ADVERTISING_SSNS and len(set(value)) > 1:
            return value


def invalid_ssn(rng: random.Random) -> str:
    """Return an SSN-shaped number the SSA never issues (area 000/666, 00, 0000)."""
    value = ssn(rng)
    kind = rng.choice(("area000", "area666", "group00", "serial0000"))
    if kind == "area000":
        return "000" + value[3:]
    if kind == "area666":
        return "666" + value[3:]
    if kind == "group00":
        return value[:3] + "00" + value[5:]
    return value[:5] + "0000"


ITIN_MIDDLES = (*range(50, 66), *range(70, 89), 90, 91, 92, *range(94, 100))
# 9xx middles that are neither ITIN, ATIN (93) nor IRSN (01-10, 17-19, 28-29, 37-39).
UNASSIGNED_9XX_MIDDLES = (
    *range(11, 17),
    *range(20, 28),
    *range(30, 37),
    *range(40, 50),
)


def itin(rng: random.Random) -> str:
    """Return 9 digits in the IRS ITIN ranges."""
    return f"9{digits(rng, 2)}{rng.choice(ITIN_MIDDLES):02d}{digits(rng, 4)}"


def ssn_900_not_itin(rng: random.Random) -> str:
    """Return a 9xx number whose middle digits are in no IRS range."""
    return f"9{digits(rng, 2)}{rng.choice(UNASSIGNED_9XX_MIDDLES):02d}{digits(rng, 4)}"


def format_ssn(value: str, style: str) -> str:
    """Return 9 digits as ``dashed``, ``spaced``, ``dotted`` or ``bare`` SSN style."""
    if style == "bare":
        return value
    sep = {"dashed": "-", "spaced": " ", "dotted": "."}[style]
    return sep.join((value[:3], value[3:5], value[5:]))


# --- payment cards ----------------------------------------------------------


def luhn_digit(partial: str) -> str:
    """Return the check digit that makes ``partial`` + digit pass Luhn."""
    total = 0
    for index, char in enumerate(reversed(partial)):
        value = int(char)
        if index % 2 == 0:  # doubled once the check digit is appended
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return str((10 - total % 10) % 10)


def _with_luhn(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + digits(rng, length - len(prefix) - 1)
    return body + luhn_digit(body)


CARD_BRANDS: dict[str, float] = {
    "visa16": 0.28,
    "visa19": 0.06,
    "visa13": 0.03,
    "mc51": 0.19,
    "mc2": 0.14,
    "amex": 0.16,
    "discover": 0.14,
}


def card(rng: random.Random, brand: str) -> str:
    """Return a Luhn-valid card number with a real IIN and length for ``brand``."""
    if brand == "visa16":
        return _with_luhn(rng, "4", 16)
    if brand == "visa19":
        return _with_luhn(rng, "4", 19)
    if brand == "visa13":
        return _with_luhn(rng, "4", 13)
    if brand == "mc51":
        return _with_luhn(rng, str(rng.randint(51, 55)), 16)
    if brand == "mc2":
        return _with_luhn(rng, str(rng.randint(2221, 2720)), 16)
    if brand == "amex":
        return _with_luhn(rng, rng.choice(("34", "37")), 15)
    if brand == "discover":
        prefix = rng.choice(("6011", str(rng.randint(644, 649)), "65"))
        return _with_luhn(rng, prefix, 16)
    raise ValueError(brand)


def pick_brand(rng: random.Random) -> str:
    """Return a card brand, weighted roughly like a district's cards."""
    return rng.choices(list(CARD_BRANDS), weights=list(CARD_BRANDS.values()))[0]


def group_card(number: str, sep: str) -> str:
    """Return a card number grouped the way it is printed (Amex 4-6-5)."""
    if not sep:
        return number
    if len(number) == 15:
        parts = [number[:4], number[4:10], number[10:]]
    else:
        parts = [number[i : i + 4] for i in range(0, len(number), 4)]
    return sep.join(parts)


def card_security_code(rng: random.Random, brand: str) -> str:
    """Return a CVV (4 digits on American Express, 3 elsewhere)."""
    return digits(rng, 4 if brand == "amex" else 3)


def card_expiration(rng: random.Random) -> str:
    """Return a month/year expiration as MM/YY or MM/YYYY."""
    month = rng.randint(1, 12)
    year = rng.randint(2024, 2031)
    if rng.random() < 0.7:
        return f"{month:02d}/{year % 100:02d}"
    return f"{month:02d}/{year}"


def luhn_invalid_card(rng: random.Random) -> str:
    """Return a 16-digit Visa/Mastercard-looking number that fails Luhn."""
    valid = card(rng, rng.choice(("visa16", "mc51")))
    last = (int(valid[-1]) + rng.randint(1, 9)) % 10
    return valid[:-1] + str(last)


def luhn_valid_no_iin(rng: random.Random) -> str:
    """Return a Luhn-valid 16-digit number whose prefix no card network uses."""
    return _with_luhn(rng, rng.choice(("7", "9", "0", "85", "86", "87", "88")), 16)


# --- bank -------------------------------------------------------------------

ROUTING_PREFIXES = (*range(13), *range(21, 33), *range(61, 73), 80)


def aba_digit(partial: str) -> str:
    """Return the 9th digit that makes ``partial`` pass the ABA 3-7-1 checksum."""
    weights = (3, 7, 1, 3, 7, 1, 3, 7)
    total = sum(int(d) * w for d, w in zip(partial, weights, strict=True))
    return str((10 - total % 10) % 10)


def routing_number(rng: random.Random) -> str:
    """Return a 9-digit ABA routing number with a valid prefix and checksum."""
    while True:
        partial = f"{rng.choice(ROUTING_PREFIXES):02d}{digits(rng, 6)}"
        value = partial + aba_digit(partial)
        if value != "000000000":
            return value


def _is_card_shaped(number: str) -> bool:
    """Return whether ``number`` would also pass as a payment card."""
    if len(number) < 13:
        return False
    body, check = number[:-1], number[-1]
    if luhn_digit(body) != check:
        return False
    return number[0] in "23456"


def bank_account(rng: random.Random) -> str:
    """Return a 6-17 digit account number, mostly 8-12 digits like real ones.

    Numbers that would also pass as a payment card are redrawn so the label is
    unambiguous.
    """
    while True:
        length = rng.choices(
            (6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17),
            weights=(2, 3, 8, 8, 10, 6, 6, 3, 2, 1, 1, 1),
        )[0]
        value = str(rng.randint(1, 9)) + digits(rng, length - 1)
        if rng.random() < 0.15:
            value = "00" + value[2:]  # leading zeros are common on account numbers
        if not _is_card_shaped(value):
            return value


# --- driver licenses --------------------------------------------------------

# Shapes per state from pii-rules § 7: "#" digit, "?" letter, "@" the surname's
# Soundex letter (its initial), "%" a new Washington character, anything else
# literal (Vermont's trailing "A", Louisiana's leading "0"). Lengths are what real
# licences use, not the extremes of each range.
DL_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "AL": ("Alabama", ("#######", "########")),
    "AK": ("Alaska", ("#######",)),
    "AZ": ("Arizona", ("?########", "#########")),
    "AR": ("Arkansas", ("#########", "########")),
    "CA": ("California", ("?#######",)),
    "CO": ("Colorado", ("#########", "??#####")),
    "CT": ("Connecticut", ("#########",)),
    "DE": ("Delaware", ("#######", "######")),
    "DC": ("District of Columbia", ("#######", "#########")),
    "FL": ("Florida", ("@############",)),
    "GA": ("Georgia", ("#########", "########")),
    "HI": ("Hawaii", ("H########", "#########")),
    "ID": ("Idaho", ("??######?", "#########")),
    "IL": ("Illinois", ("@###########",)),
    "IN": ("Indiana", ("##########", "#########", "?#########")),
    "IA": ("Iowa", ("#########", "###??####")),
    "KS": ("Kansas", ("K########", "#########")),
    "KY": ("Kentucky", ("?########", "#########")),
    "LA": ("Louisiana", ("0########",)),
    "ME": ("Maine", ("#######", "#######?", "########")),
    "MD": ("Maryland", ("@############",)),
    "MA": ("Massachusetts", ("?########", "#########")),
    "MI": ("Michigan", ("@############",)),
    "MN": ("Minnesota", ("@############",)),
    "MS": ("Mississippi", ("#########",)),
    "MO": ("Missouri", ("?#########", "?######", "#########")),
    "MT": ("Montana", ("#############", "#########")),
    "NE": ("Nebraska", ("?########", "?######")),
    "NV": ("Nevada", ("##########", "############")),
    "NH": ("New Hampshire", ("##???#####",)),
    "NJ": ("New Jersey", ("@##############",)),
    "NM": ("New Mexico", ("#########",)),
    "NY": ("New York", ("#########", "?#######")),
    "NC": ("North Carolina", ("############", "########")),
    "ND": ("North Dakota", ("???######",)),
    "OH": ("Ohio", ("??######",)),
    "OK": ("Oklahoma", ("?#########", "#########")),
    "OR": ("Oregon", ("#######", "A######", "B######")),
    "PA": ("Pennsylvania", ("########",)),
    "RI": ("Rhode Island", ("#######", "V######")),
    "SC": ("South Carolina", ("#########", "##########")),
    "SD": ("South Dakota", ("########", "#########")),
    "TN": ("Tennessee", ("#########", "########")),
    "TX": ("Texas", ("########",)),
    "UT": ("Utah", ("#########",)),
    "VT": ("Vermont", ("########", "#######A")),
    "VA": ("Virginia", ("?########", "#########")),
    "WA": ("Washington", ("WDL%%%%%%%%%",)),
    "WV": ("West Virginia", ("#######", "?######")),
    "WI": ("Wisconsin", ("@#############",)),
    "WY": ("Wyoming", ("#########", "##########")),
}


def driver_license(rng: random.Random, state: str, surname: str = "") -> str:
    """Return a licence number in one of ``state``'s shapes."""
    shape = rng.choice(DL_FORMATS[state][1])
    out = []
    for char in shape:
        if char == "#":
            out.append(rng.choice(DIGITS))
        elif char == "?":
            out.append(rng.choice(LETTERS))
        elif char == "@":
            initial = surname[:1].upper()
            out.append(initial if initial.isalpha() else rng.choice(LETTERS))
        elif char == "%":
            out.append(rng.choice(WA_LETTERS + DIGITS))
        else:
            out.append(char)
    value = "".join(out)
    # A numeric licence made only of one repeated digit reads as a placeholder.
    return value if len(set(value)) > 1 else driver_license(rng, state, surname)


# --- hard negatives ---------------------------------------------------------


def phone(rng: random.Random) -> str:
    """Return a 555-01xx phone number in one of the ways people write them."""
    area = rng.choice(("405", "918", "580", "539"))
    line = f"01{rng.randint(0, 99):02d}"
    style = rng.randrange(6)
    if style == 0:
        return f"({area}) 555-{line}"
    if style == 1:
        return f"{area}.555.{line}"
    if style == 2:
        return f"+1 {area} 555 {line}"
    if style == 3:
        return f"{area}-555-{line}"
    if style == 4:
        return f"({area})555-{line}"
    return f"1-{area}-555-{line}"


def zip_plus4(rng: random.Random) -> str:
    """Return an Oklahoma ZIP+4."""
    return f"7{rng.randint(3000, 4999)}-{digits(rng, 4)}"


def date(rng: random.Random) -> str:
    """Return a 2024-2026 date as ISO or US month/day/year."""
    year, month, day = rng.randint(2024, 2026), rng.randint(1, 12), rng.randint(1, 28)
    if rng.random() < 0.5:
        return f"{year}-{month:02d}-{day:02d}"
    return f"{month:02d}/{day:02d}/{year}"


def invoice_number(rng: random.Random) -> str:
    """Return an invoice number like INV-2025-004512."""
    return f"INV-{rng.randint(2023, 2026)}-{rng.randint(1, 99999):06d}"


def purchase_order(rng: random.Random) -> str:
    """Return a 10-digit purchase order number like 4500123456."""
    return f"45{digits(rng, 8)}"


def order_number(rng: random.Random) -> str:
    """Return an online order number like 112-4839201-5561234."""
    return f"1{digits(rng, 2)}-{digits(rng, 7)}-{digits(rng, 7)}"


def asset_tag(rng: random.Random) -> str:
    """Return an asset tag: DG-004512 or A12345678."""
    if rng.random() < 0.5:
        return f"DG-{rng.randint(1, 99999):06d}"
    return f"{rng.choice(LETTERS)}{digits(rng, 8)}"


def serial_number(rng: random.Random) -> str:
    """Return a hardware serial: Apple-like, Dell service tag or HP-like."""
    style = rng.randrange(3)
    alnum = LETTERS + DIGITS
    if style == 0:
        return "C02" + "".join(rng.choice(alnum) for _ in range(9))
    if style == 1:
        return "".join(rng.choice(alnum) for _ in range(7))
    return f"5CD{digits(rng, 4)}{letters(rng, 3)}"


def tracking_number(rng: random.Random) -> str:
    """Return a UPS, FedEx or USPS tracking number."""
    style = rng.randrange(3)
    if style == 0:
        return f"1Z{letters(rng, 3)}{digits(rng, 3)}{digits(rng, 10)}"
    if style == 1:
        return f"7{digits(rng, 11)}"
    body = f"9400{digits(rng, 18)}"
    return " ".join(body[i : i + 4] for i in range(0, len(body), 4))


def uuid_text(rng: random.Random) -> str:
    """Return a random UUID4 in canonical form."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def base64_blob(rng: random.Random) -> str:
    """Return 24-48 random bytes as base64."""
    raw = bytes(rng.getrandbits(8) for _ in range(rng.choice((24, 33, 48))))
    return base64.b64encode(raw).decode("ascii")


def version(rng: random.Random) -> str:
    """Return a version string like v2.14.1."""
    return f"v{rng.randint(1, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"


def bare_nine_digits(rng: random.Random) -> str:
    """Return 9 digits that mean nothing on their own (a reference number)."""
    return str(rng.randint(1, 9)) + digits(rng, 8)


def student_id(rng: random.Random) -> str:
    """Return a 9-digit student ID (district-issued, never statutory by default)."""
    return str(rng.randint(1, 9)) + digits(rng, 8)
