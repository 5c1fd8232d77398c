"""Make the audit log append-only in the database itself, not only in the ORM."""

from __future__ import annotations

from typing import Any

from django.db import migrations

_TABLE = "accounts_auditentry"

_SQLITE = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {_TABLE}
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {_TABLE}
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_update;",
    "DROP TRIGGER IF EXISTS audit_no_delete;",
]
_POSTGRES = [
    """CREATE OR REPLACE FUNCTION districtguard_audit_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$;""",
    f"""CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
    ON {_TABLE} FOR EACH STATEMENT EXECUTE FUNCTION districtguard_audit_append_only();""",
]
_POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS audit_append_only ON {_TABLE};",
    "DROP FUNCTION IF EXISTS districtguard_audit_append_only();",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def apply(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _SQLITE, "postgresql": _POSTGRES}),
            _run({"sqlite": _SQLITE_DROP, "postgresql": _POSTGRES_DROP}),
        )
    ]
