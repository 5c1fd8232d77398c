"""Scanning real PostgreSQL, MariaDB and SQLite tables of synthetic people."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from faker import Faker

from districtguard.pii import DetectOptions, Element
from districtguard.pii.databases import DatabaseResult, Progress, scan_database
from tests.pii.databases.conftest import Database, synthetic_ssn


def _people(db: Database, fake: Faker, count: int) -> list[dict[str, object]]:
    table = db.table(
        "students",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("first_name", sa.String(60)),
        sa.Column("last_name", sa.String(60)),
        sa.Column("ssn", sa.String(11)),
        sa.Column("student_id", sa.BigInteger),
        sa.Column("notes", sa.Text),
        sa.Column("enrolled", sa.Boolean),
    )
    rows: list[dict[str, object]] = [
        {
            "id": number,
            "first_name": fake.first_name(),
            "last_name": fake.last_name(),
            "ssn": synthetic_ssn(fake),
            # Nine digits that would pass as an SSN anywhere but a student_id column.
            "student_id": int(synthetic_ssn(fake).replace("-", "")),
            "notes": fake.sentence(),
            "enrolled": True,
        }
        for number in range(1, count + 1)
    ]
    db.insert(table, rows)
    return rows


def _scan(db: Database, options: DetectOptions, **kwargs: Any) -> DatabaseResult:
    result = scan_database(db.url, options, include=db.include, **kwargs)
    assert not result.error, result.error
    return result


def test_name_and_ssn_in_a_row_is_statutory(
    database: Database, fake: Faker, options: DetectOptions
) -> None:
    rows = _people(database, fake, 30)

    result = _scan(database, options)

    (table,) = result.tables
    assert table.status == "scanned"
    assert table.rows_scanned == table.rows_estimated == 30
    assert not table.sampled
    assert table.counts[str(Element.SSN)] == 30
    assert table.statutory_records == 30
    assert result.statutory_records == 30
    ssns = [f for f in table.findings if f.element is Element.SSN]
    by_location = {f.location: f for f in ssns}
    for row in rows:
        finding = by_location[f"column ssn, row key {row['id']}"]
        assert finding.statutory
        assert finding.record == f"row key {row['id']}"
        assert finding.masked.endswith(str(row["ssn"])[-4:])
        assert str(row["ssn"]) not in repr(finding)
        assert finding.path.endswith(f"#{_qualified(database, 'students')}")
        assert finding.start is None and finding.end is None
    assert len({f.fingerprint for f in ssns}) == 30


def _qualified(db: Database, table: str) -> str:
    return f"{db.schema}.{db.name(table)}" if db.schema else db.name(table)


def test_student_id_numbers_are_not_ssns(
    database: Database, fake: Faker, options: DetectOptions
) -> None:
    _people(database, fake, 20)

    (table,) = _scan(database, options).tables

    assert not [f for f in table.findings if "student_id" in f.location]
    columns = {column.name: column for column in table.columns}
    assert columns["enrolled"].reason == "boolean"
    assert not columns["enrolled"].scanned


def test_integer_ssn_column_is_found_with_lost_leading_zeros(
    database: Database, fake: Faker, options: DetectOptions
) -> None:
    table = database.table(
        "staff",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(120)),
        sa.Column("ssn", sa.BigInteger),
    )
    # Areas 001-099 lose their leading zeros when stored as a number.
    ssns = [synthetic_ssn(fake, area=fake.random_int(1, 99)) for _ in range(10)]
    ssns += [synthetic_ssn(fake) for _ in range(10)]
    database.insert(
        table,
        [
            {"id": n, "name": fake.name(), "ssn": int(ssn.replace("-", ""))}
            for n, ssn in enumerate(ssns, 1)
        ],
    )

    (result,) = _scan(database, options).tables

    found = sorted(
        (f for f in result.findings if f.element is Element.SSN),
        key=lambda f: int(f.record.split()[-1]),
    )
    assert [f.masked[-4:] for f in found] == [ssn[-4:] for ssn in ssns]
    assert all(f.statutory for f in found)
    ssn_column = next(c for c in result.columns if c.name == "ssn")
    assert ssn_column.scanned and "ssn" in ssn_column.hints


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_sample_is_the_first_rows_by_key_and_reports_the_table_size(
    kind: str, request: pytest.FixtureRequest, fake: Faker, options: DetectOptions
) -> None:
    db: Database = request.getfixturevalue(kind)
    _people(db, fake, 250)
    seen: list[Progress] = []

    (table,) = _scan(db, options, sample_rows=100, on_progress=seen.append).tables

    assert table.rows_scanned == 100
    assert table.sample_limit == 100
    assert table.rows_estimated == 250
    assert table.sampled
    assert table.order == "first rows by primary key (id)"
    keys = {int(f.record.split()[-1]) for f in table.findings}
    assert keys == set(range(1, 101))
    assert seen[-1].tables_done == seen[-1].tables_total == 1
    assert seen[-1].rows_scanned == 100


def test_sampling_bound_holds_on_mariadb(
    mariadb: Database, fake: Faker, options: DetectOptions
) -> None:
    _people(mariadb, fake, 150)

    (table,) = _scan(mariadb, options, sample_rows=40).tables

    assert table.rows_scanned == 40
    assert table.sampled
    assert table.counts[str(Element.SSN)] == 40
    # InnoDB's row count is an estimate, never below what was read.
    assert table.rows_estimated is not None and table.rows_estimated >= 40


def test_card_number_and_code_columns_are_linked_to_the_cardholder(
    sqlite: Database, fake: Faker, options: DetectOptions
) -> None:
    table = sqlite.table(
        "payments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cardholder", sa.String(120)),
        sa.Column("card_number", sa.String(19)),
        sa.Column("cvv", sa.Integer),
    )
    sqlite.insert(
        table,
        [
            {
                "cardholder": fake.name(),
                "card_number": fake.credit_card_number("visa16"),
                "cvv": fake.random_int(100, 999),
            }
            for _ in range(5)
        ],
    )

    (result,) = _scan(sqlite, options).tables

    assert result.counts[str(Element.PAYMENT_CARD)] == 5
    assert result.counts[str(Element.CARD_SECURITY_CODE)] == 5
    assert result.statutory_records == 5


def test_include_and_exclude_globs_choose_tables(
    sqlite: Database, fake: Faker, options: DetectOptions
) -> None:
    _people(sqlite, fake, 3)
    sqlite.table("audit_log", sa.Column("id", sa.Integer, primary_key=True))

    everything = scan_database(sqlite.url, options)
    excluded = scan_database(sqlite.url, options, exclude=["*audit*"])

    assert sorted(t.table for t in everything.tables) == ["t_audit_log", "t_students"]
    assert [t.table for t in excluded.tables] == ["t_students"]


def test_protected_values_are_counted_not_found(
    sqlite: Database, fake: Faker, options: DetectOptions
) -> None:
    from districtguard.pii.protection.tokens import encode_token

    table = sqlite.table(
        "protected",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(120)),
        sa.Column("ssn", sa.String(200)),
    )
    token = encode_token("abcdefgh", Element.SSN, b"\x01" * 12, b"\x02" * 25)
    rows: list[dict[str, object]] = [
        {"name": fake.name(), "ssn": token} for _ in range(4)
    ]
    rows += [{"name": fake.name(), "ssn": "***-**-6789"} for _ in range(2)]
    sqlite.insert(table, rows)

    (result,) = _scan(sqlite, options).tables

    assert result.protected == 4  # tokens
    # Per element and mode, as files are, so an incident can tell them apart.
    assert result.protected_kinds == (("SSN", "encrypted", 4), ("SSN", "redacted", 2))
    assert result.as_file_result().protected_kinds == result.protected_kinds
    assert not [f for f in result.findings if f.element is Element.SSN]


def test_table_without_key_and_awkward_column_names(
    database: Database, fake: Faker, options: DetectOptions
) -> None:
    table = database.table(
        "Legacy Export",
        sa.Column("Full Name", sa.String(120)),
        sa.Column("select", sa.String(11)),  # a reserved word; values say SSN
    )
    database.insert(
        table,
        [{"Full Name": fake.name(), "select": synthetic_ssn(fake)} for _ in range(8)],
    )

    (result,) = _scan(database, options).tables

    assert result.status == "scanned", result.reason
    assert result.order == "first rows as stored (no primary key)"
    column = next(c for c in result.columns if c.name == "select")
    assert "ssn" in column.hints  # judged by its values: the name says nothing
    assert result.counts[str(Element.SSN)] == 8
    assert result.statutory_records == 8
    assert {f.record for f in result.findings} == {f"row {n}" for n in range(1, 9)}
