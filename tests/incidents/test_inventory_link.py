"""An incident's named stores feed its breach facts from the inventory's scans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from districtguard.accounts.models import AuditEntry, User
from districtguard.accounts.roles import PERMISSIONS, Role
from districtguard.incidents import services
from districtguard.incidents.inventory import propose
from districtguard.incidents.legal import determination_for
from districtguard.incidents.models import ExposedElement, Incident
from districtguard.inventory import demo as inventory_demo
from districtguard.inventory import jobs
from districtguard.inventory.holdings import Holdings
from districtguard.inventory.models import DataStore
from districtguard.inventory.services import queue_scan
from districtguard.law import Code, DataKind, Protection
from districtguard.pii.elements import Element
from districtguard.pii.fingerprint import KEY_ENV
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.redaction import redact_value
from tests.inventory.conftest import staff_record, write_records
from tests.pii.protection.keyhelp import make_ring
from tests.web.conftest import make_person, signed_in

MakeStore = Callable[..., DataStore]


@pytest.fixture(autouse=True)
def _fingerprint_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "ab" * 32)


def _held(elements: dict[str, int], protection: dict[str, dict[str, int]]) -> Holdings:
    return Holdings(elements, 0, 0, 0, (), protection)


@pytest.mark.parametrize(
    ("elements", "protection", "expected"),
    [
        # In the clear, beside names: unprotected and linked.
        ({"SSN": 2, "PERSON_NAME": 2}, {}, [("SSN", "none", True, None)]),
        # All encrypted.
        (
            {"PERSON_NAME": 1},
            {"SSN": {"encrypted": 3}},
            [("SSN", "encrypted", True, None)],
        ),
        # One value in the clear among encrypted ones: unprotected (conservative).
        (
            {"SSN": 1, "PERSON_NAME": 1},
            {"SSN": {"encrypted": 9}},
            [("SSN", "none", True, None)],
        ),
        # Redacted and encrypted: the weaker, redacted, with its visible digits.
        (
            {"PERSON_NAME": 1},
            {"SSN": {"encrypted": 1, "redacted": 1}},
            [("SSN", "redacted", True, 4)],
        ),
        # No name found anywhere: the number alone is not linked.
        ({"DRIVER_LICENSE": 1}, {}, [("DRIVER_LICENSE", "none", False, None)]),
        # A name that was encrypted still links.
        (
            {"BANK_ACCOUNT": 1},
            {"PERSON_NAME": {"encrypted": 1}},
            [("BANK_ACCOUNT", "none", True, None)],
        ),
        # Names and card codes are not kinds of their own.
        ({"PERSON_NAME": 4, "CARD_SECURITY_CODE": 1}, {}, []),
    ],
)
def test_elements_map_to_law_kinds_conservatively(
    elements: dict[str, int],
    protection: dict[str, dict[str, int]],
    expected: list[tuple[str, str, bool, int | None]],
) -> None:
    got = [
        (p.kind.value, p.protection.value, p.linked_to_name, p.visible_digits)
        for p in propose(_held(elements, protection))
    ]
    assert got == expected


def test_card_codes_found_beside_a_card_become_its_codes() -> None:
    held = _held(
        {"PAYMENT_CARD": 2, "CARD_SECURITY_CODE": 2, "PERSON_NAME": 2},
        {"CARD_EXPIRATION": {"encrypted": 2}},
    )
    (card,) = propose(held)
    assert card.kind is DataKind.PAYMENT_CARD
    assert card.protection is Protection.NONE
    assert set(card.codes) == {Code.SECURITY_CODE, Code.EXPIRATION}


# --- against real stores, scanned --------------------------------------------


def _scan(store: DataStore) -> DataStore:
    jobs.run_scan(queue_scan(store, actor=None).pk)
    store.refresh_from_db()
    assert store.last_scanned_at is not None
    return store


@pytest.fixture
def case(director: User) -> Incident:
    return services.open_incident(
        actor=director, title="Share copied by ransomware", category="ransomware"
    )


def _link(client: object, case: Incident, *stores: DataStore) -> int:
    response = client.post(  # type: ignore[attr-defined]
        f"/incidents/{case.pk}/facts/",
        {"save_stores": "1", "stores": [s.pk for s in stores]},
    )
    return int(response.status_code)


def _apply(client: object, case: Incident) -> int:
    response = client.post(f"/incidents/{case.pk}/inventory/")  # type: ignore[attr-defined]
    return int(response.status_code)


@pytest.mark.django_db
def test_named_stores_give_elements_people_and_students(
    tmp_path: Path,
    make_store: MakeStore,
    director: User,
    case: Incident,
) -> None:
    shared, shared_ssn = staff_record()
    only_a, _ = staff_record()
    (tmp_path / "sis").mkdir()
    (tmp_path / "hr").mkdir()
    (tmp_path / "sis" / "students.txt").write_text(shared + only_a)
    (tmp_path / "hr" / "staff.txt").write_text(shared)
    sis = _scan(make_store(tmp_path / "sis", name="SIS export", holds_students=True))
    hr = _scan(make_store(tmp_path / "hr", name="HR share"))
    client = signed_in(director)

    assert _link(client, case, sis, hr) == 302
    assert set(case.affected_stores.all()) == {sis, hr}
    page = client.get(f"/incidents/{case.pk}/facts/").content.decode()
    assert "SIS export" in page and "HR share" in page
    assert "Use inventory figures" in page
    assert shared_ssn not in page

    assert _apply(client, case) == 302
    (row,) = ExposedElement.objects.filter(incident=case)
    assert (row.kind, row.protection, row.linked_to_name) == ("SSN", "none", True)
    assert row.source.startswith("inventory: HR share, SIS export scanned ")
    case.facts.refresh_from_db()
    assert case.facts.ok_residents == 2  # the shared person counts once
    assert case.facts.students_affected == 2  # both are in the students' store
    assert case.facts.people_source.startswith("inventory:")

    timeline = case.timeline.filter(kind="facts").values_list("text", flat=True)
    assert any(
        "Inventory figures used" in text and "added: SSN" in text for text in timeline
    )
    entry = AuditEntry.objects.filter(action="incident.inventory_applied").get()
    assert entry.detail["added"] == ["SSN"]
    assert entry.detail["people"] == 2
    assert sorted(entry.detail["stores"]) == sorted([sis.pk, hr.pk])
    assert AuditEntry.objects.filter(action="incident.stores_changed").count() == 1
    logged = " ".join([*timeline, str(entry.detail)])
    assert shared_ssn not in logged and shared_ssn[-4:] not in logged

    page = client.get(f"/incidents/{case.pk}/facts/").content.decode()
    assert "From the inventory" in page
    assert "Inputs from the inventory: SSN (none)" in page


@pytest.mark.django_db
def test_determination_goes_from_safe_harbour_to_notice_when_clear_ssns_arrive(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_store: MakeStore,
    director: User,
    case: Incident,
) -> None:
    cipher = ValueCipher(make_ring(monkeypatch, tmp_path / "home"))
    folder = tmp_path / "share"
    folder.mkdir()
    lines = []
    for _ in range(3):
        line, ssn = staff_record()
        lines.append(line.replace(ssn, cipher.protect(Element.SSN, ssn)))
    (folder / "encrypted.txt").write_text("".join(lines))
    store = _scan(make_store(folder, name="Payroll"))
    client = signed_in(director)
    _link(client, case, store)

    assert _apply(client, case) == 302
    (row,) = ExposedElement.objects.filter(incident=case)
    assert (row.kind, row.protection) == ("SSN", "encrypted")
    assert determination_for(case).notice_required is False

    write_records(folder / "export.txt", 4)
    _scan(store)
    assert _apply(client, case) == 302
    (row,) = ExposedElement.objects.filter(incident=case)
    assert (row.kind, row.protection) == ("SSN", "none")
    case.facts.refresh_from_db()
    assert case.facts.ok_residents == 4
    assert determination_for(case).notice_required is True
    updated = AuditEntry.objects.filter(action="incident.inventory_applied").last()
    assert updated is not None and updated.detail["updated"] == ["SSN"]


@pytest.mark.django_db
def test_redacted_ssns_come_in_as_redacted_with_four_digits(
    tmp_path: Path,
    make_store: MakeStore,
    director: User,
    case: Incident,
) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    line, ssn = staff_record()
    (folder / "old.txt").write_text(line.replace(ssn, redact_value(Element.SSN, ssn)))
    store = _scan(make_store(folder))
    client = signed_in(director)
    _link(client, case, store)
    _apply(client, case)
    (row,) = ExposedElement.objects.filter(incident=case)
    assert (row.protection, row.visible_digits) == ("redacted", 4)


@pytest.mark.django_db
def test_hand_entries_are_never_overwritten(
    tmp_path: Path,
    make_store: MakeStore,
    director: User,
    case: Incident,
) -> None:
    write_records(tmp_path / "share" / "staff.txt", 2)
    store = _scan(make_store(tmp_path / "share"))
    client = signed_in(director)
    hand = ExposedElement.objects.create(
        incident=case, kind="SSN", protection="encrypted", source="entered by hand"
    )
    case.facts.ok_residents = 40
    case.facts.save()
    _link(client, case, store)

    _apply(client, case)
    hand.refresh_from_db()
    assert (hand.protection, hand.source) == ("encrypted", "entered by hand")
    assert ExposedElement.objects.filter(incident=case).count() == 1
    case.facts.refresh_from_db()
    assert case.facts.ok_residents == 40
    entry = AuditEntry.objects.filter(action="incident.inventory_applied").get()
    assert entry.detail["kept_by_hand"] == ["SSN", "people affected"]


@pytest.mark.django_db
def test_a_corrected_inventory_row_becomes_the_directors_and_can_be_deleted(
    tmp_path: Path,
    make_store: MakeStore,
    director: User,
    case: Incident,
) -> None:
    write_records(tmp_path / "share" / "staff.txt", 2)
    store = _scan(make_store(tmp_path / "share"))
    client = signed_in(director)
    _link(client, case, store)
    _apply(client, case)
    row = ExposedElement.objects.get(incident=case)

    response = client.post(
        f"/incidents/elements/{row.pk}/",
        {"kind": "SSN", "protection": "encrypted", "linked_to_name": "on"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.protection == "encrypted"
    assert row.source.startswith("corrected by hand, from inventory:")
    _apply(client, case)  # a corrected row stays as corrected
    assert list(ExposedElement.objects.filter(incident=case)) == [row]
    row.refresh_from_db()
    assert row.protection == "encrypted"

    assert client.post(f"/incidents/elements/{row.pk}/delete/").status_code == 302
    assert not ExposedElement.objects.filter(incident=case).exists()
    assert AuditEntry.objects.filter(action="incident.element_deleted").count() == 1
    _apply(client, case)  # with the hand row gone, the inventory's comes back
    assert ExposedElement.objects.get(incident=case).protection == "none"


@pytest.mark.django_db
def test_the_page_warns_of_never_scanned_stale_and_late_scans(
    tmp_path: Path,
    make_store: MakeStore,
    director: User,
    case: Incident,
) -> None:
    write_records(tmp_path / "a" / "staff.txt", 1)
    write_records(tmp_path / "b" / "staff.txt", 1)
    stale = _scan(make_store(tmp_path / "a", name="Old scan"))
    late = _scan(make_store(tmp_path / "b", name="New scan"))
    never = make_store(tmp_path / "c", name="Not yet")
    case.discovered_on = timezone.localdate() - dt.timedelta(days=5)
    case.save()
    DataStore.objects.filter(pk=stale.pk).update(
        last_scanned_at=timezone.now() - dt.timedelta(days=60)
    )
    client = signed_in(director)
    _link(client, case, stale, late, never)
    page = client.get(f"/incidents/{case.pk}/facts/").content.decode()
    assert "Never scanned" in page
    assert "55 days before the incident was discovered" in page
    assert "after the incident was discovered" in page


# --- who may do it --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.TECH_STAFF, Role.AUDITOR, Role.STAFF])
def test_roles_without_incidents_legal_are_refused(
    tmp_path: Path, make_store: MakeStore, case: Incident, role: str
) -> None:
    write_records(tmp_path / "share" / "staff.txt", 1)
    store = _scan(make_store(tmp_path / "share"))
    row = ExposedElement.objects.create(incident=case, kind="SSN")
    client = signed_in(make_person(role))
    assert _link(client, case, store) == 403
    assert _apply(client, case) == 403
    assert client.get(f"/incidents/elements/{row.pk}/").status_code == 403
    assert client.post(f"/incidents/elements/{row.pk}/delete/").status_code == 403
    assert not case.affected_stores.exists()
    assert ExposedElement.objects.filter(pk=row.pk).exists()
    assert (
        not AuditEntry.objects.filter(action__startswith="incident.")
        .exclude(action="incident.opened")
        .exists()
    )


@pytest.mark.django_db
def test_a_store_the_person_may_not_see_is_404_and_stays_linked(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_store: MakeStore,
    director: User,
    case: Incident,
) -> None:
    secret = _scan(make_store(tmp_path, name="Counsel may not see"))
    client = signed_in(make_person(Role.COUNSEL))
    roles, text = PERMISSIONS["inventory.view"]
    monkeypatch.setitem(PERMISSIONS, "inventory.view", (roles - {Role.COUNSEL}, text))
    assert _link(client, case, secret) == 404
    assert not case.affected_stores.exists()
    assert (
        "Counsel may not see"
        not in client.get(f"/incidents/{case.pk}/facts/").content.decode()
    )

    case.affected_stores.add(secret)  # named by the Director
    page = client.get(f"/incidents/{case.pk}/facts/").content.decode()
    assert "Counsel may not see" not in page
    assert "1 more named store you may not see is counted" in page
    assert _link(client, case) == 302  # counsel saves an empty choice
    assert list(case.affected_stores.all()) == [secret]


@pytest.mark.django_db
def test_missing_incident_store_or_row_is_404(director: User, case: Incident) -> None:
    client = signed_in(director)
    assert _apply(client, Incident(pk=987_654)) == 404
    assert _link(client, case, DataStore(pk=987_654)) == 404
    assert (
        client.post(
            f"/incidents/{case.pk}/facts/", {"save_stores": "1", "stores": "x"}
        ).status_code
        == 404
    )
    assert client.get("/incidents/elements/987654/").status_code == 404


@pytest.mark.django_db
def test_applying_without_stores_says_to_name_them(
    director: User,
    case: Incident,
) -> None:
    client = signed_in(director)
    response = client.post(f"/incidents/{case.pk}/inventory/", follow=True)
    assert "Name the affected data stores first" in response.content.decode()
    assert not AuditEntry.objects.filter(action="incident.inventory_applied").exists()


@pytest.mark.django_db
def test_the_incident_page_lists_its_stores(
    tmp_path: Path, make_store: MakeStore, director: User, case: Incident
) -> None:
    store = make_store(tmp_path, name="Payroll share")
    case.affected_stores.add(store)
    page = signed_in(director).get(f"/incidents/{case.pk}/").content.decode()
    assert (
        f'<a href="{reverse("inventory:store", args=[store.pk])}">Payroll share</a>'
        in page
    )


@pytest.mark.django_db
def test_the_demo_phishing_incident_names_the_demo_share(
    tmp_path: Path, settings: Settings
) -> None:
    settings.HOME = tmp_path
    call_command("load_demo")
    phishing = Incident.objects.get(category=Incident.Category.PHISHING)
    (share,) = phishing.affected_stores.all()
    assert share.name == inventory_demo.SHARE_NAME
    rows = ExposedElement.objects.filter(incident=phishing)
    assert rows and all(row.from_inventory for row in rows)
    assert phishing.facts.ok_residents == share.people > 0
    assert AuditEntry.objects.filter(
        action="incident.inventory_applied", object_id=str(phishing.pk)
    ).exists()
