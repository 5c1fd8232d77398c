"""An incident in a real browser: a staff member reports a phishing email from a
phone, the Director triages it into an incident, records telling the
Superintendent, and sees both in the incident's timeline."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.browser import make_person, sign_in
from tests.e2e.conftest import PASSWORD
from tests.e2e.harness import Installation

PHISH = b"""From: "IT Helpdesk" <helpdesk@mailbox-verify.example>
Subject: Your mailbox is full
Content-Type: text/plain

Verify your password at http://mailbox-verify.example/login
"""


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/**")


def test_staff_report_from_a_phone_becomes_an_incident(
    page: Page,
    server: str,
    installation: Installation,
    director: tuple[str, str],
) -> None:
    staff_email = "teacher.e2e@example.org"
    staff_secret = make_person(
        installation,
        staff_email,
        PASSWORD,
        role="staff",
        name=("Lee", "Park"),
        mfa=True,
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, staff_email, PASSWORD, staff_secret)
    page.get_by_role("link", name="Report an incident").first.click()
    page.get_by_label("What happened, in a line").fill("Email asking for my password")
    page.get_by_label("More detail").fill("I did not click the link.")
    page.set_input_files(
        'input[type="file"]',
        {"name": "phish.eml", "mimeType": "message/rfc822", "buffer": PHISH},
    )
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("h1")).to_contain_text("Report R-")
    reference = page.locator("h1").inner_text().removeprefix("Report ").strip()
    expect(page.locator("main")).to_contain_text("What happens next")
    _sign_out(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    email, secret = director
    sign_in(page, server, email, PASSWORD, secret)
    page.goto(f"{server}/incidents/reports/")
    page.get_by_role("link", name=reference).click()
    page.get_by_label("Open a new incident").check()
    page.get_by_label("Title").fill("Mailbox-full phishing")
    page.get_by_label("Category").select_option("phishing")
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator("h1")).to_contain_text("Mailbox-full phishing")
    expect(page.locator("main")).to_contain_text("phish.eml")

    superintendent = page.locator("tr", has_text="Superintendent (by the Director")
    superintendent.get_by_role("link", name="Record").click()
    page.get_by_label("Method").fill("phone")
    page.get_by_label("Recipient").fill("Superintendent")
    page.get_by_role("button", name="Record").click()
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text(f"Report {reference} added")
    expect(timeline).to_contain_text("notified by phone")
