"""Protecting real PostgreSQL, MariaDB and SQLite tables of synthetic people."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from faker import Faker

from districtguard.pii import DetectOptions
from districtguard.pii.databases import scan_database
from districtguard.pii.databases.outcomes import (
    FAILED,
    PROTECTED,
    PROTECTED_IN_PART,
    REFUSED,
    UNCHANGED,
    WOULD_PROTECT,
    DatabaseProtection,
    ProtectProgress,
)
from districtguard.pii.databases.protect import protect_database
from districtguard.pii.protection.base import ValueProtector
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.edits import Policy
from districtguard.pii.protection.redaction import Redactor
from districtguard.pii.protection.tokens import TOKEN_RE
from tests.pii.databases.conftest import Database, synthetic_ssn


def _people(
    db: Database,
    fake: Faker,
    count: int,
    *,
    name: str = "people",
    ssn: sa.types.TypeEngine[Any] | None = None,
    key: bool = True,
) -> sa.Table:
    numeric = isinstance(ssn, sa.Integer)
    number_or_text = _digits if numeric else str
    table = db.table(
        name,
        sa.Column("id", sa.Integer, primary_key=key, autoincrement=False),
        sa.Column("first_name", sa.String(60)),
        sa.Column("last_name", sa.String(60)),
        sa.Column("ssn", ssn if ssn is not None else sa.String(80)),
        sa.Column("notes", sa.Text),
    )
    db.insert(
        table,
        [
            {
                "id": number,
                "first_name": fake.first_name(),
                "last_name": fake.last_name(),
                "ssn": number_or_text(synthetic_ssn(fake)),
                "notes": "Moved from\nanother district",
            }
            for number in range(1, count + 1)
        ],
    )
    return table


def _digits(ssn: str) -> object:
    return int(ssn.replace("-", ""))


def _rows(db: Database, table: sa.Table) -> dict[object, tuple[object, ...]]:
    with db.engine.connect() as connection:
        first = next(iter(table.c))
        rows = connection.execute(sa.select(table).order_by(first)).all()
    return {row[0]: tuple(row) for row in rows}


def _protect(
    db: Database,
    policy: Policy,
    protector: ValueProtector,
    **kwargs: object,
) -> DatabaseProtection:
    result = protect_database(
        db.url,
        policy,
        protector,
        include=db.include,
        **kwargs,  # type: ignore[arg-type]
    )
    assert not result.error, result.error
    return result


def _no_value_in(
    result: DatabaseProtection, before: dict[object, tuple[object, ...]]
) -> None:
    text = json.dumps(result.to_dict())
    for row in before.values():
        assert str(row[3]) not in text


def test_dry_run_counts_every_row_and_writes_nothing(
    database: Database, fake: Faker, policy: Policy
) -> None:
    table = _people(database, fake, 23)
    before = _rows(database, table)

    result = _protect(database, policy, Redactor(), dry_run=True, batch_rows=5)

    (people,) = result.tables
    assert people.outcome == WOULD_PROTECT
    assert people.rows_read == 23
    assert people.to_dict()["values"] == {"ssn": {"SSN": 23}}
    assert result.values["SSN"] == 23
    assert _rows(database, table) == before
    _no_value_in(result, before)


def test_redaction_rewrites_every_row_and_a_second_run_changes_nothing(
    database: Database, fake: Faker, policy: Policy, options: DetectOptions
) -> None:
    table = _people(database, fake, 23)
    before = _rows(database, table)

    result = _protect(database, policy, Redactor(), batch_rows=5)

    (people,) = result.tables
    assert people.outcome == PROTECTED, people.reason
    assert people.rows_changed == 23
    after = _rows(database, table)
    for key, row in before.items():
        ssn = str(after[key][3])
        assert ssn == "***-**-" + str(row[3])[-4:]
        assert after[key][:3] == row[:3]
        assert after[key][4] == "Moved from\nanother district"
    _no_value_in(result, before)

    again = _protect(database, policy, Redactor(), batch_rows=5)
    assert again.tables[0].outcome == UNCHANGED
    assert _rows(database, table) == after
    scan = scan_database(database.url, options, include=database.include)
    assert scan.statutory_records == 0


def test_encryption_round_trips_through_the_cipher_and_is_idempotent(
    database: Database, fake: Faker, policy: Policy, cipher: ValueCipher
) -> None:
    table = _people(database, fake, 12)
    before = _rows(database, table)

    result = _protect(database, policy, cipher, restorer=cipher, batch_rows=5)

    assert result.tables[0].outcome == PROTECTED, result.tables[0].reason
    after = _rows(database, table)
    for key, row in before.items():
        token = str(after[key][3])
        assert TOKEN_RE.fullmatch(token)
        assert cipher.restore(token) == (row[3], 1)
    again = _protect(database, policy, cipher, restorer=cipher)
    assert again.tables[0].outcome == UNCHANGED
    assert _rows(database, table) == after


def test_a_table_without_a_primary_key_is_refused_and_others_go_on(
    database: Database, fake: Faker, policy: Policy
) -> None:
    loose = _people(database, fake, 4, name="loose", key=False)
    _people(database, fake, 4, name="people")
    before = _rows(database, loose)

    result = _protect(database, policy, Redactor())

    outcomes = {t.table.rsplit(".", 1)[-1]: t for t in result.tables}
    refused = outcomes[database.name("loose")]
    assert refused.outcome == REFUSED
    assert refused.reason.startswith("no primary key")
    assert outcomes[database.name("people")].outcome == PROTECTED
    assert _rows(database, loose) == before
    assert result.partial


def test_a_numeric_ssn_column_is_refused_with_the_width_it_needs(
    database: Database, fake: Faker, policy: Policy
) -> None:
    table = _people(database, fake, 6, ssn=sa.BigInteger())
    before = _rows(database, table)

    result = _protect(database, policy, Redactor())

    (people,) = result.tables
    assert people.outcome == REFUSED
    assert "column ssn is numeric" in people.reason
    assert "text column of at least 9 characters" in people.reason
    assert _rows(database, table) == before


def test_a_column_too_narrow_for_a_token_says_redact_or_widen(
    database: Database, fake: Faker, policy: Policy, cipher: ValueCipher
) -> None:
    table = _people(database, fake, 5, ssn=sa.String(11))
    before = _rows(database, table)

    refused = _protect(database, policy, cipher, restorer=cipher)

    (people,) = refused.tables
    assert people.outcome == REFUSED
    assert "is too narrow for a token: redact, or widen the column to 68" in (
        people.reason
    )
    assert _rows(database, table) == before
    redacted = _protect(database, policy, Redactor())
    assert redacted.tables[0].outcome == PROTECTED


def test_a_table_dropped_mid_run_fails_and_the_next_table_is_protected(
    database: Database, fake: Faker, policy: Policy
) -> None:
    _people(database, fake, 12, name="a_gone")
    _people(database, fake, 3, name="b_kept")

    def drop(progress: ProtectProgress) -> None:
        if progress.table.endswith("a_gone") and progress.rows == 5:
            database.drop("a_gone")

    result = _protect(database, policy, Redactor(), batch_rows=5, on_progress=drop)

    gone, kept = result.tables
    assert gone.outcome == FAILED
    assert gone.reason.startswith("disappeared during protection")
    assert kept.outcome == PROTECTED


@pytest.fixture
def reader_url(database: Database) -> Iterator[str]:
    """Return a URL for an account that may read the test's tables but not write."""
    if database.kind == "sqlite":
        path = sa.make_url(database.url).database
        yield f"sqlite:///file:{path}?mode=ro&uri=true"
        return
    role = f"dg_reader_{secrets.token_hex(3)}"
    with database.engine.begin() as connection:
        if database.kind == "postgresql":
            connection.execute(sa.text(f"CREATE ROLE {role} LOGIN"))
            connection.execute(
                sa.text(f"GRANT USAGE ON SCHEMA {database.schema} TO {role}")
            )
            connection.execute(
                sa.text(
                    f"GRANT SELECT ON ALL TABLES IN SCHEMA {database.schema} TO {role}"
                )
            )
            url = f"postgresql+psycopg://{role}@127.0.0.1:5432/test"
        else:
            connection.execute(sa.text(f"CREATE USER '{role}'@'%'"))
            connection.execute(sa.text(f"GRANT SELECT ON test.* TO '{role}'@'%'"))
            url = f"mysql+pymysql://{role}@127.0.0.1:3306/test"
    try:
        yield url
    finally:
        with database.engine.begin() as connection:
            if database.kind == "postgresql":
                connection.execute(sa.text(f"DROP OWNED BY {role}"))
                connection.execute(sa.text(f"DROP ROLE {role}"))
            else:
                connection.execute(sa.text(f"DROP USER '{role}'@'%'"))


