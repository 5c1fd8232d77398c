"""The corpus generator labels what it writes, exactly and reproducibly.

The checks are written here from pii-rules.md, not imported from the generator
or the detector, so a bug in either cannot vouch for itself.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from functools import cache

import pytest

from tests.corpus import (
    Label,
    LabelledText,
    generate_prose_corpus,
    generate_table_corpus,
)
from tests.corpus.scoring import mask_label_text, score

DENIED_SSNS = {"078051120", "219099999", "457555462", "123456789"}
IINS = (
    ("4", (13, 16, 19)),
    *((str(p), (16,)) for p in range(51, 56)),
    *((str(p), (16,)) for p in range(2221, 2721)),
    ("34", (15,)),
    ("37", (15,)),
    ("6011", (16, 17, 18, 19)),
    *((str(p), (16, 17, 18, 19)) for p in range(644, 650)),
    ("65", (16, 17, 18, 19)),
)
ELEMENTS = {
    "SSN",
    "DRIVER_LICENSE",
    "GOVERNMENT_ID",
    "PAYMENT_CARD",
    "CARD_SECURITY_CODE",
    "CARD_EXPIRATION",
    "BANK_ACCOUNT",
    "ROUTING_NUMBER",
    "PERSON_NAME",
}
HARD_NEGATIVES = {
    "student_id",
    "phone",
    "zip_plus4",
    "date",
    "invoice_number",
    "purchase_order",
    "order_number",
    "luhn_invalid_card",
    "luhn_valid_no_iin",
    "ssn_900_not_itin",
    "invalid_ssn",
    "advertising_ssn",
    "asset_tag",
    "serial_number",
    "tracking_number",
    "uuid",
    "base64",
    "version",
    "all_caps_word",
    "presidio_false_positive",
    "bare_nine_digits",
    "unlinked_name",
}
# Keyword families a record must hold for each element (pii-rules §§ 2-7).
KEYWORDS = {
    "SSN": r"\bssn\b|social security|\bss#|\bsoc sec\b",
    "GOVERNMENT_ID": r"\bitin\b|taxpayer|\btax id\b",
    "DRIVER_LICENSE": r"\bdl\b|\bcdl\b|driver'?s? licen[sc]e|\bid card\b|\bstate id\b"
    r"|identification card",
    "BANK_ACCOUNT": r"\b(checking|savings|bank|debit) (account|acct)\b",
    "ROUTING_NUMBER": r"\brouting\b|\baba\b|\brtn\b",
    "CARD_SECURITY_CODE": r"\bcvv2?\b|\bcvc\b|\bcid\b|security code",
    "CARD_EXPIRATION": r"\bexp\b|expires|expiration",
}


def digits_of(text: str) -> str:
    """Return the digits of ``text``."""
    return re.sub(r"\D", "", text)


def is_ssa_valid(number: str) -> bool:
    """Return whether 9 digits pass the SSA never-issued rules and the deny-list."""
    area, group, serial = number[:3], number[3:5], number[5:]
    return (
        len(number) == 9
        and area not in {"000", "666"}
        and not area.startswith("9")
        and group != "00"
        and serial != "0000"
        and number not in DENIED_SSNS
    )


def is_itin(number: str) -> bool:
    """Return whether 9 digits are in the IRS ITIN ranges."""
    middle = int(number[3:5])
    in_range = 50 <= middle <= 65 or 70 <= middle <= 88 or 90 <= middle <= 92
    return len(number) == 9 and number[0] == "9" and (in_range or middle >= 94)


def passes_luhn(number: str) -> bool:
    """Return whether ``number`` passes the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(number)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def has_card_iin(number: str) -> bool:
    """Return whether ``number`` has a known IIN with a length it allows."""
    return any(
        number.startswith(prefix) and len(number) in lengths for prefix, lengths in IINS
    )


