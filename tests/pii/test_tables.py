from __future__ import annotations

import pytest

from districtguard.pii.tables import classify_columns, header_hints


@pytest.mark.parametrize(
    ("header", "hint"),
    [
        ("ssn", "ssn"),
        ("SocialSecurityNumber", "ssn"),
        ("Social_Security_No", "ssn"),
        ("student_id", "negative"),
        ("dl_number", "dl"),
        ("Drivers License", "dl"),
        ("card_number", "card"),
        ("CVV", "cvv"),
        ("exp_date", "expiry"),
        ("routing_number", "routing"),
        ("Bank Account", "bank"),
        ("first_name", "first_name"),
        ("LastName", "last_name"),
        ("Student Name", "full_name"),
        ("cardholder name", "full_name"),
    ],
)
def test_headers_give_hints(header: str, hint: str) -> None:
    assert hint in header_hints(header)


@pytest.mark.parametrize(
    "header", ["filename", "school_name", "Vendor Name", "hostname", "notes"]
)
def test_headers_that_name_no_person_give_no_name_hint(header: str) -> None:
    assert not header_hints(header) & {"first_name", "last_name", "full_name"}


def test_values_classify_a_column_with_a_silent_header() -> None:
    rows = [
        ["234-56-7891", "Maria Lopez"],
        ["345-67-8912", "John Smith"],
        ["456-78-9123", "Ana Garcia"],
    ]
    columns = classify_columns(["col1", "col2"], rows)
    assert columns[0].hints == {"ssn"}
    assert columns[1].hints == {"full_name"}


def test_values_of_other_kinds_give_no_hint() -> None:
    rows = [["2025-03-14", "405-555-0143"], ["2025-03-15", "405-555-0199"]]
    assert [c.hints for c in classify_columns(["a", "b"], rows)] == [set(), set()]
