"""Restoring encrypted values in real PostgreSQL, MariaDB and SQLite tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from faker import Faker

from districtguard.pii import Element
from districtguard.pii.databases.protect import protect_database
from districtguard.pii.databases.unprotect import (
    NOTHING,
    RESTORED,
    RESTORED_IN_PART,
    unprotect_database,
)
from districtguard.pii.protection.accesslog import read_entries
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.edits import Policy
from districtguard.pii.protection.tokens import TOKEN_RE
from tests.pii.databases.conftest import Database
from tests.pii.databases.test_protect import _people, _rows
from tests.pii.protection.keyhelp import make_ring


def _encrypt(db: Database, policy: Policy, cipher: ValueCipher) -> None:
    result = protect_database(
        db.url, policy, cipher, restorer=cipher, include=db.include
    )
    assert [t.outcome for t in result.tables] == ["protected"], result.to_dict()


def test_unprotect_restores_every_value_and_logs_it_first(
    database: Database,
    fake: Faker,
    policy: Policy,
    cipher: ValueCipher,
    tmp_path: Path,
) -> None:
    table = _people(database, fake, 11)
    before = _rows(database, table)
    _encrypt(database, policy, cipher)
    home = tmp_path / "home"

    result = unprotect_database(
        database.url,
        cipher,
        user="director@example.org",
        include=database.include,
        batch_rows=4,
        home=home,
    )

    assert not result.error, result.error
    (people,) = result.tables
    assert people.outcome == RESTORED, people.reason
    assert people.elements == {str(Element.SSN): 11}
    assert _rows(database, table) == before
    entries = read_entries(home)
    assert [entry["values"] for entry in entries] == [4, 4, 3]
    assert {entry["user"] for entry in entries} == {"director@example.org"}
    assert all(str(entry["path"]).endswith(table.name) for entry in entries)
    text = json.dumps(result.to_dict()) + json.dumps(entries)
    assert all(str(row[3]) not in text for row in before.values())

    again = unprotect_database(
        database.url, cipher, include=database.include, home=home
    )
    assert again.tables[0].outcome == NOTHING
    assert len(read_entries(home)) == 3


def test_a_token_of_another_keyring_rolls_back_only_its_batch(
    sqlite: Database,
    fake: Faker,
    policy: Policy,
    cipher: ValueCipher,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    table = _people(sqlite, fake, 12)
    before = _rows(sqlite, table)
    _encrypt(sqlite, policy, cipher)
    stranger = ValueCipher(make_ring(monkeypatch, tmp_path / "other"))
    foreign = stranger.protect(Element.SSN, str(before[6][3]))
    with sqlite.engine.begin() as connection:
        connection.execute(table.update().where(table.c.id == 6).values(ssn=foreign))

    result = unprotect_database(
        sqlite.url,
        cipher,
        include=sqlite.include,
        batch_rows=4,
        home=tmp_path / "home",
    )

    (people,) = result.tables
    assert people.outcome == RESTORED_IN_PART
    assert people.batches_rolled_back == 1
    assert "cannot be opened" in people.problems[0]
    after = _rows(sqlite, table)
    for key in range(5, 9):
        assert TOKEN_RE.fullmatch(str(after[key][3]))
    for key in (*range(1, 5), *range(9, 13)):
        assert after[key] == before[key]
