"""Detection over text: what is found, what is not, and what links."""

from __future__ import annotations

import dataclasses

import pytest

from districtguard.pii import DetectOptions, Element, Finding, scan_text
from districtguard.pii.rules import OK_2008, OK_2026


def _found(text: str, options: DetectOptions) -> list[tuple[str, str]]:
    return [
        (str(f.element), text[f.start or 0 : f.end or 0])
        for f in scan_text(text, options)
    ]


def _elements(text: str, options: DetectOptions) -> set[str]:
    return {element for element, _ in _found(text, options)}


@pytest.mark.parametrize(
    ("text", "element", "value"),
    [
        ("SSN: 234-56-7891", "SSN", "234-56-7891"),
        ("Social Security No. 234 56 7891", "SSN", "234 56 7891"),
        ("ss# 234567891", "SSN", "234567891"),
        ("234-56-7891 (SSN)", "SSN", "234-56-7891"),
        ("her number is 234-56-7891", "SSN", "234-56-7891"),
        ("ITIN 912-70-1234", "GOVERNMENT_ID", "912-70-1234"),
        ("Oklahoma DL D482917503", "DRIVER_LICENSE", "D482917503"),
        ("OK driver license 482917503", "DRIVER_LICENSE", "482917503"),
        ("Texas driver's license 18273645", "DRIVER_LICENSE", "18273645"),
        ("Card number 4111-1111-1111-1111", "PAYMENT_CARD", "4111-1111-1111-1111"),
        ("Mastercard 2221000000000009", "PAYMENT_CARD", "2221000000000009"),
        ("paid with 378282246310005 today", "PAYMENT_CARD", "378282246310005"),
        ("Routing number 011000015", "ROUTING_NUMBER", "011000015"),
        ("Checking account # 000123456789", "BANK_ACCOUNT", "000123456789"),
        ("Passport number 512345678", "GOVERNMENT_ID", "512345678"),
    ],
)
def test_finds_element(
    text: str, element: str, value: str, options: DetectOptions
) -> None:
    assert (element, value) in _found(text, options)


@pytest.mark.parametrize(
    "text",
    [
        "Student ID 234567891",
        "Call (405) 555-0143 or 405.555.0143",
        "Ship to 73101-1234 on 2025-03-14",
        "Invoice INV-2025-004512, PO 4500123456",
        "Asset tag DG-004512 and serial 5CG1234XYZ",
        "the number 234567891 appears alone",
        "SSN 666-12-3456",
        "SSN 234-00-5678",
        "SSN 078-05-1120",
        "SSN 123-45-6789",
        "4111111111111112 fails Luhn",
        "1234567812345670 has no issuer",
        "tracking 1Z999AA10123456784",
        "Routing 011000016",
        "version v2.14.1 build 1607635102.00",
        "INTRODUCTORY INTERVENTION H1 96c",
        "Amount $4111111111111111 pending",
        "DRIVER LICENSE OKLAHOMA",
        "Account 0000000",
    ],
)
def test_reports_nothing_in_near_misses(text: str, options: DetectOptions) -> None:
    assert _found(text, options) == []


def test_bare_nine_digits_follow_the_nearest_label(options: DetectOptions) -> None:
    text = "Student ID 234567891, SSN 345678912"
    assert _found(text, options) == [("SSN", "345678912")]


def test_routing_beside_account_is_told_apart(options: DetectOptions) -> None:
    text = "Routing 011000015 Account number 12345678901"
    assert _found(text, options) == [
        ("ROUTING_NUMBER", "011000015"),
        ("BANK_ACCOUNT", "12345678901"),
    ]


def test_card_codes_belong_to_the_card(options: DetectOptions) -> None:
    text = "Visa 4111 1111 1111 1111 exp 04/28 CVV 123"
    assert _found(text, options) == [
        ("PAYMENT_CARD", "4111 1111 1111 1111"),
        ("CARD_EXPIRATION", "04/28"),
        ("CARD_SECURITY_CODE", "123"),
    ]


def test_security_code_without_a_card_is_nothing(options: DetectOptions) -> None:
    assert _found("Door code: CVV 123 exp 04/28", options) == []


def test_name_and_ssn_in_one_paragraph_are_statutory(options: DetectOptions) -> None:
    findings = scan_text("Maria Lopez\nSSN 234-56-7891", options)
    assert [(str(f.element), f.statutory) for f in findings] == [
        ("PERSON_NAME", True),
        ("SSN", True),
    ]


def test_paragraphs_do_not_link(options: DetectOptions) -> None:
    findings = scan_text("Maria Lopez wrote in.\n\nSSN 234-56-7891", options)
    assert [(str(f.element), f.statutory) for f in findings] == [("SSN", False)]


@pytest.mark.parametrize(
    "name",
    [
        "Maria Lopez",
        "M. Lopez",
        "LOPEZ, MARIA",
        "Lopez, Maria",
        "MARIA LOPEZ",
        "Dr. Lopez",
    ],
)
def test_finds_the_ways_names_are_written(name: str, options: DetectOptions) -> None:
    findings = scan_text(f"{name} SSN 234-56-7891", options)
    names = [f for f in findings if f.element is Element.PERSON_NAME]
    assert len(names) == 1 and names[0].statutory


def test_common_words_are_not_names(options: DetectOptions) -> None:
    findings = scan_text("Social Security Number 234-56-7891 Main Street", options)
    assert [str(f.element) for f in findings] == ["SSN"]


def _names(text: str, options: DetectOptions) -> list[Finding]:
    return [f for f in scan_text(text, options) if f.element is Element.PERSON_NAME]


