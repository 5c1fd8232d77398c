"""Generate a labelled CSV table: a district export with a notes column.

The CSV is written by hand (``,`` separators, ``\\n`` line ends, no cell ever
needs quoting) so every label's offsets are known. Which optional columns appear
is seeded. A name split over adjacent first/last columns is one label spanning
both cells, so a detector may report either cell or both.
"""

from __future__ import annotations

import random

from tests.corpus import fields, values
from tests.corpus.builder import PERSON_NAME, TextBuilder, template_words
from tests.corpus.fields import Fields, NamePool, Piece
from tests.corpus.labels import Label, LabelledText, Negative

# Optional column blocks and how often a corpus includes each.
OPTIONAL_BLOCKS: dict[tuple[str, ...], float] = {
    ("employee_id",): 0.5,
    ("ssn",): 0.9,
    ("student_id",): 0.8,
    ("phone",): 0.7,
    ("zip",): 0.6,
    ("dl_number", "dl_state"): 0.75,
    ("card_number", "cvv", "exp"): 0.6,
    ("bank_account", "routing_number"): 0.75,
}

ELEMENT_NOTES = (
    "{ssn_kw} {ssn} verified {date}",
    "{itin_kw} {itin} on W-9",
    "{state} {dl_kw} {dl} on file",
    "second deposit to {acct_kw} {acct} {rtn_kw} {rtn}",
    "{card_kw} {card} {exp_kw} {exp} for field trip fees",
    "{card_kw} {card} {cvv_kw} {cvv}",
)
DECOY_NOTES = (
    "transferred from Student ID {student_id}",
    "call {phone} after 3pm",
    "PO {po} pending",
    "asset tag {asset_tag} checked out",
    "order {order_no} tracking {tracking}",
    "placeholder {ssn_kw} {invalid_ssn} to fix",
    "{caps} plan on file",
    "laptop serial {serial} agent {version}",
    "badge sync id {uuid}",
)
PLAIN_NOTES = ("", "", "", "part-time", "on leave", "retired 2024", "new hire", "sub")


def _choose_columns(rng: random.Random) -> tuple[list[str], bool]:
    layout = rng.choice(("first_last", "last_first", "full"))
    name_columns = {
        "first_last": ["first_name", "last_name"],
        "last_first": ["last_name", "first_name"],
        "full": ["name"],
    }[layout]
    blocks = [block for block, p in OPTIONAL_BLOCKS.items() if rng.random() < p]
    rng.shuffle(blocks)
    columns = [*name_columns, *(column for block in blocks for column in block)]
    return [*columns, "notes"], rng.random() < 0.2


