"""Write the permission table as Markdown for ``docs/permissions.md``.

A test checks the page against :data:`~districtguard.accounts.roles.PERMISSIONS`;
after changing the table, regenerate the block between the markers with
``python -m districtguard.accounts.permission_docs``.
"""

from __future__ import annotations

import sys

from districtguard.accounts.roles import MFA_REQUIRED, PERMISSIONS, Role

BEGIN = "<!-- permission table: generated, do not edit by hand -->"
END = "<!-- end of permission table -->"


def render_table() -> str:
    """Return the table, one row per permission and one column per role."""
    roles = list(Role)
    header = "| Permission | What it allows | " + " | ".join(
        role.label + (" (MFA)" if role in MFA_REQUIRED else "") for role in roles
    )
    lines = [
        BEGIN,
        "",
        header + " |",
        "|" + "---|" * (len(roles) + 2),
    ]
    for name, (allowed, meaning) in PERMISSIONS.items():
        marks = " | ".join("yes" if role in allowed else "—" for role in roles)
        lines.append(f"| `{name}` | {meaning} | {marks} |")
    lines += ["", END]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render_table())
