"""Sign in with a password and an authenticator code, in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

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


def test_first_director_goes_from_the_one_time_link_to_the_dashboard(
    page: Page, server: str, tmp_path: Path
) -> None:
    # `up` (the server fixture) made the first Director and printed a one-time
    # link, which allauth records as an unverified address.
    found = re.search(
        r"http://\S+/accounts/password/reset/key/\S+/",
        (tmp_path / "server.log").read_text(),
    )
    assert found is not None
    link = found.group(0)
    assert "/accounts/password/reset/key/" in link
    page.goto(link)
    expect(page.locator("main")).to_contain_text("director@localhost")
    page.fill('input[name="password1"]', PASSWORD)
    page.fill('input[name="password2"]', PASSWORD)
    page.press('input[name="password2"]', "Enter")
    page.wait_for_url("**/accounts/password/reset/key/done/")
    page.goto(f"{server}/accounts/login/")
    page.fill('input[name="login"]', "director@localhost")
    page.fill('input[name="password"]', PASSWORD)
    page.press('input[name="password"]', "Enter")
    # Setting up MFA asks for the password again first.
    page.wait_for_selector('input[name="password"]')
    page.fill('input[name="password"]', PASSWORD)
    page.press('input[name="password"]', "Enter")
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    # Chromium's own favicon request has come and gone by now; the secret on
    # the page must still be the one the server checks against.
    page.wait_for_load_state("networkidle")
    secret = page.inner_text("#authenticator_secret").strip()
    page.fill('input[name="code"]', totp_now(secret))
    page.press('input[name="code"]', "Enter")
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    page.goto(f"{server}/")
    assert page.url == f"{server}/"
    expect(page.locator("main h1")).to_be_visible()
