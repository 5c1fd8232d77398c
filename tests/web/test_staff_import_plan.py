"""Planning an import: who is new, what changes, who is missing, which sites."""

from __future__ import annotations

from dataclasses import replace

from faker import Faker

from districtguard.district.import_plan import Person, plan_import
from districtguard.district.staff_import import StaffRow

fake = Faker()
Faker.seed(7)


def _person(pk: int, **overrides: object) -> Person:
    values: dict[str, object] = {
        "pk": pk,
        "email": fake.unique.email(),
        "first_name": fake.first_name(),
        "last_name": fake.last_name(),
        "title": "Teacher",
        "site": "North",
        "handles_pii": False,
        "employee_id": "",
        "role": "staff",
        "is_active": True,
    }
    values.update(overrides)
    return Person(**values)  # type: ignore[arg-type]


def _row_for(person: Person, line: int = 2, **overrides: object) -> StaffRow:
    row = StaffRow(
        line=line,
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
        title=person.title,
        site=person.site,
        handles_pii=person.handles_pii,
        employee_id=person.employee_id,
    )
    return replace(row, **overrides)  # type: ignore[arg-type]


def test_same_rows_change_nothing() -> None:
    people = [_person(1), _person(2)]
    plan = plan_import([_row_for(p) for p in people], people, ["North"])
    assert (plan.new, plan.updates, plan.unchanged) == ([], [], 2)
    assert plan.missing == []


def test_email_matches_case_insensitively() -> None:
    person = _person(1, email="Pat.Doe@Example.org")
    plan = plan_import([_row_for(person, email="pat.doe@example.org")], [person], [])
    assert plan.unchanged == 1


def test_changed_fields_show_old_and_new() -> None:
    person = _person(1)
    row = _row_for(person, title="Principal", handles_pii=True, site="north")
    plan = plan_import([row], [person], ["North"])
    (update,) = plan.updates
    shown = {(c.field, c.old, c.new) for c in update.changes}
    assert shown == {
        ("title", "Teacher", "Principal"),
        ("handles personal information", "no", "yes"),
    }
    assert update.values == {"title": "Principal", "handles_pii": True}


def test_employee_id_wins_over_email_and_updates_the_email() -> None:
    person = _person(1, employee_id="E7")
    new_email = fake.unique.email().lower()
    plan = plan_import([_row_for(person, email=new_email)], [person], ["North"])
    assert plan.new == []
    assert plan.updates[0].values == {"email": new_email}


def test_employee_id_and_email_of_two_people_is_a_row_error() -> None:
    first, second = _person(1, employee_id="E1"), _person(2)
    row = _row_for(first, email=second.email)
    plan = plan_import([row], [first, second], ["North"])
    assert plan.updates == [] and plan.new == []
    assert plan.errors[0].line == 2
    assert "employee ID belongs to" in plan.errors[0].message


def test_new_people_and_new_sites() -> None:
    row = StaffRow(line=2, email=fake.email(), site="South High")
    other = StaffRow(line=3, email=fake.email(), site="south high")
    plan = plan_import([row, other], [], ["North"])
    assert [r.line for r in plan.new] == [2, 3]
    assert plan.new_sites == ["South High"]
    assert plan.new[1].site == "South High"


def test_known_site_takes_the_directory_spelling() -> None:
    row = StaffRow(line=2, email=fake.email(), site="NORTH")
    assert plan_import([row], [], ["North"]).new[0].site == "North"


def test_missing_people_are_listed_but_not_directors_or_inactive() -> None:
    kept = _person(1)
    gone = _person(2)
    director = _person(3, role="director")
    inactive = _person(4, is_active=False)
    plan = plan_import([_row_for(kept)], [kept, gone, director, inactive], ["North"])
    assert [p.pk for p in plan.missing] == [2]


def test_inactive_person_in_the_file_is_reactivated() -> None:
    person = _person(1, is_active=False)
    plan = plan_import([_row_for(person)], [person], ["North"])
    assert plan.updates[0].values == {"is_active": True}


def test_role_changes_but_never_for_a_director() -> None:
    staff, director = _person(1), _person(2, role="director")
    rows = [_row_for(staff, role="tech_staff"), _row_for(director, 3, role="staff")]
    plan = plan_import(rows, [staff, director], ["North"])
    assert [u.pk for u in plan.role_changes] == [1]
    assert plan.unchanged == 1


def test_blank_names_do_not_clear_names() -> None:
    person = _person(1)
    row = _row_for(person, first_name=None, last_name=None)
    assert plan_import([row], [person], ["North"]).unchanged == 1
