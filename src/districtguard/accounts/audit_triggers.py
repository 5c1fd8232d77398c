"""Database triggers that refuse UPDATE and DELETE on the audit log.

Kept here, not only in the migration, so the test suite can lift them for the
one thing that must empty the table: flushing the test database between
transactional tests.
"""

from __future__ import annotations

from typing import Any

TABLE = "accounts_auditentry"

_INSTALL = {
    "sqlite": [
        f"""CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
        f"""CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION districtguard_audit_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$;""",
        f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE};",
        f"""CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
        ON {TABLE} FOR EACH STATEMENT
        EXECUTE FUNCTION districtguard_audit_append_only();""",
    ],
}
_REMOVE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_no_update;",
        "DROP TRIGGER IF EXISTS audit_no_delete;",
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE};",
        "DROP FUNCTION IF EXISTS districtguard_audit_append_only();",
    ],
}


def install(connection: Any) -> None:
    """Make the audit table append-only on ``connection``'s database."""
    with connection.cursor() as cursor:
        for statement in _INSTALL.get(connection.vendor, []):
            cursor.execute(statement)


def remove(connection: Any) -> None:
    """Lift the append-only triggers (migrations backwards, test flushes)."""
    with connection.cursor() as cursor:
        for statement in _REMOVE.get(connection.vendor, []):
            cursor.execute(statement)
