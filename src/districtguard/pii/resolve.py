"""Decide what a candidate is: validators first, then the labels around it.

A self-validating shape (a dashed SSN, a Luhn-valid card with a known issuer)
stands on its own and keywords only raise its confidence. A bare digit run could
be many things, so it becomes whatever its nearest label says — SSN, licence,
routing or account number — and nothing at all when the nearest label is a
negative one ("student id", "phone", "invoice") or there is no label.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from districtguard.pii import keywords as kw
from districtguard.pii.candidates import Candidate
from districtguard.pii.context import Label, UnitContext
from districtguard.pii.elements import Element
from districtguard.pii.elements import driver_license as dl
from districtguard.pii.elements.bank_account import account_plausible
from districtguard.pii.elements.government_id import passport_plausible
from districtguard.pii.elements.payment_card import classify_card
from districtguard.pii.elements.routing_number import routing_valid
from districtguard.pii.elements.ssn import (
    SsnVerdict,
    assigned_before_2011,
    classify_ssn,
)
from districtguard.pii.options import DetectOptions

_SEPARATORS: Final = str.maketrans("", "", " -.")
NONE: Final = 1 << 30  # the distance of a label that is not there
NEAR: Final = 60  # a label this close is unmistakably about the value


class Verdict(NamedTuple):
    """What a candidate was judged to be (no raw value is kept beyond this)."""

    element: Element
    kind: str
    confidence: float
    normalised: str


def _verdict(
    element: Element, kind: str, confidence: float, normalised: str
) -> Verdict:
    # A named tuple's own ``__new__`` is Python code, even in the compiled
    # build: ``tuple.__new__`` makes the same tuple in C.
    return tuple.__new__(Verdict, (element, kind, confidence, normalised))


def _distance(labels: dict[str, Label], *groups: str) -> int:
    best = NONE
    for group in groups:
        label = labels.get(group)
        if label is not None and label.distance < best:
            best = label.distance
    return best


def _beaten_by_negative(labels: dict[str, Label], distance: int) -> bool:
    return _distance(labels, kw.NEGATIVE) < distance


def _ssn(
    digits: str,
    labels: dict[str, Label],
    formatted: bool,
    verdict: SsnVerdict | None = None,
) -> Verdict | None:
    """Return the SSN or ITIN reading of nine digits (``verdict``: their
    :func:`classify_ssn`, when the caller has it)."""
    verdict = classify_ssn(digits) if verdict is None else verdict
    label = _distance(labels, kw.SSN)
    if verdict is SsnVerdict.ITIN:
        label = _distance(labels, kw.ITIN, kw.SSN)
        if label == NONE or _beaten_by_negative(labels, label):
            return None
        confidence = 0.85 if formatted else 0.75
        return _verdict(Element.GOVERNMENT_ID, "itin", confidence, digits)
    if verdict is not SsnVerdict.SSN:
        return None
    if _beaten_by_negative(labels, label):
        return None
    early = assigned_before_2011(digits)
    if label == NONE:
        if not formatted:
            return None
        return _verdict(Element.SSN, "ssn", 0.65 if early else 0.6, digits)
    if formatted:
        return _verdict(Element.SSN, "ssn", 0.85, digits)
    return _verdict(Element.SSN, "ssn", 0.75 if early else 0.7, digits)


def _license(
    token: str, labels: dict[str, Label], options: DetectOptions
) -> Verdict | None:
    normalised = dl.normalise_license(token)
    states = dl.states_matching(normalised)
    if not states:
        return None
    full = kw.DL in labels
    state_label = labels.get(kw.STATE)
    named = state_label.values if state_label is not None else ()
    if not named and not any(ch.isdigit() for ch in normalised):
        return None  # all letters (New York's old form) only with the state named
    fitting = [code for code in named if code in states]
    if fitting:
        state = fitting[0]
        confidence = 0.85 if full else 0.75
    elif named:
        return None  # the states named nearby issue no number of this shape
    elif options.home_state in states:
        state = options.home_state or ""
        confidence = 0.7 if full else 0.6
    elif not (normalised.isascii() and normalised.isdigit()):
        # is_digits_only_format(state, normalised) for a state of ``states``:
        # the states it fits are known already.
        state = "" if len(states) > 1 else next(iter(states))
        confidence = 0.65 if full else 0.55
    else:
        return None
    if dl.is_bogus_license(normalised):  # last: most numbers are out before it
        return None
    kind = f"dl:{state}" if state else "dl"
    return _verdict(Element.DRIVER_LICENSE, kind, confidence, normalised)


def _options_for_digits(
    digits: str, labels: dict[str, Label], ctx: UnitContext, options: DetectOptions
) -> list[tuple[int, Verdict]]:
    """Return (label distance, verdict) for every reading a bare digit run has."""
    found: list[tuple[int, Verdict]] = []
    if len(digits) == 9 or (
        len(digits) in (7, 8) and labels.get(kw.SSN) == Label(0, "")
    ):
        padded = digits.zfill(9)  # numeric SSN columns lose leading zeros
        verdict = _ssn(padded, labels, formatted=False)
        if verdict is not None:
            found.append((_distance(labels, kw.SSN, kw.ITIN), verdict))
    if len(digits) == 9 and routing_valid(digits) and kw.ROUTING in labels:
        found.append(
            (
                labels[kw.ROUTING].distance,
                _verdict(
                    Element.ROUTING_NUMBER,
                    "aba",
                    0.85 if labels[kw.ROUTING].distance <= NEAR else 0.75,
                    digits,
                ),
            )
        )
    if kw.BANK in labels and account_plausible(digits):
        found.append(
            (
                labels[kw.BANK].distance,
                _verdict(Element.BANK_ACCOUNT, "account", 0.75, digits),
            )
        )
    return found + _identity_documents(digits, labels, options)


def _identity_documents(
    token: str, labels: dict[str, Label], options: DetectOptions
) -> list[tuple[int, Verdict]]:
    """Return the licence and passport readings of a labelled token."""
    found: list[tuple[int, Verdict]] = []
    if kw.DL in labels or kw.DL_ABBR in labels:
        verdict = _license(token, labels, options)
        if verdict is not None:
            found.append((_distance(labels, kw.DL, kw.DL_ABBR), verdict))
    if kw.PASSPORT in labels and passport_plausible(token):
        verdict = _verdict(Element.GOVERNMENT_ID, "passport", 0.75, token)
        found.append((labels[kw.PASSPORT].distance, verdict))
    return found


def _custom_ids(
    token: str, start: int, ctx: UnitContext, options: DetectOptions
) -> list[tuple[int, Verdict]]:
    found: list[tuple[int, Verdict]] = []
    if not options.government_ids:
        return found
    cell = ctx.cell_at(start)
    header = ""
    if cell is not None and cell.column < len(ctx.unit.columns):
        header = ctx.unit.columns[cell.column].header.lower()
    before = ctx.text[max(0, start - 40) : start].lower()
    for declared in options.government_ids:
        if not declared.compiled().match(token):
            continue
        words = [word.lower() for word in declared.keywords]
        if any(word in header for word in words):
            verdict = _verdict(Element.GOVERNMENT_ID, declared.name, 0.75, token)
            found.append((0, verdict))
            continue
        ends = [before.rfind(word) + len(word) for word in words if word in before]
        if ends:
            verdict = _verdict(Element.GOVERNMENT_ID, declared.name, 0.7, token)
            found.append((len(before) - max(ends), verdict))
    return found


# The keyword groups that name an element, for column headers that do.
_GROUPS: dict[Element, frozenset[str]] = {
    Element.SSN: frozenset({kw.SSN}),
    Element.GOVERNMENT_ID: frozenset({kw.ITIN, kw.SSN, kw.PASSPORT}),
    Element.DRIVER_LICENSE: frozenset({kw.DL, kw.DL_ABBR}),
    Element.PAYMENT_CARD: frozenset({kw.CARD}),
    Element.BANK_ACCOUNT: frozenset({kw.BANK}),
    Element.ROUTING_NUMBER: frozenset({kw.ROUTING}),
}
_ELEMENT_GROUPS: Final = frozenset().union(*_GROUPS.values())


def _as_the_column_says(
    ctx: UnitContext, candidate: Candidate, choices: list[tuple[int, Verdict]]
) -> list[tuple[int, Verdict]]:
    """Keep only the readings a column header allows: an ``ssn`` column holds SSNs.

    An invalid SSN in an SSN column is a data-quality problem, not a licence or
    an account number because a licence keyword appears elsewhere in the row.
    """
    if not choices or not ctx.has_cells:
        return choices
    column = ctx.hints_at(candidate.start) & _ELEMENT_GROUPS
    if not column:
        return choices
    return [c for c in choices if _GROUPS[c[1].element] & column]


# The keyword groups without which each kind of candidate has no reading. A
# table's identifier column ("student_id") makes every row a candidate that no
# label can turn into anything; looking around each one for labels cost more
# than reading the table. The unit's groups (its keywords and its columns'
# hints) are every group a label can come from, so a candidate whose readings
# all need a group the unit lacks is set aside before its labels are looked
# for, with the answer the labels would have given.
_DIGIT_GROUPS: Final = frozenset(
    {kw.SSN, kw.ITIN, kw.ROUTING, kw.BANK, kw.DL, kw.DL_ABBR, kw.PASSPORT}
)
_DOCUMENT_GROUPS: Final = frozenset({kw.DL, kw.DL_ABBR, kw.PASSPORT})
_ITIN_GROUPS: Final = frozenset({kw.ITIN, kw.SSN})
_UNSEPARATED: Final = ("digits", "alnum")  # shapes of no space, dash or dot


def resolve(
    candidate: Candidate, ctx: UnitContext, record: int, options: DetectOptions
) -> Verdict | None:
    """Return what ``candidate`` is, or ``None`` when it is no element.

    Each validator runs before the labels are looked for, and once.
    """
    shape, token = candidate.shape, candidate.text
    # Digit runs and letter-digit tokens hold no separator to take out.
    digits = token if shape in _UNSEPARATED else token.translate(_SEPARATORS)
    groups = ctx.groups
    if shape == "ssn":
        kind = classify_ssn(digits)
        if kind is SsnVerdict.SSN or (
            kind is SsnVerdict.ITIN and not groups.isdisjoint(_ITIN_GROUPS)
        ):
            labels = ctx.labels(candidate.start, candidate.end, record)
            return _ssn(digits, labels, formatted=True, verdict=kind)
        return None
    if shape == "aba":
        if kw.ROUTING in groups and routing_valid(digits):
            labels = ctx.labels(candidate.start, candidate.end, record)
            if kw.ROUTING in labels:
                return _verdict(Element.ROUTING_NUMBER, "aba", 0.85, digits)
        return None
    brand = classify_card(digits) if shape in ("card", "digits") else None
    if brand is None and not options.government_ids:
        if shape in ("digits", "spaced"):
            needed = _DIGIT_GROUPS
        elif shape in ("alnum", "license"):
            needed = _DOCUMENT_GROUPS
        else:
            needed = frozenset()  # a card shape that is no card: nothing
        if groups.isdisjoint(needed):
            return None
    labels = ctx.labels(candidate.start, candidate.end, record)
    choices: list[tuple[int, Verdict]] = []
    if brand is not None:
        card_label = _distance(labels, kw.CARD, kw.CVV, kw.EXPIRY)
        confidence = 0.85 if card_label != NONE else 0.65
        choices.append(
            (card_label, _verdict(Element.PAYMENT_CARD, brand, confidence, digits))
        )
    if shape in ("digits", "spaced"):
        choices.extend(_options_for_digits(digits, labels, ctx, options))
    if shape in ("alnum", "license"):
        choices.extend(_identity_documents(token, labels, options))
    choices = _as_the_column_says(ctx, candidate, choices)
    if options.government_ids:
        choices.extend(_custom_ids(token, candidate.start, ctx, options))
    if not choices:
        return None
    if len(choices) == 1:
        distance, verdict = choices[0]
    else:
        distance, verdict = min(choices, key=lambda choice: choice[0])
    if distance == NONE:
        # Only a card stands without a label; a negative label nearby sinks it.
        if _distance(labels, kw.NEGATIVE) <= NEAR:
            return None
        return verdict
    if _beaten_by_negative(labels, distance):
        return None
    return verdict
