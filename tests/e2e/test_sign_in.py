"""Sign in with a password and an authenticator code, in a real browser."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.browser import sign_in, totp_now
from tests.e2e.conftest import PASSWORD


def test_director_signs_in_with_password_and_authenticator_code(
    page: Page, server: str, director: tuple[str, str]
) -> None:
    email, secret = director
    sign_in(page, server, email, PASSWORD, secret)
    expect(page.locator("header")).to_contain_text(email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    stylesheet = page.request.get(f"{server}/static/districtguard/site.css")
    assert stylesheet.status == 200
    assert "text/css" in stylesheet.headers["content-type"]


def test_a_wrong_authenticator_code_is_refused(
    page: Page, server: str, director: tuple[str, str]
) -> None:
    email, secret = director
    page.goto(f"{server}/accounts/login/")
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', PASSWORD)
    page.press('input[name="password"]', "Enter")
    page.wait_for_selector('input[name="code"]')
    wrong = f"{(int(totp_now(secret)) + 1) % 1_000_000:06d}"
    page.fill('input[name="code"]', wrong)
    page.press('input[name="code"]', "Enter")
    expect(page.locator('input[name="code"]')).to_be_visible()
    page.goto(f"{server}/people/")
    assert "/accounts/" in page.url


def test_totp_matches_the_rfc_6238_test_vector() -> None:
    # RFC 6238 appendix B: the ASCII secret "12345678901234567890", T = 59 s.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # noqa: S105 - the RFC's own
    assert totp_now(secret, at=59) == "287082"
