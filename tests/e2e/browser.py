"""Drive Debian's Chromium with Playwright against a DistrictGuard served by gunicorn.

Used by the end-to-end tests and by ``scripts/screenshots.py``. Playwright's own
browser download cannot work here, so Chromium comes from Debian and runs with
the flags a root user without a network needs.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import signal
import struct
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Playwright

from tests.e2e.harness import Installation, free_port, wait_for_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

MAKE_PERSON = """
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from districtguard.accounts.models import User
person = User.objects.create_user(
    {email!r}, {password!r}, role={role!r}, first_name={first!r}, last_name={last!r}
)
if {mfa!r}:
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    print(secret)
"""


def make_person(
    installation: Installation,
    email: str,
    password: str,
    *,
    role: str = "director",
    name: tuple[str, str] = ("Dana", "Whitfield"),
    mfa: bool = True,
) -> str:
    """Create a person in the installation; return their TOTP secret (or "")."""
    snippet = MAKE_PERSON.format(
        email=email,
        password=password,
        role=role,
        first=name[0],
        last=name[1],
        mfa=mfa,
    )
    return installation.python(snippet).strip()


def totp_now(secret: str, at: float | None = None) -> str:
    """Return the RFC 6238 code (SHA-1, 30 seconds, 6 digits) for ``secret``."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


@contextlib.contextmanager
def serving(installation: Installation, log: Path) -> Iterator[str]:
    """Run ``districtguard up`` (gunicorn, no worker); yield its base URL."""
    port = free_port()
    process = installation.popen(
        "up", "--port", str(port), "--workers", "1", "--no-worker", log=log
    )
    try:
        wait_for_port(port, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def open_browser(playwright: Playwright, profile: Path) -> BrowserContext:
    """Start Chromium with a new empty profile; return its browser context."""
    profile.mkdir(parents=True, exist_ok=True)
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(20_000)
    return context


def sign_in(page: Page, base_url: str, email: str, password: str, secret: str) -> None:
    """Sign in through the login page, then the authenticator code page."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', password)
    page.press('input[name="password"]', "Enter")
    page.wait_for_selector('input[name="code"]')
    page.fill('input[name="code"]', totp_now(secret))
    page.press('input[name="code"]', "Enter")
    page.wait_for_url(f"{base_url}/")