def test_an_account_that_cannot_write_is_refused_and_nothing_changes(
    database: Database, fake: Faker, policy: Policy, reader_url: str
) -> None:
    table = _people(database, fake, 4)
    if database.kind == "postgresql":
        with database.engine.begin() as connection:
            role = sa.make_url(reader_url).username
            connection.execute(
                sa.text(f"GRANT SELECT ON {database.schema}.t_people TO {role}")
            )
    before = _rows(database, table)

    result = protect_database(reader_url, policy, Redactor(), include=database.include)

    assert not result.error, result.error
    (people,) = result.tables
    assert people.outcome == REFUSED, people.reason
    assert people.reason.startswith("the account cannot write to this table")
    assert people.reason.endswith("nothing was changed")
    assert _rows(database, table) == before


_KEEP_ROW_FIVE = {
    "sqlite": [
        "CREATE TRIGGER keep_five AFTER UPDATE OF ssn ON {t} WHEN NEW.id = 5 "
        "BEGIN UPDATE {t} SET ssn = OLD.ssn WHERE id = 5; END"
    ],
    "postgresql": [
        "CREATE FUNCTION {s}.keep_five() RETURNS trigger AS $$ BEGIN "
        "IF NEW.id = 5 THEN NEW.ssn := OLD.ssn; END IF; RETURN NEW; END $$ "
        "LANGUAGE plpgsql",
        "CREATE TRIGGER keep_five BEFORE UPDATE ON {t} FOR EACH ROW "
        "EXECUTE FUNCTION {s}.keep_five()",
    ],
    "mariadb": [
        "CREATE TRIGGER {n}_keep BEFORE UPDATE ON {t} FOR EACH ROW "
        "BEGIN IF NEW.id = 5 THEN SET NEW.ssn = OLD.ssn; END IF; END"
    ],
}


