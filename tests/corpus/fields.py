"""Render a record template, recording where each value lands.

A template is plain text with ``{field}`` slots (``{name}``, ``{ssn_kw}``,
``{ssn}``, ...). A digit suffix makes a second instance (``{name2}``,
``{dl2}`` with ``{state2}``); fields of one instance share their context, so
``{dl}`` is in the shape of ``{state}`` and ``{cvv}`` fits the brand of
``{card}``. ``<<text|kind>>`` marks literal text as a hard negative of ``kind``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from faker import Faker

from tests.corpus import values
from tests.corpus.labels import Label, Negative

FIELD = re.compile(r"\{([a-z_]+?)(\d*)\}|<<([^|>]+)\|([a-z_]+)>>")

SSN_KEYWORDS = (
    "SSN:",
    "SSN",
    "SSN#",
    "SSN #",
    "Social Security No.",
    "Social Security Number:",
    "social security number",
    "social security #",
    "SS#",
    "soc sec",
    "Soc Sec #",
)
ITIN_KEYWORDS = (
    "ITIN:",
    "ITIN",
    "ITIN #",
    "Individual Taxpayer Identification Number",
    "taxpayer ID",
    "tax ID (ITIN)",
    "Tax ID:",
)
DL_KEYWORDS = (
    "DL#",
    "DL",
    "DL #",
    "Driver's License No.",
    "driver's license",
    "driver license",
    "Drivers License #",
    "driver license number",
    "CDL",
    "CDL#",
    "state ID",
    "ID card",
    "identification card",
)
CARD_KEYWORDS = (
    "card number",
    "Card number:",
    "credit card",
    "card #",
    "CC#",
    "card no.",
    "debit card",
)
BRAND_KEYWORDS = {
    "visa16": "Visa",
    "visa19": "Visa",
    "visa13": "Visa",
    "mc51": "Mastercard",
    "mc2": "Mastercard",
    "amex": "Amex",
    "discover": "Discover card",
}
CVV_KEYWORDS = ("CVV", "CVV:", "CVV2", "CVC", "security code", "security code:", "CID")
EXP_KEYWORDS = ("exp", "exp.", "Exp:", "expires", "expiration", "Exp Date:", "exp date")
ACCOUNT_KEYWORDS = (
    "checking account",
    "checking account number",
    "Checking Account #",
    "checking acct #",
    "savings account",
    "Savings Acct No.",
    "bank account number",
    "Bank Account #",
    "bank acct #",
    "Checking Acct No.",
)
ROUTING_KEYWORDS = (
    "routing number",
    "Routing Number:",
    "routing #",
    "Routing#",
    "routing no.",
    "ABA",
    "ABA #",
    "RTN",
    "ABA routing number",
)
# Abbreviations that are also words or keywords are written out in full.
SPELLED_OUT_STATES = frozenset({"ID", "IN", "OR", "ME", "HI"})

POSITIONS = (
    "3rd grade teacher",
    "bus driver",
    "custodian",
    "paraprofessional",
    "cafeteria manager",
    "IT technician",
    "substitute teacher",
    "school nurse",
    "band director",
    "payroll clerk",
)
BANKS = (
    "Prairie Federal Credit Union",
    "Red Dirt Community Bank",
    "Sooner State Bank",
    "Cimarron Valley Credit Union",
    "Redbud National Bank",
)
VENDORS = (
    "Prairie Bus Parts",
    "Red River Office Supply",
    "Summit Network Services",
    "Blue Stem Food Service",
    "Redbud Printing",
    "Mesa Learning Systems",
)
BUILDINGS = (
    "Northside Elementary",
    "Prairie View Middle School",
    "Central High School",
    "Eastwood Elementary",
    "Cedar Ridge Elementary",
    "the Administration Building",
    # Oklahoma schools are often named for people; these are not person names.
    "Will Rogers Elementary",
    "Jefferson Middle School",
    "Roosevelt Elementary",
)
STREETS = (
    "Main St",
    "Oak Ave",
    "Elm St",
    "Cedar Ln",
    "Walnut Dr",
    "Broadway",
    "NW 23rd St",
    "Pine Ridge Rd",
    "Maple Ct",
    "Lakeview Blvd",
    "Robinson St",
    "Lindsey St",
    "Will Rogers Pkwy",
)
CITIES = (
    "Tulsa",
    "Lawton",
    "Enid",
    "Stillwater",
    "Ada",
    "Shawnee",
    "Ardmore",
    "Muskogee",
    "Owasso",
    "Yukon",
    "Mustang",
    "Durant",
    "Broken Arrow",
    "Oklahoma City",
    # The largest districts' towns, though they are also people's names.
    "Norman",
    "Moore",
    "Edmond",
    "Duncan",
    "Guthrie",
    "Bethany",
    "McAlester",
    "Tahlequah",
    "Claremore",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
CAPS_WORDS = ("INTRODUCTORY", "INTERVENTION", "ATTENDANCE", "IMMUNIZATION", "URGENT")


@dataclass(frozen=True)
class Piece:
    """A run of rendered text and, if it is one, the element or decoy it holds."""

    text: str
    element: str | None = None
    negative: str | None = None


@dataclass(frozen=True)
class Person:
    """A synthetic person."""

    first: str
    middle: str
    last: str


# Names an Oklahoma district's records hold that Faker's en_US lists lack. Given
# names popular for US births 2005-2020 (SSA rankings): today's students.
MODERN_FIRST_NAMES = (
    "Jayden",
    "Aiden",
    "Brayden",
    "Kayden",
    "Jaxon",
    "Grayson",
    "Easton",
    "Bentley",
    "Brantley",
    "Ryker",
    "Maverick",
    "Jace",
    "Paxton",
    "Waylon",
    "Bryson",
    "Braxton",
    "Liam",
    "Nevaeh",
    "Paisley",
    "Kinsley",
    "Aaliyah",
    "Harper",
    "Aubrey",
    "Addison",
    "Brynlee",
    "Oaklynn",
    "Raelynn",
    "Kaylee",
    "Zoey",
    "Avery",
    "Skylar",
    "Peyton",
)
# Surnames common in Oklahoma (tribal nations, the Vietnamese community of
# Oklahoma City) and surname shapes: hyphenated, O' and Mc, several words.
REGIONAL_SURNAMES = (
    "Harjo",
    "Bearpaw",
    "Sixkiller",
    "Fourkiller",
    "Chuculate",
    "Fixico",
    "Yahola",
    "Chupco",
    "Tsatoke",
    "Ketcher",
    "Tahdooahnippah",
    "Poafpybitty",
    "Nguyen",
    "Tran",
    "Pham",
    "Le",
    "Vu",
    "Garcia-Lopez",
    "Smith-Harjo",
    "O'Brien",
    "O'Neal",
    "McIntosh",
    "De La Cruz",
    "De Leon",
)
# Written with accents, as many records keep them.
ACCENTED_NAMES = (
    ("José", "Hernández"),
    ("María", "López"),
    ("Jesús", "Ramírez"),
    ("Sofía", "Martínez"),
    ("Andrés", "Peña"),
    ("Inés", "Muñoz"),
)


class NamePool:
    """Hand out synthetic people, mostly from Faker en_US.

    About one in nine has a surname or spelling Faker's lists lack (see
    ``REGIONAL_SURNAMES`` and ``ACCENTED_NAMES``), and half of all students have
    a given name popular since 2005, because that is who a district's records
    name.
    """

    def __init__(self, seed: int, avoid: Iterable[str]) -> None:
        self._fake = Faker("en_US")
        self._fake.seed_instance(seed)
        self._random = self._fake.random
        self._avoid = {word.lower() for word in avoid}

    def _usable(self, name: str) -> bool:
        return name.isascii() and name.isalpha() and name.lower() not in self._avoid

    def person(self, student: bool = False) -> Person:
        """Return a new person whose names are not words used in the templates."""
        middle = self._fake.random_uppercase_letter()
        roll = self._random.random()
        if roll < 0.03:
            first, last = self._random.choice(ACCENTED_NAMES)
            return Person(first, middle, last)
        while True:
            first, last = self._fake.first_name(), self._fake.last_name()
            if self._usable(first) and self._usable(last) and first != last:
                break
        if student and self._random.random() < 0.5:
            first = self._random.choice(MODERN_FIRST_NAMES)
        if roll > 0.92:
            last = self._random.choice(REGIONAL_SURNAMES)
        return Person(first, middle, last)


def write_name(rng: random.Random, person: Person) -> str:
    """Return the person's name in one of the ways records write it."""
    first, middle, last = person.first, person.middle, person.last
    style = rng.choices(range(7), weights=(34, 14, 12, 13, 8, 10, 9))[0]
    if style == 0:
        return f"{first} {last}"
    if style == 1:
        return f"{first} {middle}. {last}"
    if style == 2:
        return f"{first[0]}. {last}"
    if style == 3:
        return f"{last}, {first}"
    if style == 4:
        return f"{last}, {first}".upper()
    if style == 5:
        return f"{first} {last}".upper()
    return f"{first} {middle}. {last}".upper()


