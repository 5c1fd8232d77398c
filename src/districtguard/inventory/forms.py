"""Forms for data stores, exceptions and protection."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from districtguard.accounts.models import User
from districtguard.accounts.roles import Role
from districtguard.inventory.databases import ALL_TABLES
from districtguard.inventory.models import DataStore, ProtectionRun
from districtguard.pii.elements import Element
from districtguard.pii.fingerprint import data_home
from districtguard.pii.protection.keys import KEYRING_FILENAME

_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*\Z")


def without_password(url: str) -> str:
    """Return ``url`` with the password taken out of its user part."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=user + host))


class DataStoreForm(forms.ModelForm):  # type: ignore[type-arg]
    """Register or change a data store. A database password is never asked for."""

    class Meta:
        model = DataStore
        fields = (
            "name",
            "kind",
            "location",
            "password_env",
            "sample_rows",
            "owner",
            "description",
            "holds_students",
            "holds_staff",
            "holds_families",
            "schedule",
            "enabled",
        )
        labels = {
            "sample_rows": "Rows read per table (databases)",
            "location": "Folder path or database URL",
            "password_env": "Environment variable holding the database password",
        }
        help_texts = {
            "location": "A folder the server can read (mounted shares included), "
            "or an SQLAlchemy URL such as postgresql://scanner@db.example/sis "
            "without the password.",
            "password_env": "Databases only: the server reads the password from "
            "this variable, or from the file its _FILE twin names; it is never "
            "stored or shown here.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = User.objects.filter(is_active=True).exclude(role=Role.BOARD)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        # A password typed into the URL is dropped at once, so the page that
        # asks to take it out does not show it again.
        self.password_given = False
        location = str(self.data.get("location", ""))
        if "://" in location and urlsplit(location).password:
            data = dict(self.data.items())
            data["location"] = without_password(location)
            self.data = data
            self.password_given = True

    def clean_location(self) -> str:
        location = str(self.cleaned_data["location"]).strip()
        if self.password_given:
            raise ValidationError(
                "Leave the password out of the URL: name the environment "
                "variable that holds it instead."
            )
        return location

    def clean_password_env(self) -> str:
        name = str(self.cleaned_data["password_env"]).strip()
        if name and not _ENV_NAME.match(name):
            raise ValidationError(
                "Give the name of an environment variable (capital letters, "
                "digits and _), not the password itself."
            )
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "location" not in data:  # already refused, e.g. for its password
            return data
        kind = data.get("kind")
        location = str(data.get("location") or "")
        if kind == DataStore.Kind.FOLDER and "://" in location:
            self.add_error("location", "A folder store needs a folder path.")
        if kind == DataStore.Kind.DATABASE and "://" not in location:
            self.add_error("location", "A database store needs a database URL.")
        return data


class ExceptionForm(forms.Form):
    """Accept a gap: what it covers, why, and until when."""

    element = forms.ChoiceField(
        required=False,
        choices=[("", "Every element")] + [(str(e), str(e)) for e in Element],
        help_text="Leave as every element to accept the whole file.",
    )
    fingerprint = forms.CharField(
        required=False,
        max_length=64,
        label="One value (its fingerprint)",
        help_text="From a file's findings: accept this one value wherever it is.",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    expires_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label="Expires on"
    )

    def clean_fingerprint(self) -> str:
        value = str(self.cleaned_data["fingerprint"]).strip().lower()
        if value and not re.fullmatch(r"[0-9a-f]{16,64}", value):
            raise ValidationError("A fingerprint is 32 hexadecimal characters.")
        return value

    def clean_expires_on(self) -> Any:
        day = self.cleaned_data["expires_on"]
        if day < timezone.localdate():
            raise ValidationError("The expiry date has already passed.")
        if (day - timezone.localdate()).days > 366:
            raise ValidationError("Accept a gap for a year at most, then review it.")
        return day


class ProtectionForm(forms.Form):
    """Choose how to protect; the preview comes first."""

    mode = forms.ChoiceField(
        choices=ProtectionRun.Mode.choices, widget=forms.RadioSelect
    )

    def clean_mode(self) -> str:
        mode = str(self.cleaned_data["mode"])
        # Said here, not after the preview has been queued and failed.
        keyring = data_home() / KEYRING_FILENAME
        if mode == ProtectionRun.Mode.ENCRYPT and not keyring.exists():
            raise ValidationError(
                "Encrypting needs the district's keys, and there are none yet: "
                "run `districtguard keys create` on the server first (see the "
                "protection guide), or choose Redact."
            )
        return mode


class DatabaseProtectionForm(ProtectionForm):
    """Choose how to protect a database, and one table or all of them."""

    table = forms.ChoiceField(
        label="Which tables",
        help_text="Tables as the last scan found them. Every row is read.",
    )

    def __init__(self, *args: Any, tables: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(ALL_TABLES, "All tables")] + [(t, t) for t in tables]
        self.fields["table"].choices = choices  # type: ignore[attr-defined]
        self.fields["table"].initial = ALL_TABLES
