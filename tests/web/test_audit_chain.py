"""Tampering with stored audit entries is detected and located, also by the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.db import connection

from districtguard.accounts import audit, audit_triggers
from districtguard.accounts.audit import AuditEntry
from districtguard.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain() -> list[AuditEntry]:
    """Five entries, as a real installation would record them."""
    return [
        audit.record("test.action", actor_label="system", number=n) for n in range(5)
    ]


@pytest.fixture
def tamper() -> Iterator[None]:
    """Lift the append-only triggers, as someone with database access could."""
    audit_triggers.remove(connection)
    yield
    audit_triggers.install(connection)


def sql(statement: str, *params: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify(capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    code = main(["audit", "verify", *options])
    return code, capsys.readouterr().out


def test_intact_chain_prints_count_and_head(
    chain: list[AuditEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    assert audit.verify_chain() == []
    code, out = verify(capsys)
    assert code == 0
    assert f"OK: 5 entries, head {chain[-1].hash}" in out


def test_edited_entry_is_located(
    chain: list[AuditEntry], tamper: None, capsys: pytest.CaptureFixture[str]
) -> None:
    sql("UPDATE accounts_auditentry SET action = %s WHERE seq = 3", "test.other")
    assert audit.verify_chain() == [
        audit.ChainProblem(3, "content does not match its hash (edited)")
    ]
    code, out = verify(capsys)
    assert code == 1
    assert "entry #3: content does not match its hash (edited)" in out
    assert "BROKEN: 1 problem(s)" in out


def test_edit_with_a_recomputed_hash_breaks_the_next_link(
    chain: list[AuditEntry], tamper: None
) -> None:
    forged = AuditEntry.objects.get(seq=2)
    forged.actor_label = "someone else"
    # Whoever edits the database without the key cannot compute the real HMAC.
    sql(
        "UPDATE accounts_auditentry SET actor_label = %s, hash = %s WHERE seq = 2",
        forged.actor_label,
        forged.compute_hash(b"a guessed key"),
    )
    problems = audit.verify_chain()
    assert [p.seq for p in problems] == [2, 3]
    assert "does not link" in problems[1].problem


def test_deleted_entry_is_located(
    chain: list[AuditEntry], tamper: None, capsys: pytest.CaptureFixture[str]
) -> None:
    sql("DELETE FROM accounts_auditentry WHERE seq = 3")
    problems = audit.verify_chain()
    assert {p.seq for p in problems} == {4}
    assert any("missing" in p.problem for p in problems)
    code, out = verify(capsys)
    assert code == 1
    assert "entry #4: expected entry #3; entries missing before #4" in out


def test_swapped_entries_are_located(
    chain: list[AuditEntry], tamper: None, capsys: pytest.CaptureFixture[str]
) -> None:
    sql("UPDATE accounts_auditentry SET seq = 1000 WHERE seq = 2")
    sql("UPDATE accounts_auditentry SET seq = 2 WHERE seq = 3")
    sql("UPDATE accounts_auditentry SET seq = 3 WHERE seq = 1000")
    problems = audit.verify_chain()
    assert {p.seq for p in problems} == {2, 3, 4}
    code, out = verify(capsys)
    assert code == 1
    for seq in (2, 3, 4):
        assert f"entry #{seq}:" in out


def test_removed_newest_entries_are_caught_only_against_a_note(
    chain: list[AuditEntry], tamper: None, capsys: pytest.CaptureFixture[str]
) -> None:
    noted_head = chain[-1].hash
    sql("DELETE FROM accounts_auditentry WHERE seq >= 4")
    assert audit.verify_chain() == []
    assert verify(capsys)[0] == 0

    code, out = verify(capsys, "--expect-count", "5", "--expect-head", noted_head)
    assert code == 1
    assert "entries #4 to #5 were removed" in out

    code, out = verify(capsys, "--expect-head", noted_head)
    assert code == 1
    assert "no entry has the noted head hash" in out


def test_a_grown_log_still_matches_an_older_note(
    chain: list[AuditEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    noted = chain[2]
    audit.record("test.later", actor_label="system")
    code, out = verify(capsys, "--expect-count", "3", "--expect-head", noted.hash)
    assert code == 0, out


def test_json_output_lists_problems(
    chain: list[AuditEntry], tamper: None, capsys: pytest.CaptureFixture[str]
) -> None:
    sql("UPDATE accounts_auditentry SET detail = %s WHERE seq = 5", "{}")
    code, out = verify(capsys, "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert report["ok"] is False
    assert report["entries"] == 5
    assert report["problems"] == [
        {"entry": 5, "problem": "content does not match its hash (edited)"}
    ]


def test_malformed_head_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", "--expect-head", "abc"]) == 2
    assert "64 hex digits" in capsys.readouterr().err


def test_empty_log_verifies(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = verify(capsys)
    assert code == 0
    assert f"OK: 0 entries, head {audit.GENESIS}" in out


def test_audit_without_an_action_names_what_is_missing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["audit"]) == 2
    err = capsys.readouterr().err
    assert "required: ACTION" in err
    assert "audit_command" not in err