def _state(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return "OK"
    return rng.choice(sorted(set(values.DL_FORMATS) - {"OK"}))


def _row_cells(
    rng: random.Random, names: NamePool, columns: list[str], upper: bool
) -> dict[str, list[Piece]]:
    person = names.person()
    first, last = (person.first, person.last)
    if upper:
        first, last = first.upper(), last.upper()
    cells: dict[str, list[Piece]] = {
        "first_name": [Piece(first, PERSON_NAME)],
        "last_name": [Piece(last, PERSON_NAME)],
        "name": [Piece(f"{first} {last}", PERSON_NAME)],
    }

    def maybe(p: float, piece: Piece) -> list[Piece]:
        return [piece] if rng.random() < p else []

    roll = rng.random()
    if roll < 0.6:
        cells["ssn"] = [Piece(values.ssn(rng), "SSN")]
    elif roll < 0.66:
        cells["ssn"] = [Piece(values.invalid_ssn(rng), negative="invalid_ssn")]
    else:
        cells["ssn"] = []
    cells["student_id"] = maybe(
        0.6, Piece(values.student_id(rng), negative="student_id")
    )
    cells["employee_id"] = maybe(
        0.9, Piece(f"{rng.randint(1, 99999):06d}", negative="employee_id")
    )
    cells["phone"] = maybe(0.85, Piece(values.phone(rng), negative="phone"))
    zip_code = (
        values.zip_plus4(rng) if rng.random() < 0.5 else f"7{rng.randint(3000, 4999)}"
    )
    cells["zip"] = maybe(0.9, Piece(zip_code, negative="zip"))
    if rng.random() < 0.5:
        state = _state(rng)
        number = values.driver_license(rng, state, person.last)
        cells["dl_number"] = [Piece(number, "DRIVER_LICENSE")]
        cells["dl_state"] = [Piece(state)]
    if rng.random() < 0.35:
        brand = values.pick_brand(rng)
        number = values.card(rng, brand)
        cells["card_number"] = [
            Piece(values.group_card(number, rng.choice(("", " ", "-"))), "PAYMENT_CARD")
        ]
        code = values.card_security_code(rng, brand)
        cells["cvv"] = maybe(0.9, Piece(code, "CARD_SECURITY_CODE"))
        cells["exp"] = maybe(0.9, Piece(values.card_expiration(rng), "CARD_EXPIRATION"))
    if rng.random() < 0.45:
        cells["bank_account"] = [Piece(values.bank_account(rng), "BANK_ACCOUNT")]
        cells["routing_number"] = maybe(
            0.95, Piece(values.routing_number(rng), "ROUTING_NUMBER")
        )
    roll = rng.random()
    if roll < 0.3:
        note = rng.choice(ELEMENT_NOTES)
    elif roll < 0.55:
        note = rng.choice(DECOY_NOTES)
    else:
        note = rng.choice(PLAIN_NOTES)
    rendered = Fields(rng, names).render(note)
    cells["notes"] = _rendered_pieces(rendered)
    return cells


def _rendered_pieces(rendered: fields.Rendered) -> list[Piece]:
    """Split a rendered note back into pieces so the row writer can place it."""
    marks: list[tuple[int, int, str | None, str | None]] = [
        (x.start, x.end, x.element, None) for x in rendered.labels
    ] + [(x.start, x.end, None, x.kind) for x in rendered.negatives]
    marks.sort()
    pieces: list[Piece] = []
    position = 0
    for start, end, element, kind in marks:
        pieces.append(Piece(rendered.text[position:start]))
        pieces.append(Piece(rendered.text[start:end], element, kind))
        position = end
    pieces.append(Piece(rendered.text[position:]))
    return [piece for piece in pieces if piece.text]


def _write_row(
    columns: list[str], cells: dict[str, list[Piece]]
) -> tuple[str, list[Label], list[Negative]]:
    text = ""
    labels: list[Label] = []
    negatives: list[Negative] = []
    name_spans: list[tuple[int, int]] = []
    for index, column in enumerate(columns):
        if index:
            text += ","
        for piece in cells.get(column, []):
            start, end = len(text), len(text) + len(piece.text)
            if "," in piece.text or "\n" in piece.text:
                raise ValueError(f"cell text would need quoting: {piece.text!r}")
            text += piece.text
            if piece.element == PERSON_NAME:
                name_spans.append((start, end))
            elif piece.element is not None:
                labels.append(Label(start, end, piece.element))
            if piece.negative is not None:
                negatives.append(Negative(start, end, piece.negative))
    if name_spans:
        span = (name_spans[0][0], name_spans[-1][1])
        if labels:
            labels.append(Label(*span, PERSON_NAME))
        else:
            negatives.append(Negative(*span, "unlinked_name"))
    labels.sort(key=lambda label: label.start)
    return text, labels, negatives


def write_table(seed: int, rows: int) -> LabelledText:
    """Return a labelled CSV export with ``rows`` rows."""
    rng = random.Random(seed)
    names = NamePool(seed, template_words((*ELEMENT_NOTES, *DECOY_NOTES, *PLAIN_NOTES)))
    columns, upper = _choose_columns(rng)
    builder = TextBuilder("\n")
    builder.add_raw(",".join(columns) + "\n")
    for _ in range(rows):
        cells = _row_cells(rng, names, columns, upper)
        builder.add_record(*_write_row(columns, cells))
    return builder.build("\n")
