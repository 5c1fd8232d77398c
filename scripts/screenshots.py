"""Regenerate the screenshots in ``docs/images/`` from a real demo installation.

Run from the repository root: ``.venv/bin/python scripts/screenshots.py``. It
migrates a throwaway SQLite installation, loads the demo district, signs a
Director in with an authenticator code in Debian's Chromium, and saves the
Director's dashboard, the audit log, the incident list, an incident, the
breach facts of the demo phishing incident (fed by its data store), the
report form at phone size, and the PII inventory (the stores, a store, a
file's masked findings). Needs ``/usr/bin/chromium``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from tests.e2e.browser import (  # noqa: E402
    CHROMIUM,
    make_person,
    open_browser,
    serving,
    sign_in,
)
from tests.e2e.harness import Template  # noqa: E402

IMAGES = ROOT / "docs" / "images"
SHOTS = (
    "dashboard.png",
    "audit-log.png",
    "incidents.png",
    "incident.png",
    "incident-facts.png",
    "report-phone.png",
    "inventory.png",
    "inventory-store.png",
    "inventory-file.png",
)
EMAIL = "dana.whitfield@demo.example.org"
PASSWORD = "Lantern-Harbor-Orchard-71"  # noqa: S105 - a throwaway demo account
VERIFY = """
from districtguard.worker.jobs import verify_audit_chain
verify_audit_chain()
"""


def main() -> int:
    """Take the screenshots; return an exit code."""
    if not CHROMIUM.exists():
        sys.stderr.write(
            "screenshots: needs Debian's Chromium (apt-get install chromium)\n"
        )
        return 1
    os.environ.pop("DATABASE_URL", None)  # always the SQLite default
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="districtguard-shots-") as tmp:
        root = Path(tmp)
        template = Template(root / "template")
        installation = template.copy(root / "home")
        secret = make_person(installation, EMAIL, PASSWORD, name=("Dana", "Whitfield"))
        installation.run("manage", "load_demo")
        installation.python(VERIFY)
        with (
            serving(installation, root / "server.log") as base_url,
            sync_playwright() as playwright,
        ):
            context = open_browser(playwright, root / "profile")
            page = context.new_page()
            sign_in(page, base_url, EMAIL, PASSWORD, secret)
            page.screenshot(path=str(IMAGES / "dashboard.png"), full_page=True)
            page.goto(f"{base_url}/audit/")
            page.screenshot(path=str(IMAGES / "audit-log.png"), full_page=True)
            page.goto(f"{base_url}/incidents/")
            page.screenshot(path=str(IMAGES / "incidents.png"), full_page=True)
            page.click("text=INC-")
            page.screenshot(path=str(IMAGES / "incident.png"), full_page=True)
            page.goto(f"{base_url}/incidents/")
            page.click("td:has-text('Credential phishing campaign') a")
            page.click("text=Record the facts and apply the determination")
            page.screenshot(path=str(IMAGES / "incident-facts.png"), full_page=True)
            page.goto(f"{base_url}/inventory/")
            page.screenshot(path=str(IMAGES / "inventory.png"), full_page=True)
            page.click("text=District office share (demo)")
            page.screenshot(path=str(IMAGES / "inventory-store.png"), full_page=True)
            page.click("table a[href*='/inventory/files/'] >> nth=0")
            page.screenshot(path=str(IMAGES / "inventory-file.png"))
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(f"{base_url}/incidents/report/")
            page.screenshot(path=str(IMAGES / "report-phone.png"), full_page=True)
            context.close()
    for name in SHOTS:
        sys.stdout.write(f"wrote {IMAGES / name}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
