"""The Director's first hour, in a real browser: sign in with MFA, import the staff
directory from a CSV, give someone a new role, and find that in the audit log."""

from __future__ import annotations

import csv
import io

from faker import Faker
from playwright.sync_api import Page, expect

from tests.e2e.browser import sign_in
from tests.e2e.conftest import PASSWORD


def _staff_csv(people: list[tuple[str, str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["First Name", "Last Name", "Email Address", "Job Title", "School"])
    for first, last, email in people:
        writer.writerow([first, last, email, "Teacher", "Maple Elementary"])
    return out.getvalue().encode("utf-8")


def test_director_imports_staff_changes_a_role_and_sees_it_audited(
    page: Page, server: str, director: tuple[str, str]
) -> None:
    fake = Faker()
    Faker.seed(4)
    people = [
        (
            fake.first_name(),
            fake.last_name(),
            f"staff{n}.{fake.user_name()}@example.org",
        )
        for n in range(3)
    ]
    email, secret = director
    sign_in(page, server, email, PASSWORD, secret)

    page.goto(f"{server}/district/import/")
    page.set_input_files(
        'input[type="file"]',
        {"name": "staff.csv", "mimeType": "text/csv", "buffer": _staff_csv(people)},
    )
    page.get_by_role("button", name="Upload and preview").click()
    for _first, _last, address in people:
        expect(page.locator("main")).to_contain_text(address)
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text(
        "3"
    )

    first, last, address = people[1]
    page.goto(f"{server}/people/")
    page.get_by_role("link", name=f"{first} {last}").click()
    expect(page.locator("main")).to_contain_text(address)
    page.get_by_role("link", name="Change role").click()
    page.get_by_label("New role").select_option(label="Technology staff")
    page.get_by_role("button", name="Change role").click()
    expect(page.locator("main")).to_contain_text("Technology staff")

    page.goto(f"{server}/audit/?action=people.role_changed")
    row = page.locator("tbody tr").filter(has_text="people.role_changed")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(email)
    expect(row).to_contain_text(f"{first} {last}")
    expect(row).to_contain_text("new: tech_staff")