def test_a_batch_that_fails_verification_is_rolled_back_and_loses_nothing(
    database: Database, fake: Faker, policy: Policy
) -> None:
    table = _people(database, fake, 12)
    before = _rows(database, table)
    qualified = (
        f"{database.schema}.{table.name}" if database.schema else str(table.name)
    )
    with database.engine.begin() as connection:
        for statement in _KEEP_ROW_FIVE[database.kind]:
            text = statement.format(t=qualified, s=database.schema, n=table.name)
            connection.execute(sa.text(text))

    result = _protect(database, policy, Redactor(), batch_rows=4)

    (people,) = result.tables
    assert people.outcome == PROTECTED_IN_PART
    assert people.batches_rolled_back == 1
    assert people.rows_changed == 8
    assert "batch 2" in people.problems[0]
    assert people.to_dict()["values"] == {"ssn": {"SSN": 8}}
    after = _rows(database, table)
    for key in range(5, 9):
        assert after[key] == before[key]
    for key in (*range(1, 5), *range(9, 13)):
        assert str(after[key][3]).startswith("***-**-")
    _no_value_in(result, before)


# A trigger that silently skips the update of row 6: the row no longer holds
# what the batch read (as if another session had changed it), so the update
# that matches it by its old value finds no row.
_SKIP_ROW_SIX = {
    "sqlite": [
        "CREATE TRIGGER skip_six BEFORE UPDATE ON {t} WHEN OLD.id = 6 "
        "BEGIN SELECT RAISE(IGNORE); END"
    ],
    "postgresql": [
        "CREATE FUNCTION {s}.skip_six() RETURNS trigger AS $$ BEGIN "
        "IF OLD.id = 6 THEN RETURN NULL; END IF; RETURN NEW; END $$ "
        "LANGUAGE plpgsql",
        "CREATE TRIGGER skip_six BEFORE UPDATE ON {t} FOR EACH ROW "
        "EXECUTE FUNCTION {s}.skip_six()",
    ],
}