def passes_aba(number: str) -> bool:
    """Return whether 9 digits pass the ABA prefix set and 3-7-1 checksum."""
    d = [int(c) for c in number]
    prefix = int(number[:2])
    prefix_ok = prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80
    weighted = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]
    return len(d) == 9 and prefix_ok and weighted % 10 == 0


@cache
def prose() -> LabelledText:
    return generate_prose_corpus(7, 2000)


@cache
def table() -> LabelledText:
    return generate_table_corpus(11, 2000)


CORPORA = {"prose": prose, "table": table}


@pytest.fixture(params=sorted(CORPORA))
def corpus(request: pytest.FixtureRequest) -> LabelledText:
    name: str = request.param
    return CORPORA[name]()


def test_every_label_holds_a_value_that_validates(corpus: LabelledText) -> None:
    for label in corpus.labels:
        text = corpus.text[label.start : label.end]
        number = digits_of(text)
        assert label.element in ELEMENTS
        assert text == text.strip() and text, label
        if label.element == "SSN":
            assert re.fullmatch(r"\d{3}([-. ]?)\d{2}\1\d{4}", text), label
            assert is_ssa_valid(number), label
        elif label.element == "GOVERNMENT_ID":
            assert is_itin(number), label
        elif label.element == "PAYMENT_CARD":
            assert re.fullmatch(r"\d+([ -]\d+)*", text), label
            assert passes_luhn(number) and has_card_iin(number), label
        elif label.element == "ROUTING_NUMBER":
            assert passes_aba(text), label
        elif label.element == "BANK_ACCOUNT":
            assert re.fullmatch(r"\d{6,17}", text), label
        elif label.element == "CARD_SECURITY_CODE":
            assert re.fullmatch(r"\d{3,4}", text), label
        elif label.element == "CARD_EXPIRATION":
            match = re.fullmatch(r"(\d\d)/(\d\d|\d{4})", text)
            assert match and 1 <= int(match.group(1)) <= 12, label
        elif label.element == "DRIVER_LICENSE":
            assert re.fullmatch(r"[A-Z0-9]{6,15}", text), label
        elif label.element == "PERSON_NAME":
            assert re.fullmatch(
                r"[^\W\d_][^\W\d_.,' -]*(?:[.,' -]+[^\W\d_]+)+\.?", text
            ), label


def test_decoys_really_are_invalid(corpus: LabelledText) -> None:
    for negative in corpus.negatives:
        number = digits_of(corpus.text[negative.start : negative.end])
        if negative.kind == "invalid_ssn":
            assert not is_ssa_valid(number), negative
        elif negative.kind == "advertising_ssn":
            assert number in DENIED_SSNS, negative
        elif negative.kind == "ssn_900_not_itin":
            assert number.startswith("9") and not is_itin(number), negative
        elif negative.kind == "luhn_invalid_card":
            assert not passes_luhn(number), negative
        elif negative.kind == "luhn_valid_no_iin":
            assert passes_luhn(number) and not has_card_iin(number), negative


def test_spans_do_not_overlap_and_stay_inside_records(corpus: LabelledText) -> None:
    spans = sorted(
        [(x.start, x.end) for x in corpus.labels]
        + [(x.start, x.end) for x in corpus.negatives]
    )
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start
    for start, end in spans:
        index = corpus.record_index(start)
        assert index >= 0 and end <= corpus.records[index][1]


def test_statutory_records_link_a_name_to_an_element(corpus: LabelledText) -> None:
    per_record: dict[int, set[str]] = {}
    for label in corpus.labels:
        per_record.setdefault(corpus.record_index(label.start), set()).add(
            label.element
        )
    statutory = {corpus.records.index(span) for span in corpus.statutory_records}
    for index, elements in per_record.items():
        linked = "PERSON_NAME" in elements and len(elements) > 1
        assert linked == (index in statutory), index
        assert elements != {"PERSON_NAME"}, "a name is labelled with no element"
    assert 0 < len(statutory) < len(corpus.records)


