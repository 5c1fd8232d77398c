"""The pure libraries stay pure: importing them never loads Django."""

from __future__ import annotations

import subprocess
import sys


def test_pii_library_does_not_import_django() -> None:
    code = (
        "import sys, districtguard.pii, districtguard.pii.engine, "
        "districtguard.pii.documents; "
        "import districtguard.pii.scanner; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') "
        "for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
