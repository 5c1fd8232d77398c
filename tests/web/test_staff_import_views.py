"""The staff import end to end: upload, preview, apply once, re-import, refusals."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from faker import Faker

from districtguard.accounts.models import AuditEntry, User
from districtguard.accounts.roles import Role
from districtguard.district.models import Site, StaffImport
from districtguard.district.staff_import import MAX_BYTES
from tests.web.conftest import make_person

pytestmark = pytest.mark.django_db
fake = Faker()
Faker.seed(11)


def _csv(*lines: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return SimpleUploadedFile("staff.csv", data, content_type="text/csv")


def _upload(client: Client, upload: SimpleUploadedFile) -> StaffImport:
    response = client.post("/district/import/", {"file": upload})
    assert response.status_code == 302, response.content.decode()[-2000:]
    return StaffImport.objects.latest("created_at")


@pytest.fixture
def director(client: Client) -> User:
    person = make_person(Role.DIRECTOR)
    client.force_login(person)
    return person


def _staff_lines(count: int) -> list[tuple[str, str, str]]:
    return [
        (fake.first_name(), fake.last_name(), fake.unique.email()) for _ in range(count)
    ]


def test_upload_previews_then_applies_once(client: Client, director: User) -> None:
    people = _staff_lines(3)
    lines = ["First Name,Last Name,E-mail,Job Title,Building,Handles PII,Role"]
    lines += [f"{f},{la},{e},Teacher,North Elementary,yes," for f, la, e in people]
    lines.append("Bad,Row,not-an-email,Teacher,North Elementary,no,")
    staff_import = _upload(client, _csv(*lines))
    assert User.objects.count() == 1  # nothing applied by the preview
    page = client.get(f"/district/import/{staff_import.pk}/").content.decode()
    assert "3</strong> new people" in page
    assert "North Elementary" in page
    assert "New sites to be created" in page
    assert "The email address is not a valid address." in page
    assert "not-an-email" not in page

    response = client.post(f"/district/import/{staff_import.pk}/apply/")
    assert response.status_code == 302
    assert User.objects.count() == 4
    created = User.objects.get(email=people[0][2].lower())
    assert created.site == Site.objects.get(name="North Elementary")
    assert created.handles_pii and created.role == Role.STAFF
    assert not created.has_usable_password()
    entry = AuditEntry.objects.get(action="staff_import.applied")
    assert entry.detail["created"] == 3
    assert entry.detail["rows_with_errors"] == 1
    assert entry.detail["sites_created"] == 1

    again = client.post(f"/district/import/{staff_import.pk}/apply/", follow=True)
    assert b"already applied" in again.content
    assert User.objects.count() == 4
    assert AuditEntry.objects.filter(action="staff_import.applied").count() == 1


def test_reimport_updates_without_duplicating(client: Client, director: User) -> None:
    people = _staff_lines(2)
    header = "Name,Email Address,Position,School"
    first = [header] + [f"{f} {la},{e},Teacher,North" for f, la, e in people]
    client.post(f"/district/import/{_upload(client, _csv(*first)).pk}/apply/")
    changed = [header]
    changed.append(
        f"{people[0][0]} {people[0][1]},{people[0][2].upper()},Principal,North"
    )
    changed.append(f"{people[1][0]} {people[1][1]},{people[1][2]},Teacher,North")
    staff_import = _upload(client, _csv(*changed))
    page = client.get(f"/district/import/{staff_import.pk}/").content.decode()
    assert "title: Teacher → Principal" in page
    assert "1</strong> unchanged" in page
    client.post(f"/district/import/{staff_import.pk}/apply/")
    assert User.objects.count() == 3
    assert User.objects.get(email=people[0][2].lower()).title == "Principal"


def test_missing_people_are_deactivated_only_when_ticked(
    client: Client, director: User
) -> None:
    leaver = make_person(Role.STAFF)
    stayer = _staff_lines(1)[0]
    lines = ["Email", stayer[2]]
    staff_import = _upload(client, _csv(*lines))
    page = client.get(f"/district/import/{staff_import.pk}/").content.decode()
    assert "In the directory but not in the file" in page
    assert leaver.email in page
    client.post(f"/district/import/{staff_import.pk}/apply/")
    leaver.refresh_from_db()
    assert leaver.is_active

    staff_import = _upload(client, _csv(*lines))
    client.post(
        f"/district/import/{staff_import.pk}/apply/", {"deactivate_missing": "on"}
    )
    leaver.refresh_from_db()
    director.refresh_from_db()
    assert not leaver.is_active
    assert director.is_active
    assert AuditEntry.objects.filter(action="person.deactivated").count() == 1


def test_role_column_changes_roles_but_never_the_director(
    client: Client, director: User
) -> None:
    person = make_person(Role.STAFF)
    lines = [
        "Email,Role",
        f"{person.email},Technology staff",
        f"{director.email},Staff",
    ]
    staff_import = _upload(client, _csv(*lines))
    client.post(f"/district/import/{staff_import.pk}/apply/")
    person.refresh_from_db()
    director.refresh_from_db()
    assert person.role == Role.TECH_STAFF
    assert director.role == Role.DIRECTOR
    entry = AuditEntry.objects.get(action="person.role_changed")
    assert entry.detail == {"old": "staff", "new": "tech_staff", "by_import": True}


def test_discarded_import_cannot_be_applied(client: Client, director: User) -> None:
    staff_import = _upload(client, _csv("Email", fake.email()))
    client.post(f"/district/import/{staff_import.pk}/discard/")
    client.post(f"/district/import/{staff_import.pk}/apply/")
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\r\n\r\n", "The file is empty."),
        (b"PK\x03\x04rest-of-a-workbook", "not a CSV file"),
        (b"Name,Title\r\nA B,Teacher\r\n", "No email column"),
    ],
)
def test_bad_files_get_a_clear_message(
    client: Client, director: User, data: bytes, message: str
) -> None:
    upload = SimpleUploadedFile("staff.csv", data, content_type="text/csv")
    response = client.post("/district/import/", {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StaffImport.objects.exists()


def test_cp1252_file_is_read(client: Client, director: User) -> None:
    email = fake.email()
    staff_import = _upload(
        client, _csv("Name,Email", f"Renée Béranger,{email}", encoding="cp1252")
    )
    client.post(f"/district/import/{staff_import.pk}/apply/")
    assert User.objects.get(email=email.lower()).first_name == "Renée"


@pytest.mark.parametrize(
    "role",
    [
        Role.TECH_STAFF,
        Role.SUPERINTENDENT,
        Role.COUNSEL,
        Role.BOARD,
        Role.STAFF,
        Role.AUDITOR,
    ],
)
def test_only_the_director_may_import(client: Client, role: str) -> None:
    owner = make_person(Role.DIRECTOR)
    staff_import = StaffImport.objects.create(
        created_by=owner,
        filename="staff.csv",
        encoding="utf-8",
        rows=[{"line": 2, "email": fake.email()}],
    )
    client.force_login(make_person(role))
    assert client.get("/district/import/").status_code == 403
    assert (
        client.post(
            "/district/import/", {"file": _csv("Email", fake.email())}
        ).status_code
        == 403
    )
    assert client.get(f"/district/import/{staff_import.pk}/").status_code == 403
    assert client.post(f"/district/import/{staff_import.pk}/apply/").status_code == 403
    assert (
        client.post(f"/district/import/{staff_import.pk}/discard/").status_code == 403
    )
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.PREVIEWED


def test_apply_needs_post(client: Client, director: User) -> None:
    staff_import = _upload(client, _csv("Email", fake.email()))
    assert client.get(f"/district/import/{staff_import.pk}/apply/").status_code == 405


def test_unknown_import_is_404(client: Client, director: User) -> None:
    assert client.get("/district/import/9999/").status_code == 404


def test_file_over_the_size_limit_is_refused_before_reading(
    client: Client, director: User
) -> None:
    data = b"Email\r\n" + b"x" * (MAX_BYTES + 1)
    upload = SimpleUploadedFile("big.csv", data, content_type="text/csv")
    response = client.post("/district/import/", {"file": upload})
    assert response.status_code == 200
    assert "larger than 5 MB" in response.content.decode()
    assert not StaffImport.objects.exists()


def test_conflicting_employee_id_and_email_is_shown_and_left_out(
    client: Client, director: User
) -> None:
    first = make_person(Role.STAFF, employee_id="E1")
    second = make_person(Role.STAFF)
    lines = ["Email,Employee ID,Title", f"{second.email},E1,Clerk"]
    staff_import = _upload(client, _csv(*lines))
    page = client.get(f"/district/import/{staff_import.pk}/").content.decode()
    assert "The employee ID belongs to" in page
    client.post(f"/district/import/{staff_import.pk}/apply/")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.title == second.title == ""
