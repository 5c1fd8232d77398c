"""Work out what importing a staff directory would change, before anything does.

Pure functions over the rows :mod:`.staff_import` read and a snapshot of the
directory; :mod:`.directory` takes the snapshot and applies the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from districtguard.district.staff_import import DIRECTOR, RowProblem, StaffRow


@dataclass(frozen=True, slots=True)
class Person:
    """A person already in the directory, as the plan needs to see them."""

    pk: int
    email: str
    first_name: str
    last_name: str
    title: str
    site: str
    handles_pii: bool
    employee_id: str
    role: str
    is_active: bool

    @property
    def label(self) -> str:
        """Return the person's name, or their email when they have none."""
        return " ".join(filter(None, (self.first_name, self.last_name))) or self.email


@dataclass(frozen=True, slots=True)
class Change:
    """One field that importing would change, shown as old -> new."""

    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Update:
    """A person in the file and the directory whose details differ."""

    line: int
    pk: int
    label: str
    changes: tuple[Change, ...]
    values: dict[str, object]  # field -> new value, ready to save


@dataclass(slots=True)
class Plan:
    """Everything importing would do; nothing is done until it is applied."""

    new: list[StaffRow] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    missing: list[Person] = field(default_factory=list)
    new_sites: list[str] = field(default_factory=list)

    @property
    def role_changes(self) -> list[Update]:
        """Return the updates that change someone's role."""
        return [u for u in self.updates if any(c.field == "role" for c in u.changes)]


_LABELS = {
    "email": "email",
    "first_name": "first name",
    "last_name": "last name",
    "title": "title",
    "site": "site",
    "handles_pii": "handles personal information",
    "employee_id": "employee ID",
    "role": "role",
    "is_active": "active",
}


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if value else "(blank)"


def plan_import(
    rows: Sequence[StaffRow], people: Sequence[Person], sites: Iterable[str]
) -> Plan:
    """Compare ``rows`` with the directory and return what importing would change.

    A row matches a person by employee ID when it has one and someone holds it,
    else by email (case does not matter). Sites are matched by name, case aside;
    sites the directory lacks are listed to be created.
    """
    plan = Plan()
    by_id = {p.employee_id.lower(): p for p in people if p.employee_id}
    by_email = {p.email.lower(): p for p in people}
    known_sites = {name.lower(): name for name in sites}
    new_sites: dict[str, str] = {}
    seen: set[int] = set()
    for row in rows:
        person = by_id.get(row.employee_id.lower()) if row.employee_id else None
        holder = by_email.get(row.email)
        if person is None:
            person = holder
        elif holder is not None and holder.pk != person.pk:
            plan.errors.append(
                RowProblem(
                    row.line,
                    f"The employee ID belongs to {person.label} but the email "
                    f"address to {holder.label}; correct one of them.",
                )
            )
            continue
        site = row.site
        if site:
            site = known_sites.get(site.lower()) or new_sites.setdefault(
                site.lower(), site
            )
        if person is None:
            plan.new.append(replace(row, site=site))
            continue
        seen.add(person.pk)
        update = _update_for(row, person, site)
        if update is None:
            plan.unchanged += 1
        else:
            plan.updates.append(update)
    plan.new_sites = sorted(new_sites.values(), key=str.lower)
    plan.missing = [
        p for p in people if p.pk not in seen and p.is_active and p.role != DIRECTOR
    ]
    return plan


def _update_for(row: StaffRow, person: Person, site: str | None) -> Update | None:
    wanted: dict[str, object] = {
        "email": row.email,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "title": row.title,
        "site": site,
        "handles_pii": row.handles_pii,
        "employee_id": row.employee_id or None,
        "is_active": True,
    }
    if row.role is not None and person.role != DIRECTOR:
        wanted["role"] = row.role
    changes: list[Change] = []
    values: dict[str, object] = {}
    for name, new in wanted.items():
        if new is None:
            continue
        old = getattr(person, name)
        if name == "email" and str(old).lower() == new:
            continue
        if old != new:
            changes.append(Change(_LABELS[name], _shown(old), _shown(new)))
            values[name] = new
    if not changes:
        return None
    return Update(row.line, person.pk, person.label, tuple(changes), values)