@pytest.mark.parametrize(
    "place",
    [
        "Prairie View Middle School",
        "Will Rogers Elementary",
        "Carver Early Childhood Center",
        "Jefferson High School",
    ],
)
def test_schools_named_after_people_are_not_names(
    place: str, options: DetectOptions
) -> None:
    names = _names(f"Maria Lopez, {place}, SSN 234-56-7891", options)
    # The teacher is found; the building she works in is not a second person.
    assert [f.masked for f in names] == ["M. L****"]


@pytest.mark.parametrize(
    "title",
    ["School Nurse", "Senior Accountant", "Library Aide", "Middle School Teacher"],
)
def test_a_person_before_a_job_title_is_still_a_person(
    title: str, options: DetectOptions
) -> None:
    names = _names(f"Employee: Maria Lopez {title}, SSN 234-56-7891", options)
    assert [f.masked for f in names] == ["M. L****"]
    assert names[0].statutory


def test_routing_number_is_statutory_only_under_the_amended_act(
    options: DetectOptions,
) -> None:
    text = "Maria Lopez routing number 011000015"
    amended = scan_text(text, dataclasses.replace(options, rules=OK_2026))
    before = scan_text(text, dataclasses.replace(options, rules=OK_2008))
    assert [f.statutory for f in amended] == [True, True]
    assert [f.statutory for f in before] == [False, False]


def test_findings_never_hold_the_raw_value(options: DetectOptions) -> None:
    text = "Maria Lopez SSN 234-56-7891 card 4111111111111111 cvv 321"
    findings = scan_text(text, options)
    for finding in findings:
        shown = repr(dataclasses.replace(finding, fingerprint=""))
        for raw in ("234-56-7891", "234567891", "4111111111111111", "Lopez", "321"):
            assert raw not in shown
    assert {f.masked for f in findings} >= {"***-**-7891", "************1111", "***"}


def test_fingerprints_are_keyed_and_stable(options: DetectOptions) -> None:
    first = scan_text("SSN 234-56-7891", options)[0]
    again = scan_text("ssn: 234 56 7891", options)[0]
    other = scan_text(
        "SSN 234-56-7891", dataclasses.replace(options, fingerprint_key=b"x" * 32)
    )[0]
    assert first.fingerprint == again.fingerprint != other.fingerprint


def test_offsets_and_locations_point_at_the_value(options: DetectOptions) -> None:
    text = "first line\nsecond line SSN 234-56-7891\n"
    (finding,) = scan_text(text, options)
    assert text[finding.start or 0 : finding.end or 0] == "234-56-7891"
    assert finding.location == "line 2, column 17"
    assert finding.record == "lines 1-2"


def test_each_paragraph_is_a_record_named_by_its_lines(options: DetectOptions) -> None:
    text = (
        "SSN 234-56-7891\n \t\nMaria Lopez\nSSN 234-56-7892\n\n"
        "card 4111 1111 1111 1111\nend"
    )
    found = scan_text(text, options)
    assert [(str(f.element), f.record, f.statutory) for f in found] == [
        ("SSN", "line 1", False),
        ("PERSON_NAME", "lines 3-4", True),
        ("SSN", "lines 3-4", True),
        ("PAYMENT_CARD", "lines 6-7", False),
    ]


def test_element_filter_and_threshold_apply(options: DetectOptions) -> None:
    text = "Maria Lopez SSN 234-56-7891 and 4111111111111111"
    only_cards = dataclasses.replace(
        options, elements=frozenset({Element.PAYMENT_CARD})
    )
    assert [str(f.element) for f in scan_text(text, only_cards)] == ["PAYMENT_CARD"]
    strict = dataclasses.replace(options, min_confidence=0.8)
    assert "PAYMENT_CARD" not in {str(f.element) for f in scan_text(text, strict)}


def test_finding_is_a_frozen_value(options: DetectOptions) -> None:
    finding = scan_text("SSN 234-56-7891", options)[0]
    assert isinstance(finding, Finding)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.masked = "x"  # type: ignore[misc]


def test_declared_district_id_needs_its_label(options: DetectOptions) -> None:
    from districtguard.pii import GovernmentIdFormat

    declared = GovernmentIdFormat("student_id", r"S\d{7}", ("student id",))
    with_ids = dataclasses.replace(options, government_ids=(declared,))
    assert _found("Student ID S1234567", with_ids) == [("GOVERNMENT_ID", "S1234567")]
    assert _found("Room S1234567", with_ids) == []
    assert _found("Student ID S1234567", options) == []


def test_licence_takes_the_state_named_that_issues_its_shape(
    options: DetectOptions,
) -> None:
    text = "PAULA DE LEON - Nevada CDL 1234567809"
    found = scan_text(text, options)
    (licence,) = [f for f in found if f.element is Element.DRIVER_LICENSE]
    assert licence.kind == "dl:NV"


def test_licence_contradicted_by_the_state_named_is_dropped(
    options: DetectOptions,
) -> None:
    assert _found("Texas DL D482917503", options) == []


def test_only_confident_findings_make_a_record_statutory(
    options: DetectOptions,
) -> None:
    text = "Maria Lopez 234-56-7891"  # a formatted SSN with no keyword: 0.65
    strict = dataclasses.replace(options, min_confidence=0.8)
    assert scan_text(text, strict) == []
    names_only = dataclasses.replace(options, elements=frozenset({Element.PERSON_NAME}))
    (name,) = scan_text(text, names_only)
    assert name.statutory  # the SSN is not shown, but it still links


def test_codes_of_an_unreported_card_are_not_reported(options: DetectOptions) -> None:
    text = "paid 4111111111111111 04/28"  # no card word: card 0.65, date 0.70
    assert len(scan_text(text, options)) == 2
    assert scan_text(text, dataclasses.replace(options, min_confidence=0.7)) == []
