"""Make the audit log append-only in the database itself, not only in the ORM."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from districtguard.accounts import audit_triggers


def _install(apps: Any, schema_editor: Any) -> None:
    audit_triggers.install(schema_editor.connection)


def _remove(apps: Any, schema_editor: Any) -> None:
    audit_triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(_install, _remove)]