@dataclass
class _Instance:
    person: Person | None = None
    state: str | None = None
    brand: str | None = None
    pieces: dict[str, list[Piece]] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    """A rendered record: its text, labels and decoys, offsets from its start."""

    text: str
    labels: tuple[Label, ...]
    negatives: tuple[Negative, ...]


class Fields:
    """Resolve the fields of one record."""

    def __init__(self, rng: random.Random, names: NamePool) -> None:
        self.rng = rng
        self.names = names
        self._instances: dict[str, _Instance] = {}
        self._resolvers: dict[str, Callable[[_Instance], list[Piece]]] = {
            name.removeprefix("_f_"): getattr(self, name)
            for name in dir(self)
            if name.startswith("_f_")
        }

    def render(self, template: str) -> Rendered:
        """Return ``template`` with every field filled in."""
        parts: list[Piece] = []
        position = 0
        for match in FIELD.finditer(template):
            parts.append(Piece(template[position : match.start()]))
            if match.group(3) is not None:
                parts.append(Piece(match.group(3), negative=match.group(4)))
            else:
                parts.extend(self.resolve(match.group(1), match.group(2)))
            position = match.end()
        parts.append(Piece(template[position:]))
        text: list[str] = []
        labels: list[Label] = []
        negatives: list[Negative] = []
        offset = 0
        for piece in parts:
            end = offset + len(piece.text)
            if piece.element is not None:
                labels.append(Label(offset, end, piece.element))
            if piece.negative is not None:
                negatives.append(Negative(offset, end, piece.negative))
            text.append(piece.text)
            offset = end
        return Rendered("".join(text), tuple(labels), tuple(negatives))

    def resolve(self, base: str, instance: str) -> list[Piece]:
        """Return the pieces of field ``base`` for ``instance`` (cached)."""
        context = self._instances.setdefault(instance, _Instance())
        if base not in context.pieces:
            try:
                resolver = self._resolvers[base]
            except KeyError:
                raise KeyError(f"unknown template field {base!r}") from None
            context.pieces[base] = resolver(context)
        return context.pieces[base]

    # --- context shared by an instance's fields ------------------------------

    def _person(self, context: _Instance) -> Person:
        if context.person is None:
            context.person = self.names.person()
        return context.person

    def _state(self, context: _Instance) -> str:
        if context.state is None:
            if self.rng.random() < 0.4:
                context.state = "OK"
            else:
                context.state = self.rng.choice(sorted(set(values.DL_FORMATS) - {"OK"}))
        return context.state

    def _brand(self, context: _Instance) -> str:
        if context.brand is None:
            context.brand = values.pick_brand(self.rng)
        return context.brand

    def _one(self, options: tuple[str, ...]) -> list[Piece]:
        return [Piece(self.rng.choice(options))]

    # --- labelled elements ---------------------------------------------------

    def _f_name(self, context: _Instance) -> list[Piece]:
        return [Piece(write_name(self.rng, self._person(context)), "PERSON_NAME")]

    def _f_student(self, context: _Instance) -> list[Piece]:
        person = self.names.person(student=True)
        return [Piece(write_name(self.rng, person), "PERSON_NAME")]

    def _f_ssn(self, context: _Instance) -> list[Piece]:
        style = self.rng.choices(("dashed", "spaced", "bare", "dotted"), (6, 2, 3, 1))
        return [Piece(values.format_ssn(values.ssn(self.rng), style[0]), "SSN")]

    def _f_itin(self, context: _Instance) -> list[Piece]:
        style = self.rng.choices(("dashed", "spaced", "bare"), (6, 2, 2))[0]
        text = values.format_ssn(values.itin(self.rng), style)
        return [Piece(text, "GOVERNMENT_ID")]

    def _f_dl(self, context: _Instance) -> list[Piece]:
        surname = context.person.last if context.person else ""
        number = values.driver_license(self.rng, self._state(context), surname)
        return [Piece(number, "DRIVER_LICENSE")]

    def _f_card(self, context: _Instance) -> list[Piece]:
        number = values.card(self.rng, self._brand(context))
        sep = self.rng.choice(("", " ", "-"))
        return [Piece(values.group_card(number, sep), "PAYMENT_CARD")]

    def _f_cvv(self, context: _Instance) -> list[Piece]:
        code = values.card_security_code(self.rng, self._brand(context))
        return [Piece(code, "CARD_SECURITY_CODE")]

    def _f_exp(self, context: _Instance) -> list[Piece]:
        return [Piece(values.card_expiration(self.rng), "CARD_EXPIRATION")]

    def _f_acct(self, context: _Instance) -> list[Piece]:
        return [Piece(values.bank_account(self.rng), "BANK_ACCOUNT")]

    def _f_rtn(self, context: _Instance) -> list[Piece]:
        return [Piece(values.routing_number(self.rng), "ROUTING_NUMBER")]

    # --- keywords and context ------------------------------------------------

    def _f_ssn_kw(self, context: _Instance) -> list[Piece]:
        return self._one(SSN_KEYWORDS)

    def _f_itin_kw(self, context: _Instance) -> list[Piece]:
        return self._one(ITIN_KEYWORDS)

    def _f_dl_kw(self, context: _Instance) -> list[Piece]:
        return self._one(DL_KEYWORDS)

    def _f_state(self, context: _Instance) -> list[Piece]:
        state = self._state(context)
        if state in SPELLED_OUT_STATES or self.rng.random() < 0.5:
            return [Piece(values.DL_FORMATS[state][0])]
        return [Piece(state)]

    def _f_card_kw(self, context: _Instance) -> list[Piece]:
        brand = BRAND_KEYWORDS[self._brand(context)]
        return self._one((*CARD_KEYWORDS, brand, brand, f"{brand} card number"))

    def _f_cvv_kw(self, context: _Instance) -> list[Piece]:
        return self._one(CVV_KEYWORDS)

    def _f_exp_kw(self, context: _Instance) -> list[Piece]:
        return self._one(EXP_KEYWORDS)

    def _f_acct_kw(self, context: _Instance) -> list[Piece]:
        return self._one(ACCOUNT_KEYWORDS)

    def _f_rtn_kw(self, context: _Instance) -> list[Piece]:
        return self._one(ROUTING_KEYWORDS)

    def _f_position(self, context: _Instance) -> list[Piece]:
        return self._one(POSITIONS)

    def _f_bank(self, context: _Instance) -> list[Piece]:
        return self._one(BANKS)

    def _f_vendor(self, context: _Instance) -> list[Piece]:
        return self._one(VENDORS)

    def _f_building(self, context: _Instance) -> list[Piece]:
        return self._one(BUILDINGS)

    def _f_month(self, context: _Instance) -> list[Piece]:
        return self._one(MONTHS)

    def _f_grade(self, context: _Instance) -> list[Piece]:
        return self._one(("K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"))

    def _f_count(self, context: _Instance) -> list[Piece]:
        return [Piece(str(self.rng.randint(2, 480)))]

    def _f_route(self, context: _Instance) -> list[Piece]:
        return [Piece(str(self.rng.randint(1, 42)))]

    def _f_bus(self, context: _Instance) -> list[Piece]:
        return [Piece(f"#{self.rng.randint(1, 60)}")]

    def _f_nn(self, context: _Instance) -> list[Piece]:
        return [Piece(f"{self.rng.randint(1, 40):02d}")]

    def _f_ticket(self, context: _Instance) -> list[Piece]:
        return [Piece(str(self.rng.randint(1000, 99999)), negative="ticket_number")]

    def _f_cert(self, context: _Instance) -> list[Piece]:
        return [Piece(f"CT-{values.digits(self.rng, 6)}", negative="certificate")]

    # --- hard negatives ------------------------------------------------------

    def _f_address(self, context: _Instance) -> list[Piece]:
        street = f"{self.rng.randint(100, 9999)} {self.rng.choice(STREETS)}"
        city = self.rng.choice(CITIES)
        if self.rng.random() < 0.7:
            zip_piece = Piece(values.zip_plus4(self.rng), negative="zip_plus4")
        else:
            zip_piece = Piece(f"7{self.rng.randint(3000, 4999)}", negative="zip")
        return [Piece(f"{street}, {city}, OK "), zip_piece]

    def _f_phone(self, context: _Instance) -> list[Piece]:
        return [Piece(values.phone(self.rng), negative="phone")]

    def _f_date(self, context: _Instance) -> list[Piece]:
        return [Piece(values.date(self.rng), negative="date")]

    def _f_zip_plus_four(self, context: _Instance) -> list[Piece]:
        return [Piece(values.zip_plus4(self.rng), negative="zip_plus4")]

    def _f_student_id(self, context: _Instance) -> list[Piece]:
        return [Piece(values.student_id(self.rng), negative="student_id")]

    def _f_employee_id(self, context: _Instance) -> list[Piece]:
        return [Piece(f"{self.rng.randint(1, 99999):06d}", negative="employee_id")]

    def _f_invoice(self, context: _Instance) -> list[Piece]:
        return [Piece(values.invoice_number(self.rng), negative="invoice_number")]

    def _f_po(self, context: _Instance) -> list[Piece]:
        return [Piece(values.purchase_order(self.rng), negative="purchase_order")]

    def _f_order_no(self, context: _Instance) -> list[Piece]:
        return [Piece(values.order_number(self.rng), negative="order_number")]

    def _f_tracking(self, context: _Instance) -> list[Piece]:
        return [Piece(values.tracking_number(self.rng), negative="tracking_number")]

    def _f_asset_tag(self, context: _Instance) -> list[Piece]:
        return [Piece(values.asset_tag(self.rng), negative="asset_tag")]

    def _f_serial(self, context: _Instance) -> list[Piece]:
        return [Piece(values.serial_number(self.rng), negative="serial_number")]

    def _f_uuid(self, context: _Instance) -> list[Piece]:
        return [Piece(values.uuid_text(self.rng), negative="uuid")]

    def _f_blob(self, context: _Instance) -> list[Piece]:
        return [Piece(values.base64_blob(self.rng), negative="base64")]

    def _f_version(self, context: _Instance) -> list[Piece]:
        return [Piece(values.version(self.rng), negative="version")]

    def _f_caps(self, context: _Instance) -> list[Piece]:
        return [Piece(self.rng.choice(CAPS_WORDS), negative="all_caps_word")]

    def _f_bare_nine(self, context: _Instance) -> list[Piece]:
        return [Piece(values.bare_nine_digits(self.rng), negative="bare_nine_digits")]

    def _f_bad_luhn(self, context: _Instance) -> list[Piece]:
        sep = self.rng.choice(("", " ", "-"))
        number = values.group_card(values.luhn_invalid_card(self.rng), sep)
        return [Piece(number, negative="luhn_invalid_card")]

    def _f_luhn_no_iin(self, context: _Instance) -> list[Piece]:
        number = values.luhn_valid_no_iin(self.rng)
        sep = self.rng.choice(("", " "))
        return [Piece(values.group_card(number, sep), negative="luhn_valid_no_iin")]

    def _f_invalid_ssn(self, context: _Instance) -> list[Piece]:
        text = values.format_ssn(values.invalid_ssn(self.rng), "dashed")
        return [Piece(text, negative="invalid_ssn")]

    def _f_ssn_ninehundred(self, context: _Instance) -> list[Piece]:
        style = self.rng.choice(("dashed", "bare"))
        text = values.format_ssn(values.ssn_900_not_itin(self.rng), style)
        return [Piece(text, negative="ssn_900_not_itin")]

    def _f_ad_ssn(self, context: _Instance) -> list[Piece]:
        text = values.format_ssn(self.rng.choice(values.ADVERTISING_SSNS), "dashed")
        return [Piece(text, negative="advertising_ssn")]