def test_each_element_has_enough_labels(corpus: LabelledText) -> None:
    counts = Counter(label.element for label in corpus.labels)
    for element in ELEMENTS:
        assert counts[element] >= (10 if element == "GOVERNMENT_ID" else 20), element


def test_prose_holds_every_kind_of_hard_negative() -> None:
    kinds = {negative.kind for negative in prose().negatives}
    assert kinds >= HARD_NEGATIVES, HARD_NEGATIVES - kinds


def test_prose_elements_sit_in_records_with_their_keywords() -> None:
    corpus = prose()
    for label in corpus.labels:
        pattern = KEYWORDS.get(label.element)
        if pattern is None:
            continue
        start, end = corpus.records[corpus.record_index(label.start)]
        assert re.search(pattern, corpus.text[start:end], re.IGNORECASE), label


def test_prose_records_are_blank_line_separated_paragraphs() -> None:
    corpus = prose()
    paragraphs = [m.span() for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", corpus.text)]
    assert paragraphs == list(corpus.records)


def test_table_is_a_plain_csv_with_one_record_per_row() -> None:
    corpus = table()
    lines = corpus.text.rstrip("\n").split("\n")
    header = lines[0].split(",")
    assert {"first_name", "last_name"} <= set(header) or "name" in header
    assert {"ssn", "student_id", "notes"} <= set(header)
    assert all(line.count(",") == len(header) - 1 for line in lines)
    assert '"' not in corpus.text
    assert len(corpus.records) == len(lines) - 1
    assert all(
        corpus.text[s:e] == line
        for (s, e), line in zip(corpus.records, lines[1:], strict=True)
    )


def test_table_ssn_column_is_bare_nine_digits() -> None:
    corpus = table()
    ssn_labels = [x for x in corpus.labels if x.element == "SSN"]
    bare = [
        x for x in ssn_labels if re.fullmatch(r"\d{9}", corpus.text[x.start : x.end])
    ]
    assert len(bare) > len(ssn_labels) // 2


def test_same_seed_gives_the_same_corpus() -> None:
    assert generate_prose_corpus(3, 200) == generate_prose_corpus(3, 200)
    assert generate_table_corpus(3, 200) == generate_table_corpus(3, 200)
    assert generate_prose_corpus(3, 200).text != generate_prose_corpus(4, 200).text


def test_scoring_counts_overlaps_per_element() -> None:
    corpus = prose()
    perfect = score(corpus.labels, corpus.labels)
    assert all(s.precision == 1.0 and s.recall == 1.0 for s in perfect.values())
    assert mask_label_text("Maria L. Lopez", "PERSON_NAME") == "M**** L. L****"
    assert mask_label_text("A123456789", "DRIVER_LICENSE") == "A#########"


def test_scoring_matches_on_element_and_overlap_only() -> None:
    labels = (Label(0, 11, "SSN"), Label(20, 31, "SSN"), Label(40, 50, "PERSON_NAME"))
    findings = (
        Label(2, 5, "SSN"),  # overlaps the first SSN
        Label(20, 31, "ROUTING_NUMBER"),  # right place, wrong element
        Label(40, 44, "PERSON_NAME"),  # two findings on one name, both correct
        Label(45, 50, "PERSON_NAME"),
        Label(60, 70, "SSN"),  # nothing there
    )
    scores = score(labels, findings)
    assert (scores["SSN"].tp, scores["SSN"].fp, scores["SSN"].fn) == (1, 1, 1)
    assert scores["PERSON_NAME"].precision == 1.0
    assert scores["PERSON_NAME"].recall == 1.0
    assert scores["ROUTING_NUMBER"].precision == 0.0


def test_names_go_beyond_fakers_lists() -> None:
    corpus = prose()
    names = [
        corpus.text[x.start : x.end]
        for x in corpus.labels
        if x.element == "PERSON_NAME"
    ]
    assert any(not name.isascii() for name in names)
    assert any("-" in name or "'" in name for name in names)
    assert sum(name.count(" ") >= 3 for name in names) > 0  # "Maria C. De La Cruz"
