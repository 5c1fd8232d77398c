"""Give every district the default playbooks (editable in the admin)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _create(apps: Any, schema_editor: Any) -> None:
    from districtguard.incidents.playbooks import DEFAULTS

    playbook_model = apps.get_model("incidents", "Playbook")
    task_model = apps.get_model("incidents", "PlaybookTask")
    for category, (name, tasks) in DEFAULTS.items():
        playbook, created = playbook_model.objects.get_or_create(
            category=category, defaults={"name": name}
        )
        if created:
            for order, (title, hours) in enumerate(tasks):
                task_model.objects.create(
                    playbook=playbook, order=order, title=title, due_hours=hours
                )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(_create, migrations.RunPython.noop)]
