"""Fixtures for the end-to-end tests: an installation, a server, a browser page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from faker import Faker
from playwright.sync_api import Page, sync_playwright

from tests.e2e.browser import CHROMIUM, make_person, open_browser, serving
from tests.e2e.fixtures import (  # noqa: F401
    installation_fixture,
    installation_template_fixture,
)
from tests.e2e.harness import Installation

# Synthetic, long enough for the validators, used by every e2e person.
PASSWORD = "Lantern-Harbor-Orchard-71"  # noqa: S105


@pytest.fixture
def server(installation: Installation, tmp_path: Path) -> Iterator[str]:
    """Serve the installation with gunicorn; yield the base URL."""
    with serving(installation, tmp_path / "server.log") as base_url:
        yield base_url


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    """Return a page in a fresh Chromium profile."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        context = open_browser(playwright, tmp_path / "profile")
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


@pytest.fixture
def director(installation: Installation) -> tuple[str, str]:
    """Create a Director with TOTP set up; return (email, TOTP secret)."""
    fake = Faker()
    email = f"director.{fake.user_name()}@example.org"
    secret = make_person(installation, email, PASSWORD)
    return email, secret