@pytest.mark.parametrize("counted", [True, False], ids=["executemany", "row-by-row"])
@pytest.mark.parametrize("kind", sorted(_SKIP_ROW_SIX))
def test_a_row_the_update_does_not_reach_rolls_its_batch_back(
    kind: str,
    counted: bool,
    request: pytest.FixtureRequest,
    fake: Faker,
    policy: Policy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    database: Database = request.getfixturevalue(kind)
    if not counted:  # a driver that cannot count the rows of an executemany
        dialect = type(database.engine.dialect)
        monkeypatch.setattr(dialect, "supports_sane_multi_rowcount", False)
    table = _people(database, fake, 12)
    before = _rows(database, table)
    qualified = (
        f"{database.schema}.{table.name}" if database.schema else str(table.name)
    )
    with database.engine.begin() as connection:
        for statement in _SKIP_ROW_SIX[kind]:
            connection.execute(
                sa.text(statement.format(t=qualified, s=database.schema))
            )

    result = _protect(database, policy, Redactor(), batch_rows=4)

    (people,) = result.tables
    assert people.outcome == PROTECTED_IN_PART
    assert people.problems == (
        "batch 2 (up to 4 rows in key order): a row changed while it was being "
        "protected; rolled back, nothing in it changed",
    )
    after = _rows(database, table)
    assert [key for key in after if after[key] == before[key]] == [5, 6, 7, 8]
    _no_value_in(result, before)


def test_rows_changing_different_columns_are_all_rewritten(
    database: Database, fake: Faker, policy: Policy
) -> None:
    # Rows are written in groups by the columns they change; a column named
    # like the statements' parameters must not confuse them.
    table = database.table(
        "mixed",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("first_name", sa.String(60)),
        sa.Column("last_name", sa.String(60)),
        sa.Column("dg_new0", sa.String(80)),
        sa.Column("notes", sa.Text),
    )
    numbers = {row: (synthetic_ssn(fake), synthetic_ssn(fake)) for row in range(1, 10)}
    database.insert(
        table,
        [
            {
                "id": row,
                "first_name": fake.first_name(),
                "last_name": fake.last_name(),
                "dg_new0": f"SSN {ssn}" if row % 3 else "none on file",
                "notes": f"Old SSN {old} on file." if row % 2 else "Checked.",
            }
            for row, (ssn, old) in numbers.items()
        ],
    )

    result = _protect(database, policy, Redactor(), batch_rows=5)

    assert result.tables[0].outcome == PROTECTED, result.tables[0].reason
    after = _rows(database, table)
    for row, (ssn, old) in numbers.items():
        expected = f"SSN ***-**-{ssn[-4:]}" if row % 3 else "none on file"
        assert after[row][3] == expected
        note = f"Old SSN ***-**-{old[-4:]} on file." if row % 2 else "Checked."
        assert after[row][4] == note
    assert result.tables[0].rows_changed == sum(
        1 for row in numbers if row % 3 or row % 2
    )


def test_a_value_inside_a_longer_text_is_replaced_where_it_stands(
    database: Database, fake: Faker, policy: Policy
) -> None:
    table = database.table(
        "notes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("first_name", sa.String(60)),
        sa.Column("last_name", sa.String(60)),
        sa.Column("notes", sa.Text),
    )
    numbers = [synthetic_ssn(fake) for _ in range(3)]
    database.insert(
        table,
        [
            {
                "id": row,
                "first_name": fake.first_name(),
                "last_name": fake.last_name(),
                "notes": f"Transferred in.\nSSN {number} on file.\tChecked.",
            }
            for row, number in enumerate(numbers, 1)
        ],
    )

    result = _protect(database, policy, Redactor())

    assert result.tables[0].outcome == PROTECTED, result.tables[0].reason
    after = _rows(database, table)
    for row, number in enumerate(numbers, 1):
        assert after[row][3] == (
            f"Transferred in.\nSSN ***-**-{number[-4:]} on file.\tChecked."
        )


def test_a_composite_primary_key_is_read_in_batches_to_the_last_row(
    database: Database, fake: Faker, policy: Policy
) -> None:
    table = database.table(
        "enrolment",
        sa.Column("school", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seat", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("first_name", sa.String(60)),
        sa.Column("last_name", sa.String(60)),
        sa.Column("ssn", sa.String(80)),
    )
    database.insert(
        table,
        [
            {
                "school": school,
                "seat": seat,
                "first_name": fake.first_name(),
                "last_name": fake.last_name(),
                "ssn": synthetic_ssn(fake),
            }
            for school in (2, 1, 3)
            for seat in range(1, 5)
        ],
    )

    result = _protect(database, policy, Redactor(), batch_rows=3)

    (enrolment,) = result.tables
    assert enrolment.outcome == PROTECTED, enrolment.reason
    assert enrolment.rows_read == enrolment.rows_changed == 12
    with database.engine.connect() as connection:
        values = connection.execute(sa.select(table.c.ssn)).scalars().all()
    assert all(str(value).startswith("***-**-") for value in values)


def test_an_element_in_the_primary_key_is_refused(
    sqlite: Database, fake: Faker, policy: Policy
) -> None:
    table = sqlite.table(
        "by_ssn",
        sa.Column("ssn", sa.String(80), primary_key=True),
        sa.Column("first_name", sa.String(60)),
        sa.Column("last_name", sa.String(60)),
    )
    sqlite.insert(
        table,
        [
            {
                "ssn": synthetic_ssn(fake),
                "first_name": fake.first_name(),
                "last_name": fake.last_name(),
            }
            for _ in range(3)
        ],
    )
    before = _rows(sqlite, table)

    result = _protect(sqlite, policy, Redactor())

    assert result.tables[0].outcome == REFUSED
    assert "column ssn is part of the primary key" in result.tables[0].reason
    assert _rows(sqlite, table) == before
